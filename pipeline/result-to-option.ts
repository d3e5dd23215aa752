// Arrow result → ECharts option and → table rows. Pure: the same result always draws the same chart.
import type { EChartsCoreOption } from 'echarts/core';
import { plotArea } from './plot-area.js';
import { columnValues } from './result-columns.js';
import { BUCKETS, type Bucket, type ViewQuery } from './spec-to-sql.js';
import { formatWallClock } from './time-zone.js';
import { describeMeasure, isAdditive, SPLIT_LABELS, type ViewSpec } from './view-spec.js';

/** The part of an Arrow Table these functions read (an apache-arrow Table satisfies it). */
export interface ResultTable {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChild(name: string): { get(index: number): unknown } | null;
}

export type Cell = string | number | null;

export interface TableData {
  columns: string[];
  rows: Cell[][];
}

const toNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const toLabel = (v: unknown): string => (v === null || v === undefined ? '(none)' : String(v));

/** A bucket's start (wall-clock milliseconds) as the table and category axes show it. */
export const formatTime = (wallMs: number, bucket: Bucket | undefined): string =>
  formatWallClock(wallMs, bucket === 'day' || bucket === 'week' ? 'day' : 'minute');

export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 0.001 || abs >= 1e7) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

/** The x axis's name under its labels (`gap` px below the axis line): what it is, and for time its zone and bucket. */
const xAxisName = (spec: ViewSpec, query: ViewQuery, gap = 28) => ({ name: xLabel(spec, query), nameLocation: 'middle', nameGap: gap });

function xLabel(spec: ViewSpec, query: ViewQuery): string {
  if (spec.x.kind === 'time') return `Time (${query.zone.name}, per ${query.bucket})`;
  if (spec.x.kind === 'defect_type') return 'Defect type';
  return spec.x.field;
}

interface Rows {
  x: unknown[];
  series: string[] | null;
  measures: (number | null)[][];
  quantiles: number[][] | null;
  /** Histograms: each bin's width. */
  widths: number[] | null;
}

/** The rows a view shows: the query asks for one row over its limit only to tell that it was cut. */
const shownRows = (query: ViewQuery, table: ResultTable) => Math.min(table.numRows, query.rowLimit);

function readRows(query: ViewQuery, table: ResultTable, measureCount: number): Rows {
  const names = new Set(table.schema.fields.map((f) => f.name));
  const length = shownRows(query, table);
  const read = <T>(name: string, map: (v: unknown) => T): T[] => columnValues(table, name, length).map(map);
  const measures: (number | null)[][] = [];
  for (let i = 0; i < measureCount && names.has(`y${i}`); i++) measures.push(read(`y${i}`, toNumber));
  return {
    x: read('x', (v) => v),
    series: names.has('series') ? read('series', toLabel) : null,
    measures,
    quantiles: names.has('q') ? read('q', (v) => Array.from(v as ArrayLike<number>, Number)) : null,
    widths: names.has('w') ? read('w', Number) : null,
  };
}

/** When a result was cut at its row limit: how many rows are shown, and of how many when known. */
export function resultCut(query: ViewQuery, table: ResultTable): { shown: number; total: number | null } | null {
  const total = table.getChild('total');
  if (total) {
    const all = table.numRows ? Number(total.get(0)) : 0;
    return all > table.numRows ? { shown: table.numRows, total: all } : null;
  }
  return table.numRows > query.rowLimit ? { shown: query.rowLimit, total: null } : null;
}

/** The x value as the chart and the table show it. */
function xCell(value: unknown, query: ViewQuery): Cell {
  if (value === null || value === undefined) return null;
  if (query.xKind === 'time') return formatTime(Number(value), query.bucket);
  if (query.xKind === 'number') return Number(value);
  return String(value);
}

export function resultToTable(spec: ViewSpec, query: ViewQuery, table: ResultTable): TableData {
  const measureLabels = spec.chart === 'histogram' ? ['Count'] : spec.chart === 'boxplot'
    ? ['Minimum', 'Q1', 'Median', 'Q3', 'Maximum'].map((q) => `${q} of ${spec.y[0]!.field}`)
    : spec.chart === 'scatter' ? [spec.y[0]!.field!] : spec.y.map(describeMeasure);
  const rows = readRows(query, table, measureLabels.length);
  const columns = [spec.chart === 'histogram' ? `${xLabel(spec, query)} (bin start)` : xLabel(spec, query),
    ...(rows.series ? [SPLIT_LABELS[spec.split]] : []), ...measureLabels];
  const body = rows.x.map((x, i): Cell[] => [
    spec.chart === 'scatter' ? toNumber(x) : xCell(x, query),
    ...(rows.series ? [rows.series[i]!] : []),
    ...(rows.quantiles ? rows.quantiles[i]! : rows.measures.map((m) => m[i]!)),
  ]);
  return { columns, rows: body };
}

