// The published textbook control charts, run through the real SQL on native DuckDB: the parts go in
// as records of one press, one minute apart, and the chart must give the book's center lines,
// limits and out-of-control samples.
import assert from 'node:assert/strict';
import type { DuckDBConnection } from '@duckdb/node-api';
import { after, before, describe, it } from 'node:test';
import { openDuckDb, runQuery } from '../testing/duckdb-result.js';
import type { ColumnInfo } from '../columns.js';
import { UTC_ZONE } from '../time-zone.js';
import type { ViewSpec } from '../view-spec.js';
import { controlChartModel } from './control-chart-model.js';
import { controlChartSql } from './control-chart-sql.js';
import { ORANGE_JUICE_NONCONFORMING, ORANGE_JUICE_SAMPLE_SIZE, PISTON_RINGS_PHASE_1, PISTON_RINGS_PHASE_2 } from './textbook-data.js';

const COLUMNS: ColumnInfo[] = [
  { name: 'timestamp', type: 'TIMESTAMP', group: 'record' },
  { name: 'molding_machine_id', type: 'VARCHAR', group: 'record' },
  { name: 'reject', type: 'BOOLEAN', group: 'record' },
  { name: 'diameter', type: 'DOUBLE', group: 'machine_state' },
];
const START = Date.parse('2025-01-01T00:00:00Z');
const minute = (i: number) => START + i * 60_000;
const round = (v: number | null | undefined, digits: number) => Number(v!.toFixed(digits));

async function load(connection: DuckDBConnection, rows: { diameter: number | null; reject: boolean }[]): Promise<void> {
  await connection.run('DROP TABLE IF EXISTS pack.records');
  await connection.run('CREATE TABLE pack.records ("timestamp" TIMESTAMP, molding_machine_id VARCHAR, reject BOOLEAN, diameter DOUBLE)');
  const values = rows.map((r, i) => `(make_timestamp(${minute(i)}::BIGINT * 1000), 'press-1', ${r.reject}, ${r.diameter ?? 'NULL'})`);
  await connection.run(`INSERT INTO pack.records VALUES ${values.join(', ')}`);
}

describe('textbook control charts on DuckDB', () => {
  let db: Awaited<ReturnType<typeof openDuckDb>>;
  before(async () => {
    db = await openDuckDb();
    await db.connection.run("ATTACH ':memory:' AS pack");
  });
  after(() => db.close());

  it('Montgomery\'s piston rings: X̄-R limits from the 25 preliminary samples, samples 37–39 out of control', async () => {
    const parts = [...PISTON_RINGS_PHASE_1, ...PISTON_RINGS_PHASE_2].flat();
    assert.equal(parts.length, 200);
    await load(db.connection, parts.map((diameter) => ({ diameter, reject: false })));
    const spec: ViewSpec = {
      title: '', chart: 'xbar_r', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'diameter', agg: 'avg' }], split: 'none', filters: {},
      quality: { subgroupSize: 5, baselineFrom: new Date(minute(0)).toISOString(), baselineTo: new Date(minute(125)).toISOString() },
    };
    const query = controlChartSql(spec, COLUMNS, UTC_ZONE);
    const model = controlChartModel(spec, await runQuery(db.connection, query.sql, query.params), UTC_ZONE);
    assert.equal(model.points.length, 40);
    const { limits, spreadLimits } = model.points[0]!;
    // Montgomery prints x̿ = 74.001, UCL = 74.014, LCL = 73.988; qcc's reference output on the same
    // data: x̿ = 74.00118, UCL = 74.0143, LCL = 73.98805, R̄ = 0.02276, R chart 0 to 0.04812 (0.0481 to the digits both agree on).
    assert.deepEqual([round(limits!.center, 3), round(limits!.ucl, 3), round(limits!.lcl, 3)], [74.001, 74.014, 73.988]);
    assert.deepEqual([round(limits!.center, 5), round(limits!.ucl, 4), round(limits!.lcl, 5)], [74.00118, 74.0143, 73.98805]);
    assert.deepEqual([round(spreadLimits!.center, 5), round(spreadLimits!.ucl, 4), spreadLimits!.lcl], [0.02276, 0.0481, 0]);
    const signalling = model.points.flatMap((p, i) => (p.signals.length || p.spreadSignals.length ? [i + 1] : []));
    assert.deepEqual(signalling, [37, 38, 39]);
    assert.deepEqual(model.points[36]!.signals, [1]);
    assert.deepEqual([model.points[36]!.firstRank, model.points[36]!.lastRank], [180, 184]);
  });

  it('Montgomery\'s orange-juice cans: p-chart of 30 samples of 50, samples 15 and 23 above the UCL', async () => {
    const rows = ORANGE_JUICE_NONCONFORMING.flatMap((bad) =>
      Array.from({ length: ORANGE_JUICE_SAMPLE_SIZE }, (_, i) => ({ diameter: 1, reject: i < bad })));
    await load(db.connection, rows);
    const spec: ViewSpec = {
      title: '', chart: 'p_chart', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'none',
      filters: {}, quality: { subgroupBy: 'parts', subgroupSize: ORANGE_JUICE_SAMPLE_SIZE },
    };
    const query = controlChartSql(spec, COLUMNS, UTC_ZONE);
    const model = controlChartModel(spec, await runQuery(db.connection, query.sql, query.params), UTC_ZONE);
    const { limits } = model.points[0]!;
    // Published: p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524.
    assert.deepEqual([round(limits!.center, 4), round(limits!.ucl, 4), round(limits!.lcl, 4)], [0.2313, 0.4102, 0.0524]);
    assert.deepEqual(model.points.flatMap((p, i) => (p.signals.length ? [i + 1] : [])), [15, 23]);
    assert.equal(model.points[14]!.value, 22 / 50);
  });
});
