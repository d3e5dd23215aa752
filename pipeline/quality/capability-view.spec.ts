import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilityOutcome } from './capability-view.js';
import { resultTableOf } from '../testing/result-table.js';
import type { ViewSpec } from '../view-spec.js';

describe('capabilityOutcome', () => {
  it('labels the value axis in significant digits, not a sum\'s binary digits', () => {
    // One row per bin, as the capability query answers: bins of 0.3 s from 22.4 s.
    const columns: Record<string, number[]> = { n: [10, 10], mean: [22.5, 22.5], sd: [0.1, 0.1], mr_bar: [0.1, 0.1],
      below_lsl: [0, 0], above_usl: [0, 0], bin_start: [22.4, 22.4], bin_width: [0.3, 0.3], bin: [0, 1], parts: [6, 4] };
    const table = resultTableOf(2, (name) => columns[name]);
    const spec: ViewSpec = { title: '', chart: 'capability', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }],
      split: 'none', filters: {}, quality: { lsl: 22.5, usl: 22.9 } };
    const axis = (capabilityOutcome(spec, table).option as { xAxis: { min: number; axisLabel: { formatter: (value: number) => string } } }).xAxis;
    assert.equal(axis.min, 22.4 - 0.3); // 22.099999999999998: the sum itself is not round…
    assert.equal(axis.axisLabel.formatter(axis.min), '22.1'); // …its label is
    assert.equal(axis.axisLabel.formatter(24.5), '24.5');
  });
});
