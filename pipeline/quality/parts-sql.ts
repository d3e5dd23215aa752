// The parts behind a point → SQL, sorted and paged in DuckDB: time, press, verdict, the defect types
// flagged, then the requested fields. Every field name is checked against the dataset and quoted;
// every value is bound.
import { defectRejectFlags, type ColumnInfo } from '../columns.js';
import { filtersToWhere, quoteIdentifier, quoteLiteral, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { SpecError } from '../spec-error.js';
import { SPLIT_COLUMNS, type ViewFilters } from '../view-spec.js';
import { partSequenceSql } from './part-sequence-sql.js';
import type { PartsScope } from './parts-scope.js';
import { NEAR_MISS_RATIO, severityPairs } from './near-miss-sql.js';

export const PARTS_PAGE_SIZE = 50;
/** The columns every parts list starts with. */
export const PART_BASICS = ['timestamp', SPLIT_COLUMNS.press, 'reject'] as const;
export const DEFECTS_COLUMN = 'defects';

export interface PartsRequest {
  filters: ViewFilters;
  scope: PartsScope;
  /** Fields after the basics: the view's, then the ones the user added. */
  fields: string[];
  sort: { field: string; descending: boolean };
  page: number;
}

export interface PartsQuery {
  sql: string;
  params: SqlParam[];
  countSql: string;
  countParams: SqlParam[];
}

function column(columns: readonly ColumnInfo[], name: string, what: string): ColumnInfo {
  const found = columns.find((c) => c.name === name);
  if (!found) throw new SpecError(`${what}: the dataset has no field "${name}"`);
  return found;
}

function scopeConditions(scope: PartsScope, filters: ViewFilters, columns: readonly ColumnInfo[]): { conditions: string[]; params: SqlParam[] } {
  const press = quoteIdentifier(SPLIT_COLUMNS.press);
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  const onPress = (value: string | null) => {
    if (value === null) return;
    conditions.push(`${press} = ?`);
    params.push(value);
  };
  switch (scope.kind) {
    case 'sequence': {
      column(columns, scope.field, 'parts');
      const sequence = partSequenceSql(filters, scope.field, 'NULL', { numbered: true });
      conditions.push(`rowid IN (SELECT part_id FROM (${sequence.sql}) WHERE press = ? AND rn BETWEEN ? AND ?)`);
      params.push(...sequence.params, scope.press, scope.firstRank, scope.lastRank);
      break;
    }
    case 'time':
      conditions.push(`${quoteIdentifier('timestamp')} >= make_timestamp(CAST(? AS BIGINT) * 1000)`, `${quoteIdentifier('timestamp')} < make_timestamp(CAST(? AS BIGINT) * 1000)`);
      params.push(scope.fromMs, scope.toMs);
      onPress(scope.press);
      break;
    case 'defect': {
      const flags = defectRejectFlags(columns);
      conditions.push(`${quoteIdentifier('reject')} = true`);
      if (scope.defect === null) conditions.push(`NOT (${flags.map((f) => `coalesce(${quoteIdentifier(f.name)}, false)`).join(' OR ')})`);
      else {
        const flag = flags.find((f) => f.defectType === scope.defect);
        if (!flag) throw new SpecError(`the dataset has no defect type "${scope.defect}"`);
        conditions.push(`${quoteIdentifier(flag.name)} = true`);
      }
      onPress(scope.press);
      break;
    }
    case 'range': {
      const field = quoteIdentifier(column(columns, scope.field, 'parts').name);
      conditions.push(`${field} >= ?`, `${field} ${scope.includeMax ? '<=' : '<'} ?`);
      params.push(scope.min, scope.max);
      onPress(scope.press);
      break;
    }
    case 'near_miss': {
      const pair = severityPairs(columns).find((p) => p.defect === scope.defect);
      if (!pair) throw new SpecError(`the dataset has no severity for "${scope.defect}"`);
      conditions.push(`${quoteIdentifier('reject')} = false`,
        `${quoteIdentifier(pair.severity)} / ${quoteIdentifier(pair.threshold)} BETWEEN ? AND 1`);
      params.push(NEAR_MISS_RATIO);
      break;
    }
    case 'all':
      break;
  }
  return { conditions, params };
}

export function partsSql(request: PartsRequest, columns: readonly ColumnInfo[]): PartsQuery {
  const base = filtersToWhere(request.filters);
  const scope = scopeConditions(request.scope, request.filters, columns);
  const where = whereSql([...base.conditions, ...scope.conditions]);
  const params = [...base.params, ...scope.params];
  const fields = [...new Set(request.fields)].filter((f) => !(PART_BASICS as readonly string[]).includes(f));
  for (const f of fields) column(columns, f, 'parts');
  const flagged = defectRejectFlags(columns)
    .map((f) => `CASE WHEN ${quoteIdentifier(f.name)} THEN ${quoteLiteral(f.defectType ?? f.name)} END`);
  const sortable = new Set<string>([...PART_BASICS, ...fields]);
  if (!sortable.has(request.sort.field)) throw new SpecError(`parts cannot be sorted by "${request.sort.field}"`);
  const select = [
    `(epoch_us(${quoteIdentifier('timestamp')}) / 1000)::DOUBLE AS ${quoteIdentifier('timestamp')}`,
    `${quoteIdentifier(SPLIT_COLUMNS.press)}::VARCHAR AS ${quoteIdentifier(SPLIT_COLUMNS.press)}`,
    quoteIdentifier('reject'),
    `array_to_string(list_filter([${flagged.join(', ')}], d -> d IS NOT NULL), ', ') AS ${DEFECTS_COLUMN}`,
    ...fields.map(quoteIdentifier),
  ];
  return {
    sql: `SELECT ${select.join(', ')} FROM ${TABLE}${where} ` +
      `ORDER BY ${quoteIdentifier(request.sort.field)} ${request.sort.descending ? 'DESC' : 'ASC'} NULLS LAST, rowid LIMIT ? OFFSET ?`,
    params: [...params, PARTS_PAGE_SIZE, request.page * PARTS_PAGE_SIZE],
    countSql: `SELECT count(*)::DOUBLE AS parts FROM ${TABLE}${where}`,
    countParams: params,
  };
}
