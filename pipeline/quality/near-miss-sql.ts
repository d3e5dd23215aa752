// Near misses → SQL: for each defect type, severity relative to its threshold (value ÷ threshold;
// above 1 the part is rejected for it) among accepted and among rejected parts, as quantiles, and
// how many accepted parts came within 10 % of the threshold (0.9 ≤ ratio ≤ 1).
import type { ColumnInfo } from '../columns.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
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

/** Rows per defect type and verdict: defect, rejected, parts, q (5th, 25th, 50th, 75th, 95th percentile of the ratio), near_misses. */
export function nearMissSql(spec: ViewSpec, columns: readonly ColumnInfo[]): { sql: string; params: SqlParam[] } {
  checkSpecAgainstSchema(spec, columns);
  const pairs = severityPairs(columns);
  if (!pairs.length) throw new SpecError('the dataset has no defect severities and thresholds');
  const { conditions, params } = filtersToWhere(spec.filters);
  const reject = quoteIdentifier('reject');
  // One scan computes every defect type's figures side by side (an UNPIVOT of the parts into a row
  // per defect type took about a second on a million); those columns then become rows.
  const perType = pairs.flatMap((p, k) => {
    const ratio = `(${quoteIdentifier(p.severity)} / ${quoteIdentifier(p.threshold)})`;
    const judged = ` FILTER (WHERE ${quoteIdentifier(p.threshold)} > 0)`;
    params.push(NEAR_MISS_RATIO);
    return [`count(*)${judged} AS parts_${k}`, `quantile_cont(${ratio}, [0.05, 0.25, 0.5, 0.75, 0.95])${judged} AS q_${k}`,
      `count_if(NOT ${reject} AND ${ratio} >= ? AND ${ratio} <= 1)${judged} AS near_${k}`];
  });
  const types = pairs.map((p, k) => `(parts_${k}, q_${k}, near_${k}) AS ${quoteIdentifier(p.defect)}`);
  return {
    params,
    sql: `WITH figures AS (SELECT ${reject} AS rejected, ${perType.join(', ')} FROM ${TABLE}${whereSql([...conditions, `${reject} IS NOT NULL`])} GROUP BY ALL) ` +
      'SELECT defect, rejected, parts::DOUBLE AS parts, q, near_misses::DOUBLE AS near_misses ' +
      `FROM (UNPIVOT figures ON ${types.join(', ')} INTO NAME defect VALUE parts, q, near_misses) WHERE parts > 0 ORDER BY defect, rejected`,
  };
}
