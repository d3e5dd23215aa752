// Pareto of defects → SQL: among the rejected parts in the view's filters, how many are flagged for
// each defect type (a part flagged for two counts in both), and how many are flagged for none, so
// that no reject is missing; per press when split by press.
import { defectRejectFlags, type ColumnInfo } from '../columns.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { checkSpecAgainstSchema, defectTypeOfFlag, SPLIT_COLUMNS, type ViewSpec } from '../view-spec.js';

/** Rows: defect (NULL = rejected with no defect flagged), press (NULL unless split), occurrences, rejected_parts. */
export function paretoSql(spec: ViewSpec, columns: readonly ColumnInfo[]): { sql: string; params: SqlParam[] } {
  checkSpecAgainstSchema(spec, columns);
  const { conditions, params } = filtersToWhere(spec.filters);
  const flags = defectRejectFlags(columns).map((c) => quoteIdentifier(c.name));
  const press = spec.split === 'press' ? `${quoteIdentifier(SPLIT_COLUMNS.press)}::VARCHAR` : 'NULL::VARCHAR';
  const anyFlag = flags.map((f) => `coalesce(${f}, false)`).join(' OR ');
  // One scan counts every defect type's flags and verdicts side by side (an UNPIVOT of the parts
  // into a row per defect type took seconds on a million); those columns then become rows. A defect
  // type with no verdict among the parts (label_detection) is left out, as a row of no parts.
  const perType = flags.flatMap((f, k) => [`count_if(${f}) AS flagged_${k}`, `count(${f}) AS judged_${k}`]);
  const types = defectRejectFlags(columns).map((c, k) => `(flagged_${k}, judged_${k}) AS ${quoteIdentifier(defectTypeOfFlag(c.name))}`);
  return {
    params,
    sql: `WITH counts AS MATERIALIZED (SELECT ${press} AS press, count(*) AS rejected, count_if(NOT (${anyFlag})) AS unflagged, ${perType.join(', ')} ` +
      `FROM ${TABLE}${whereSql([...conditions, `${quoteIdentifier('reject')} = true`])} GROUP BY ALL) ` +
      'SELECT *, (SELECT coalesce(sum(rejected), 0) FROM counts)::DOUBLE AS rejected_parts FROM (' +
      `SELECT defect, press, flagged::DOUBLE AS occurrences FROM (UNPIVOT counts ON ${types.join(', ')} ` +
      'INTO NAME defect VALUE flagged, judged) WHERE judged > 0 ' +
      'UNION ALL SELECT NULL::VARCHAR AS defect, press, unflagged::DOUBLE AS occurrences FROM counts) ' +
      'ORDER BY defect NULLS LAST, press',
  };
}
