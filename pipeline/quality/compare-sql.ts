// Compare rejected vs accepted → SQL. Every machine-state number's mean and variance among rejected
// and among accepted parts in the view's filters, in one pass; then, for the fields that differ
// most, histograms of both groups over shared bins.
import type { ColumnInfo } from '../columns.js';
import { isNumeric } from '../columns.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import type { ViewFilters } from '../view-spec.js';

export const COMPARE_BINS = 24;

export const comparableFields = (columns: readonly ColumnInfo[]): string[] =>
  columns.filter((c) => c.group === 'machine_state' && isNumeric(c)).map((c) => c.name);

/** One row: rejected_n, accepted_n, then per field i: r_mean_i, r_var_i, a_mean_i, a_var_i. */
export function compareStatsSql(filters: ViewFilters, fields: readonly string[]): { sql: string; params: SqlParam[] } {
  const { conditions, params } = filtersToWhere(filters);
  const reject = quoteIdentifier('reject');
  const stats = fields.flatMap((name, i) => {
    const v = `${quoteIdentifier(name)}::DOUBLE`;
    return [`avg(${v}) FILTER (WHERE ${reject}) AS r_mean_${i}`, `var_samp(${v}) FILTER (WHERE ${reject}) AS r_var_${i}`,
      `avg(${v}) FILTER (WHERE NOT ${reject}) AS a_mean_${i}`, `var_samp(${v}) FILTER (WHERE NOT ${reject}) AS a_var_${i}`];
  });
  return {
    params,
    sql: `SELECT count_if(${reject})::DOUBLE AS rejected_n, count_if(NOT ${reject})::DOUBLE AS accepted_n, ${stats.join(', ')} ` +
      `FROM ${TABLE}${whereSql([...conditions, `${reject} IS NOT NULL`])}`,
  };
}

/** Rows: field, bin_start, bin_width, rejected, parts, for each field given, over bins shared by both groups. */
export function compareHistogramsSql(filters: ViewFilters, fields: readonly string[]): { sql: string; params: SqlParam[] } {
  const params: SqlParam[] = [];
  const reject = quoteIdentifier('reject');
  const { conditions, params: filterParams } = filtersToWhere(filters);
  const parts = fields.map((name) => {
    // Placeholders in order: the field's name, the filters of the parts, the filters of the bounds.
    params.push(name, ...filterParams, ...filterParams);
    const v = quoteIdentifier(name);
    return 'SELECT field, lo + bin * width AS bin_start, width AS bin_width, rejected, count(*)::DOUBLE AS parts FROM (' +
      `SELECT ?::VARCHAR AS field, ${reject} AS rejected, ${v}::DOUBLE AS v FROM ${TABLE}` +
      `${whereSql([...conditions, `${v} IS NOT NULL`, `${reject} IS NOT NULL`])}) AS src, ` +
      `(SELECT min(${v})::DOUBLE AS lo, greatest((max(${v})::DOUBLE - min(${v})::DOUBLE) / ${COMPARE_BINS}, 1e-9) AS width ` +
      `FROM ${TABLE}${whereSql([...conditions, `${v} IS NOT NULL`])}) AS bounds, ` +
      `LATERAL (SELECT least(floor((v - lo) / width), ${COMPARE_BINS - 1}) AS bin) GROUP BY ALL`;
  });
  return { params, sql: `${parts.join(' UNION ALL ')} ORDER BY field, rejected, bin_start` };
}
