// A view is a typed spec; everything a chart shows follows from it. Specs also arrive from shared
// URLs, so `parseViewSpec` checks the shape of untrusted input and `checkSpecAgainstSchema` checks
// every field name against the dataset's columns.
import { defaultParameter, isNumeric, type ColumnInfo } from './columns.js';
import type { DatasetMetadata, MachineSummary } from './dataset-metadata.js';
import { SpecError } from './spec-error.js';
import { isoTime, isRecord, oneOf, optionalNumber } from './spec-values.js';
import {
  checkQualitySpec, isQualityChart, measuredField, parseQualityOptions, QUALITY_CHART_LABELS, QUALITY_CHART_TYPES, qualitySplitsByPress,
  type QualityOptions,
} from './quality/quality-spec.js';

export const CHART_TYPES = ['line', 'bar', 'scatter', 'heatmap', 'histogram', 'boxplot', ...QUALITY_CHART_TYPES] as const;
export const AGGREGATIONS = ['count', 'avg', 'min', 'max', 'sum', 'median', 'p95', 'stddev', 'share_true', 'reject_rate'] as const;
export const TIME_BUCKETS = ['auto', 'minute', 'hour', 'shift', 'day', 'week'] as const;
export const SPLITS = ['none', 'press', 'reject', 'version', 'defect_type'] as const;

export type ChartType = (typeof CHART_TYPES)[number];
export type Aggregation = (typeof AGGREGATIONS)[number];
export type TimeBucket = (typeof TIME_BUCKETS)[number];
export type Split = (typeof SPLITS)[number];

export type XAxis =
  | { kind: 'time'; bucket: TimeBucket }
  | { kind: 'field'; field: string; bins?: number }
  | { kind: 'defect_type' };

/** One y value: an aggregation over a field (`null` counts rows). */
export interface Measure {
  field: string | null;
  agg: Aggregation;
}

export interface NumericRange {
  field: string;
  min?: number;
  max?: number;
}

export interface ViewFilters {
  from?: string;
  to?: string;
  presses?: string[];
  reject?: boolean;
  /** Defect types (`flash`): only parts rejected for every one listed. */
  defects?: string[];
  ranges?: NumericRange[];
}

export interface ViewSpec {
  title: string;
  chart: ChartType;
  x: XAxis;
  y: Measure[];
  split: Split;
  filters: ViewFilters;
  /** Quality views only: subgroups, baseline, run rules, Top N, spec limits. */
  quality?: QualityOptions;
}

/** Virtual field of the defect-type dimension: whether the part was rejected for that defect. */
export const DEFECT_REJECTED = 'defect_rejected';

export const CHART_LABELS: Record<ChartType, string> = {
  line: 'Line', bar: 'Bar', scatter: 'Scatter', heatmap: 'Heatmap', histogram: 'Histogram', boxplot: 'Box plot',
  ...QUALITY_CHART_LABELS,
};
export const AGGREGATION_LABELS: Record<Aggregation, string> = {
  count: 'Count', avg: 'Average', min: 'Minimum', max: 'Maximum', sum: 'Sum', median: 'Median', p95: '95th percentile',
  stddev: 'Std deviation', share_true: 'Share true %', reject_rate: 'Reject rate %',
};
export const SPLIT_LABELS: Record<Split, string> = {
  none: 'No split', press: 'Press', reject: 'Reject verdict', version: 'Version', defect_type: 'Defect type',
};

export { SpecError } from './spec-error.js';

const fieldName = (v: unknown, what: string): string => {
  if (typeof v === 'string' && v.length > 0 && v.length <= 200) return v;
  throw new SpecError(`${what} must be a field name`);
};

