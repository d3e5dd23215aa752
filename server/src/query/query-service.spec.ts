// The server answering the app's queries (while a browser's engine starts, or for a device that does
// not keep the dataset): real ingest of generated data, real HTTP on loopback, native DuckDB over the
// pack, Arrow IPC decoded and compared with the JSON.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import { QUERY_ROWS_VERSION } from '../../../pipeline/query-request.js';
import type { ViewSpec } from '../../../pipeline/view-spec.js';
import { generateRecords, writeDataset, type InspectionRecord } from '../generator/generate-dataset.js';
import type { RunningServer } from '../start-server.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { startTestServer } from '../testing/test-server.js';
import { ARROW_STREAM_TYPE, QUERY_ROUTE } from '../http/query-route.js';
import { QueryRefusal, QueryService } from './query-service.js';

const countPerPress: ViewSpec = {
  title: '', chart: 'bar', x: { kind: 'field', field: 'molding_machine_id' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {},
};
const meanCycleTime: ViewSpec = { ...countPerPress, y: [{ field: 'CycleTime', agg: 'avg' }], filters: { reject: true } };

describe('POST /api/query', () => {
  let dir: string;
  let host: FakeDatasetHost;
  let server: RunningServer;
  let records: InspectionRecord[];
  let dataset: DatasetMetadata;
  /** Posts `body` as this release's browser would: with its rows version, unless the body names one. */
  const post = (body: object) => fetch(`${server.url}${QUERY_ROUTE}`, {
    method: 'POST', body: JSON.stringify({ rowsVersion: QUERY_ROWS_VERSION, ...body }), headers: { 'content-type': 'application/json' },
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-query-'));
    records = [...generateRecords({ records: 1500, seed: 9 })];
    await writeDataset(join(dir, 'a.json'), records);
    host = await startFakeDatasetHost({ '/a.json': routes.file(join(dir, 'a.json')) });
    server = await startTestServer(dir, { datasetUrl: host.url('/a.json') });
    dataset = server.store.current()!;
  });
  after(async () => {
    await server.close();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a view spec with Arrow IPC whose figures match the JSON', async () => {
    const response = await post({ sha256: dataset.sha256, kind: 'view', spec: countPerPress, zone: 'Europe/Berlin' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), ARROW_STREAM_TYPE);
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    const counts = new Map<string, number>();
    for (const r of records) counts.set(r['molding_machine_id'] as string, (counts.get(r['molding_machine_id'] as string) ?? 0) + 1);
    const got = new Map(Array.from({ length: table.numRows }, (_, i) => [String(table.getChild('x')!.get(i)), Number(table.getChild('y0')!.get(i))]));
    assert.deepEqual(got, counts);
  });

  it('binds filter values and averages like the browser does', async () => {
    const table = tableFromIPC(new Uint8Array(await (await post({ sha256: dataset.sha256, kind: 'view', spec: meanCycleTime, zone: 'UTC' })).arrayBuffer()));
    const sums = new Map<string, { sum: number; n: number }>();
    for (const r of records.filter((r) => (r['object_detection'] as { reject: boolean }).reject)) {
      const press = r['molding_machine_id'] as string;
      const entry = sums.get(press) ?? { sum: 0, n: 0 };
      entry.sum += (r['molding-machine-state'] as Record<string, number>)['CycleTime']!;
      entry.n++;
      sums.set(press, entry);
    }
    assert.equal(table.numRows, sums.size);
    for (let i = 0; i < table.numRows; i++) {
      const want = sums.get(String(table.getChild('x')!.get(i)))!;
      assert.ok(Math.abs(Number(table.getChild('y0')!.get(i)) - want.sum / want.n) < 1e-9);
    }
  });

  it('sends a view\'s pre-aggregated table: its partial rows per press and verdict, as the JSON has them', async () => {
    const response = await post({ sha256: dataset.sha256, kind: 'cube', spec: meanCycleTime, zone: 'UTC' });
    assert.equal(response.status, 200);
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    // Whatever the view's verdict filter, the table keeps both verdicts: a filter change reads it.
    const expected = new Map<string, { n: number; sum: number }>();
    for (const r of records) {
      const key = `${r['molding_machine_id'] as string}|${(r['object_detection'] as { reject: boolean }).reject}`;
      const entry = expected.get(key) ?? { n: 0, sum: 0 };
      entry.n++;
      entry.sum += (r['molding-machine-state'] as Record<string, number>)['CycleTime']!;
      expected.set(key, entry);
    }
    assert.equal(table.numRows, expected.size);
    for (let i = 0; i < table.numRows; i++) {
      const want = expected.get(`${String(table.getChild('k_press')!.get(i))}|${String(table.getChild('k_reject')!.get(i))}`)!;
      assert.equal(Number(table.getChild('y0_n')!.get(i)), want.n);
      assert.ok(Math.abs(Number(table.getChild('y0_s')!.get(i)) - want.sum) < 1e-6);
    }
    const median = await post({ sha256: dataset.sha256, kind: 'cube', spec: { ...countPerPress, y: [{ field: 'CycleTime', agg: 'median' }] }, zone: 'UTC' });
    assert.equal(median.status, 400);
    assert.match((await median.json() as { error: string }).error, /no pre-aggregated table/);
  });

  it('refuses hostile and stale requests in words, never running SQL text', async () => {
    const hostile = await post({ sha256: dataset.sha256, kind: 'view', spec: { ...countPerPress, y: [{ field: 'x"); DROP TABLE records; --', agg: 'avg' }] } });
    assert.equal(hostile.status, 400);
    assert.match((await hostile.json() as { error: string }).error, /no field/);
    const sqlText = await post({ sha256: dataset.sha256, sql: 'SELECT * FROM pack.records' });
    assert.equal(sqlText.status, 400);
    const stale = await post({ sha256: 'f'.repeat(64), kind: 'view', spec: countPerPress });
    assert.equal(stale.status, 409);
    assert.match((await stale.json() as { error: string }).error, /different dataset/);
    // A page cached from another release (or one from before the rows had a version) reads rows another way.
    for (const rowsVersion of [QUERY_ROWS_VERSION - 1, QUERY_ROWS_VERSION + 1, undefined]) {
      const otherRelease = await post({ sha256: dataset.sha256, kind: 'view', spec: countPerPress, zone: 'UTC', rowsVersion });
      assert.equal(otherRelease.status, 409, String(rowsVersion));
      assert.match((await otherRelease.json() as { error: string }).error, /another release of MoldLens.*reload/);
    }
    const notJson = await fetch(`${server.url}${QUERY_ROUTE}`, { method: 'POST', body: 'x'.repeat(100_000), headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 413);
  });

  it('answers a view whose filters leave no press with no rows', async () => {
    const table = tableFromIPC(new Uint8Array(await (await post({ sha256: dataset.sha256, kind: 'view', zone: 'UTC',
      spec: { ...countPerPress, filters: { presses: [] } } })).arrayBuffer()));
    assert.equal(table.numRows, 0);
  });

  const rejectedOf = (press: string) => records.filter((r) => r['molding_machine_id'] === press && (r['object_detection'] as { reject: boolean }).reject);
  const parts = { filters: { presses: ['molding-machine-1'], reject: true }, scope: { kind: 'all' }, fields: ['CycleTime'],
    sort: { field: 'CycleTime', descending: true }, page: 1 };

  it('lists parts: a page, how many, and all of them for a CSV, as the JSON has them', async () => {
    const rejected = rejectedOf('molding-machine-1');
    const cycles = rejected.map((r) => (r['molding-machine-state'] as Record<string, number | null>)['CycleTime'] ?? null);
    const sorted = [...cycles.filter((c): c is number => c !== null).sort((a, b) => b - a), ...cycles.filter((c) => c === null)];
    const read = async (rows: string) => tableFromIPC(new Uint8Array(await (await post({ sha256: dataset.sha256, kind: 'parts', parts, rows })).arrayBuffer()));
    assert.equal(Number((await read('count')).getChild('parts')!.get(0)), rejected.length);
    const page = await read('page');
    assert.deepEqual(Array.from({ length: page.numRows }, (_, i) => page.getChild('CycleTime')!.get(i)), sorted.slice(50, 100));
    const all = await read('export');
    assert.equal(all.numRows, rejected.length);
    assert.ok(Array.from({ length: all.numRows }, (_, i) => all.getChild('reject')!.get(i)).every((v) => v === true));
  });

  it('compares rejected and accepted parts and counts the verdicts per defect type', async () => {
    const stats = tableFromIPC(new Uint8Array(await (await post({ sha256: dataset.sha256, kind: 'compare-stats',
      filters: { presses: ['molding-machine-1'] }, fields: ['CycleTime'] })).arrayBuffer()));
    assert.equal(Number(stats.getChild('rejected_n')!.get(0)), rejectedOf('molding-machine-1').length);
    const verdicts = tableFromIPC(new Uint8Array(await (await post({ sha256: dataset.sha256, kind: 'defect-verdicts' })).arrayBuffer()));
    const flags = dataset.columns.filter((c) => c.group === 'defect' && c.measure === 'reject' && c.type === 'BOOLEAN');
    flags.forEach((flag, i) => {
      const judged = records.filter((r) => typeof (r['object_detection'] as Record<string, { reject?: boolean }>)[`${flag.defectType}_defect`]?.reject === 'boolean').length;
      assert.equal(Number(verdicts.getChild(`c${i}`)!.get(0)), judged, flag.name);
    });
  });

  it('refuses parts and comparisons that name fields the dataset does not have, in words', async () => {
    for (const body of [
      { kind: 'parts', parts: { ...parts, fields: ['nope'] }, rows: 'page' },
      { kind: 'parts', parts: { ...parts, filters: { ranges: [{ field: 'nope', min: 1 }] } }, rows: 'count' },
      { kind: 'parts', parts, rows: 'everything' },
      { kind: 'compare-stats', filters: {}, fields: ['molding_machine_id'] },
      { kind: 'compare-histograms', filters: {}, fields: 'CycleTime' },
      { kind: 'sql', sql: 'SELECT 1' },
    ]) {
      const response = await post({ sha256: dataset.sha256, ...body });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match((await response.json() as { error: string }).error, /^this query cannot be run: /, JSON.stringify(body));
    }
  });

  it('caps the result size and the number of queries at once', async () => {
    const packPath = (file: string) => server.store.filePath(file);
    const small = new QueryService(() => dataset, packPath, { concurrent: 1, queued: 0, timeoutMs: 10_000, maxRows: 2, maxBytes: 1 << 20 });
    await assert.rejects(small.run({ sha256: dataset.sha256, rowsVersion: QUERY_ROWS_VERSION, kind: 'view', spec: countPerPress }), (e: unknown) => e instanceof QueryRefusal && e.status === 413);
    const one = new QueryService(() => dataset, packPath, { concurrent: 1, queued: 1, timeoutMs: 10_000, maxRows: 100, maxBytes: 1 << 20 });
    const request = { sha256: dataset.sha256, rowsVersion: QUERY_ROWS_VERSION, kind: 'view', spec: countPerPress };
    const results = await Promise.allSettled([one.run(request), one.run(request), one.run(request)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected'], 'one runs, one waits its turn, the third is refused');
    assert.equal(((results[2] as PromiseRejectedResult).reason as QueryRefusal).status, 503);
    small.close();
    one.close();
  });
});
