// Near misses → SQL: for each defect type, severity relative to its threshold (value ÷ threshold;
// above 1 the part is rejected for it) among accepted and among rejected parts, as counts per narrow
// class of the ratio, and how many accepted parts came within 10 % of the threshold (0.9 ≤ ratio ≤ 1).
import type { ColumnInfo } from '../columns.js';
import { CUBE_KEY_NAMES, cubeFilters, cubeKeyColumns, readCube, type CubeStatement } from '../cube.js';
import { filtersToWhere, quoteIdentifier, quoteLiteral, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { SpecError } from '../spec-error.js';
import { checkSpecAgainstSchema, type ViewSpec } from '../view-spec.js';

export const NEAR_MISS_RATIO = 0.9;

/** Defect types having both a severity and a threshold column. */
export function severityPairs(columns: readonly ColumnInfo[]): { defect: string; severity: string; threshold: string }[] {
  const measure = (type: string, m: string) => columns.find((c) => c.group === 'defect' && c.defectType === type && c.measure === m && c.type === 'DOUBLE');
  const types = [...new Set(columns.filter((c) => c.group === 'defect' && c.defectType).map((c) => c.defectType!))];
  return types.flatMap((defect) => {
    const severity = measure(defect, 'severity');
    const threshold = measure(defect, 'threshold');
    return severity && threshold ? [{ defect, severity: severity.name, threshold: threshold.name }] : [];
  });
}

/**
 * Classes of severity ÷ threshold per unit: the percentiles are read from counts per 1/128 (a power
 * of two, so class edges are exact). A press's cube holds ~5,400 rows on generated data, so a plant of
 * up to ~18 presses stays under the worker's limit for a cube.
 */
export const RATIO_CLASSES_PER_UNIT = 128;
/**
 * Ratios are classed within 0 … 8 (a severity in [0, 1] over a threshold of 1/8 or more): one
 * beyond (a file "in the same format" with other severities; NaN counts at the top) counts at that end and is
 * counted as `outside`, so the class fits an INTEGER and a result has at most ~27,000 rows (13 defect
 * types × 2 verdicts × 1,025 classes), under the server's cap on a result.
 */
export const RATIO_CLASSED_MAX = 8;

export interface NearMissQuery {
  sql: string;
  params: SqlParam[];
  cube?: CubeStatement;
}

/**
 * Rows per defect type, verdict and class of severity ÷ threshold (`ratio_class`: the ratio lies in
 * [class, class + 1) / 128): parts, near_misses (those with 0.9 ≤ ratio ≤ 1), outside (ratios beyond
 * 0 … RATIO_CLASSED_MAX, counted in the end classes). The percentiles are read
 * from these counts (grouped-quantile.ts), so the figures add up over presses and verdicts: with
 * `cubed`, the rows come from a pre-aggregated table per press and verdict, and a press or verdict
 * filter change reads that table instead of the dataset (exact percentiles would need every ratio).
 * Each defect type is counted in its own scan of its two columns (one scan of all of them grouped
 * per defect type took 2× as long on 1M parts).
 */
export function nearMissSql(spec: ViewSpec, columns: readonly ColumnInfo[], cubed = false): NearMissQuery {
  checkSpecAgainstSchema(spec, columns);
  const pairs = severityPairs(columns);
  if (!pairs.length) throw new SpecError('the dataset has no defect severities and thresholds');
  const { conditions, params: filterParams } = filtersToWhere(cubed ? cubeFilters(spec.filters) : spec.filters);
  const reject = quoteIdentifier('reject');
  const keyColumns = cubed ? cubeKeyColumns().map((key) => `, ${key}`).join('') : '';
  // A ratio only where the threshold is positive: NULL otherwise, so it counts nowhere.
  const perDefect = pairs.map((p) => {
    const ratio = `CASE WHEN ${quoteIdentifier(p.threshold)} > 0 THEN ${quoteIdentifier(p.severity)} / ${quoteIdentifier(p.threshold)} END`;
    return `SELECT ${quoteLiteral(p.defect)} AS defect, rejected, ` +
      // A CASE, not greatest(least(…)): those took 3× as long over 13M ratios in DuckDB-WASM.
      `CASE WHEN ratio < 0 THEN 0 WHEN ratio < ${RATIO_CLASSED_MAX} THEN floor(ratio * ${RATIO_CLASSES_PER_UNIT})::INTEGER ` +
      `ELSE ${RATIO_CLASSED_MAX * RATIO_CLASSES_PER_UNIT} END AS ratio_class, count(*) AS parts, ` +
      `count_if(ratio BETWEEN ${NEAR_MISS_RATIO} AND 1) AS near_misses, count_if(NOT ratio BETWEEN 0 AND ${RATIO_CLASSED_MAX}) AS outside` +
      `${cubed ? `, ${CUBE_KEY_NAMES.join(', ')}` : ''} ` +
      `FROM (SELECT ${reject} AS rejected, ${ratio} AS ratio${keyColumns} FROM ${TABLE}${whereSql([...conditions, `${reject} IS NOT NULL`])}) ` +
      'WHERE ratio IS NOT NULL GROUP BY ALL';
  });
  const partials = perDefect.join(' UNION ALL ');
  // Each defect type's scan binds the filters' values again.
  let params: SqlParam[] = pairs.flatMap(() => filterParams);
  let rows = `(${partials})`;
  let cube: CubeStatement | undefined;
  if (cubed) ({ cube, rows, params } = readCube(partials, params, spec.filters));
  return {
    params,
    ...(cube ? { cube } : {}),
    sql: 'SELECT defect, rejected, ratio_class, sum(parts)::DOUBLE AS parts, sum(near_misses)::DOUBLE AS near_misses, sum(outside)::DOUBLE AS outside ' +
      `FROM ${rows} GROUP BY ALL ORDER BY defect, rejected, ratio_class`,
  };
}
