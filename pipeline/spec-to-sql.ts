// View spec → SQL over the attached pack. Field names are checked against the schema first and
// quoted; filter values never enter the SQL text: they are bound as parameters.
import { defectRejectFlags, type ColumnInfo } from './columns.js';
import { CUBE_KEY_SOURCES, cubeFilters, cubeKeyColumns, readCube, type CubeStatement } from './cube.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from './filter-sql.js';
import { combinePartials, combinesExactly, partialAggregate, type PartialAggregate } from './partial-aggregates.js';
import { UTC_ZONE, wallClockSql, type TimeZone } from './time-zone.js';
import {
  checkSpecAgainstSchema, countsPerDefectType, DEFECT_REJECTED, defectTypeOfFlag, SPLIT_COLUMNS, type TimeBucket, type ViewSpec,
} from './view-spec.js';

export { quoteIdentifier, TABLE, type SqlParam } from './filter-sql.js';
export type { CubeStatement } from './cube.js';

export type Bucket = Exclude<TimeBucket, 'auto'>;

export interface ViewQuery {
  sql: string;
  params: SqlParam[];
  /** What the x column holds: wall-clock milliseconds in `zone`, a number (bin start) or a category label. */
  xKind: 'time' | 'number' | 'category';
  /** The time bucket actually used (resolved from `auto`). */
  bucket?: Bucket;
  /** The zone time buckets and labels are in. */
  zone: TimeZone;
  /** The most rows a view shows; the SQL asks for one more, so a longer result says it was cut. */
  rowLimit: number;
  /** Set when `sql` reads a pre-aggregated table rather than the dataset. */
  cube?: CubeStatement;
}

export interface QueryContext {
  columns: readonly ColumnInfo[];
  timeRange: { min: string | null; max: string | null };
  /** UTC when not given. */
  zone?: TimeZone;
}

/** At most this many time buckets in a line: more is noise on any screen. */
export const MAX_TIME_BUCKETS = 1500;
export const SCATTER_SAMPLE = 4000;
const ROW_LIMIT = 20_000;
const BOXPLOT_LIMIT = 5000;
/** Roughly this many histogram bins; the width is then rounded to a nice number (1, 2, 2.5 or 5 × 10ⁿ). */
const DEFAULT_BINS = 30;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Width and start of each bucket in wall-clock milliseconds: shifts start at 06:00, 14:00 and 22:00, weeks on Monday (1970-01-05). */
export const BUCKETS: Record<Bucket, { ms: number; originMs: number }> = {
  minute: { ms: MINUTE_MS, originMs: 0 },
  hour: { ms: HOUR_MS, originMs: 0 },
  shift: { ms: 8 * HOUR_MS, originMs: 6 * HOUR_MS },
  day: { ms: DAY_MS, originMs: 0 },
  week: { ms: 7 * DAY_MS, originMs: 4 * DAY_MS },
};
const BUCKET_ORDER: readonly Bucket[] = ['minute', 'hour', 'shift', 'day', 'week'];

export function chooseBucket(fromMs: number, toMs: number): Bucket {
  const span = Math.max(0, toMs - fromMs);
  return BUCKET_ORDER.find((b) => span / BUCKETS[b].ms <= MAX_TIME_BUCKETS) ?? 'week';
}

/** The bucket a TIMESTAMP expression falls in, as wall-clock milliseconds of the bucket's start in the zone. */
export function bucketStartSql(timestamp: string, bucket: Bucket, zone: TimeZone): string {
  const { ms, originMs } = BUCKETS[bucket];
  return `(floor((${wallClockSql(timestamp, zone)} - ${originMs}) / ${ms}) * ${ms} + ${originMs})::DOUBLE`;
}

/** The smallest nice width (1, 2, 2.5 or 5 × 10ⁿ; whole for whole-number fields) at least `raw`, whose power of ten is `magnitude`. */
function niceWidthSql(raw: string, magnitude: string, wholeNumbers: boolean): string {
  const nice = `${magnitude} * CASE WHEN ${raw} / ${magnitude} <= 1 THEN 1 WHEN ${raw} / ${magnitude} <= 2 THEN 2 ` +
    `WHEN ${raw} / ${magnitude} <= 2.5 THEN 2.5 WHEN ${raw} / ${magnitude} <= 5 THEN 5 ELSE 10 END`;
  return wholeNumbers ? `greatest(1, ceil(${nice}))` : nice;
}

