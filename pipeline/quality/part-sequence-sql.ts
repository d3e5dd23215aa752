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

export interface PartSequenceOptions {
  /** Add `rn`, the part's position within its press. */
  numbered?: boolean;
  /** Add `mr`, the moving range |v − v of the press's previous part| (NULL for a press's first part). */
  movingRange?: boolean;
  /** More columns of the part. */
  extra?: readonly string[];
}

/**
 * SELECT part_id, ts, press, v[, rn][, mr][, extra]: `measured` is an SQL expression over one field
 * (`field`). The position and the moving range share one window, so the parts are sorted once.
 */
export function partSequenceSql(filters: ViewFilters, field: string, measured: string, options: PartSequenceOptions = {}): SqlPart {
  const { conditions, params } = filtersToWhere(filters);
  const timestamp = quoteIdentifier('timestamp');
  const press = quoteIdentifier(SPLIT_COLUMNS.press);
  const windowed = [
    ...(options.numbered ? ['row_number() OVER press_order - 1 AS rn'] : []),
    ...(options.movingRange ? [`abs(${measured} - lag(${measured}) OVER press_order) AS mr`] : []),
  ];
  const columns = [`rowid AS part_id`, `${timestamp} AS ts`, `${press}::VARCHAR AS press`, `${measured} AS v`, ...windowed, ...(options.extra ?? [])];
  return {
    params,
    sql: `SELECT ${columns.join(', ')} FROM ${TABLE}` +
      whereSql([...conditions, `${timestamp} IS NOT NULL`, `${quoteIdentifier(field)} IS NOT NULL`]) +
      (windowed.length ? ` WINDOW press_order AS (PARTITION BY ${press} ORDER BY ${timestamp}, rowid)` : ''),
  };
}
