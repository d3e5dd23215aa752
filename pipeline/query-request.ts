// Every query the app runs, as data: a view, a page of parts, a comparison, the defect types' verdict
// counts. The browser's engine and the server both turn a request into SQL with `requestSql`, so a
// device that does not keep the dataset (or whose engine is starting) gets the same answer from the
// server. The server takes requests from untrusted bodies through `parseQueryRequest`; it never
// accepts SQL text.
import type { ColumnInfo } from './columns.js';
import { quoteIdentifier, TABLE, type SqlParam } from './filter-sql.js';
import { comparableFields, compareHistogramsSql, compareStatsSql } from './quality/compare-sql.js';
import { parsePartsRequest } from './quality/parts-link.js';
import { PARTS_PAGE_SIZE, partsSql, type PartsRequest } from './quality/parts-sql.js';
import { defectRejectColumns, type QueryContext } from './spec-to-sql.js';
import { SpecError } from './spec-error.js';
import { isRecord, oneOf } from './spec-values.js';
import { isKnownZone, UTC, zoneOverRange, type TimeZone } from './time-zone.js';
import { checkSpecAgainstSchema, parseViewFilters, parseViewSpec, type ViewFilters, type ViewSpec } from './view-spec.js';
import { viewCubeSql, viewSql } from './view-sql.js';

/** A parts export lists at most this many pages of parts: 50,000, what the server sends at most (QueryService). */
export const EXPORT_LIMIT_PAGES = 1000;
const PARTS_ROWS = ['page', 'count', 'export'] as const;
const KINDS = ['view', 'cube', 'parts', 'compare-stats', 'compare-histograms', 'defect-verdicts'] as const;

export type QueryRequest =
  /** A view's spec (dashboard filter applied) in the time zone named: its buckets and labels are in it. */
  | { kind: 'view'; spec: ViewSpec; zone: string }
  /**
   * The rows of a view's pre-aggregated table (its partial aggregates per press and verdict), which
   * the device's engine loads instead of scanning the dataset to fill the table.
   */
  | { kind: 'cube'; spec: ViewSpec; zone: string }
  /** The parts behind a point: one page, how many there are, or all of them for a CSV. */
  | { kind: 'parts'; parts: PartsRequest; rows: (typeof PARTS_ROWS)[number] }
  /** Rejected vs accepted parts: each field's means and variances, then the top fields' histograms. */
  | { kind: 'compare-stats' | 'compare-histograms'; filters: ViewFilters; fields: string[] }
  /** How many parts got a verdict for each defect type (c0, c1, … in the order of the reject columns). */
  | { kind: 'defect-verdicts' };

/**
 * The shape of every request's rows as this pipeline builds them. A browser may run an app cached
 * from an older release against a newer server (or the reverse): answered anyway, it would draw the
 * new rows with its old reading of them. Raise this whenever a request's columns, or what they
 * hold, change; the server answers only requests of its own version.
 */
export const QUERY_ROWS_VERSION = 2;

/**
 * What the browser sends the server: the request, the dataset it shows and the rows version it reads
 * (the server refuses to answer for another dataset or version).
 */
export type ServerQueryRequest = QueryRequest & { sha256: string; rowsVersion: number };

/** The zone a request's SQL is built in — a view's, by name; UTC for the others — with its offsets over the dataset's range. */
export const requestZone = (request: QueryRequest, timeRange: QueryContext['timeRange']): TimeZone =>
  zoneOverRange(request.kind === 'view' || request.kind === 'cube' ? request.zone : UTC, timeRange);

/** The SQL of a request; `context.zone` must be `requestZone(request, …)`. */
export function requestSql(request: QueryRequest, context: QueryContext): { sql: string; params: SqlParam[] } {
  switch (request.kind) {
    case 'view': return viewSql(request.spec, context);
    case 'cube': {
      const cubed = viewCubeSql(request.spec, context);
      if (!cubed) throw new SpecError('this view has no pre-aggregated table');
      return { sql: cubed.cube.sql, params: cubed.cube.params };
    }
    case 'parts': {
      const query = partsSql(request.parts, context.columns);
      if (request.rows === 'count') return { sql: query.countSql, params: query.countParams };
      // All the parts in one statement: the page size and offset are its last two parameters.
      if (request.rows === 'export') return { sql: query.sql, params: [...query.params.slice(0, -2), PARTS_PAGE_SIZE * EXPORT_LIMIT_PAGES, 0] };
      return { sql: query.sql, params: query.params };
    }
    case 'compare-stats':
    case 'compare-histograms': {
      const comparable = comparableFields(context.columns);
      const unknown = request.fields.find((f) => !comparable.includes(f));
      if (unknown !== undefined) throw new SpecError(`"${unknown}" is not a machine-state number that can be compared`);
      return (request.kind === 'compare-stats' ? compareStatsSql : compareHistogramsSql)(request.filters, request.fields);
    }
    case 'defect-verdicts': {
      const flags = defectRejectColumns(context.columns);
      return { sql: `SELECT ${flags.length ? flags.map((f, i) => `count(${quoteIdentifier(f)})::DOUBLE AS c${i}`).join(', ') : '0 AS none'} FROM ${TABLE}`, params: [] };
    }
  }
}

/** The request's query over a pre-aggregated table, where it has one: views only (the browser's engine keeps the tables). */
export const requestCubeSql = (request: QueryRequest, context: QueryContext): ReturnType<typeof viewCubeSql> =>
  (request.kind === 'view' ? viewCubeSql(request.spec, context) : null);

/** A request from an untrusted body, checked against the dataset's columns; SpecError says what is wrong, in words. */
export function parseQueryRequest(body: unknown, columns: readonly ColumnInfo[]): QueryRequest {
  if (!isRecord(body)) throw new SpecError('the request must be a JSON object');
  const kind = oneOf(KINDS, body['kind'], 'kind');
  switch (kind) {
    case 'view':
    case 'cube': {
      const spec = parseViewSpec(body['spec']);
      checkSpecAgainstSchema(spec, columns);
      return { kind, spec, zone: typeof body['zone'] === 'string' && isKnownZone(body['zone']) ? body['zone'] : UTC };
    }
    case 'parts': {
      const parts = parsePartsRequest(body['parts']);
      checkFilters(parts.filters, columns);
      return { kind, parts, rows: oneOf(PARTS_ROWS, body['rows'], 'rows') };
    }
    case 'compare-stats':
    case 'compare-histograms': {
      const filters = parseViewFilters(body['filters']);
      const fields = body['fields'];
      if (!Array.isArray(fields) || fields.length > 200 || !fields.every((f) => typeof f === 'string')) throw new SpecError('fields must be a list of field names');
      checkFilters(filters, columns);
      return { kind, filters, fields: fields as string[] };
    }
    case 'defect-verdicts':
      return { kind };
  }
}

/** Filters name only fields the dataset has, checked as a view's are. */
const checkFilters = (filters: ViewFilters, columns: readonly ColumnInfo[]) =>
  checkSpecAgainstSchema({ title: '', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters }, columns);
