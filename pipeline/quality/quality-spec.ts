// The quality views' part of a view spec: which chart, how parts form subgroups, the baseline the
// limits come from, the run rules, Top N and spec limits. Parsed from untrusted input like the rest
// of the spec, and checked against the dataset's columns.
import { defaultParameter, defectRejectFlags, isNumeric, type ColumnInfo } from '../columns.js';
import { SpecError } from '../spec-error.js';
import { isoTime, isRecord, optionalNumber } from '../spec-values.js';
import type { ViewSpec } from '../view-spec.js';
import { MAX_SUBGROUP, MIN_SUBGROUP } from './control-chart-constants.js';
import { RUN_RULES, type RunRule } from './run-rules.js';

export const QUALITY_CHART_TYPES = ['xbar_r', 'imr', 'p_chart', 'pareto', 'capability', 'near_miss'] as const;
export type QualityChartType = (typeof QUALITY_CHART_TYPES)[number];

export const QUALITY_CHART_LABELS: Record<QualityChartType, string> = {
  xbar_r: 'X̄-R control chart', imr: 'I-MR control chart', p_chart: 'p-chart (share rejected)', pareto: 'Pareto of defects',
  capability: 'Capability', near_miss: 'Near misses per defect',
};

/**
 * Control charts split by press (each press its own limits) and a Pareto stacks its bars per press; a
 * capability study and near misses are drawn over the parts of every press together (a press filter shows one).
 */
export const qualitySplitsByPress = (chart: QualityChartType): boolean => chart !== 'capability' && chart !== 'near_miss';

/** How a p-chart forms subgroups: a time bucket of the dashboard's zone (as spec-to-sql.ts's BUCKETS: shifts start 06:00, 14:00, 22:00) or n consecutive parts. */
export const P_CHART_SUBGROUPS = ['hour', 'shift', 'day', 'parts'] as const;
export type PChartSubgroup = (typeof P_CHART_SUBGROUPS)[number];

export interface QualityOptions {
  subgroupSize?: number;
  subgroupBy?: PChartSubgroup;
  /** ISO instants: the subgroups starting in [from, to) give the center line and limits. */
  baselineFrom?: string;
  baselineTo?: string;
  rules?: RunRule[];
  topN?: number;
  lsl?: number;
  usl?: number;
  target?: number;
}

export const DEFAULT_SUBGROUP_SIZE = 5;
export const MAX_P_CHART_SUBGROUP = 1000;
export const DEFAULT_RULES: readonly RunRule[] = [1];

export const isQualityChart = (chart: string): chart is QualityChartType => (QUALITY_CHART_TYPES as readonly string[]).includes(chart);

function wholeNumber(v: unknown, min: number, max: number, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  throw new SpecError(`${what} must be a whole number from ${min} to ${max}`);
}

