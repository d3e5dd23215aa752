// Control charts in the dashboard's time zone, on real DuckDB over an ingested pack whose parts span
// the night Berlin's clocks went back (2025-10-26, 03:00 CEST → 02:00 CET at 01:00 UTC). Expected
// buckets are worked out here with Intl from the generated JSON, not with the pipeline's zone code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateRecords } from '../../server/src/generator/generate-dataset.js';
import { runQuery } from '../testing/duckdb-result.js';
import { openIngestedPack, type IngestedPack } from '../testing/ingested-pack.js';
import { zoneSpans, type TimeZone } from '../time-zone.js';
import type { ViewSpec } from '../view-spec.js';
import { controlChartModel } from './control-chart-model.js';
import { controlChartScopes, controlChartTable } from './control-chart-view.js';
import { partsSql } from './parts-sql.js';
import { qualityOutcome, qualityQuery } from './quality-view.js';

const HOUR = 3_600_000;
const BERLIN_NAME = 'Europe/Berlin';
const berlinClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: BERLIN_NAME, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
/** Berlin's wall clock at an instant, written as if it were UTC (milliseconds). */
const berlinWall = (ms: number): number => {
  const p = Object.fromEntries(berlinClock.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!) + (ms - Math.floor(ms / 1000) * 1000);
};
const text = (wallMs: number) => new Date(wallMs).toISOString().slice(0, 19).replace('T', ' ');

interface Part { ms: number; press: string; reject: boolean }

