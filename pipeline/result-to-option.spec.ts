import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableFromArrays } from 'apache-arrow';
import { resultCut, resultToOption, resultToTable, tableToCsv } from './result-to-option.js';
import type { ViewQuery } from './spec-to-sql.js';
import { UTC_ZONE } from './time-zone.js';
import type { ViewSpec } from './view-spec.js';

const day = Date.parse('2025-09-20T00:00:00Z');
const line: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', filters: {} };
const lineQuery: ViewQuery = { sql: '', params: [], xKind: 'time', bucket: 'day', zone: UTC_ZONE, rowLimit: 100 };
const lineResult = tableFromArrays({
  x: Float64Array.from([day, day, day + 86400_000]),
  series: ['molding-machine-1', 'molding-machine-2', 'molding-machine-1'],
  y0: Float64Array.from([70, 80, 75.5]),
});

interface Series { type: string; name: string; data: unknown[]; stack?: string }

describe('resultToOption', () => {
  it('draws one time series per press with [time, value] points', () => {
    const option = resultToOption(line, lineQuery, lineResult) as { xAxis: { type: string }; series: Series[] };
    assert.strictEqual(option.xAxis.type, 'time');
    assert.deepStrictEqual(option.series.map((s) => s.name), ['molding-machine-1', 'molding-machine-2']);
    assert.deepStrictEqual(option.series[0]!.data, [[day, 70], [day + 86400_000, 75.5]]);
  });

  it('names the x axis, a time axis with its zone and bucket, and leaves room for the name under slanted labels', () => {
    const berlin = { ...UTC_ZONE, name: 'Europe/Berlin' };
    const timeAxis = (resultToOption(line, { ...lineQuery, zone: berlin }, lineResult) as { xAxis: { name: string } }).xAxis;
    assert.equal(timeAxis.name, 'Time (Europe/Berlin, per day)');
    const spec: ViewSpec = { ...line, chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }] };
    const many = ['discoloration_patch', 'flash', 'short', 'contamination', 'splay', 'burn_mark', 'jetting', 'flow_mark', 'void'];
    const table = tableFromArrays({ x: many, series: many.map(() => 'm1'), y0: Float64Array.from(many.map(() => 1)) });
    const categoryAxis = (resultToOption(spec, { ...lineQuery, xKind: 'category' }, table) as { xAxis: { name: string; nameGap: number } }).xAxis;
    assert.equal(categoryAxis.name, 'Defect type');
    assert.ok(categoryAxis.nameGap > 28 + 19, `below the slanted labels: ${categoryAxis.nameGap}`);
  });

  it('leaves a box plot\'s missing category as ECharts\' empty item, not null (on which ECharts throws)', () => {
    const spec: ViewSpec = { ...line, chart: 'boxplot', x: { kind: 'defect_type' }, y: [{ field: 'CycleTime', agg: 'avg' }] };
    const table = tableFromArrays({ x: ['flash', 'short', 'flash'], series: ['m1', 'm1', 'm2'],
      q: [Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([2, 3, 4, 5, 6]), Float64Array.from([3, 4, 5, 6, 7])] });
    const option = resultToOption(spec, { ...lineQuery, xKind: 'category' }, table) as { series: Series[] };
    assert.deepStrictEqual(option.series[1]!.data[1], '-');
  });

  it('stacks bars per category and aligns missing values as gaps', () => {
    const spec: ViewSpec = { ...line, chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }] };
    const table = tableFromArrays({ x: ['flash', 'short', 'flash'], series: ['m1', 'm1', 'm2'], y0: Float64Array.from([5, 3, 2]) });
    const option = resultToOption(spec, { ...lineQuery, xKind: 'category' }, table) as { xAxis: { data: string[] }; series: Series[] };
    assert.deepStrictEqual(option.xAxis.data, ['flash', 'short']);
    assert.deepStrictEqual(option.series.map((s) => [s.name, s.data, s.stack]), [['m1', [5, 3], 'm0'], ['m2', [2, null], 'm0']]);
  });

  it('draws averages side by side, never stacked (stacked rates reached 500 %)', () => {
    const spec: ViewSpec = { ...line, chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: 'reject', agg: 'reject_rate' }] };
    const table = tableFromArrays({ x: ['flash', 'flash'], series: ['m1', 'm2'], y0: Float64Array.from([70, 80]) });
    const option = resultToOption(spec, { ...lineQuery, xKind: 'category' }, table) as { series: Series[] };
    assert.deepStrictEqual(option.series.map((s) => s.stack), [undefined, undefined]);
  });

  it('breaks a time line at an empty bucket instead of bridging it', () => {
    const table = tableFromArrays({ x: Float64Array.from([day, day + 86400_000, day + 4 * 86400_000]), y0: Float64Array.from([1, 2, 3]) });
    const option = resultToOption({ ...line, split: 'none' }, lineQuery, table) as { series: Series[] };
    assert.deepStrictEqual(option.series[0]!.data, [[day, 1], [day + 86400_000, 2], [day + 2 * 86400_000, null], [day + 4 * 86400_000, 3]]);
  });

  it('draws a histogram on a value axis, empty bins kept, bars centred in their bins', () => {
    const spec: ViewSpec = { ...line, chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, split: 'none' };
    const table = tableFromArrays({ x: Float64Array.from([23, 24, 25]), w: Float64Array.from([1, 1, 1]), y0: Float64Array.from([5, 0, 2]) });
    const option = resultToOption(spec, { ...lineQuery, xKind: 'number' }, table) as { xAxis: { type: string; min: number; max: number }; series: Series[] };
    assert.deepStrictEqual([option.xAxis.type, option.xAxis.min, option.xAxis.max], ['value', 23, 26]);
    assert.deepStrictEqual(option.series[0]!.data, [[23.5, 5], [24.5, 0], [25.5, 2]]);
  });

  it('says when a result was cut at its row limit, and shows only the limit', () => {
    const table = tableFromArrays({ x: Float64Array.from([day, day + 86400_000, day + 2 * 86400_000]), y0: Float64Array.from([1, 2, 3]) });
    const query = { ...lineQuery, rowLimit: 2 };
    assert.deepStrictEqual(resultCut(query, table), { shown: 2, total: null });
    assert.strictEqual(resultToTable({ ...line, split: 'none' }, query, table).rows.length, 2);
    const sampled = tableFromArrays({ x: Float64Array.from([1, 2]), y0: Float64Array.from([1, 2]), total: Float64Array.from([9, 9]) });
    assert.deepStrictEqual(resultCut(query, sampled), { shown: 2, total: 9 });
    assert.strictEqual(resultCut(lineQuery, lineResult), null);
  });

  it('places heatmap cells by x and split', () => {
    const spec: ViewSpec = { ...line, chart: 'heatmap' };
    const option = resultToOption(spec, lineQuery, lineResult) as { series: Series[]; yAxis: { data: string[] } };
    assert.deepStrictEqual(option.yAxis.data, ['molding-machine-1', 'molding-machine-2']);
    assert.deepStrictEqual(option.series[0]!.data, [[0, 0, 70], [0, 1, 80], [1, 0, 75.5]]);
  });
});

describe('resultToTable and tableToCsv', () => {
  it('labels columns and formats time buckets', () => {
    const table = resultToTable(line, lineQuery, lineResult);
    assert.deepStrictEqual(table.columns, ['Time (UTC, per day)', 'Press', 'Reject rate % of reject']);
    assert.deepStrictEqual(table.rows[0], ['2025-09-20', 'molding-machine-1', 70]);
  });

  it('quotes what CSV needs quoted and defuses formulas', () => {
    const csv = tableToCsv({ columns: ['a', 'b'], rows: [['x,y', '=cmd()'], [null, 1.5]] });
    assert.strictEqual(csv, 'a,b\r\n"x,y","=cmd()"\r\n,1.5\r\n');
  });
});
