import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zoneSpans } from '../time-zone.js';
import { dashboardComparison } from './dashboard-comparison.js';

const DATA_END = '2025-10-26T10:00:00.000Z';
const BERLIN = zoneSpans('Europe/Berlin', Date.parse('2025-10-20T00:00:00Z'), Date.parse(DATA_END));

describe('compare rejected vs accepted over the dashboard filter', () => {
  it('takes the filter as the parts\' filters (a preset ending at the newest part) and names it', () => {
    const state = dashboardComparison({ time: { preset: 'shift' }, presses: ['molding-machine-2'], reject: true }, { dataEnd: DATA_END, zone: BERLIN });
    // 8 h ending 1 ms after the newest part.
    assert.deepEqual(state.filters, { from: '2025-10-26T02:00:00.001Z', to: '2025-10-26T10:00:00.001Z', presses: ['molding-machine-2'], reject: true });
    assert.equal(state.mode, 'compare');
    assert.deepEqual(state.scope, { kind: 'all' });
    assert.equal(state.heading, 'Dashboard filter: Last 8 h (shift) · Press molding-machine-2 · Rejected parts');
  });

  it('names a custom time range in the dashboard\'s zone, and an empty filter as all parts', () => {
    // 06:00 UTC on 26 October is 07:00 in Berlin (CET, after the clocks went back at 01:00 UTC).
    const state = dashboardComparison({ time: { from: '2025-10-25T06:00:00.000Z', to: '2025-10-26T06:00:00.000Z' } }, { dataEnd: DATA_END, zone: BERLIN });
    assert.equal(state.heading, 'Dashboard filter: 2025-10-25 08:00 → 2025-10-26 07:00 (Europe/Berlin)');
    assert.deepEqual(state.filters, { from: '2025-10-25T06:00:00.000Z', to: '2025-10-26T06:00:00.000Z' });
    assert.equal(dashboardComparison({}, { dataEnd: DATA_END, zone: BERLIN }).heading, 'All parts (no dashboard filter)');
  });
});
