// Pareto of defects → SQL: among the rejected parts in the view's filters, how many are flagged for
// each defect type (a part flagged for two counts in both), and how many are flagged for none, so
// that no reject is missing; per press when split by press.
import type { ColumnInfo } from '../columns.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { checkSpecAgainstSchema, SPLIT_COLUMNS, type ViewSpec } from '../view-spec.js';
import { defectRejectFlags } from './quality-spec.js';

/** Rows: defect (NULL = rejected with no defect flagged), press (NULL unless split), occurrences, rejected_parts. */
export function paretoSql(spec: ViewSpec, columns: readonly ColumnInfo[]): { sql: string; params: SqlParam[] } {
  checkSpecAgainstSchema(spec, columns);
  const { conditions, params } = filtersToWhere(spec.filters);
  const flags = defectRejectFlags(columns).map((c) => quoteIdentifier(c.name));
  const press = spec.split === 'press' ? `${quoteIdentifier(SPLIT_COLUMNS.press)}::VARCHAR` : 'NULL::VARCHAR';
  const anyFlag = flags.map((f) => `coalesce(${f}, false)`).join(' OR ');
  return {
    params,
    sql: `WITH src AS (SELECT ${press} AS press, ${flags.join(', ')} FROM ${TABLE}${whereSql([...conditions, `${quoteIdentifier('reject')} = true`])}) ` +
      'SELECT *, (SELECT count(*) FROM src)::DOUBLE AS rejected_parts FROM (' +
      `SELECT regexp_replace(defect_column, '_reject$', '') AS defect, press, count_if(flagged)::DOUBLE AS occurrences ` +
      `FROM (UNPIVOT src ON ${flags.join(', ')} INTO NAME defect_column VALUE flagged) GROUP BY ALL ` +
      `UNION ALL SELECT NULL::VARCHAR AS defect, press, count_if(NOT (${anyFlag}))::DOUBLE AS occurrences FROM src GROUP BY ALL) ` +
      'ORDER BY defect NULLS LAST, press',
  };
}
