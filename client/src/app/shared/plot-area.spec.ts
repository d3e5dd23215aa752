// Charts laid out by ECharts itself at a phone's and a desk card's width: every axis name is inside
// the chart (pipeline/plot-area.ts) and clear of the legend.
import { tableFromArrays } from 'apache-arrow';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { echarts } from '../explore/echarts-setup';
import { capabilityOutcome } from '../../../../pipeline/quality/capability-view';
import { controlChartModel } from '../../../../pipeline/quality/control-chart-model';
import { controlChartOption } from '../../../../pipeline/quality/control-chart-view';
import { resultTableOf } from '../../../../pipeline/testing/result-table';
import { nearMissOutcome } from '../../../../pipeline/quality/near-miss-view';
import { resultToOption, type ResultTable } from '../../../../pipeline/result-to-option';
import type { ViewQuery } from '../../../../pipeline/spec-to-sql';
import { UTC_ZONE } from '../../../../pipeline/time-zone';
import type { ViewSpec } from '../../../../pipeline/view-spec';

interface Box { x: number; y: number; width: number; height: number }

/** Each text ECharts drew, with its box in the chart's pixels (the last of equal texts). */
const drawnTexts = (chart: ECharts): Map<string, Box> => new Map(drawnTextList(chart));

/** Each text ECharts drew, in drawing order, with its box in the chart's pixels. */
function drawnTextList(chart: ECharts): [string, Box][] {
  const boxes: [string, Box][] = [];
  const zr = chart.getZr() as unknown as { storage: { getDisplayList(update: boolean): {
    style?: { text?: unknown }; transform?: number[]; getBoundingRect(): Box & { clone(): Box & { applyTransform(m: number[]): void } };
  }[] } };
  for (const element of zr.storage.getDisplayList(true)) {
    const text = element.style?.text;
    if (typeof text !== 'string' || !text) continue;
    const box = element.getBoundingRect().clone();
    if (element.transform) box.applyTransform(element.transform);
    boxes.push([text, box]);
  }
  return boxes;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const capabilitySpec: ViewSpec = { title: '', chart: 'capability', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }],
  split: 'none', filters: {}, quality: { lsl: 20, usl: 40 } };
const capabilityRows = tableFromArrays({
  bin: Float64Array.from([0, 1, 2, 3]), bin_start: Float64Array.from([20, 22, 24, 26]), bin_width: Float64Array.from([2, 2, 2, 2]),
  parts: Float64Array.from([10, 300, 420, 40]), n: Float64Array.from([770, 770, 770, 770]), mean: Float64Array.from([24, 24, 24, 24]),
  sd: Float64Array.from([1.5, 1.5, 1.5, 1.5]), mr_bar: Float64Array.from([1.2, 1.2, 1.2, 1.2]),
  below_lsl: Float64Array.from([0, 0, 0, 0]), above_usl: Float64Array.from([0, 0, 0, 0]),
});
const day = Date.parse('2025-09-20T00:00:00Z');
const lineSpec: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} };
const lineQuery: ViewQuery = { sql: '', params: [], xKind: 'time', bucket: 'day', zone: UTC_ZONE, rowLimit: 100 };
const lineRows = tableFromArrays({ x: Float64Array.from([day, day, day + 86400_000]), series: ['molding-machine-1', 'molding-machine-2', 'molding-machine-1'],
  y0: Float64Array.from([24000.5, 25000.25, 23000.75]) });
const defects = ['burn_mark', 'contamination', 'discoloration', 'ejector_pin_mark', 'flash', 'flow_mark', 'knit_line', 'short', 'sink_mark', 'void'];
// Per defect type, accepted parts in ratio classes 12–115 (of 1/128) and rejected ones in 125–255.
const nearMissClasses = defects.flatMap((d) => [[d, false, 12, 400, 0], [d, false, 115, 500, 40], [d, true, 125, 50, 0], [d, true, 255, 50, 0]] as const);
const nearMissRows = tableFromArrays({
  defect: nearMissClasses.map((r) => r[0]), rejected: nearMissClasses.map((r) => r[1]), ratio_class: Int32Array.from(nearMissClasses.map((r) => r[2])),
  parts: Float64Array.from(nearMissClasses.map((r) => r[3])), near_misses: Float64Array.from(nearMissClasses.map((r) => r[4])),
});

// Control charts of 60 points a minute apart within one morning (their time labels read 06:20,
// 06:30, …): an I-MR of one press, individuals around 25 with spikes to 60 (moving ranges up to 35),
// and an X̄-R per press (a legend above), subgroup means from 21 to 33 and ranges up to 40.
const morning = day + (6 * 60 + 13) * 60_000;
const controlRows = (stat: (i: number) => number, spread: (i: number) => number | null, press: (i: number) => string) =>
  resultTableOf(60, (name) => {
    const each = <T>(f: (i: number) => T) => Array.from({ length: 60 }, (_, i) => f(i));
    return ({ start_ms: each((i) => morning + i * 60_000), end_ms: each((i) => morning + i * 60_000), first_rank: each((i) => i),
      last_rank: each((i) => i), size: each(() => 1), stat: each(stat), spread: each(spread), center: each(() => 25), spread_center: each(() => 3),
      total: [60], press: each(press) } as Record<string, readonly unknown[]>)[name];
  });
