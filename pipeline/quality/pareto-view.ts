// Pareto rows (pareto-sql.ts) → bars sorted by occurrences, a cumulative-% line over all occurrences
// on a second axis with the 80 % reference, optional Top N with the rest as "Other"; the table and
// the number of rejected parts covered.
import type { ResultTable } from '../result-to-option.js';
import type { ViewSpec } from '../view-spec.js';
import { plotArea } from '../plot-area.js';
import { CENTER_COLOR, itemTooltip, sig, type TippedItem } from './chart-style.js';
import type { PartsScope } from './parts-scope.js';
import type { QualityOutcome } from './quality-outcome.js';
import { resolveQuality } from './quality-spec.js';
import { numberColumn, textColumn } from '../result-columns.js';

export const NO_DEFECT_LABEL = '(no defect flagged)';
export const OTHER_LABEL = 'Other';

interface Bar {
  label: string;
  defect: string | null;
  byPress: Map<string | null, number>;
  total: number;
}

export function paretoOutcome(spec: ViewSpec, table: ResultTable): QualityOutcome {
  const defects = textColumn(table, 'defect');
  const presses = textColumn(table, 'press');
  const occurrences = numberColumn(table, 'occurrences');
  const rejectedParts = numberColumn(table, 'rejected_parts')[0] ?? 0;
  const bars = new Map<string, Bar>();
  defects.forEach((defect, i) => {
    const label = defect ?? NO_DEFECT_LABEL;
    const bar = bars.get(label) ?? { label, defect, byPress: new Map(), total: 0 };
    const count = occurrences[i] ?? 0;
    bar.byPress.set(presses[i]!, (bar.byPress.get(presses[i]!) ?? 0) + count);
    bar.total += count;
    bars.set(label, bar);
  });
  let sorted = [...bars.values()].filter((b) => b.total > 0).sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  const { topN } = resolveQuality(spec);
  if (topN !== null && sorted.length > topN + 1) {
    const rest = sorted.slice(topN);
    const other: Bar = { label: OTHER_LABEL, defect: null, byPress: new Map(), total: 0 };
    for (const bar of rest) {
      for (const [press, n] of bar.byPress) other.byPress.set(press, (other.byPress.get(press) ?? 0) + n);
      other.total += bar.total;
    }
    sorted = [...sorted.slice(0, topN), other];
  }
  const all = sorted.reduce((sum, b) => sum + b.total, 0);
  let running = 0;
  const cumulative = sorted.map((b) => (running += b.total) / (all || 1) * 100);
  const pressNames = [...new Set(presses)];
  const scopes: PartsScope[] = [];
  const scopeOf = (bar: Bar, press: string | null): number | undefined => {
    if (bar.label === OTHER_LABEL) return undefined;
    scopes.push({ kind: 'defect', defect: bar.defect, press });
    return scopes.length - 1;
  };
  const series = pressNames.map((press) => ({
    type: 'bar', name: press ?? 'Occurrences', stack: 'occurrences', barCategoryGap: '20%',
    data: sorted.map((bar, i): TippedItem => ({
      value: bar.byPress.get(press) ?? 0, parts: scopeOf(bar, press),
      tip: `${bar.label}${press ? ` · ${press}` : ''}<br>${bar.byPress.get(press) ?? 0} occurrences · cumulative ${sig(cumulative[i]!)} %`,
    })),
  }));
  return {
    scopes,
    notes: [{ text: sorted.length ? `Covers ${rejectedParts.toLocaleString('en')} rejected parts · ${all.toLocaleString('en')} defect occurrences`
      : 'No rejected parts: none match the filters of this view and the dashboard' }],
    table: {
      columns: ['Defect type', 'Occurrences', 'Share %', 'Cumulative %', ...(pressNames.length > 1 ? pressNames.map((p) => `Occurrences · ${p}`) : [])],
      rows: sorted.map((bar, i) => [bar.label, bar.total, (bar.total / (all || 1)) * 100, cumulative[i]!,
        ...(pressNames.length > 1 ? pressNames.map((p) => bar.byPress.get(p) ?? 0) : [])]),
    },
    option: {
      backgroundColor: 'transparent',
      animation: false,
      grid: plotArea({ left: 8, right: 8, top: pressNames.length > 1 ? 40 : 24, bottom: 8 }),
      legend: pressNames.length > 1 ? { type: 'scroll', top: 0 } : undefined,
      tooltip: itemTooltip,
      xAxis: { type: 'category', data: sorted.map((b) => b.label), axisLabel: { hideOverlap: true, rotate: sorted.length > 6 ? 30 : 0 } },
      yAxis: [{ type: 'value', name: 'Occurrences' }, { type: 'value', name: 'Cumulative %', min: 0, max: 100, splitLine: { show: false } }],
      series: [...series, {
        type: 'line', name: 'Cumulative %', yAxisIndex: 1, symbolSize: 5, itemStyle: { color: CENTER_COLOR },
        data: cumulative.map((c, i): TippedItem => ({ value: c, tip: `${sorted[i]!.label}: cumulative ${sig(c)} %` })),
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: CENTER_COLOR }, label: { formatter: '80 %' }, data: [{ yAxis: 80 }] },
      }],
    },
  };
}