describe('control charts in the dashboard\'s time zone, across a DST change', () => {
  let pack: IngestedPack;
  let parts: Part[];
  let berlin: TimeZone;

  before(async () => {
    const records = [...generateRecords({ records: 1500, seed: 23, days: 3, start: '2025-10-24T20:00:00Z' })];
    parts = records.map((r) => ({
      ms: Math.round((r['timestamp'] as number) * 1e6) / 1e3, press: r['molding_machine_id'] as string,
      reject: (r['object_detection'] as { reject: boolean }).reject,
    })).sort((a, b) => a.ms - b.ms);
    pack = await openIngestedPack(records);
    berlin = zoneSpans(BERLIN_NAME, parts[0]!.ms, parts.at(-1)!.ms);
  });
  after(async () => {
    await pack?.close();
  });

  const pChart = (subgroupBy: 'hour' | 'shift', quality: ViewSpec['quality'] = {}): ViewSpec => ({
    title: '', chart: 'p_chart', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press',
    filters: { presses: ['molding-machine-1'] }, quality: { subgroupBy, ...quality },
  });
  const run = async (spec: ViewSpec) => {
    const query = qualityQuery(spec, pack.metadata.columns, berlin);
    return runQuery(pack.connection, query.sql, query.params);
  };
  /** The press's parts per bucket of Berlin's wall clock: [bucket start, parts, rejected]. */
  const expectedBuckets = (widthMs: number, originMs: number) => {
    const buckets = new Map<number, { parts: number; rejected: number }>();
    for (const p of parts.filter((x) => x.press === 'molding-machine-1')) {
      const start = Math.floor((berlinWall(p.ms) - originMs) / widthMs) * widthMs + originMs;
      const bucket = buckets.get(start) ?? { parts: 0, rejected: 0 };
      bucket.parts++;
      if (p.reject) bucket.rejected++;
      buckets.set(start, bucket);
    }
    return [...buckets].sort((a, b) => a[0] - b[0]);
  };

  it('hours are Berlin\'s: the repeated 02:00 hour holds both real hours\' parts', async () => {
    const spec = pChart('hour');
    const model = controlChartModel(spec, await run(spec), berlin);
    const expected = expectedBuckets(HOUR, 0);
    assert.deepEqual(model.points.map((p) => [text(p.startMs), p.size]), expected.map(([start, b]) => [text(start), b.parts]));
    const repeated = model.points.findIndex((p) => text(p.startMs) === '2025-10-26 02:00:00');
    const twoHours = parts.filter((p) => p.press === 'molding-machine-1' && p.ms >= Date.parse('2025-10-26T00:00:00Z') && p.ms < Date.parse('2025-10-26T02:00:00Z'));
    const clocksBack = Date.parse('2025-10-26T01:00:00Z');
    assert.ok(twoHours.some((p) => p.ms < clocksBack) && twoHours.some((p) => p.ms >= clocksBack), 'parts in both 02:00 hours');
    assert.equal(model.points[repeated]!.size, twoHours.length);
    const scope = controlChartScopes(model)[repeated]!;
    assert.deepEqual(scope, { kind: 'time', press: 'molding-machine-1', fromMs: Date.parse('2025-10-26T00:00:00Z'), toMs: Date.parse('2025-10-26T02:00:00Z') });
    const table = controlChartTable(model);
    assert.equal(table.columns[0], 'Subgroup start (Europe/Berlin)');
    assert.equal(table.rows[repeated]![0], '2025-10-26 02:00:00');
  });

  it('shifts start at 06:00, 14:00 and 22:00 Berlin time; the night shift of the change lasts 9 h; a baseline is read on Berlin\'s clock', async () => {
    // Baseline: Saturday 06:00 to Sunday 06:00 in Berlin (04:00 UTC in summer time to 05:00 UTC in winter time).
    const spec = pChart('shift', { baselineFrom: '2025-10-25T04:00:00.000Z', baselineTo: '2025-10-26T05:00:00.000Z' });
    const table = await run(spec);
    const outcome = qualityOutcome(spec, table, berlin);
    const model = controlChartModel(spec, table, berlin);
    const expected = expectedBuckets(8 * HOUR, 6 * HOUR);
    assert.deepEqual(model.points.map((p) => [text(p.startMs), p.size, Math.round(p.value! * p.size)]),
      expected.map(([start, b]) => [text(start), b.parts, b.rejected]));
    const night = model.points.findIndex((p) => text(p.startMs) === '2025-10-25 22:00:00');
    const scope = controlChartScopes(model)[night]!;
    assert.ok(scope.kind === 'time');
    assert.deepEqual([scope.fromMs, scope.toMs], [Date.parse('2025-10-25T20:00:00Z'), Date.parse('2025-10-26T05:00:00Z')]);
    const behind = partsSql({ filters: spec.filters, scope, fields: [], sort: { field: 'timestamp', descending: false }, page: 0 }, pack.metadata.columns);
    const count = await runQuery(pack.connection, behind.countSql, behind.countParams);
    assert.equal(Number(count.getChild('parts')!.get(0)), model.points[night]!.size);
    // p̄ from the three shifts starting Saturday 06:00, 14:00 and 22:00 in Berlin.
    const baseline = expected.filter(([start]) => start >= Date.UTC(2025, 9, 25, 6) && start < Date.UTC(2025, 9, 26, 6));
    assert.equal(baseline.length, 3);
    const pBar = baseline.reduce((s, [, b]) => s + b.rejected, 0) / baseline.reduce((s, [, b]) => s + b.parts, 0);
    assert.ok(Math.abs(model.points[0]!.limits!.center - pBar) < 1e-12, `p̄ ${model.points[0]!.limits!.center} vs ${pBar}`);
    assert.equal(outcome.notes[0]!.text, 'Limits from 2025-10-25 06:00 to 2025-10-26 06:00 (Europe/Berlin)');
  });

  it('an I-MR chart\'s subgroup times are the parts\' Berlin times', async () => {
    const spec: ViewSpec = { title: '', chart: 'imr', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none',
      filters: { presses: ['molding-machine-2'] } };
    const model = controlChartModel(spec, await run(spec), berlin);
    const own = parts.filter((p) => p.press === 'molding-machine-2');
    // Parts without a CycleTime are left out; the generator gives every part one.
    assert.deepEqual(model.points.map((p) => text(p.startMs)), own.map((p) => text(berlinWall(p.ms))));
  });
});
