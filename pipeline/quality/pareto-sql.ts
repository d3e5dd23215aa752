// Pareto of defects → SQL: among the rejected parts in the view's filters, how many are flagged for
// each defect type (a part flagged for two counts in both), and how many are flagged for none, so
// that no reject is missing; per press when split by press.
import { defectRejectFlags, type ColumnInfo } from '../columns.js';
import { cubeFilters, cubeKeyColumns, readCube, type CubeStatement } from '../cube.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { checkSpecAgainstSchema, defectTypeOfFlag, SPLIT_COLUMNS, type ViewSpec } from '../view-spec.js';

/**
 * Rows: defect (NULL = rejected with no defect flagged), press (NULL unless split), occurrences,
 * rejected_parts. With `cubed`, counted from a pre-aggregated table per press and verdict (cube.ts).
 */
export function paretoSql(spec: ViewSpec, columns: readonly ColumnInfo[], cubed = false): { sql: string; params: SqlParam[]; cube?: CubeStatement } {
  checkSpecAgainstSchema(spec, columns);
  const { conditions, params } = filtersToWhere(cubed ? cubeFilters(spec.filters) : spec.filters);
  const flags = defectRejectFlags(columns).map((c) => quoteIdentifier(c.name));
  const press = spec.split === 'press' ? `${quoteIdentifier(SPLIT_COLUMNS.press)}::VARCHAR` : 'NULL::VARCHAR';
  const anyFlag = flags.map((f) => `coalesce(${f}, false)`).join(' OR ');
  // One scan counts every defect type's flags and verdicts side by side (an UNPIVOT of the parts
  // into a row per defect type took seconds on a million); those columns then become rows. A defect
  // type with no verdict among the parts (label_detection) is left out, as a row of no parts.
  // Counted in two steps (per group, then summed), so a cube's table is the first step.
  const counts = ['rejected', 'unflagged', ...flags.flatMap((_, k) => [`flagged_${k}`, `judged_${k}`])];
  const counted = [`${press} AS press`, 'count(*) AS rejected', `count_if(NOT (${anyFlag})) AS unflagged`,
    ...flags.flatMap((f, k) => [`count_if(${f}) AS flagged_${k}`, `count(${f}) AS judged_${k}`]), ...(cubed ? cubeKeyColumns() : [])];
  const partials = `SELECT ${counted.join(', ')} FROM ${TABLE}${whereSql([...conditions, `${quoteIdentifier('reject')} = true`])} GROUP BY ALL`;
  const read = cubed ? readCube(partials, params, spec.filters) : { rows: `(${partials})`, params };
  const types = defectRejectFlags(columns).map((c, k) => `(flagged_${k}, judged_${k}) AS ${quoteIdentifier(defectTypeOfFlag(c.name))}`);
  return {
    params: read.params,
    ...('cube' in read ? { cube: read.cube } : {}),
    // Unsplit, the counts are one row even when nothing was rejected (zeros, as the view says).
    sql: `WITH counts AS MATERIALIZED (SELECT ${spec.split === 'press' ? 'press' : 'NULL::VARCHAR AS press'}, ` +
      `${counts.map((c) => `coalesce(sum(${c}), 0) AS ${c}`).join(', ')} FROM ${read.rows}${spec.split === 'press' ? ' GROUP BY press' : ''}) ` +
      'SELECT *, (SELECT coalesce(sum(rejected), 0) FROM counts)::DOUBLE AS rejected_parts FROM (' +
      `SELECT defect, press, flagged::DOUBLE AS occurrences FROM (UNPIVOT counts ON ${types.join(', ')} ` +
      'INTO NAME defect VALUE flagged, judged) WHERE judged > 0 ' +
      'UNION ALL SELECT NULL::VARCHAR AS defect, press, unflagged::DOUBLE AS occurrences FROM counts) ' +
      'ORDER BY defect NULLS LAST, press',
  };
}
