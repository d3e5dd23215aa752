// Capability rows (capability-sql.ts) → histogram with LSL / USL / target lines and the normal
// curves of the within and overall σ; Cp, Cpk, Pp, Ppk, observed and expected ppm as notes (Cpk
// graded), one table row per bin.
import type { ResultTable } from '../result-to-option.js';
import type { ViewSpec } from '../view-spec.js';
import { plotArea } from '../plot-area.js';
import { capability, capabilityGrade } from './capability.js';
import { CAPABILITY_BINS } from './capability-sql.js';
import { CENTER_COLOR, GOOD_COLOR, itemTooltip, LIMIT_COLOR, MARGINAL_COLOR, sig, type TippedItem } from './chart-style.js';
import { chartConstants } from './control-chart-constants.js';
import { normalPdf } from './normal-distribution.js';
import type { PartsScope } from './parts-scope.js';
import type { QualityNote, QualityOutcome } from './quality-outcome.js';
import { measuredField } from './quality-spec.js';
import { numberColumn } from '../result-columns.js';

export function capabilityOutcome(spec: ViewSpec, table: ResultTable): QualityOutcome {
  const field = measuredField(spec)!;
  const { lsl, usl, target } = spec.quality ?? {};
  const first = (name: string) => numberColumn(table, name)[0] ?? null;
  const n = first('n');
  const mean = first('mean');
  const sd = first('sd');
  const mrBar = first('mr_bar');
  const below = first('below_lsl');
  const above = first('above_usl');
  // Rows come in bin order and bin 0 holds the minimum, so the first row's start is the low edge.
  const lo = first('bin_start');
  const width = first('bin_width');
  const counts = new Map<number, number>();
  const bins = numberColumn(table, 'bin');
  const parts = numberColumn(table, 'parts');
  bins.forEach((b, i) => b !== null && counts.set(b, parts[i] ?? 0));
  if (!n || mean === null || lo === null || width === null) {
    return { option: {}, table: { columns: ['Bin start', 'Bin end', 'Parts'], rows: [] }, notes: [{ text: `No values of ${field}` }], scopes: [] };
  }
  const sigmaWithin = mrBar === null ? null : mrBar / chartConstants(2).d2;
  const figures = capability({ mean, sigmaWithin, sigmaOverall: sd, lsl, usl });
  const grade = capabilityGrade(figures.cpk);
  const observedPpm = lsl === undefined && usl === undefined ? null : (((below ?? 0) + (above ?? 0)) / n) * 1e6;
  const start = (i: number) => lo + i * width;
  const density = (sigma: number | null, x: number) => (sigma && sigma > 0 ? (n * width * normalPdf((x - mean) / sigma)) / sigma : null);
  const scopes: PartsScope[] = Array.from({ length: CAPABILITY_BINS }, (_, i) => ({
    kind: 'range', field, min: start(i), max: start(i + 1), includeMax: i === CAPABILITY_BINS - 1, press: null,
  }));
  const histogram = Array.from({ length: CAPABILITY_BINS }, (_, i): TippedItem => ({
    value: [start(i) + width / 2, counts.get(i) ?? 0], parts: i,
    tip: `${field} ${sig(start(i))} to ${sig(start(i + 1))}<br>${counts.get(i) ?? 0} parts`,
  }));
  const edges = [lo, lo + CAPABILITY_BINS * width, lsl, usl].filter((v): v is number => v !== undefined);
  const [from, to] = [Math.min(...edges), Math.max(...edges)];
  const curve = (sigma: number | null) => Array.from({ length: 121 }, (_, i) => {
    const x = from + ((to - from) * i) / 120;
    return [x, density(sigma, x)];
  });
  const specLine = (value: number | undefined, name: string, color: string) =>
    value === undefined ? [] : [{ xAxis: value, name, lineStyle: { color, type: name === 'Target' ? 'dotted' : 'solid', width: 2 }, label: { formatter: `${name} ${sig(value)}` } }];
  const notes: QualityNote[] = [
    { text: `n = ${n.toLocaleString('en')} · mean ${sig(mean)} · σ within ${sig(sigmaWithin)} · σ overall ${sig(sd)}` },
    ...(lsl === undefined && usl === undefined ? [{ text: 'Set spec limits (LSL / USL) in the editor for Cp, Cpk, Pp, Ppk and ppm' }] : [
      { text: `Cpk ${sig(figures.cpk)}`, ...(grade ? { tone: grade } : {}) },
      { text: `Cp ${sig(figures.cp)} · Pp ${sig(figures.pp)} · Ppk ${sig(figures.ppk)}` },
      { text: `Out of spec: observed ${sig(observedPpm)} ppm · expected ${sig(figures.expectedPpm)} ppm` },
    ]),
  ];
  const gradeColor = grade === 'good' ? GOOD_COLOR : grade === 'marginal' ? MARGINAL_COLOR : LIMIT_COLOR;
  return {
    scopes,
    notes,
    table: {
      columns: ['Bin start', 'Bin end', 'Parts', 'Normal fit (σ within)', 'Normal fit (σ overall)'],
      rows: histogram.map((_, i) => [start(i), start(i + 1), counts.get(i) ?? 0,
        density(sigmaWithin, start(i) + width / 2), density(sd, start(i) + width / 2)]),
    },
    option: {
      backgroundColor: 'transparent',
      animation: false,
      grid: plotArea({ left: 8, right: 16, top: 40, bottom: 8 }),
      legend: { type: 'scroll', top: 0, data: ['Parts', 'Normal (σ within)', 'Normal (σ overall)'] },
      tooltip: itemTooltip,
      // The axis ends a bin beyond the data, where sums of fractions show their binary digits (22.162000000000003).
      xAxis: { type: 'value', name: field, nameLocation: 'middle', nameGap: 24, min: from - width, max: to + width, scale: true,
        axisLabel: { formatter: (value: number) => sig(value) } },
      yAxis: { type: 'value', name: 'Parts' },
      series: [
        { type: 'bar', name: 'Parts', data: histogram, barWidth: '96%', barCategoryGap: '0%', itemStyle: { color: '#4c6ef5', opacity: 0.75 },
          markLine: { symbol: 'none', silent: true, data: [...specLine(lsl, 'LSL', gradeColor), ...specLine(usl, 'USL', gradeColor), ...specLine(target, 'Target', CENTER_COLOR)] } },
        { type: 'line', name: 'Normal (σ within)', data: curve(sigmaWithin), showSymbol: false, silent: true, lineStyle: { width: 2 } },
        { type: 'line', name: 'Normal (σ overall)', data: curve(sd), showSymbol: false, silent: true, lineStyle: { width: 2, type: 'dashed' } },
      ],
    },
  };
}
