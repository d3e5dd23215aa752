// View spec → SQL over the attached pack. Field names are checked against the schema first and
// quoted; filter values never enter the SQL text: they are bound as parameters.
import type { ColumnInfo } from './columns.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from './filter-sql.js';
import {
  checkSpecAgainstSchema, DEFECT_REJECTED, SPLIT_COLUMNS, type Measure, type TimeBucket, type ViewSpec,
} from './view-spec.js';

export { quoteIdentifier, TABLE, type SqlParam } from './filter-sql.js';

export interface ViewQuery {
  sql: string;
  params: SqlParam[];
  /** What the x column holds: epoch milliseconds, a number (bin start) or a category label. */
  xKind: 'time' | 'number' | 'category';
  /** The time bucket actually used (resolved from `auto`). */
  bucket?: Exclude<TimeBucket, 'auto'>;
}

export interface QueryContext {
  columns: readonly ColumnInfo[];
  timeRange: { min: string | null; max: string | null };
}

/** At most this many time buckets in a line: more is noise on any screen. */
export const MAX_TIME_BUCKETS = 1500;
export const SCATTER_SAMPLE = 4000;
const DEFAULT_BINS = 30;
const BUCKET_SECONDS: Record<Exclude<TimeBucket, 'auto'>, number> = { minute: 60, hour: 3600, day: 86400, week: 604800 };
const BUCKET_INTERVAL: Record<Exclude<TimeBucket, 'auto'>, string> = {
  minute: "INTERVAL '1 minute'", hour: "INTERVAL '1 hour'", day: "INTERVAL '1 day'", week: "INTERVAL '7 days'",
};

export function chooseBucket(fromMs: number, toMs: number): Exclude<TimeBucket, 'auto'> {
  const spanSeconds = Math.max(0, toMs - fromMs) / 1000;
  const order = ['minute', 'hour', 'day', 'week'] as const;
  return order.find((b) => spanSeconds / BUCKET_SECONDS[b] <= MAX_TIME_BUCKETS) ?? 'week';
}

function aggregate(measure: Measure): string {
  if (measure.field === null) return 'count(*)';
  const f = quoteIdentifier(measure.field);
  const value = measure.field === DEFECT_REJECTED ? `${f}::INTEGER` : f;
  switch (measure.agg) {
    case 'count': return `count(${f})`;
    case 'avg': return `avg(${value})`;
    case 'min': return `min(${value})`;
    case 'max': return `max(${value})`;
    case 'sum': return `sum(${value})`;
    case 'median': return `median(${value})`;
    case 'p95': return `quantile_cont(${value}, 0.95)`;
    case 'stddev': return `stddev_samp(${value})`;
    case 'reject_rate': return `100.0 * avg(${f}::INTEGER)`;
  }
}

