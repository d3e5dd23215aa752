// The WHERE clause of a view's filters, shared by every query built from a spec (generic views,
// quality views, the parts behind a point) so a filter means the same thing everywhere. Field names
// are quoted; values are bound as parameters, never written into the SQL text.
import { defectRejectColumn, SPLIT_COLUMNS, type ViewFilters } from './view-spec.js';

export const TABLE = 'pack.records';
export type SqlParam = string | number | boolean;

/** Names and texts from the data (keys, paths, defect types) as SQL identifiers and string literals. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

export interface WhereClause {
  /** Conditions to AND together; empty when nothing is filtered. */
  conditions: string[];
  params: SqlParam[];
}

/** The columns the press and verdict filters read (a pre-aggregated table keeps them as its keys: cube.ts). */
export const PRESS_AND_VERDICT = { press: SPLIT_COLUMNS.press, reject: 'reject' } as const;

/** `columns` names other columns to read the press and the verdict from: a cube's keys. */
export function filtersToWhere(filters: ViewFilters, columns: { press: string; reject: string } = PRESS_AND_VERDICT): WhereClause {
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  const timestamp = quoteIdentifier('timestamp');
  if (filters.from) {
    conditions.push(`${timestamp} >= make_timestamp(CAST(? AS BIGINT) * 1000)`);
    params.push(Date.parse(filters.from));
  }
  if (filters.to) {
    conditions.push(`${timestamp} < make_timestamp(CAST(? AS BIGINT) * 1000)`);
    params.push(Date.parse(filters.to));
  }
  if (filters.presses) {
    // An empty list is what intersecting a view's presses with the dashboard's can leave: no press.
    conditions.push(filters.presses.length ? `${quoteIdentifier(columns.press)} IN (${filters.presses.map(() => '?').join(', ')})` : 'FALSE');
    params.push(...filters.presses);
  }
  if (filters.reject !== undefined) {
    conditions.push(`${quoteIdentifier(columns.reject)} = ?`);
    params.push(filters.reject);
  }
  for (const defect of filters.defects ?? []) conditions.push(`${quoteIdentifier(defectRejectColumn(defect))} = true`);
  for (const range of filters.ranges ?? []) {
    if (range.min !== undefined) {
      conditions.push(`${quoteIdentifier(range.field)} >= ?`);
      params.push(range.min);
    }
    if (range.max !== undefined) {
      conditions.push(`${quoteIdentifier(range.field)} <= ?`);
      params.push(range.max);
    }
  }
  return { conditions, params };
}

/** ` WHERE a AND b` for the conditions given, or nothing. */
export const whereSql = (conditions: readonly string[]): string => (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '');