/** Validates untrusted quality options and returns a clean copy without unset keys. */
export function parseQualityOptions(input: unknown): QualityOptions {
  if (!isRecord(input)) throw new SpecError('quality must be an object');
  const subgroupBy = input['subgroupBy'];
  if (subgroupBy !== undefined && !(P_CHART_SUBGROUPS as readonly unknown[]).includes(subgroupBy)) {
    throw new SpecError(`quality.subgroupBy must be one of ${P_CHART_SUBGROUPS.join(', ')}`);
  }
  const rules = input['rules'];
  if (rules !== undefined && (!Array.isArray(rules) || !rules.every((r) => (RUN_RULES as readonly unknown[]).includes(r)))) {
    throw new SpecError('quality.rules must list rule numbers 1 to 4');
  }
  const options: QualityOptions = {
    subgroupSize: wholeNumber(input['subgroupSize'], MIN_SUBGROUP, MAX_P_CHART_SUBGROUP, 'quality.subgroupSize'),
    subgroupBy: subgroupBy as PChartSubgroup | undefined,
    baselineFrom: isoTime(input['baselineFrom'], 'quality.baselineFrom'),
    baselineTo: isoTime(input['baselineTo'], 'quality.baselineTo'),
    rules: rules === undefined ? undefined : [...new Set(rules as RunRule[])].sort(),
    topN: wholeNumber(input['topN'], 1, 100, 'quality.topN'),
    lsl: optionalNumber(input['lsl'], 'quality.lsl'),
    usl: optionalNumber(input['usl'], 'quality.usl'),
    target: optionalNumber(input['target'], 'quality.target'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as QualityOptions;
}

/** The flags a p-chart can count: the part's verdict and each defect type's reject flag. */
export const proportionFields = (columns: readonly ColumnInfo[]): ColumnInfo[] =>
  columns.filter((c) => (c.name === 'reject' && c.type === 'BOOLEAN')).concat(defectRejectFlags(columns));

/** The field a control chart or capability study measures (the first measure's field). */
export const measuredField = (spec: ViewSpec): string | null => spec.y[0]?.field ?? null;

/** Checks a quality view against the dataset: run by checkSpecAgainstSchema for these chart types. */
export function checkQualitySpec(spec: ViewSpec, columns: readonly ColumnInfo[]): void {
  const chart = spec.chart as QualityChartType;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const label = QUALITY_CHART_LABELS[chart];
  if (spec.split !== 'none' && !(spec.split === 'press' && qualitySplitsByPress(chart))) {
    throw new SpecError(qualitySplitsByPress(chart) ? `a ${label} splits by press or not at all`
      : `a ${label} is drawn over every press together: filter the dashboard to a press to see one`);
  }
  for (const needed of ['timestamp', 'molding_machine_id']) {
    if (!byName.has(needed)) throw new SpecError(`a ${label} needs the "${needed}" field`);
  }
  const options = spec.quality ?? {};
  const field = measuredField(spec);
  switch (chart) {
    case 'xbar_r':
    case 'imr':
    case 'capability':
      if (!field || !isNumeric(byName.get(field))) throw new SpecError(`a ${label} needs a numeric field to measure`);
      break;
    case 'p_chart':
      if (!field || !proportionFields(columns).some((c) => c.name === field)) {
        throw new SpecError('a p-chart counts the reject verdict or one defect type\'s reject flag');
      }
      break;
    case 'pareto':
    case 'near_miss':
      if (!byName.has('reject') || !defectRejectFlags(columns).length) throw new SpecError(`a ${label} needs the reject verdict and defect flags`);
      break;
  }
  // Checked here too, not only when parsed: the editor hands over what was typed (2.5, 1, 26) so it can say what is wrong.
  wholeNumber(options.subgroupSize, MIN_SUBGROUP, chart === 'xbar_r' ? MAX_SUBGROUP : MAX_P_CHART_SUBGROUP, 'subgroup size');
  wholeNumber(options.topN, 1, 100, 'Top N');
  if (options.baselineFrom && options.baselineTo && Date.parse(options.baselineFrom) >= Date.parse(options.baselineTo)) {
    throw new SpecError('the baseline must end after it starts');
  }
  if (options.lsl !== undefined && options.usl !== undefined && options.lsl >= options.usl) {
    throw new SpecError('the lower spec limit must be below the upper one');
  }
}

/** The quality options with every default filled in. */
export interface ResolvedQuality {
  subgroupSize: number;
  subgroupBy: PChartSubgroup;
  rules: readonly RunRule[];
  baseline: { fromMs: number | null; toMs: number | null } | null;
  topN: number | null;
}

export function resolveQuality(spec: ViewSpec): ResolvedQuality {
  const q = spec.quality ?? {};
  return {
    subgroupSize: spec.chart === 'imr' ? 1 : q.subgroupSize ?? DEFAULT_SUBGROUP_SIZE,
    subgroupBy: spec.chart === 'p_chart' ? q.subgroupBy ?? 'hour' : 'parts',
    rules: q.rules ?? DEFAULT_RULES,
    baseline: q.baselineFrom || q.baselineTo
      ? { fromMs: q.baselineFrom ? Date.parse(q.baselineFrom) : null, toMs: q.baselineTo ? Date.parse(q.baselineTo) : null }
      : null,
    topN: q.topN ?? null,
  };
}

/** A spec switched to a quality chart, with a field that chart can measure when its own cannot. */
export function withQualityDefaults(spec: ViewSpec, columns: readonly ColumnInfo[]): ViewSpec {
  if (!isQualityChart(spec.chart)) return spec;
  const current = measuredField(spec);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const numeric = (name: string | null) => name !== null && isNumeric(byName.get(name));
  const y = spec.chart === 'p_chart'
    ? [{ field: proportionFields(columns).some((c) => c.name === current) ? current : 'reject', agg: 'reject_rate' as const }]
    : spec.chart === 'pareto' || spec.chart === 'near_miss' ? [{ field: null, agg: 'count' as const }]
    : [{ field: numeric(current) ? current : defaultParameter(columns), agg: 'avg' as const }];
  return { ...spec, y, split: spec.split === 'press' && qualitySplitsByPress(spec.chart) ? 'press' : 'none', x: { kind: 'time', bucket: 'auto' } };
}