export function specToSql(spec: ViewSpec, context: QueryContext): ViewQuery {
  return buildViewSql(spec, context, false)!;
}

/**
 * The view's query over a pre-aggregated table (a data cube, as Mosaic builds them): the view's
 * groups and partial aggregates per press and verdict, under every other filter. Changing the press
 * or verdict filter then re-aggregates that small table instead of scanning the dataset again.
 * Null for views whose measures do not combine exactly (medians, percentiles) or that draw rows or
 * bins fitted to the filtered rows (scatter, box plot, numbers binned on x other than a histogram's,
 * histograms split by defect type).
 */
export function specToCubeSql(spec: ViewSpec, context: QueryContext): ViewQuery | null {
  return buildViewSql(spec, context, true);
}

function buildViewSql(spec: ViewSpec, context: QueryContext, cubed: boolean): ViewQuery | null {
  checkSpecAgainstSchema(spec, context.columns);
  if (cubed && spec.chart !== 'histogram' && !combinesExactly(spec.y)) return null;
  const zone = context.zone ?? UTC_ZONE;
  const { filters } = spec;
  const { conditions: where, params } = filtersToWhere(cubed ? cubeFilters(filters) : filters);

  // Columns the outer query reads. With the defect-type dimension only parts rejected for some defect
  // type count, and each counts once per defect type it was rejected for: aggregated views take one
  // scan with an aggregate per defect type (then turn those columns into rows), the others read rows
  // through an UNPIVOT of the flags. Either way a defect type that never got a verdict
  // (label_detection) does not appear at all.
  const defectMode = countsPerDefectType(spec);
  const defectFlags = defectMode ? defectRejectColumns(context.columns) : [];
  const rejectFlags = defectFlags.map(quoteIdentifier).join(', ');
  const needed = new Set<string>();
  if (spec.x.kind === 'time') needed.add('timestamp');
  if (spec.x.kind === 'field') needed.add(spec.x.field);
  for (const m of spec.y) if (m.field && m.field !== DEFECT_REJECTED) needed.add(m.field);
  const splitColumn = spec.split === 'none' || spec.split === 'defect_type' ? null : SPLIT_COLUMNS[spec.split];
  if (splitColumn) needed.add(splitColumn);
  if (cubed) for (const column of CUBE_KEY_SOURCES) needed.add(column);
  const filtered = `SELECT ${[...needed].map(quoteIdentifier).join(', ') || '1 AS one'}` +
    `${defectMode ? `, ${rejectFlags}` : ''}` +
    ` FROM ${TABLE}${whereSql(defectMode ? [...where, `(${defectFlags.map(quoteIdentifier).join(' OR ')})`] : where)}`;
  const unpivoted = spec.chart === 'scatter' || spec.chart === 'histogram' || spec.chart === 'boxplot';
  const source = defectMode && unpivoted
    ? `(SELECT * FROM (UNPIVOT (${filtered}) ON ${rejectFlags} INTO NAME defect_column VALUE ${quoteIdentifier(DEFECT_REJECTED)}) ` +
      `WHERE ${quoteIdentifier(DEFECT_REJECTED)})`
    : `(${filtered})`;

  const series = spec.split === 'defect_type' ? `regexp_replace(defect_column, '_reject$', '')`
    : splitColumn ? `${quoteIdentifier(splitColumn)}::VARCHAR` : null;
  const seriesColumn = series ? `coalesce(${series}, '(none)') AS series` : null;
  const seriesSelect = seriesColumn ? `, ${seriesColumn}` : '';
  const seriesGroup = series ? ', series' : '';

  // A cube keeps the view's groups (or, for a histogram, each distinct value) with partial aggregates
  // per press and verdict, filled with `params`; the query over it keeps the presses and verdict the
  // filter asks for, with parameters of its own (`queryParams`).
  let cube: ViewQuery['cube'];
  let queryParams = params;
  const fromCube = (partials: string): string => {
    const read = readCube(partials, params, filters);
    cube = read.cube;
    queryParams = read.params;
    return read.rows;
  };
  const keyColumns = cubed ? cubeKeyColumns() : [];
  // Scatter and box plots read rows, and numbers binned on x need bins fitted to the rows the filter
  // keeps; a histogram's cube keeps every distinct value, so its bins are fitted from the cube.
  const cubable = spec.chart === 'histogram' ? !defectMode : !unpivoted && !(spec.x.kind === 'field' && isBinned(context.columns, spec.x.field));
  if (cubed && !cubable) return null;

  if (spec.chart === 'scatter' && spec.x.kind === 'field') {
    const x = quoteIdentifier(spec.x.field);
    const y = quoteIdentifier(spec.y[0]!.field!);
    // Sampled from the rows where both fields are present; `total` says how many there were.
    return {
      xKind: 'number', params, zone, rowLimit: SCATTER_SAMPLE,
      sql: `WITH eligible AS MATERIALIZED (SELECT ${x}::DOUBLE AS x, ${y}::DOUBLE AS y0${seriesSelect} FROM ${source} AS src ` +
        `WHERE ${x} IS NOT NULL AND ${y} IS NOT NULL) ` +
        `SELECT *, (SELECT count(*) FROM eligible)::DOUBLE AS total FROM (SELECT * FROM eligible ` +
        `USING SAMPLE reservoir(${SCATTER_SAMPLE} ROWS) REPEATABLE (7))`,
    };
  }

  if (spec.chart === 'histogram' && spec.x.kind === 'field') {
    // Counted per distinct value, a cube is as exact as the rows: the bins are then fitted to the values the filter keeps.
    const kept = new Set([spec.x.field, ...(splitColumn ? [splitColumn] : [])]);
    const rows = cubed
      ? fromCube(`SELECT ${[...kept].map(quoteIdentifier).join(', ')}, ${keyColumns.join(', ')}, count(*) AS weight FROM ${source} GROUP BY ALL`)
      : source;
    return { ...histogramSql(spec.x, spec, context, rows, series, queryParams, zone, cubed ? 'sum(weight)' : 'count(*)'), ...(cube ? { cube } : {}) };
  }

  let xSelect: string;
  let xKind: ViewQuery['xKind'];
  let bucket: ViewQuery['bucket'];
  let binsCte = '';
  let from = `${source} AS src`;
  if (spec.x.kind === 'time') {
    const fromMs = Date.parse(filters.from ?? context.timeRange.min ?? '1970-01-01T00:00:00Z');
    const toMs = Date.parse(filters.to ?? context.timeRange.max ?? '1970-01-01T00:00:00Z');
    // A bucket too fine for the range is coarsened; the axis label names the bucket actually used.
    const fits = (b: Bucket) => (toMs - fromMs) / BUCKETS[b].ms <= MAX_TIME_BUCKETS;
    bucket = spec.x.bucket !== 'auto' && fits(spec.x.bucket) ? spec.x.bucket : chooseBucket(fromMs, toMs);
    xSelect = `${bucketStartSql(quoteIdentifier('timestamp'), bucket, zone)} AS x`;
    xKind = 'time';
  } else if (spec.x.kind === 'defect_type') {
    xSelect = `regexp_replace(defect_column, '_reject$', '') AS x`; // for boxplots; aggregated views name the type below
    xKind = 'category';
  } else {
    const column = context.columns.find((c) => c.name === (spec.x as { field: string }).field)!;
    const field = quoteIdentifier(column.name);
    if (isBinned(context.columns, column.name)) {
      const bins = binGrid(field, spec.x.bins ?? DEFAULT_BINS, column.type === 'BIGINT');
      binsCte = `WITH src AS MATERIALIZED ${source}, ${bins.ctes} `;
      from = 'src, grid';
      xSelect = `${bins.binStart} AS x`;
      xKind = 'number';
    } else {
      xSelect = `${field}::VARCHAR AS x`;
      xKind = 'category';
    }
  }
  const xNotNull = xKind === 'category' ? '' : ' WHERE x IS NOT NULL';

  if (spec.chart === 'boxplot') {
    const y = quoteIdentifier(spec.y[0]!.field!);
    const q = `quantile_cont(${y}::DOUBLE, [0, 0.25, 0.5, 0.75, 1])`;
    return {
      xKind, bucket, params, zone, rowLimit: BOXPLOT_LIMIT,
      sql: `${binsCte}SELECT * FROM (SELECT ${xSelect}${seriesSelect}, ${q} AS q FROM ${from} GROUP BY ALL)${xNotNull} ` +
        `ORDER BY x${seriesGroup} LIMIT ${BOXPLOT_LIMIT + 1}`,
    };
  }

  // Aggregated in two steps (partial aggregates per group, then their combination), so a cube's
  // table is the first step with the press and verdict as keys, and every view has one definition.
  const aggregated = (keys: string[], keyNames: string[], measures: { name: string; parts: PartialAggregate }[]): string => {
    const partials = `SELECT ${[...keys, ...keyColumns, ...measures.flatMap((m) => m.parts.partials)].join(', ')} FROM ${from} GROUP BY ALL`;
    return combinePartials(cubed ? fromCube(partials) : `(${partials})`, keyNames, measures);
  };

  // Defect types are ranked by their total over every series, so a stacked bar's order is its height's.
  const order = spec.x.kind === 'defect_type' ? `sum(y0) OVER (PARTITION BY x) DESC NULLS LAST, x${seriesGroup}` : `x${seriesGroup}`;
  const grouped = defectMode
    ? perDefectType(spec, context.columns, defectFlags, aggregated, spec.x.kind === 'defect_type'
      ? { defectIn: 'x', others: seriesColumn ? [seriesColumn] : [] } : { defectIn: 'series', others: [xSelect] }, cubed)
    : aggregated([xSelect, ...(seriesColumn ? [seriesColumn] : [])], ['x', ...(series ? ['series'] : [])],
      spec.y.map((m, i) => ({ name: `y${i}`, parts: partialAggregate(m, context.columns, `y${i}`, undefined, cubed) })));
  return {
    xKind, bucket, params: queryParams, zone, rowLimit: ROW_LIMIT, ...(cube ? { cube } : {}),
    sql: `${binsCte}SELECT * FROM (${grouped})${xNotNull} ORDER BY ${order} LIMIT ${ROW_LIMIT + 1}`,
  };
}

