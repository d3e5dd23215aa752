import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDashboardFilter, filterChips, filterForPoint, filterForScope, parseDashboardFilter, togglePress, type DashboardFilter } from './dashboard-filter.js';
import { explainQueryError } from './query-error.js';
import { describeScope } from './quality/parts-scope.js';
import { SpecError } from './spec-error.js';
import { formatInstant, fromWallClock, toWallClock, UTC_ZONE, zoneSpans } from './time-zone.js';
import { aggregationsFor, type ViewSpec } from './view-spec.js';
import { SAMPLE_COLUMNS } from './testing/sample-columns.js';

const view: ViewSpec = { title: '', chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: null, agg: 'count' }], split: 'press',
  filters: { from: '2025-09-21T00:00:00.000Z', presses: ['m1', 'm2'] } };
const dataEnd = '2025-09-22T12:00:00.000Z';

describe('applyDashboardFilter', () => {
  it('adds the dashboard filter on top of the view filter: both must hold', () => {
    const filter: DashboardFilter = { time: { preset: 'shift' }, presses: ['m2', 'm3'], defect: 'flash', ranges: [{ field: 'CycleTime', min: 20 }] };
    assert.deepStrictEqual(applyDashboardFilter(view, filter, { dataEnd }).filters, {
      from: '2025-09-22T04:00:00.001Z', to: '2025-09-22T12:00:00.001Z', presses: ['m2'], defects: ['flash'], ranges: [{ field: 'CycleTime', min: 20 }],
    });
  });

  it('matches nothing when the view and the dashboard want different verdicts', () => {
    const merged = applyDashboardFilter({ ...view, filters: { reject: true } }, { reject: false }, { dataEnd });
    assert.deepStrictEqual(merged.filters.presses, []);
  });

  it('leaves a brushed range off the view it was brushed on', () => {
    const filter: DashboardFilter = { time: { from: '2025-09-21T01:00:00Z', to: '2025-09-21T02:00:00Z', by: 'v1' } };
    assert.strictEqual(applyDashboardFilter(view, filter, { dataEnd, viewId: 'v1' }).filters.to, undefined);
    assert.strictEqual(applyDashboardFilter(view, filter, { dataEnd, viewId: 'v2' }).filters.to, '2025-09-21T02:00:00.000Z');
  });
});