/** Validates the shape of an untrusted spec (from a URL or storage) and returns a clean copy. */
export function parseViewSpec(input: unknown): ViewSpec {
  if (!isRecord(input)) throw new SpecError('a view must be an object');
  const x = input['x'];
  if (!isRecord(x)) throw new SpecError('x must be an object');
  const kind = oneOf(['time', 'field', 'defect_type'] as const, x['kind'], 'x.kind');
  const xAxis: XAxis = kind === 'time' ? { kind, bucket: oneOf(TIME_BUCKETS, x['bucket'] ?? 'auto', 'x.bucket') }
    : kind === 'field' ? { kind, field: fieldName(x['field'], 'x.field'), ...binsOf(x['bins']) }
    : { kind };
  const y = input['y'];
  if (!Array.isArray(y) || y.length === 0 || y.length > 8) throw new SpecError('y must list 1 to 8 measures');
  const measures = y.map((m, i): Measure => {
    if (!isRecord(m)) throw new SpecError(`y[${i}] must be an object`);
    const agg = oneOf(AGGREGATIONS, m['agg'], `y[${i}].agg`);
    return { agg, field: m['field'] === null || m['field'] === undefined ? null : fieldName(m['field'], `y[${i}].field`) };
  });
  const filters = isRecord(input['filters']) ? input['filters'] : {};
  const presses = filters['presses'];
  if (presses !== undefined && (!Array.isArray(presses) || presses.length > 500 || !presses.every((p) => typeof p === 'string'))) {
    throw new SpecError('filters.presses must be a list of press ids');
  }
  const defects = filters['defects'];
  if (defects !== undefined && (!Array.isArray(defects) || defects.length > 100 || !defects.every((d) => typeof d === 'string'))) {
    throw new SpecError('filters.defects must be a list of defect types');
  }
  const ranges = filters['ranges'];
  if (ranges !== undefined && (!Array.isArray(ranges) || ranges.length > 20)) throw new SpecError('filters.ranges must be a list');
  const title = typeof input['title'] === 'string' ? input['title'].slice(0, 200) : '';
  const chart = oneOf(CHART_TYPES, input['chart'], 'chart');
  const split = oneOf(SPLITS, input['split'] ?? 'none', 'split');
  return {
    title,
    chart,
    x: xAxis,
    y: measures,
    // Links saved before these charts said they draw every press together keep working, unsplit.
    split: split === 'press' && isQualityChart(chart) && !qualitySplitsByPress(chart) ? 'none' : split,
    filters: {
      ...(isoTime(filters['from'], 'filters.from') ? { from: isoTime(filters['from'], 'filters.from') } : {}),
      ...(isoTime(filters['to'], 'filters.to') ? { to: isoTime(filters['to'], 'filters.to') } : {}),
      // An empty list stays: it is what contradicting filters leave (no press), not "every press".
      ...(presses ? { presses: [...(presses as string[])] } : {}),
      ...(typeof filters['reject'] === 'boolean' ? { reject: filters['reject'] } : {}),
      ...(defects ? { defects: [...(defects as string[])] } : {}),
      ...(ranges ? {
        ranges: (ranges as unknown[]).map((r, i) => {
          if (!isRecord(r)) throw new SpecError(`filters.ranges[${i}] must be an object`);
          return { field: fieldName(r['field'], `filters.ranges[${i}].field`),
            ...numberProp('min', optionalNumber(r['min'], `filters.ranges[${i}].min`)),
            ...numberProp('max', optionalNumber(r['max'], `filters.ranges[${i}].max`)) };
        }),
      } : {}),
    },
    ...(input['quality'] !== undefined && input['quality'] !== null ? { quality: parseQualityOptions(input['quality']) } : {}),
  };
}

/** A view's filters alone, from untrusted input, read as a view's are. */
export const parseViewFilters = (filters: unknown): ViewFilters =>
  parseViewSpec({ chart: 'line', x: { kind: 'time' }, y: [{ field: null, agg: 'count' }], filters }).filters;

function binsOf(v: unknown): { bins?: number } {
  if (v === undefined || v === null) return {};
  if (typeof v === 'number' && Number.isInteger(v) && v >= 2 && v <= 500) return { bins: v };
  throw new SpecError('x.bins must be a whole number from 2 to 500');
}

const numberProp = (key: 'min' | 'max', value: number | undefined) => (value === undefined ? {} : { [key]: value });