const individuals = (i: number) => (i % 9 === 4 ? 60 : 24 + (i % 3));
const controlCharts: [string, ViewSpec, ResultTable][] = [
  ['I-MR', { title: '', chart: 'imr', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {} },
    controlRows(individuals, (i) => (i ? Math.abs(individuals(i) - individuals(i - 1)) : null), () => 'molding-machine-1')],
  ['R', { title: '', chart: 'xbar_r', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {},
    quality: { subgroupSize: 5 } }, controlRows((i) => 21 + (i * 7) % 13, (i) => (i * 11) % 41, (i) => `molding-machine-${1 + (i % 3)}`)],
];

describe('plot area', () => {
  let host: HTMLDivElement;
  afterEach(() => host?.remove());

  const draw = (option: EChartsCoreOption, width: number): { chart: ECharts; texts: Map<string, Box> } => {
    host = document.createElement('div');
    host.style.cssText = `width: ${width}px; height: 300px`;
    document.body.appendChild(host);
    const chart = echarts.init(host);
    chart.setOption(option);
    return { chart, texts: drawnTexts(chart) };
  };
  const expectInside = (box: Box | undefined, width: number, what: string) => {
    expect(box).withContext(what).toBeDefined();
    expect(box!.x).withContext(`${what} left`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).withContext(`${what} right`).toBeLessThanOrEqual(width);
    expect(box!.y).withContext(`${what} top`).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).withContext(`${what} bottom`).toBeLessThanOrEqual(300);
  };

  for (const width of [328, 580]) {
    it(`draws a time line's and a slanted category axis's names inside the chart, ${width} px wide`, () => {
      const line = draw(resultToOption(lineSpec, lineQuery, lineRows), width);
      expectInside(line.texts.get('Time (UTC, per day)'), width, 'time axis name');
      line.chart.dispose();
      host.remove();
      const barSpec: ViewSpec = { ...lineSpec, chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }] };
      const bars = tableFromArrays({ x: defects, series: defects.map(() => 'molding-machine-1'), y0: Float64Array.from(defects.map(() => 1)) });
      const bar = draw(resultToOption(barSpec, { ...lineQuery, xKind: 'category' }, bars), width);
      expectInside(bar.texts.get('Defect type'), width, 'category axis name');
      bar.chart.dispose();
    });

    it(`draws the capability chart's axis names inside it and clear of the legend, ${width} px wide`, () => {
      const { chart, texts } = draw(capabilityOutcome(capabilitySpec, capabilityRows).option, width);
      expectInside(texts.get('CycleTime'), width, 'x axis name');
      expectInside(texts.get('Parts'), width, 'y axis name');
      for (const entry of ['Normal (σ within)', 'Normal (σ overall)']) {
        const legend = texts.get(entry);
        if (legend) expect(overlaps(legend, texts.get('Parts')!)).withContext(`${entry} over the y axis name`).toBeFalse();
      }
      chart.dispose();
    });

    for (const [spreadName, spec, rows] of controlCharts) {
      it(`draws both panels' value labels of ${spec.chart === 'imr' ? 'an I-MR' : 'an X̄-R'} chart apart from each other, ${width} px wide`, () => {
        const { chart } = draw(controlChartOption(controlChartModel(spec, rows, UTC_ZONE)), width);
        const texts = drawnTextList(chart);
        const spreadTop = texts.find(([text]) => text === (spreadName === 'I-MR' ? 'MR' : 'R'))![1].y;
        // The y axes' labels: numbers drawn at the left, above or below the spread panel's name.
        const numbers = texts.filter(([text, box]) => /^\d+$/.test(text) && box.x + box.width < 60).sort(([, a], [, b]) => a.y - b.y);
        for (const panel of [numbers.filter(([, box]) => box.y < spreadTop), numbers.filter(([, box]) => box.y > spreadTop)]) {
          expect(panel.length).toBeGreaterThanOrEqual(2);
          panel.slice(1).forEach(([text, box], i) => {
            const [above, previous] = panel[i]!;
            // At least half a label's height of space between two labels: read as separate values.
            expect(box.y - previous.y).withContext(`${above} and ${text}`).toBeGreaterThanOrEqual(1.5 * box.height);
          });
        }
        chart.dispose();
      });
    }

    it(`draws the near-miss chart's axis names inside it and clear of the legend, ${width} px wide`, () => {
      const { chart, texts } = draw(nearMissOutcome(nearMissRows).option, width);
      for (const name of ['Severity ÷ threshold', 'Near misses']) {
        expectInside(texts.get(name), width, name);
        for (const entry of ['Accepted', 'Rejected', 'Accepted within 10 %']) {
          const legend = texts.get(entry);
          if (legend) expect(overlaps(legend, texts.get(name)!)).withContext(`${entry} over ${name}`).toBeFalse();
        }
      }
      chart.dispose();
    });
  }
});
