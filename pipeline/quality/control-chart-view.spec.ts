import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlChartModel } from './control-chart-model.js';
import { controlChartNotes, controlChartOption, stepCorners } from './control-chart-view.js';
import { UTC_ZONE } from '../time-zone.js';
import { resultTableOf } from '../testing/result-table.js';
import type { ViewSpec } from '../view-spec.js';

/** Where a step line with the step halfway between points is at `x`: the value of the nearest point (the earlier one on a tie). */
const stepValueAt = (points: [number, number | null][], x: number) =>
  points.reduce((best, p) => (Math.abs(p[0] - x) < Math.abs(best[0] - x) ? p : best))[1];

describe('stepCorners', () => {
  it('keeps two points of a constant limit, and the first and last of every run', () => {
    assert.deepEqual(stepCorners([[1, 5], [2, 5], [3, 5], [4, 5]]), [[1, 5], [4, 5]]);
    assert.deepEqual(stepCorners([[1, 5], [2, 5], [3, 6], [4, 6], [5, 6], [6, null], [7, 5]]), [[1, 5], [2, 5], [3, 6], [5, 6], [6, null], [7, 5]]);
    assert.deepEqual(stepCorners([[1, 5]]), [[1, 5]]);
    assert.deepEqual(stepCorners([]), []);
  });

  it('draws the same line as every point does, at every point and halfway between', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 50; trial++) {
      const points: [number, number | null][] = [];
      let x = 0;
      let v: number | null = 1;
      for (let i = 0; i < 60; i++) {
        x += 1 + Math.floor(random() * 5); // uneven spacing, like subgroups with gaps
        if (random() < 0.15) v = random() < 0.2 ? null : Math.round(random() * 4);
        points.push([x, v]);
      }
      const corners = stepCorners(points);
      for (let i = 0; i < points.length; i++) {
        const at = points[i]![0];
        assert.equal(stepValueAt(corners, at), points[i]![1], `trial ${trial}, at ${at}`);
        if (i + 1 < points.length) {
          const between = (at + points[i + 1]![0]) / 2 - 0.01;
          assert.equal(stepValueAt(corners, between), stepValueAt(points, between), `trial ${trial}, before the middle after ${at}`);
        }
      }
    }
  });
});

describe('controlChartOption', () => {
  it('lists the presses in their names\' order, whichever had the first subgroup', () => {
    const presses = ['molding-machine-10', 'molding-machine-2', 'molding-machine-1', 'molding-machine-2'];
    const column = (name: string) => (name === 'press' ? presses : presses.map((_, i) => (name === 'size' ? 40 : name === 'stat' || name === 'center' ? 0.1 : i)));
    const table = resultTableOf(presses.length, column);
    const spec: ViewSpec = { title: '', chart: 'p_chart', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press',
      filters: {}, quality: { subgroupBy: 'hour' } };
    const option = controlChartOption(controlChartModel(spec, table, UTC_ZONE)) as { legend: { data: string[] } };
    assert.deepEqual(option.legend.data, ['molding-machine-1', 'molding-machine-2', 'molding-machine-10']);
    // A share's axis stays within 0–1 whatever the limits' extent (every p = 1 drew an axis to 1.6).
    const [axis] = (option as unknown as { yAxis: { min: (e: { min: number }) => number | undefined; max: (e: { max: number }) => number | undefined }[] }).yAxis;
    assert.equal(axis!.max({ max: 1 }), 1);
    assert.equal(axis!.min({ min: -0.3 }), 0);
    assert.equal(axis!.max({ max: 0.4 }), undefined);
  });

  it('names a press\'s line alike on the X̄ and the R panel, so ECharts draws it in one colour on both', () => {
    const presses = ['molding-machine-1', 'molding-machine-2'];
    const column = (name: string) => (name === 'press' ? presses : presses.map(() => (name === 'size' ? 5 : 1)));
    const table = resultTableOf(presses.length, column);
    const spec: ViewSpec = { title: '', chart: 'xbar_r', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} };
    const { series } = controlChartOption(controlChartModel(spec, table, UTC_ZONE)) as { series: { type: string; name: string; yAxisIndex: number }[] };
    const pressLines = (panel: number) => series.filter((s) => s.type === 'line' && s.yAxisIndex === panel && presses.includes(s.name)).map((s) => s.name);
    assert.deepEqual(pressLines(0), presses);
    assert.deepEqual(pressLines(1), presses);
  });

  it('says why a chart is empty, or has no limits, instead of showing bare axes', () => {
    const spec: ViewSpec = { title: '', chart: 'imr', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {} };
    const empty = resultTableOf(0, () => undefined);
    assert.deepEqual(controlChartNotes(controlChartModel(spec, empty, UTC_ZONE)), ['No subgroups: no parts match the filters of this view and the dashboard']);
    // Subgroups, but none in the baseline: its center and limits are NULL.
    const cell = (name: string) => (name === 'press' ? 'molding-machine-1' : ['center', 'spread_center', 'baseline_size'].includes(name) ? null : 1);
    const outside = resultTableOf(2, (name) => [cell(name), cell(name)]);
    const withBaseline = { ...spec, quality: { baselineFrom: '2030-01-01T00:00:00.000Z', baselineTo: '2030-01-02T00:00:00.000Z' } };
    assert.ok(controlChartNotes(controlChartModel(withBaseline, outside, UTC_ZONE)).includes('No subgroup falls in the baseline: there are no limits to judge by'));
  });
});
