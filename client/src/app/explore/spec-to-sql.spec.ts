import { chooseBucket, specToSql } from './spec-to-sql';
import { SAMPLE_COLUMNS, SAMPLE_RANGE } from './testing/sample-columns';
import type { ViewSpec } from './view-spec';

const context = { columns: SAMPLE_COLUMNS, timeRange: SAMPLE_RANGE };
const spec = (change: Partial<ViewSpec>): ViewSpec => ({
  title: '', chart: 'line', x: { kind: 'time', bucket: 'hour' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {}, ...change,
});

describe('specToSql', () => {
  it('buckets time, aggregates and splits by press', () => {
    const query = specToSql(spec({ split: 'press' }), context);
    expect(query.sql).toContain(`time_bucket(INTERVAL '1 hour', "timestamp")`);
    expect(query.sql).toContain('avg("CycleTime")::DOUBLE AS y0');
    expect(query.sql).toContain('"molding_machine_id"::VARCHAR');
    expect(query.xKind).toBe('time');
    expect(query.params).toEqual([]);
  });

  it('binds every filter value as a parameter, never as SQL text', () => {
    const hostile = "molding-machine-1' OR 1=1; --";
    const query = specToSql(spec({ filters: {
      from: '2025-09-21T00:00:00.000Z', to: '2025-09-22T00:00:00.000Z', presses: [hostile], reject: true,
      ranges: [{ field: 'CycleTime', min: 20, max: 30 }],
    } }), context);
    expect(query.sql).not.toContain(hostile);
    expect(query.sql).not.toContain('OR 1=1');
    expect(query.params).toEqual([Date.parse('2025-09-21T00:00:00.000Z'), Date.parse('2025-09-22T00:00:00.000Z'), hostile, true, 20, 30]);
    expect(query.sql.match(/\?/g)!.length).toBe(query.params.length);
  });

  it('quotes a hostile field name that exists in the schema', () => {
    const query = specToSql(spec({ y: [{ field: 'we"ird; DROP TABLE x;--', agg: 'max' }] }), context);
    expect(query.sql).toContain('max("we""ird; DROP TABLE x;--")');
  });

  it('refuses a field that is not in the schema before building SQL', () => {
    expect(() => specToSql(spec({ y: [{ field: 'CycleTime"); DROP TABLE records; --', agg: 'avg' }] }), context)).toThrowError(/no field/);
  });

  it('chooses the time bucket from the range when asked to', () => {
    expect(chooseBucket(0, 3600_000)).toBe('minute');
    expect(chooseBucket(0, 30 * 86400_000)).toBe('hour');
    expect(chooseBucket(0, 3 * 365 * 86400_000)).toBe('day');
    expect(chooseBucket(0, 30 * 365 * 86400_000)).toBe('week');
    expect(specToSql(spec({ x: { kind: 'time', bucket: 'auto' } }), context).bucket).toBe('hour');
  });

  it('coarsens a chosen bucket that would give more points than a chart can show', () => {
    expect(specToSql(spec({ x: { kind: 'time', bucket: 'minute' } }), context).bucket).toBe('hour');
    const oneHour = { from: '2025-09-21T00:00:00.000Z', to: '2025-09-21T01:00:00.000Z' };
    expect(specToSql(spec({ x: { kind: 'time', bucket: 'minute' }, filters: oneHour }), context).bucket).toBe('minute');
  });

  it('bins every numeric x and keeps text and flags as categories', () => {
    expect(specToSql(spec({ chart: 'bar', x: { kind: 'field', field: 'ShotCount' } }), context).xKind).toBe('number');
    expect(specToSql(spec({ chart: 'bar', x: { kind: 'field', field: 'version' } }), context).xKind).toBe('category');
    expect(specToSql(spec({ chart: 'bar', x: { kind: 'field', field: 'AlarmLED' } }), context).xKind).toBe('category');
  });

  it('unpivots the defect reject flags for the defect-type dimension', () => {
    const query = specToSql(spec({ chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }] }), context);
    expect(query.sql).toContain('UNPIVOT');
    expect(query.sql).toContain('"flash_reject", "short_reject"');
    expect(query.sql).toContain('ORDER BY y0 DESC');
  });

  it('bins a numeric x for histograms, samples scatter plots and computes quartiles for box plots', () => {
    expect(specToSql(spec({ chart: 'histogram', x: { kind: 'field', field: 'CycleTime', bins: 12 } }), context).sql).toContain('/ 12');
    expect(specToSql(spec({ chart: 'scatter', x: { kind: 'field', field: 'ShotCount' } }), context).sql).toContain('USING SAMPLE');
    expect(specToSql(spec({ chart: 'boxplot', split: 'press' }), context).sql).toContain('quantile_cont("CycleTime"::DOUBLE, [0, 0.25, 0.5, 0.75, 1])');
  });
});