/** Checks every field the spec names against the dataset and the rules of its chart type. */
export function checkSpecAgainstSchema(spec: ViewSpec, columns: readonly ColumnInfo[]): void {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const defectMode = countsPerDefectType(spec);
  const column = (name: string, what: string): ColumnInfo => {
    if (defectMode && name === DEFECT_REJECTED) return { name, type: 'BOOLEAN', group: 'defect' };
    const found = byName.get(name);
    if (!found) throw new SpecError(`${what}: the dataset has no field "${name}"`);
    return found;
  };
  if (spec.x.kind === 'time' && byName.get('timestamp')?.type !== 'TIMESTAMP') throw new SpecError('the dataset has no timestamp to put on x');
  if (defectMode && !columns.some((c) => c.group === 'defect' && c.measure === 'reject')) {
    throw new SpecError('the dataset has no defect reject flags');
  }
  if (spec.split === 'defect_type' && !splitsFor(spec.chart, spec.x).includes(spec.split)) throw new SpecError('defect type cannot be both x and the split');
  const xColumn = spec.x.kind === 'field' ? column(spec.x.field, 'x') : null;
  const ys = spec.y.map((m, i) => {
    const c = m.field === null ? null : column(m.field, `y${i + 1}`);
    if (m.agg === 'count') return c;
    if (!c) throw new SpecError(`y${i + 1}: ${AGGREGATION_LABELS[m.agg]} needs a field`);
    if (!aggregationsFor(c).includes(m.agg)) {
      throw new SpecError(`y${i + 1}: ${AGGREGATION_LABELS[m.agg]} does not apply to "${c.name}" (${c.type.toLowerCase()})`);
    }
    return c;
  });
  for (const defect of spec.filters.defects ?? []) {
    if (byName.get(defectRejectColumn(defect))?.measure !== 'reject') throw new SpecError(`defect filter: the dataset has no defect type "${defect}"`);
  }
  for (const range of spec.filters.ranges ?? []) {
    if (!isNumeric(column(range.field, 'range filter'))) throw new SpecError(`range filter: "${range.field}" is not numeric`);
  }
  if (spec.split !== 'none' && spec.split !== 'defect_type' && !byName.has(SPLIT_COLUMNS[spec.split])) {
    throw new SpecError(`the dataset has no ${SPLIT_LABELS[spec.split].toLowerCase()} field to split by`);
  }
  switch (spec.chart) {
    case 'histogram':
      if (!isNumeric(xColumn ?? undefined)) throw new SpecError('a histogram needs a numeric field on x');
      break;
    case 'scatter':
      if (!isNumeric(xColumn ?? undefined) || !isNumeric(ys[0] ?? undefined)) throw new SpecError('a scatter plot needs numeric fields on x and y');
      break;
    case 'boxplot':
      if (!isNumeric(ys[0] ?? undefined)) throw new SpecError('a box plot needs a numeric y field');
      break;
    case 'heatmap':
      if (spec.split === 'none') throw new SpecError('a heatmap needs a split for its rows');
      break;
  }
  if (isQualityChart(spec.chart)) checkQualitySpec(spec, columns);
}

/** Whether a flag is a reject verdict (the part's, or one defect type's), for which a reject rate means something. */
const isRejectFlag = (c: ColumnInfo) => c.name === 'reject' || c.name === DEFECT_REJECTED || (c.group === 'defect' && c.measure === 'reject');

/**
 * The aggregations that mean something for a field, and only those, so every one offered runs:
 * numbers get the statistics, flags a count, the number true, the share true and (for verdicts) the
 * reject rate, anything else a count. `null` (rows) is counted.
 */
export function aggregationsFor(column: ColumnInfo | null): Aggregation[] {
  if (column === null) return ['count'];
  if (isNumeric(column)) return ['count', 'avg', 'min', 'max', 'sum', 'median', 'p95', 'stddev'];
  if (column.type === 'BOOLEAN') return ['count', 'sum', 'share_true', ...(isRejectFlag(column) ? ['reject_rate' as const] : [])];
  return ['count'];
}

/** The column holding a defect type's reject verdict, as the ingest names it (`flash` → `flash_reject`). */
const REJECT_SUFFIX = '_reject';
export const defectRejectColumn = (defectType: string): string => `${defectType}${REJECT_SUFFIX}`;
/** The defect type a reject flag is for: `flash` for `flash_reject`. */
export const defectTypeOfFlag = (column: string): string => (column.endsWith(REJECT_SUFFIX) ? column.slice(0, -REJECT_SUFFIX.length) : column);

/** Whether a measure adds up across series (so stacking it shows a true total). */
export const isAdditive = (m: Measure): boolean => m.agg === 'count' || m.agg === 'sum';

/** The record column behind each split (defect type is an unpivot, not a column). */
export const SPLIT_COLUMNS: Record<Exclude<Split, 'none' | 'defect_type'>, string> = {
  press: 'molding_machine_id', reject: 'reject', version: 'version',
};

/** A line of the default parameter's average over time, per press: where a new view starts. */
export function parameterOverTime(columns: readonly ColumnInfo[]): ViewSpec | null {
  const parameter = defaultParameter(columns);
  if (!parameter) return null;
  const split = columns.some((c) => c.name === SPLIT_COLUMNS.press) ? 'press' : 'none';
  return { title: `${parameter} over time`, chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: parameter, agg: 'avg' }], split, filters: {} };
}

