// Standard deviations combined from partial rows (a cube's press × verdict rows) and from a view's
// own query, on NIST's StRD NumAcc4 data set, the textbook test of a variance's numerical accuracy:
// 1,001 values of about 10⁷ (10000000.2, then 10000000.1 and 10000000.3 in turn) whose certified
// standard deviation is 0.1. A second press holds the same values less 10⁷ (NumAcc1, also 0.1):
// shifting every value by one constant, or the schoolbook Σx² − (Σx)²/n, loses every digit of one
// of the two.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ColumnInfo } from './dataset-metadata.js';
import { specToCubeSql, specToSql, type ViewQuery } from './spec-to-sql.js';
import { openDuckDb, runQuery } from './testing/duckdb-result.js';
import type { Split, ViewFilters, ViewSpec } from './view-spec.js';

const NUM_ACC_4 = [10000000.2, ...Array.from({ length: 1000 }, (_, i) => (i % 2 ? 10000000.3 : 10000000.1))];
const NUM_ACC_1 = [0.2, ...Array.from({ length: 1000 }, (_, i) => (i % 2 ? 0.3 : 0.1))];
const CERTIFIED_SD = 0.1;

const COLUMNS: ColumnInfo[] = [
  { name: 'timestamp', type: 'TIMESTAMP', group: 'record' },
  { name: 'molding_machine_id', type: 'VARCHAR', group: 'record' },
  { name: 'reject', type: 'BOOLEAN', group: 'record' },
  { name: 'Weight', type: 'DOUBLE', group: 'machine_state' },
];

/** The sample standard deviation by the two-pass formula. */
function sampleSd(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

describe('standard deviation from partial rows (NIST StRD NumAcc4 and NumAcc1)', () => {
  let db: Awaited<ReturnType<typeof openDuckDb>>;
  before(async () => {
    db = await openDuckDb();
    await db.connection.run(`ATTACH ':memory:' AS pack`);
    // Both verdicts in turn, one day: a press's figure combines its two partial rows, the day's four.
    const rows = [NUM_ACC_4, NUM_ACC_1].flatMap((values, press) => values.map((value, i) =>
      `(TIMESTAMP '2025-11-02 08:00:00' + INTERVAL ${i} SECOND, 'press-${press}', ${i % 3 === 0}, ${value})`));
    await db.connection.run(`CREATE TABLE pack.records AS SELECT * FROM (VALUES ${rows.join(', ')}) AS t("timestamp", molding_machine_id, reject, "Weight")`);
  });
  after(() => db.close());

  const context = { columns: COLUMNS, timeRange: { min: '2025-11-02T08:00:00.000Z', max: '2025-11-02T08:16:40.000Z' } };
  const spec = (split: Split, filters: ViewFilters): ViewSpec =>
    ({ title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, split, y: [{ field: 'Weight', agg: 'stddev' }], filters });
  /** The figures per series, answered from the view's cube and by its own query. */
  async function both(view: ViewSpec): Promise<{ how: string; sd: Map<string | null, number> }[]> {
    const cubed = specToCubeSql(view, context);
    assert.ok(cubed?.cube);
    const answers = [];
    for (const [how, query] of [['cube', cubed], ['direct', specToSql(view, context)]] as [string, ViewQuery][]) {
      if (query.cube) await db.connection.run(`CREATE OR REPLACE TEMP TABLE ${query.cube.name} AS ${query.cube.sql}`);
      const table = await runQuery(db.connection, query.sql, query.params);
      const series = table.getChild('series');
      answers.push({ how, sd: new Map(Array.from({ length: table.numRows }, (_, i) => [(series?.get(i) ?? null) as string | null, table.getChild('y0')!.get(i) as number])) });
    }
    return answers;
  }

  it('matches the certified value per press, whichever press\'s values are far from zero', async () => {
    for (const { how, sd } of await both(spec('press', {}))) {
      assert.deepEqual([...sd.keys()].sort(), ['press-0', 'press-1'], how);
      for (const [press, value] of sd) assert.ok(Math.abs(value - CERTIFIED_SD) < 1e-8, `${how} ${press}: ${value}`);
    }
  });

  it('matches it for one press kept by the filter, and the two-pass figure for both together', async () => {
    for (const { how, sd } of await both(spec('none', { presses: ['press-0'] }))) {
      assert.ok(Math.abs(sd.get(null)! - CERTIFIED_SD) < 1e-8, `${how}: ${sd.get(null)}`);
    }
    const expected = sampleSd([...NUM_ACC_4, ...NUM_ACC_1]);
    for (const { how, sd } of await both(spec('none', {}))) {
      assert.ok(Math.abs(sd.get(null)! - expected) < 1e-9 * expected, `${how}: ${sd.get(null)} vs ${expected}`);
    }
  });
});
