// Control-chart rows (control-chart-sql.ts) → points with their limits and run-rule signals. Limits
// come from the subgroup's limit group (its press when split by press); on a p-chart they follow
// each subgroup's size. Run rules go through each series in time order; on R and MR only rule 1.
import type { ResultTable } from '../result-to-option.js';
import type { TimeZone } from '../time-zone.js';
import type { ViewSpec } from '../view-spec.js';
import { individualsLimits, proportionLimits, xbarRLimits, zScore, type Limits } from './control-limits.js';
import { measuredField, resolveQuality } from './quality-spec.js';
import { numberColumn, textColumn } from '../result-columns.js';
import { runRuleSignals, type RunRule } from './run-rules.js';

export interface ControlPoint {
  press: string | null;
  /** The series the point belongs to: its press when split by press, else ''. */
  series: string;
  /** Wall-clock milliseconds in the model's zone: a time bucket's bounds, else the first and last part's time. */
  startMs: number;
  endMs: number;
  firstRank: number | null;
  lastRank: number | null;
  size: number;
  value: number | null;
  spread: number | null;
  limits: Limits | null;
  spreadLimits: Limits | null;
  signals: RunRule[];
  spreadSignals: RunRule[];
}

export interface ControlChartModel {
  chart: 'xbar_r' | 'imr' | 'p_chart';
  field: string;
  points: ControlPoint[];
  /** Subgroups in the data; more than points.length when only the latest are shown. */
  total: number;
  baseline: { fromMs: number | null; toMs: number | null } | null;
  /** The zone the subgroup times are in. */
  zone: TimeZone;
  /** Per series: σ within subgroups (X̄-R, I-MR) from the baseline. */
  sigmaWithin: Map<string, number>;
}

export function controlChartModel(spec: ViewSpec, table: ResultTable, zone: TimeZone): ControlChartModel {
  const chart = spec.chart as ControlChartModel['chart'];
  const quality = resolveQuality(spec);
  const read = (name: string) => numberColumn(table, name);
  const [start, end, first, last, size, stat, spread, center, spreadCenter, total] =
    ['start_ms', 'end_ms', 'first_rank', 'last_rank', 'size', 'stat', 'spread', 'center', 'spread_center', 'total'].map(read);
  const presses = textColumn(table, 'press');
  const sigmaWithin = new Map<string, number>();
  const points = presses.map((press, i): ControlPoint => {
    const series = spec.split === 'press' ? press ?? '' : '';
    let limits: Limits | null = null;
    let spreadLimits: Limits | null = null;
    const c = center![i]!;
    const s = spreadCenter![i]!;
    if (chart === 'p_chart') {
      if (c !== null) limits = proportionLimits(c, size![i]!);
    } else if (c !== null && s !== null) {
      const paired = chart === 'imr' ? individualsLimits(c, s) : xbarRLimits(c, s, quality.subgroupSize);
      ({ location: limits, spread: spreadLimits } = paired);
      sigmaWithin.set(series, paired.sigmaWithin);
    }
    return {
      press, series, startMs: start![i]!, endMs: end![i]!, firstRank: first![i]!, lastRank: last![i]!, size: size![i]!,
      value: stat![i]!, spread: spread![i]!, limits, spreadLimits, signals: [], spreadSignals: [],
    };
  });
  for (const series of new Set(points.map((p) => p.series))) {
    const members = points.filter((p) => p.series === series);
    const signals = runRuleSignals(members.map((p) => zScore(p.value, p.limits)), quality.rules);
    const spreadSignals = runRuleSignals(members.map((p) => beyondLimits(p.spread, p.spreadLimits)), [1]);
    members.forEach((p, i) => {
      p.signals = signals[i]!;
      p.spreadSignals = spreadSignals[i]!;
    });
  }
  return { chart, field: measuredField(spec)!, points, total: total![0] ?? 0, baseline: quality.baseline, zone, sigmaWithin };
}

/**
 * A range's distribution is skewed, so its rule 1 is judged against its own limits (D3·R̄, D4·R̄),
 * not a symmetric ±3σ: the result is given as a z that rule 1 reads (±4 beyond, 0 inside).
 */
function beyondLimits(value: number | null, limits: Limits | null): number | null {
  if (value === null || !limits) return null;
  return value > limits.ucl ? 4 : value < limits.lcl ? -4 : 0;
}
