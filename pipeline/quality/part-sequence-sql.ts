// The view's parts as the control charts see them: filtered like every view, without the ones whose
// measured value is missing, and numbered 0, 1, 2, … within their press in time order (ties broken by
// storage order). Subgroups of n consecutive parts are runs of these numbers, so the parts behind a
// subgroup are found again by the same numbering.
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { SPLIT_COLUMNS, type ViewFilters } from '../view-spec.js';

export interface SqlPart {
  sql: string;
  params: SqlParam[];
}

/**
 * SELECT part_id, ts, press, v[, rn][, extra]: `measured` is an SQL expression over one field
 * (`field`), `numbered` adds the position within the press, `extra` more columns of the part.
 */
export function partSequenceSql(filters: ViewFilters, field: string, measured: string, numbered: boolean, extra: readonly string[] = []): SqlPart {
  const { conditions, params } = filtersToWhere(filters);
  const timestamp = quoteIdentifier('timestamp');
  const press = quoteIdentifier(SPLIT_COLUMNS.press);
  const rank = numbered ? `, row_number() OVER (PARTITION BY ${press} ORDER BY ${timestamp}, rowid) - 1 AS rn` : '';
  return {
    params,
    sql: `SELECT rowid AS part_id, ${timestamp} AS ts, ${press}::VARCHAR AS press, ${measured} AS v${rank}${extra.map((c) => `, ${c}`).join('')} FROM ${TABLE}` +
      whereSql([...conditions, `${timestamp} IS NOT NULL`, `${quoteIdentifier(field)} IS NOT NULL`]),
  };
}
