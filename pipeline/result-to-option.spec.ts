import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableFromArrays } from 'apache-arrow';
import { resultToOption, resultToTable, tableToCsv } from './result-to-option.js';
import type { ViewQuery } from './spec-to-sql.js';
import type { ViewSpec } from './view-spec.js';

const day = Date.parse('2025-09-20T00:00:00Z');
const line: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', filters: {} };
const lineQuery: ViewQuery = { sql: '', params: [], xKind: 'time', bucket: 'day' };
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

  it('stacks bars per category and aligns missing values as gaps', () => {
    const spec: ViewSpec = { ...line, chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }] };
    const table = tableFromArrays({ x: ['flash', 'short', 'flash'], series: ['m1', 'm1', 'm2'], y0: Float64Array.from([5, 3, 2]) });
    const option = resultToOption(spec, { sql: '', params: [], xKind: 'category' }, table) as { xAxis: { data: string[] }; series: Series[] };
    assert.deepStrictEqual(option.xAxis.data, ['flash', 'short']);
    assert.deepStrictEqual(option.series.map((s) => [s.name, s.data, s.stack]), [['m1', [5, 3], 'm0'], ['m2', [2, null], 'm0']]);
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
