// Standard deviations combined from partial rows (a cube's press × verdict rows, or a view's own
// groups) on NIST's StRD NumAcc4 data set, the textbook test of a variance's numerical accuracy:
// 1,001 values of about 10⁷ (10000000.2, then 10000000.1 and 10000000.3 in turn) whose certified
// standard deviation is 0.1. The schoolbook Σx² − (Σx)²/n loses every digit there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ColumnInfo } from './dataset-metadata.js';
import { specToCubeSql, specToSql, type ViewQuery } from './spec-to-sql.js';
import { openDuckDb, runQuery } from './testing/duckdb-result.js';
import type { ViewSpec } from './view-spec.js';

const NUM_ACC_4 = [10000000.2, ...Array.from({ length: 1000 }, (_, i) => (i % 2 ? 10000000.3 : 10000000.1))];
const CERTIFIED_SD = 0.1;

const COLUMNS: ColumnInfo[] = [
  { name: 'timestamp', type: 'TIMESTAMP', group: 'record' },
  { name: 'molding_machine_id', type: 'VARCHAR', group: 'record' },
  { name: 'reject', type: 'BOOLEAN', group: 'record' },
  { name: 'Weight', type: 'DOUBLE', group: 'machine_state' },
];

describe('standard deviation from partial rows (NIST StRD NumAcc4)', () => {
  let db: Awaited<ReturnType<typeof openDuckDb>>;
  before(async () => {
    db = await openDuckDb();
    await db.connection.run(`ATTACH ':memory:' AS pack`);
    // Two presses and both verdicts in turn, one day: the day's figure combines four partial rows.
    const rows = NUM_ACC_4.map((value, i) =>
      `(TIMESTAMP '2025-11-02 08:00:00' + INTERVAL ${i} SECOND, 'press-${i % 2}', ${i % 3 === 0}, ${value})`);
    await db.connection.run(`CREATE TABLE pack.records AS SELECT * FROM (VALUES ${rows.join(', ')}) AS t("timestamp", molding_machine_id, reject, "Weight")`);
  });
  after(() => db.close());

  const spec: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, split: 'none', y: [{ field: 'Weight', agg: 'stddev' }], filters: {} };
  const context = { columns: COLUMNS, timeRange: { min: '2025-11-02T08:00:00.000Z', max: '2025-11-02T08:16:40.000Z' } };
  const stddevOf = async (query: ViewQuery) => {
    if (query.cube) await db.connection.run(`CREATE OR REPLACE TEMP TABLE ${query.cube.name} AS ${query.cube.sql}`);
    const table = await runQuery(db.connection, query.sql, query.params);
    assert.equal(table.numRows, 1);
    return table.getChild('y0')!.get(0) as number;
  };

  it('matches the certified value to eight digits, from a cube of press × verdict rows and from the view\'s own query', async () => {
    const cubed = specToCubeSql(spec, context);
    assert.ok(cubed?.cube);
    for (const [how, query] of [['cube', cubed], ['direct', specToSql(spec, context)]] as const) {
      const sd = await stddevOf(query);
      assert.ok(Math.abs(sd - CERTIFIED_SD) < 1e-8, `${how}: ${sd}`);
    }
  });
});
