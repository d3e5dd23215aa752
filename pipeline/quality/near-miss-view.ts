// Near-miss rows (near-miss-sql.ts) → per defect type, box plots of severity ÷ threshold for accepted
// and rejected parts (whiskers at the 5th and 95th percentiles) with the threshold at 1, and bars of
// the accepted parts within 10 % of it on a second axis.
import type { ResultTable } from '../result-to-option.js';
import { plotArea } from '../plot-area.js';
import { CENTER_COLOR, itemTooltip, LIMIT_COLOR, sig, WARNING_COLOR, type TippedItem } from './chart-style.js';
import type { PartsScope } from './parts-scope.js';
import type { QualityOutcome } from './quality-outcome.js';
import { numberColumn, textColumn } from './result-columns.js';

export function nearMissOutcome(table: ResultTable): QualityOutcome {
  const defects = textColumn(table, 'defect');
  const rejected = Array.from({ length: table.numRows }, (_, i) => table.getChild('rejected')?.get(i) === true);
  const parts = numberColumn(table, 'parts');
  const nearMisses = numberColumn(table, 'near_misses');
  const quantiles = Array.from({ length: table.numRows }, (_, i) => Array.from((table.getChild('q')?.get(i) ?? []) as ArrayLike<number>, Number));
  const categories = [...new Set(defects.filter((d): d is string => d !== null))];
  const scopes: PartsScope[] = categories.map((defect) => ({ kind: 'near_miss', defect }));
  const rowOf = (defect: string, isRejected: boolean) => defects.findIndex((d, i) => d === defect && rejected[i] === isRejected);
  const nearOf = (defect: string) => {
    const i = rowOf(defect, false);
    return i === -1 ? 0 : nearMisses[i] ?? 0;
  };
  const box = (isRejected: boolean) => ({
    type: 'boxplot', name: isRejected ? 'Rejected' : 'Accepted', itemStyle: isRejected ? { borderColor: LIMIT_COLOR } : undefined,
    data: categories.map((defect, c): TippedItem => {
      const i = rowOf(defect, isRejected);
      const q = i === -1 ? [] : quantiles[i]!;
      return { value: q.length ? q : null, parts: c,
        tip: `${defect} · ${isRejected ? 'rejected' : 'accepted'} parts (${i === -1 ? 0 : parts[i]})<br>severity ÷ threshold: ` +
          `P5 ${sig(q[0] ?? null)} · median ${sig(q[2] ?? null)} · P95 ${sig(q[4] ?? null)}` };
    }),
  });
  const totalNear = categories.reduce((sum, d) => sum + nearOf(d), 0);
  return {
    scopes,
    notes: [{ text: `${totalNear.toLocaleString('en')} accepted part–defect pairs within 10 % of the threshold (severity ÷ threshold ≥ 0.9)` }],
    table: {
      columns: ['Defect type', 'Verdict', 'Parts', 'P5 of severity ÷ threshold', 'P25', 'Median', 'P75', 'P95', 'Accepted within 10 % of threshold'],
      rows: defects.map((d, i) => [d, rejected[i] ? 'rejected' : 'accepted', parts[i] ?? 0, ...[0, 1, 2, 3, 4].map((k) => quantiles[i]![k] ?? null),
        rejected[i] ? null : nearMisses[i] ?? 0]),
    },
    option: {
      backgroundColor: 'transparent',
      animation: false,
      grid: plotArea({ left: 8, right: 8, top: 40, bottom: 8 }),
      legend: { type: 'scroll', top: 0 },
      tooltip: itemTooltip,
      xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true, rotate: categories.length > 6 ? 30 : 0 } },
      yAxis: [{ type: 'value', name: 'Severity ÷ threshold', scale: true },
        { type: 'value', name: 'Near misses', splitLine: { show: false } }],
      series: [
        { ...box(false), markLine: { symbol: 'none', silent: true, lineStyle: { color: CENTER_COLOR, type: 'dashed' }, data: [{ yAxis: 1, label: { formatter: 'threshold' } }] } },
        box(true),
        { type: 'bar', name: 'Accepted within 10 %', yAxisIndex: 1, itemStyle: { color: WARNING_COLOR, opacity: 0.6 }, barWidth: '20%',
          data: categories.map((d, c): TippedItem => ({ value: nearOf(d), parts: c, tip: `${d}: ${nearOf(d)} accepted parts within 10 % of the threshold` })) },
      ],
    },
  };
}
