// The table of values on number texts JSON.stringify never writes but other writers do (Python
// writes 0.0 for a float that is whole): whole numbers with a point still load from the table, as
// BIGINT; an exponent leaves the file to the JSON path; both give the numbers the JSON holds.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { queryFile } from '../testing/duckdb-query.js';
import { ColumnDiscovery } from './column-discovery.js';
import { convertToDuckDb } from './convert-to-duckdb.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { ValueTable } from './value-table.js';

describe('table of values', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'moldlens-values-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  /**
   * Ingests `records` (JSON text of each) as the worker and the conversion do; the stored rows and the
   * path taken. `viaJson`: without the table, as the ingest does when it gives the table up.
   */
  async function ingest(name: string, records: string[], viaJson = false) {
    const text = `[\n${records.join(',\n')}\n]`;
    const source = join(dir, `${name}.json`);
    await writeFile(source, text);
    const discovery = new ColumnDiscovery();
    const table = new ValueTable(join(dir, `${name}.csv`));
    const splitter = new JsonArraySplitter((record, scanned) => {
      table.add(discovery.addBytes(record, 0, record.length, scanned), record, discovery.scanner);
    }, discovery.scanner);
    splitter.push(Buffer.from(text));
    splitter.end();
    const schema = discovery.finish();
    const parquetPath = join(dir, `${name}.parquet`);
    const { fromValueTable } = await convertToDuckDb({
      sourcePath: source, sourceLayout: 'nested-array', schema, valueTable: viaJson ? null : table.finish(),
      packPath: join(dir, `${name}.duckdb`), parquetPath, tempDir: dir, memoryLimit: '128MB', threads: 1,
    });
    const rows = await queryFile((src) => `SELECT * FROM ${src} ORDER BY "id"`, parquetPath);
    return { rows, fromValueTable, types: Object.fromEntries(schema.columns.map((c) => [c.name, c.type])) };
  }

  it('loads whole numbers written with a point (0.0, -0.0, 25.000) from the table, as BIGINT', async () => {
    const { rows, fromValueTable, types } = await ingest('points', [
      '{"id": 1, "min_value": 0.0, "max_value": 1.0, "count": 25.000, "ratio": 0.5}',
      '{"id": 2, "min_value": -0.0, "max_value": 1, "count": 7, "ratio": 2.0}',
    ]);
    assert.equal(fromValueTable, true);
    assert.deepEqual(types, { id: 'BIGINT', min_value: 'BIGINT', max_value: 'BIGINT', count: 'BIGINT', ratio: 'DOUBLE' });
    assert.deepEqual(rows, [
      { id: 1n, min_value: 0n, max_value: 1n, count: 25n, ratio: 0.5 },
      { id: 2n, min_value: 0n, max_value: 1n, count: 7n, ratio: 2 },
    ]);
  });

  // Found by review; each stored a different number than the JSON path before its fix.
  it('stores what the JSON path stores for numbers near a double\'s precision and for -0', async () => {
    const records = [
      '{"id": 1, "big": 9999999999999999.0, "half": 9007199254740993.5, "zero": -0, "x": 0.5}',
      '{"id": 2, "big": 1, "half": 2, "zero": 1.5, "x": 1}',
    ];
    const fromTable = await ingest('precision', records);
    const fromJson = await ingest('precision-json', records, true);
    assert.deepEqual(fromTable.rows, fromJson.rows);
    assert.equal(1 / (fromTable.rows[0]!['zero'] as number), Infinity, '-0 is stored as 0, as the JSON path does');
  });

  it('leaves a whole number with an exponent to the JSON path, which stores the same number', async () => {
    const { rows, fromValueTable } = await ingest('exponent', ['{"id": 1, "count": 1e3}', '{"id": 2, "count": 12}']);
    assert.equal(fromValueTable, false);
    assert.deepEqual(rows, [{ id: 1n, count: 1000n }, { id: 2n, count: 12n }]);
  });
});