/** What the default views are chosen from: the dataset's columns and its presses with their part counts. */
export type DefaultViewsSource = Pick<DatasetMetadata, 'columns' | 'machines'> & Partial<Pick<DatasetMetadata, 'timeRange'>>;

/**
 * Parts a default p-chart subgroup holds on average per press, at least: with a part or two per
 * subgroup a share is 0 or 100 % and the limits say nothing.
 */
export const DEFAULT_SUBGROUP_PARTS = 50;
const SUBGROUP_HOURS = { hour: 1, shift: 8, day: 24 } as const;

/** The shortest of hour, shift and day whose subgroups hold `DEFAULT_SUBGROUP_PARTS` parts per press on average (hour when unknown). */
function defaultSubgroup({ machines, timeRange }: DefaultViewsSource): keyof typeof SUBGROUP_HOURS {
  const hours = (Date.parse(timeRange?.max ?? '') - Date.parse(timeRange?.min ?? '')) / 3_600_000;
  const perPressHour = machines.reduce((sum, m) => sum + m.rows, 0) / Math.max(1, machines.length) / hours;
  if (!(hours > 0) || !(perPressHour > 0)) return 'hour';
  return (['hour', 'shift', 'day'] as const).find((b) => perPressHour * SUBGROUP_HOURS[b] >= DEFAULT_SUBGROUP_PARTS) ?? 'day';
}

/**
 * The views a first visit shows: the p-chart of reject rate per press (per hour, shift or day, the
 * first that holds enough parts), the Pareto of defects, and an I-MR chart of the default parameter
 * for the press with the most parts. Views the dataset cannot draw (no verdict, no defect flags, no
 * numeric parameter) are left out.
 */
export function defaultViews(dataset: DefaultViewsSource): ViewSpec[] {
  const { columns, machines } = dataset;
  const parameter = defaultParameter(columns);
  const busiestPress = machines.reduce<MachineSummary | null>((best, m) => (best === null || m.rows > best.rows ? m : best), null);
  const subgroup = defaultSubgroup(dataset);
  const candidates: ViewSpec[] = [
    { title: `Reject rate per press per ${subgroup} (p-chart)`, chart: 'p_chart', x: { kind: 'time', bucket: 'auto' },
      y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', filters: {}, quality: { subgroupBy: subgroup } },
    { title: 'Pareto of defects', chart: 'pareto', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} },
  ];
  if (parameter) {
    candidates.push({ title: `${parameter} I-MR${busiestPress ? `, ${busiestPress.id}` : ''}`, chart: 'imr', x: { kind: 'time', bucket: 'auto' },
      y: [{ field: parameter, agg: 'avg' }], split: 'press', filters: busiestPress ? { presses: [busiestPress.id] } : {} });
  }
  return candidates.filter((view) => {
    try {
      checkSpecAgainstSchema(view, columns);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The splits a chart type draws with this x: any for the general charts (but defect type not when it
 * is already on x), by press or none for control charts and Paretos, none for the other quality charts.
 */
export function splitsFor(chart: ChartType, x: XAxis): readonly Split[] {
  if (!isQualityChart(chart)) return x.kind === 'defect_type' ? SPLITS.filter((split) => split !== 'defect_type') : SPLITS;
  return qualitySplitsByPress(chart) ? ['none', 'press'] : ['none'];
}

/**
 * Whether the view counts parts per defect type (defect type on x or as the split): only parts rejected
 * for some defect type count, and the defect-rejected flag is a field its measures can take.
 */
export const countsPerDefectType = (spec: Pick<ViewSpec, 'x' | 'split'>): boolean => spec.x.kind === 'defect_type' || spec.split === 'defect_type';

/**
 * A view's title: the user's, else what it shows — the binned field of a histogram, the field a
 * quality chart judges, the first measure of any other chart — and its chart type.
 */
export function viewTitle(spec: ViewSpec): string {
  if (spec.title) return spec.title;
  const chart = CHART_LABELS[spec.chart];
  if (spec.chart === 'histogram' && spec.x.kind === 'field') return `${spec.x.field} — ${chart}`;
  if (isQualityChart(spec.chart)) {
    const field = measuredField(spec);
    return field ? `${field} — ${chart}` : chart;
  }
  return `${describeMeasure(spec.y[0]!)} — ${chart}`;
}

export function describeMeasure(m: Measure): string {
  if (m.agg === 'count' && m.field === null) return 'Count';
  if (m.field === DEFECT_REJECTED && m.agg === 'sum') return 'Rejects';
  return `${AGGREGATION_LABELS[m.agg]} of ${m.field ?? 'rows'}`;
}
