// Near-miss rows (near-miss-sql.ts) → per defect type, box plots of severity ÷ threshold for accepted
// and rejected parts (whiskers at the 5th and 95th percentiles) with the threshold at 1, and bars of
// the accepted parts within 10 % of it on a second axis. The percentiles are read from the rows' counts
// per class of the ratio (grouped-quantile.ts).
import type { ResultTable } from '../result-to-option.js';
import { plotArea } from '../plot-area.js';
import { CENTER_COLOR, itemTooltip, LIMIT_COLOR, sig, WARNING_COLOR, type TippedItem } from './chart-style.js';
import type { PartsScope } from './parts-scope.js';
import type { QualityOutcome } from './quality-outcome.js';
import { groupedQuantiles, type ClassCount } from './grouped-quantile.js';
import { RATIO_CLASSED_MAX, RATIO_CLASSES_PER_UNIT } from './near-miss-sql.js';
import { numberColumn, textColumn } from '../result-columns.js';

const PERCENTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

/** One defect type's figures among accepted or rejected parts. */
interface VerdictFigures {
  parts: number;
  nearMisses: number;
  /** Parts whose ratio lay beyond 0 … RATIO_CLASSED_MAX, counted at that end. */
  outside: number;
  classes: ClassCount[];
  /** P5, P25, median, P75, P95 of severity ÷ threshold, read from `classes` once every row is in. */
  quantiles: (number | null)[];
}

/** The rows' class counts summed per defect type and verdict, with percentiles read from them. */
function figuresOf(table: ResultTable): Map<string, Map<boolean, VerdictFigures>> {
  const defects = textColumn(table, 'defect');
  const classes = numberColumn(table, 'ratio_class');
  const parts = numberColumn(table, 'parts');
  const nearMisses = numberColumn(table, 'near_misses');
  const outside = numberColumn(table, 'outside');
  const figures = new Map<string, Map<boolean, VerdictFigures>>();
  defects.forEach((defect, i) => {
    if (defect === null || classes[i] === null) return;
    const rejected = table.getChild('rejected')?.get(i) === true;
    const byVerdict = figures.get(defect) ?? figures.set(defect, new Map()).get(defect)!;
    const sums = byVerdict.get(rejected) ??
      byVerdict.set(rejected, { parts: 0, nearMisses: 0, outside: 0, classes: [], quantiles: [] }).get(rejected)!;
    sums.parts += parts[i] ?? 0;
    sums.nearMisses += nearMisses[i] ?? 0;
    sums.outside += outside[i] ?? 0;
    sums.classes.push({ index: classes[i]!, count: parts[i] ?? 0 });
  });
  for (const byVerdict of figures.values()) {
    for (const sums of byVerdict.values()) sums.quantiles = groupedQuantiles(sums.classes, 1 / RATIO_CLASSES_PER_UNIT, PERCENTILES);
  }
  return figures;
}

export function nearMissOutcome(table: ResultTable): QualityOutcome {
  const figures = figuresOf(table);
  const categories = [...figures.keys()];
  const scopes: PartsScope[] = categories.map((defect) => ({ kind: 'near_miss', defect }));
  const nearOf = (defect: string) => figures.get(defect)?.get(false)?.nearMisses ?? 0;
  const box = (isRejected: boolean) => ({
    type: 'boxplot', name: isRejected ? 'Rejected' : 'Accepted', itemStyle: isRejected ? { borderColor: LIMIT_COLOR } : undefined,
    data: categories.map((defect, c): TippedItem => {
      const found = figures.get(defect)?.get(isRejected);
      const q = found?.quantiles ?? [];
      return { value: found ? q : null, parts: c,
        tip: `${defect} · ${isRejected ? 'rejected' : 'accepted'} parts (${found?.parts ?? 0})<br>severity ÷ threshold: ` +
          `P5 ${sig(q[0] ?? null)} · median ${sig(q[2] ?? null)} · P95 ${sig(q[4] ?? null)}` };
    }),
  });
  const totalNear = categories.reduce((sum, d) => sum + nearOf(d), 0);
  const totalOutside = [...figures.values()].flatMap((byVerdict) => [...byVerdict.values()]).reduce((sum, f) => sum + f.outside, 0);
  return {
    scopes,
    notes: [{ text: `${totalNear.toLocaleString('en')} accepted part–defect pairs within 10 % of the threshold (severity ÷ threshold ≥ 0.9)` },
      { text: `Percentiles read from counts per 1/${RATIO_CLASSES_PER_UNIT} of the ratio: ` +
        `within ${(1 / RATIO_CLASSES_PER_UNIT).toFixed(3)} of exact where parts are dense` },
      ...(totalOutside ? [{ text: `${totalOutside.toLocaleString('en')} part–defect pairs with a ratio below 0 or above ` +
        `${RATIO_CLASSED_MAX} count as 0 or ${RATIO_CLASSED_MAX} in the percentiles` }] : [])],
    table: {
      columns: ['Defect type', 'Verdict', 'Parts', 'P5 of severity ÷ threshold', 'P25', 'Median', 'P75', 'P95', 'Accepted within 10 % of threshold'],
      rows: categories.flatMap((defect) => [false, true].flatMap((rejected) => {
        const found = figures.get(defect)!.get(rejected);
        return found ? [[defect, rejected ? 'rejected' : 'accepted', found.parts, ...found.quantiles, rejected ? null : found.nearMisses]] : [];
      })),
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