export function specToSql(spec: ViewSpec, context: QueryContext): ViewQuery {
  checkSpecAgainstSchema(spec, context.columns);
  const { conditions: where, params } = filtersToWhere(spec.filters);
  const { filters } = spec;
  const timestamp = quoteIdentifier('timestamp');

  // Columns the outer query reads; with the defect-type dimension they come through an UNPIVOT.
  const defectMode = spec.x.kind === 'defect_type' || spec.split === 'defect_type';
  const rejectFlags = defectMode ? defectRejectColumns(context.columns).map(quoteIdentifier).join(', ') : '';
  const needed = new Set<string>();
  if (spec.x.kind === 'time') needed.add('timestamp');
  if (spec.x.kind === 'field') needed.add(spec.x.field);
  for (const m of spec.y) if (m.field && m.field !== DEFECT_REJECTED) needed.add(m.field);
  if (spec.split !== 'none' && spec.split !== 'defect_type') needed.add(SPLIT_COLUMNS[spec.split]);
  const filtered = `SELECT ${[...needed].map(quoteIdentifier).join(', ') || '1 AS one'}` +
    `${defectMode ? `, ${rejectFlags}` : ''}` +
    ` FROM ${TABLE}${whereSql(where)}`;
  const source = defectMode
    ? `(UNPIVOT (${filtered}) ON ${rejectFlags} ` +
      `INTO NAME defect_column VALUE ${quoteIdentifier(DEFECT_REJECTED)})`
    : `(${filtered})`;

  const series = spec.split === 'none' ? null
    : spec.split === 'defect_type' ? `regexp_replace(defect_column, '_reject$', '')`
    : `${quoteIdentifier(SPLIT_COLUMNS[spec.split])}::VARCHAR`;
  const seriesSelect = series ? `, coalesce(${series}, '(none)') AS series` : '';
  const seriesGroup = series ? ', series' : '';

  if (spec.chart === 'scatter' && spec.x.kind === 'field') {
    const x = quoteIdentifier(spec.x.field);
    const y = quoteIdentifier(spec.y[0]!.field!);
    return {
      xKind: 'number', params,
      sql: `SELECT ${x}::DOUBLE AS x, ${y}::DOUBLE AS y0${seriesSelect} FROM ${source} AS src ` +
        `WHERE ${x} IS NOT NULL AND ${y} IS NOT NULL USING SAMPLE reservoir(${SCATTER_SAMPLE} ROWS) REPEATABLE (7)`,
    };
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
    const fits = (b: Exclude<TimeBucket, 'auto'>) => (toMs - fromMs) / 1000 / BUCKET_SECONDS[b] <= MAX_TIME_BUCKETS;
    bucket = spec.x.bucket !== 'auto' && fits(spec.x.bucket) ? spec.x.bucket : chooseBucket(fromMs, toMs);
    xSelect = `epoch_ms(time_bucket(${BUCKET_INTERVAL[bucket]}, ${timestamp}))::DOUBLE AS x`;
    xKind = 'time';
  } else if (spec.x.kind === 'defect_type') {
    xSelect = `regexp_replace(defect_column, '_reject$', '') AS x`;
    xKind = 'category';
  } else {
    const column = context.columns.find((c) => c.name === (spec.x as { field: string }).field)!;
    const field = quoteIdentifier(column.name);
    // Numbers are always binned: a category per distinct value would not fit any chart.
    if (column.type === 'DOUBLE' || column.type === 'BIGINT') {
      const bins = spec.x.bins ?? DEFAULT_BINS;
      binsCte = `WITH src AS ${source}, bounds AS (SELECT min(${field})::DOUBLE AS lo, ` +
        `greatest((max(${field})::DOUBLE - min(${field})::DOUBLE) / ${bins}, 1e-9) AS width FROM src) `;
      from = 'src, bounds';
      xSelect = `bounds.lo + least(floor((${field}::DOUBLE - bounds.lo) / bounds.width), ${bins - 1}) * bounds.width AS x`;
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
      xKind, bucket, params,
      sql: `${binsCte}SELECT * FROM (SELECT ${xSelect}${seriesSelect}, ${q} AS q FROM ${from} GROUP BY ALL)${xNotNull} ` +
        `ORDER BY x${seriesGroup} LIMIT 5000`,
    };
  }

  const measures = spec.chart === 'histogram' ? ['count(*)::DOUBLE AS y0']
    : spec.y.map((m, i) => `${aggregate(m)}::DOUBLE AS y${i}`);
  const order = spec.x.kind === 'defect_type' ? `y0 DESC NULLS LAST, x${seriesGroup}` : `x${seriesGroup}`;
  return {
    xKind, bucket, params,
    sql: `${binsCte}SELECT * FROM (SELECT ${xSelect}${seriesSelect}, ${measures.join(', ')} FROM ${from} GROUP BY ALL)` +
      `${xNotNull} ORDER BY ${order} LIMIT 20000`,
  };
}

export function defectRejectColumns(columns: readonly ColumnInfo[]): string[] {
  return columns.filter((c) => c.group === 'defect' && c.measure === 'reject' && c.type === 'BOOLEAN').map((c) => c.name);
}