/** Numbers on x are always binned: a category per distinct value would not fit any chart. */
const isBinned = (columns: readonly ColumnInfo[], field: string): boolean => {
  const type = columns.find((c) => c.name === field)?.type;
  return type === 'DOUBLE' || type === 'BIGINT';
};

/**
 * The measures per defect type in one scan: per group of x and series (whichever is not the defect
 * type), each defect type's part count and measures as columns, aggregated over the parts rejected
 * for it; then one row per defect type that has such parts, the type named in x or series.
 */
function perDefectType(spec: ViewSpec, columns: readonly ColumnInfo[], flags: readonly string[],
  aggregated: (keys: string[], keyNames: string[], measures: { name: string; parts: PartialAggregate }[]) => string,
  groups: { defectIn: 'x' | 'series'; others: string[] }, everyKind: boolean): string {
  const measures = spec.y.map((_, i) => `y${i}`);
  const perType = flags.flatMap((flag, k) => [{ name: `n_${k}`, parts: partialAggregate({ field: null, agg: 'count' }, columns, `n_${k}`, flag) },
    ...spec.y.map((m, i) => ({ name: `y${i}_${k}`, parts: partialAggregate(m, columns, `y${i}_${k}`, flag, everyKind) }))]);
  const otherNames = groups.defectIn === 'x' ? (groups.others.length ? ['series'] : []) : ['x'];
  const wide = aggregated(groups.others, otherNames, perType);
  const types = flags.map((flag, k) => `(${[`n_${k}`, ...measures.map((y) => `${y}_${k}`)].join(', ')}) AS ${quoteIdentifier(defectTypeOfFlag(flag))}`);
  const keys = groups.defectIn === 'x' ? `defect_type AS x${groups.others.length ? ', series' : ''}` : 'x, defect_type AS series';
  return `SELECT ${keys}, ${measures.join(', ')} FROM (UNPIVOT (${wide}) ON ${types.join(', ')} ` +
    `INTO NAME defect_type VALUE n, ${measures.join(', ')}) WHERE n > 0`;
}

