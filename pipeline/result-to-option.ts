// Arrow result → ECharts option and → table rows. Pure: the same result always draws the same chart.
import type { EChartsCoreOption } from 'echarts/core';
import type { ViewQuery } from './spec-to-sql.js';
import { describeMeasure, SPLIT_LABELS, type ViewSpec } from './view-spec.js';

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

export function formatTime(ms: number, bucket: ViewQuery['bucket']): string {
  const iso = new Date(ms).toISOString();
  return bucket === 'day' || bucket === 'week' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 0.001 || abs >= 1e7) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

function xLabel(spec: ViewSpec, query: ViewQuery): string {
  if (spec.x.kind === 'time') return `Time (UTC, per ${query.bucket})`;
  if (spec.x.kind === 'defect_type') return 'Defect type';
  return spec.x.field;
}

interface Rows {
  x: unknown[];
  series: string[] | null;
  measures: (number | null)[][];
  quantiles: number[][] | null;
}

function readRows(table: ResultTable, measureCount: number): Rows {
  const names = new Set(table.schema.fields.map((f) => f.name));
  const column = (name: string) => table.getChild(name)!;
  const read = <T>(name: string, map: (v: unknown) => T): T[] => {
    const c = column(name);
    return Array.from({ length: table.numRows }, (_, i) => map(c.get(i)));
  };
  const measures: (number | null)[][] = [];
  for (let i = 0; i < measureCount && names.has(`y${i}`); i++) measures.push(read(`y${i}`, toNumber));
  return {
    x: read('x', (v) => v),
    series: names.has('series') ? read('series', toLabel) : null,
    measures,
    quantiles: names.has('q') ? read('q', (v) => Array.from(v as ArrayLike<number>, Number)) : null,
  };
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
  const rows = readRows(table, measureLabels.length);
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

export function resultToOption(spec: ViewSpec, query: ViewQuery, table: ResultTable): EChartsCoreOption {
  const rows = readRows(table, spec.y.length);
  const seriesNames = rows.series ? distinct(rows.series) : [null];
  const multiSeries = seriesNames.length > 1 || spec.y.length > 1;
  const base = {
    backgroundColor: 'transparent',
    animation: table.numRows < 2000,
    grid: { left: 8, right: 16, top: multiSeries ? 40 : 16, bottom: 8, containLabel: true },
    legend: multiSeries ? { type: 'scroll', top: 0 } : undefined,
    tooltip: { trigger: spec.chart === 'scatter' || spec.chart === 'heatmap' ? 'item' : 'axis', confine: true },
  };
  const name = (series: string | null, measureIndex: number) => [series, spec.y.length > 1 || !series ? describeMeasure(spec.y[measureIndex]!) : null]
    .filter(Boolean).join(' · ');
  const rowsOf = (series: string | null) => rows.x.map((_, i) => i).filter((i) => series === null || rows.series![i] === series);

  if (spec.chart === 'scatter') {
    return {
      ...base,
      xAxis: { type: 'value', name: xLabel(spec, query), nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', scale: true },
      series: seriesNames.map((s) => ({
        type: 'scatter', name: s ?? spec.y[0]!.field, symbolSize: 5, large: true,
        data: rowsOf(s).map((i) => [toNumber(rows.x[i]), rows.measures[0]![i]]),
      })),
    };
  }

  if (spec.chart === 'line' && query.xKind === 'time') {
    return {
      ...base,
      xAxis: { type: 'time' },
      yAxis: { type: 'value', scale: true },
      dataZoom: [{ type: 'inside' }],
      series: seriesNames.flatMap((s) => spec.y.map((_, m) => ({
        type: 'line', name: name(s, m), showSymbol: false, connectNulls: false,
        data: rowsOf(s).map((i) => [Number(rows.x[i]), rows.measures[m]![i]]),
      }))),
    };
  }

  const categories = distinct(rows.x.map((x) => xCell(x, query)).map((c) => (typeof c === 'number' ? formatNumber(c) : toLabel(c))));
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const categoryOf = (i: number) => {
    const c = xCell(rows.x[i], query);
    return categoryIndex.get(typeof c === 'number' ? formatNumber(c) : toLabel(c))!;
  };
  const xAxis = { type: 'category', data: categories, axisLabel: { hideOverlap: true, rotate: categories.length > 8 ? 30 : 0 } };

  if (spec.chart === 'heatmap') {
    const ys = seriesNames.map((s) => s ?? '');
    const data = rows.x.map((_, i) => [categoryOf(i), ys.indexOf(rows.series![i]!), rows.measures[0]![i]]);
    const values = rows.measures[0]!.filter((v): v is number => v !== null);
    return {
      ...base,
      grid: { ...base.grid, bottom: 48 },
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
        const data: (number[] | null)[] = categories.map(() => null);
        for (const i of rowsOf(s)) data[categoryOf(i)] = rows.quantiles![i]!;
        return { type: 'boxplot', name: s ?? spec.y[0]!.field, data };
      }),
    };
  }

  const measureCount = spec.chart === 'histogram' ? 1 : spec.y.length;
  return {
    ...base,
    xAxis, yAxis: { type: 'value' },
    dataZoom: categories.length > 60 ? [{ type: 'inside' }] : undefined,
    series: seriesNames.flatMap((s) => Array.from({ length: measureCount }, (_, m) => {
      const data: (number | null)[] = categories.map(() => null);
      for (const i of rowsOf(s)) data[categoryOf(i)] = rows.measures[m]![i]!;
      return spec.chart === 'line'
        ? { type: 'line', name: name(s, m), data, showSymbol: categories.length < 50 }
        : { type: 'bar', name: name(s, m), data, stack: `m${m}`, barCategoryGap: spec.chart === 'histogram' ? '2%' : '20%' };
    })),
  };
}