describe('dashboard filter chips, toggles and links', () => {
  it('toggles a press on a second click, and each chip clears its filter', () => {
    const once = togglePress({}, 'm1');
    assert.deepStrictEqual(once, { presses: ['m1'] });
    assert.deepStrictEqual(togglePress(once, 'm1'), {});
    const chips = filterChips({ presses: ['m1'], reject: true, time: { from: '2025-09-21T01:00:00Z', to: '2025-09-21T02:00:00Z' } }, UTC_ZONE);
    assert.deepStrictEqual(chips.map((c) => c.label), ['2025-09-21 01:00 → 2025-09-21 02:00 (UTC)', 'Press m1', 'Rejected parts']);
    assert.deepStrictEqual(chips[1]!.without, { reject: true, time: { from: '2025-09-21T01:00:00Z', to: '2025-09-21T02:00:00Z' } });
  });

  it('validates a filter from a link', () => {
    assert.deepStrictEqual(parseDashboardFilter({ presses: ['m1'], time: { preset: 'day' }, evil: 1 }), { presses: ['m1'], time: { preset: 'day' } });
    assert.throws(() => parseDashboardFilter({ time: { preset: 'forever' } }), SpecError);
    assert.throws(() => parseDashboardFilter({ ranges: [{ field: 'CycleTime', min: '1; DROP' }] }), SpecError);
  });

  it('turns a clicked point into the filter for its press, defect type, time bucket or bin', () => {
    assert.deepStrictEqual(filterForPoint(view, { x: 'flash', series: 'm1' }, undefined, UTC_ZONE)!.apply({}), { presses: ['m1'] });
    assert.deepStrictEqual(filterForPoint({ ...view, split: 'none' }, { x: 'flash', series: null }, undefined, UTC_ZONE)!.apply({}), { defect: 'flash' });
    const line: ViewSpec = { ...view, chart: 'line', x: { kind: 'time', bucket: 'hour' }, split: 'none' };
    assert.deepStrictEqual(filterForPoint(line, { x: Date.parse('2025-09-21T03:00:00Z') }, 'hour', UTC_ZONE)!.apply({}),
      { time: { from: '2025-09-21T03:00:00.000Z', to: '2025-09-21T04:00:00.000Z' } });
    const histogram: ViewSpec = { ...view, chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, split: 'none' };
    assert.deepStrictEqual(filterForPoint(histogram, { x: 24, width: 0.5 }, undefined, UTC_ZONE)!.apply({}), { ranges: [{ field: 'CycleTime', min: 24, max: 24.5 }] });
  });

  it('turns the parts behind a quality view\'s point into the filter for their press and time, defect type or range', () => {
    const subgroup = filterForScope({ kind: 'time', press: 'm2', fromMs: Date.parse('2025-10-04T14:00:00Z'), toMs: Date.parse('2025-10-04T22:00:00Z') }, UTC_ZONE)!;
    assert.equal(subgroup.label, 'press m2, 2025-10-04 14:00 – 2025-10-04 22:00 (UTC)');
    const time = { from: '2025-10-04T14:00:00.000Z', to: '2025-10-04T22:00:00.000Z' };
    assert.deepStrictEqual(subgroup.apply({ presses: ['m1'], reject: true }), { presses: ['m1', 'm2'], reject: true, time });
    // A press already kept stays kept: the subgroup is narrowed to, never toggled away.
    assert.deepStrictEqual(subgroup.apply({ presses: ['m2'] }), { presses: ['m2'], time });
    assert.deepStrictEqual(filterForScope({ kind: 'defect', defect: 'flash', press: null }, UTC_ZONE)!.apply({ defect: 'short' }), { defect: 'flash' });
    assert.deepStrictEqual(filterForScope({ kind: 'range', field: 'CycleTime', min: 24, max: 25, includeMax: false, press: 'm1' }, UTC_ZONE)!.apply({}),
      { ranges: [{ field: 'CycleTime', min: 24, max: 25 }] });
    // A capability bin's edges are sums of fractions: labelled as numbers are shown, the filter exact.
    const bin = filterForScope({ kind: 'range', field: 'CycleTime', min: 22.4 + 3 * 0.3, max: 22.4 + 4 * 0.3, includeMax: false, press: null }, UTC_ZONE)!;
    assert.equal(bin.label, 'CycleTime 23.3 to 23.6');
    assert.equal(describeScope({ kind: 'range', field: 'CycleTime', min: 22.4 + 3 * 0.3, max: 22.4 + 4 * 0.3, includeMax: false, press: 'm1' }, UTC_ZONE),
      'm1 · CycleTime 23.3 to 23.6');
    assert.deepStrictEqual(bin.apply({}), { ranges: [{ field: 'CycleTime', min: 22.4 + 3 * 0.3, max: 22.4 + 4 * 0.3 }] });
    assert.deepStrictEqual(filterForScope({ kind: 'sequence', field: 'CycleTime', press: 'm3', firstRank: 0, lastRank: 4 }, UTC_ZONE)!.apply({}), { presses: ['m3'] });
    assert.equal(filterForScope({ kind: 'defect', defect: null, press: null }, UTC_ZONE), null);
    assert.equal(filterForScope({ kind: 'near_miss', defect: 'flash' }, UTC_ZONE), null);
  });
});

describe('time zones', () => {
  it('finds the offsets of a zone over a range, to the minute, and converts both ways', () => {
    const berlin = zoneSpans('Europe/Berlin', Date.parse('2025-10-20T00:00:00Z'), Date.parse('2025-11-10T00:00:00Z'));
    assert.deepStrictEqual(berlin.spans.map((s) => [new Date(s.fromMs).toISOString(), s.offsetMs / 3_600_000]).slice(1), [['2025-10-26T01:00:00.000Z', 1]]);
    const instant = Date.parse('2025-10-26T00:30:00Z');
    assert.strictEqual(formatInstant(berlin, instant), '2025-10-26 02:30');
    assert.strictEqual(fromWallClock(berlin, toWallClock(berlin, instant)), instant);
  });
});

describe('aggregations and errors in words', () => {
  it('offers a flag count, number and share true, never an average (which DuckDB refuses)', () => {
    const alarm = SAMPLE_COLUMNS.find((c) => c.name === 'AlarmLED')!;
    assert.deepStrictEqual(aggregationsFor(alarm), ['count', 'sum', 'share_true']);
    assert.ok(aggregationsFor(SAMPLE_COLUMNS.find((c) => c.name === 'reject')!).includes('reject_rate'));
    assert.deepStrictEqual(aggregationsFor(SAMPLE_COLUMNS.find((c) => c.name === 'version')!), ['count']);
  });

  it('never shows the engine message', () => {
    const binder = new Error('Binder Error: No function matches the given name and argument types \'avg(BOOLEAN)\'');
    assert.match(explainQueryError(binder), /Choose another aggregation/);
    assert.doesNotMatch(explainQueryError(new Error('INTERNAL Error: something')), /INTERNAL/);
    assert.match(explainQueryError(new SpecError('a heatmap needs a split for its rows')), /cannot be drawn: a heatmap needs a split/);
  });
});