// CTEs that are read twice are MATERIALIZED: DuckDB 1.4 (also inside DuckDB-WASM 1.32) fails with an
// internal error, and invalidates the database, when a CTE holding bound parameters is inlined twice.

/**
 * Bins of a nice width over a field's range in `src`: `grid` holds the first bin's index (`base`,
 * in widths from zero), the width `w` and the bin count `n`; `binStart` is a row's bin start.
 */
function binGrid(field: string, bins: number, wholeNumbers: boolean): { ctes: string; binStart: string; binIndex: string } {
  const value = `${field}::DOUBLE`;
  return {
    ctes: `stats AS (SELECT min(${value}) AS lo, max(${value}) AS hi FROM src), ` +
      // The raw width and its power of ten are columns of their own, not expressions written out
      // where each is used: planning the query took a third longer with them repeated.
      `widths AS (SELECT lo, hi, ${niceWidthSql('raw', 'magnitude', wholeNumbers)} AS w FROM (SELECT lo, hi, raw, pow(10, floor(log10(raw))) AS magnitude ` +
      `FROM (SELECT lo, hi, CASE WHEN hi > lo THEN (hi - lo) / ${bins} ELSE 1 END AS raw FROM stats WHERE lo IS NOT NULL))), ` +
      `grid AS (SELECT floor(lo / w)::BIGINT AS base, w, (floor(hi / w)::BIGINT - floor(lo / w)::BIGINT + 1) AS n FROM widths)`,
    binIndex: `(floor(${value} / grid.w)::BIGINT - grid.base)`,
    binStart: `(floor(${value} / grid.w) * grid.w)`,
  };
}

