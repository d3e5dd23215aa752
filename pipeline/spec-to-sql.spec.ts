import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseBucket, specToSql } from './spec-to-sql.js';
import { SAMPLE_COLUMNS, SAMPLE_RANGE } from './testing/sample-columns.js';
import type { ViewSpec } from './view-spec.js';
import { viewCubeSql } from './view-sql.js';

const context = { columns: SAMPLE_COLUMNS, timeRange: SAMPLE_RANGE };
const spec = (change: Partial<ViewSpec>): ViewSpec => ({
  title: '', chart: 'line', x: { kind: 'time', bucket: 'hour' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {}, ...change,
});

describe('specToSql', () => {
  it('buckets time, aggregates and splits by press', () => {
    const query = specToSql(spec({ split: 'press' }), context);
    assert.ok((query.sql).includes(`floor((epoch_ms("timestamp") - 0) / 3600000) * 3600000`));
    assert.ok((query.sql).includes('"molding_machine_id"::VARCHAR'));
    assert.strictEqual(query.xKind, 'time');
    assert.deepStrictEqual(query.params, []);
  });

  it('binds every filter value as a parameter, never as SQL text', () => {
    const hostile = "molding-machine-1' OR 1=1; --";
    const query = specToSql(spec({ filters: {
      from: '2025-09-21T00:00:00.000Z', to: '2025-09-22T00:00:00.000Z', presses: [hostile], reject: true,
      ranges: [{ field: 'CycleTime', min: 20, max: 30 }],
    } }), context);
    assert.ok(!(query.sql).includes(hostile));
    assert.ok(!(query.sql).includes('OR 1=1'));
    assert.deepStrictEqual(query.params, [Date.parse('2025-09-21T00:00:00.000Z'), Date.parse('2025-09-22T00:00:00.000Z'), hostile, true, 20, 30]);
    assert.strictEqual(query.sql.match(/\?/g)!.length, query.params.length);
  });

  it('quotes a hostile field name that exists in the schema', () => {
    const query = specToSql(spec({ y: [{ field: 'we"ird; DROP TABLE x;--', agg: 'max' }] }), context);
    assert.ok((query.sql).includes('max("we""ird; DROP TABLE x;--")'));
  });

  it('refuses a field that is not in the schema before building SQL', () => {
    assert.throws(() => specToSql(spec({ y: [{ field: 'CycleTime"); DROP TABLE records; --', agg: 'avg' }] }), context), /no field/);
  });

  it('chooses the time bucket from the range when asked to', () => {
    assert.strictEqual(chooseBucket(0, 3600_000), 'minute');
    assert.strictEqual(chooseBucket(0, 30 * 86400_000), 'hour');
    assert.strictEqual(chooseBucket(0, 3 * 365 * 86400_000), 'day');
    assert.strictEqual(chooseBucket(0, 30 * 365 * 86400_000), 'week');
    assert.strictEqual(specToSql(spec({ x: { kind: 'time', bucket: 'auto' } }), context).bucket, 'hour');
  });

  it('coarsens a chosen bucket that would give more points than a chart can show', () => {
    assert.strictEqual(specToSql(spec({ x: { kind: 'time', bucket: 'minute' } }), context).bucket, 'hour');
    const oneHour = { from: '2025-09-21T00:00:00.000Z', to: '2025-09-21T01:00:00.000Z' };
    assert.strictEqual(specToSql(spec({ x: { kind: 'time', bucket: 'minute' }, filters: oneHour }), context).bucket, 'minute');
  });

  it('bins every numeric x and keeps text and flags as categories', () => {
    assert.strictEqual(specToSql(spec({ chart: 'bar', x: { kind: 'field', field: 'ShotCount' } }), context).xKind, 'number');
    assert.strictEqual(specToSql(spec({ chart: 'bar', x: { kind: 'field', field: 'version' } }), context).xKind, 'category');
    assert.strictEqual(specToSql(spec({ chart: 'bar', x: { kind: 'field', field: 'AlarmLED' } }), context).xKind, 'category');
  });

  it('bins a numeric x for histograms, samples scatter plots and computes quartiles for box plots', () => {
    assert.ok((specToSql(spec({ chart: 'histogram', x: { kind: 'field', field: 'CycleTime', bins: 12 } }), context).sql).includes('/ 12'));
    assert.ok((specToSql(spec({ chart: 'scatter', x: { kind: 'field', field: 'ShotCount' } }), context).sql).includes('USING SAMPLE'));
    assert.ok((specToSql(spec({ chart: 'boxplot', split: 'press' }), context).sql).includes('quantile_cont("CycleTime"::DOUBLE, [0, 0.25, 0.5, 0.75, 1])'));
  });

  it('offers no cube for a dataset without the press or the verdict a cube is keyed by', () => {
    const view = spec({ chart: 'bar', x: { kind: 'time', bucket: 'day' }, y: [{ field: null, agg: 'count' }] });
    assert.ok(viewCubeSql(view, context)?.cube);
    for (const missing of ['molding_machine_id', 'reject']) {
      assert.strictEqual(viewCubeSql(view, { ...context, columns: SAMPLE_COLUMNS.filter((c) => c.name !== missing) }), null, missing);
    }
  });
});