export function tableToCsv(data: TableData): string {
  const escape = (cell: Cell) => {
    const text = cell === null ? '' : String(cell);
    return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [data.columns, ...data.rows].map((row) => row.map(escape).join(',')).join('\r\n') + '\r\n';
}

/** Distinct values in first-seen order. */
const distinct = <T>(values: T[]): T[] => [...new Set(values)];

/** A category axis: one label per distinct x (in result order), the raw x behind each, and each row's category. */
function categoryAxis(xs: unknown[], query: ViewQuery): { labels: string[]; values: unknown[]; indexOfRow: (row: number) => number } {
  const label = (x: unknown) => {
    const c = xCell(x, query);
    return typeof c === 'number' ? formatNumber(c) : toLabel(c);
  };
  const rowLabels = xs.map(label);
  const index = new Map<string, number>();
  const values: unknown[] = [];
  rowLabels.forEach((l, row) => {
    if (index.has(l)) return;
    index.set(l, values.length);
    values.push(xs[row]);
  });
  return { labels: [...index.keys()], values, indexOfRow: (row) => index.get(rowLabels[row]!)! };
}

/** What a click on a chart hit: the raw x (wall-clock ms, bin start or category) and the series, as far as they apply. */
export interface ChartPoint {
  x?: unknown;
  /** Histograms: the bin's width, so the point stands for [x, x + width). */
  width?: number;
  series?: string | null;
}

/** The point behind an ECharts click (`dataIndex`, `seriesId`, the data item) on a chart this module drew. */
export function pointOfClick(spec: ViewSpec, query: ViewQuery, table: ResultTable,
  click: { dataIndex: number; seriesId?: string; data?: unknown }): ChartPoint {
  const rows = readRows(query, table, spec.y.length);
  const series = click.seriesId ? seriesOfId(click.seriesId) : undefined;
  if (spec.chart === 'heatmap') {
    const [xi, yi] = click.data as [number, number];
    return { x: categoryAxis(rows.x, query).values[xi], series: distinct(rows.series ?? [])[yi] ?? null };
  }
  if (spec.chart === 'scatter') return { series };
  if (spec.chart === 'line' && query.xKind === 'time') {
    // Anywhere in a bucket stands for the bucket.
    const [x] = click.data as [number];
    const { ms, originMs } = BUCKETS[query.bucket!];
    return { x: Math.floor((x - originMs) / ms) * ms + originMs, series };
  }
  if (spec.chart === 'histogram') {
    const [center] = click.data as [number];
    const width = rows.widths?.[0] ?? 0;
    return { x: center - width / 2, width, series };
  }
  return { x: categoryAxis(rows.x, query).values[click.dataIndex], series };
}

/**
 * A series' values per time bucket as [time, value] points, with a null where buckets are missing,
 * so the line breaks at a gap instead of bridging it. Buckets are wall-clock, so a day is always 24 h.
 */
function withGaps(points: [number, number | null][], bucket: Bucket): [number, number | null][] {
  const step = BUCKETS[bucket].ms;
  return points.flatMap((point, i) => (i > 0 && point[0] - points[i - 1]![0] > step ? [[points[i - 1]![0] + step, null], point] : [point]));
}

/** A series' id carries its split value, so a click or a legend item can say which press or defect it was. */
export const seriesId = (series: string | null, measureIndex: number): string => JSON.stringify([series, measureIndex]);
export const seriesOfId = (id: string): string | null => (JSON.parse(id) as [string | null, number])[0];

export function resultToOption(spec: ViewSpec, query: ViewQuery, table: ResultTable): EChartsCoreOption {
  const rows = readRows(query, table, spec.y.length);
  const seriesNames = rows.series ? distinct(rows.series) : [null];
  const multiSeries = seriesNames.length > 1 || spec.y.length > 1;
  const margins = { left: 8, right: 16, top: multiSeries ? 40 : 16, bottom: 8 };
  const base = {
    backgroundColor: 'transparent',
    // Times are wall-clock milliseconds in the chosen zone: shown as they are, never converted again.
    useUTC: true,
    animation: false,
    grid: plotArea(margins),
    legend: multiSeries ? { type: 'scroll', top: 0 } : undefined,
    tooltip: { trigger: spec.chart === 'scatter' || spec.chart === 'heatmap' ? 'item' : 'axis', confine: true,
      valueFormatter: (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v ?? '')) },
  };
  const name = (series: string | null, measureIndex: number) => [series, spec.y.length > 1 || !series ? describeMeasure(spec.y[measureIndex]!) : null]
    .filter(Boolean).join(' · ');
  const rowsOf = (series: string | null) => rows.x.map((_, i) => i).filter((i) => series === null || rows.series![i] === series);

  if (spec.chart === 'scatter') {
    return {
      ...base,
      xAxis: { type: 'value', ...xAxisName(spec, query), scale: true },
      yAxis: { type: 'value', scale: true },
      series: seriesNames.map((s) => ({
        type: 'scatter', id: seriesId(s, 0), name: s ?? spec.y[0]!.field, symbolSize: 5, large: true,
        data: rowsOf(s).map((i) => [toNumber(rows.x[i]), rows.measures[0]![i]]),
      })),
    };
  }

  if (spec.chart === 'line' && query.xKind === 'time') {
    return {
      ...base,
      xAxis: { type: 'time', ...xAxisName(spec, query) },
      yAxis: { type: 'value', scale: true },
      // Wheel and pinch zoom only: a drag brushes a time range.
      dataZoom: [{ type: 'inside', moveOnMouseMove: false }],
      series: seriesNames.flatMap((s) => spec.y.map((_, m) => ({
        type: 'line', id: seriesId(s, m), name: name(s, m), showSymbol: false, connectNulls: false,
        data: withGaps(rowsOf(s).map((i): [number, number | null] => [Number(rows.x[i]), rows.measures[m]![i]!]), query.bucket!),
      }))),
    };
  }

  if (spec.chart === 'histogram') {
    // Bins on a value axis, centred in their bins, empty ones drawn as nothing: a gap in the data stays a gap.
    const width = rows.widths?.[0] ?? 1;
    const edges = rows.x.map(Number);
    return {
      ...base,
      xAxis: { type: 'value', ...xAxisName(spec, query), min: Math.min(...edges), max: Math.max(...edges) + width,
        axisLabel: { hideOverlap: true, formatter: (v: number) => formatNumber(v) } },
      yAxis: { type: 'value' },
      series: seriesNames.map((s) => ({
        type: 'bar', id: seriesId(s, 0), name: s ?? 'Count', stack: 'count', barCategoryGap: '4%',
        data: rowsOf(s).map((i) => [Number(rows.x[i]) + width / 2, rows.measures[0]![i]]),
      })),
      tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
        formatter: (items: { value: [number, number]; seriesName: string }[]) => {
          const start = items[0] ? items[0].value[0] - width / 2 : 0;
          return [`${xLabel(spec, query)} ${formatNumber(start)} – ${formatNumber(start + width)}`,
            ...items.map((item) => `${item.seriesName}: ${formatNumber(item.value[1])}`)].join('<br>');
        } },
    };
  }

  const { labels: categories, indexOfRow: categoryOf } = categoryAxis(rows.x, query);
  // Labels slant when there are many; the axis name then goes below the longest (≈ 3.3 px per character at 30°).
  const rotate = categories.length > 8 ? 30 : 0;
  const slant = rotate ? Math.ceil(Math.max(0, ...categories.map((c) => String(c).length)) * 3.3) : 0;
  const xAxis = { type: 'category', data: categories, ...xAxisName(spec, query, slant ? 16 + slant : 28), axisLabel: { hideOverlap: true, rotate } };

  if (spec.chart === 'heatmap') {
    const ys = seriesNames.map((s) => s ?? '');
    const data = rows.x.map((_, i) => [categoryOf(i), ys.indexOf(rows.series![i]!), rows.measures[0]![i]]);
    const values = rows.measures[0]!.filter((v): v is number => v !== null);
    return {
      ...base,
      // The colour scale under the axis name.
      grid: plotArea({ ...margins, bottom: 100 }),
      legend: undefined,
      xAxis, yAxis: { type: 'category', data: ys },
      visualMap: { min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1,
        calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
      series: [{ type: 'heatmap', name: describeMeasure(spec.y[0]!), data }],
    };
  }

  if (spec.chart === 'boxplot') {
    return {
      ...base,
      xAxis, yAxis: { type: 'value', scale: true },
      series: seriesNames.map((s) => {
        // '-' is ECharts' empty item: a box plot throws on null (a category one series lacks).
        const data: (number[] | '-')[] = categories.map(() => '-');
        for (const i of rowsOf(s)) data[categoryOf(i)] = rows.quantiles![i]!;
        return { type: 'boxplot', id: seriesId(s, 0), name: s ?? spec.y[0]!.field, data };
      }),
    };
  }

  const measureCount = spec.y.length;
  // Only what adds up is stacked; averages, rates, percentiles and extremes stand side by side.
  const stack = spec.y.every(isAdditive);
  return {
    ...base,
    xAxis, yAxis: { type: 'value' },
    dataZoom: categories.length > 60 ? [{ type: 'inside' }] : undefined,
    series: seriesNames.flatMap((s) => Array.from({ length: measureCount }, (_, m) => {
      const data: (number | null)[] = categories.map(() => null);
      for (const i of rowsOf(s)) data[categoryOf(i)] = rows.measures[m]![i]!;
      return spec.chart === 'line'
        ? { type: 'line', id: seriesId(s, m), name: name(s, m), data, showSymbol: categories.length < 50 }
        : { type: 'bar', id: seriesId(s, m), name: name(s, m), data, ...(stack ? { stack: `m${m}` } : {}), barCategoryGap: '20%' };
    })),
  };
}