/** A histogram: every bin of the grid, empty ones included (count 0), per series when split. */
function histogramSql(x: { field: string; bins?: number }, spec: ViewSpec, context: QueryContext, source: string,
  series: string | null, params: SqlParam[], zone: TimeZone, count: 'count(*)' | 'sum(weight)'): ViewQuery {
  const column = context.columns.find((c) => c.name === x.field)!;
  const field = quoteIdentifier(column.name);
  const grid = binGrid(field, x.bins ?? DEFAULT_BINS, column.type === 'BIGINT');
  const seriesSelect = series ? `, coalesce(${series}, '(none)') AS series` : '';
  const allSeries = series ? ' CROSS JOIN (SELECT DISTINCT series FROM counted) AS s' : '';
  return {
    xKind: 'number', params, zone, rowLimit: ROW_LIMIT,
    sql: `WITH src AS MATERIALIZED ${source}, ${grid.ctes}, ` +
      `counted AS (SELECT ${grid.binIndex} AS k${seriesSelect}, ${count} AS c FROM src, grid WHERE ${field} IS NOT NULL GROUP BY ALL), ` +
      `slots AS (SELECT unnest(range(n)) AS k, base, w FROM grid) ` +
      `SELECT ((slots.base + slots.k) * slots.w)::DOUBLE AS x, slots.w::DOUBLE AS w${series ? ', s.series' : ''}, ` +
      `coalesce(counted.c, 0)::DOUBLE AS y0 FROM slots${allSeries} ` +
      `LEFT JOIN counted ON counted.k = slots.k${series ? ' AND counted.series = s.series' : ''} ` +
      `ORDER BY x${series ? ', s.series' : ''} LIMIT ${ROW_LIMIT + 1}`,
  };
}

export const defectRejectColumns = (columns: readonly ColumnInfo[]): string[] => defectRejectFlags(columns).map((c) => c.name);
