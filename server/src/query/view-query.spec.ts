// The server answering views while a browser's engine starts: real ingest of generated data, real
// HTTP on loopback, native DuckDB over the pack, Arrow IPC decoded and compared with the JSON.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import type { ViewSpec } from '../../../pipeline/view-spec.js';
import { generateRecords, writeDataset, type InspectionRecord } from '../generator/generate-dataset.js';
import type { RunningServer } from '../start-server.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { startTestServer } from '../testing/test-server.js';
import { ARROW_STREAM_TYPE, VIEW_QUERY_ROUTE } from '../http/view-query-route.js';
import { QueryRefusal, ViewQueryService } from './view-query-service.js';

const countPerPress: ViewSpec = {
  title: '', chart: 'bar', x: { kind: 'field', field: 'molding_machine_id' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {},
};
const meanCycleTime: ViewSpec = { ...countPerPress, y: [{ field: 'CycleTime', agg: 'avg' }], filters: { reject: true } };

describe('POST /api/view-query', () => {
  let dir: string;
  let host: FakeDatasetHost;
  let server: RunningServer;
  let records: InspectionRecord[];
  let dataset: DatasetMetadata;
  const post = (body: unknown) => fetch(`${server.url}${VIEW_QUERY_ROUTE}`, {
    method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-view-query-'));
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
    const response = await post({ sha256: dataset.sha256, spec: countPerPress, zone: 'Europe/Berlin' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), ARROW_STREAM_TYPE);
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    const counts = new Map<string, number>();
    for (const r of records) counts.set(r['molding_machine_id'] as string, (counts.get(r['molding_machine_id'] as string) ?? 0) + 1);
    const got = new Map(Array.from({ length: table.numRows }, (_, i) => [String(table.getChild('x')!.get(i)), Number(table.getChild('y0')!.get(i))]));
    assert.deepEqual(got, counts);
  });

  it('binds filter values and averages like the browser does', async () => {
    const table = tableFromIPC(new Uint8Array(await (await post({ sha256: dataset.sha256, spec: meanCycleTime, zone: 'UTC' })).arrayBuffer()));
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

  it('refuses hostile and stale requests in words, never running SQL text', async () => {
    const hostile = await post({ sha256: dataset.sha256, spec: { ...countPerPress, y: [{ field: 'x"); DROP TABLE records; --', agg: 'avg' }] } });
    assert.equal(hostile.status, 400);
    assert.match((await hostile.json() as { error: string }).error, /no field/);
    const sqlText = await post({ sha256: dataset.sha256, sql: 'SELECT * FROM pack.records' });
    assert.equal(sqlText.status, 400);
    const stale = await post({ sha256: 'f'.repeat(64), spec: countPerPress });
    assert.equal(stale.status, 409);
    assert.match((await stale.json() as { error: string }).error, /different dataset/);
    const notJson = await fetch(`${server.url}${VIEW_QUERY_ROUTE}`, { method: 'POST', body: 'x'.repeat(100_000), headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.status, 413);
  });

  it('caps the result size and the number of queries at once', async () => {
    const packPath = (file: string) => server.store.filePath(file);
    const small = new ViewQueryService(() => dataset, packPath, { concurrent: 1, queued: 0, timeoutMs: 10_000, maxRows: 2, maxBytes: 1 << 20 });
    await assert.rejects(small.run({ sha256: dataset.sha256, spec: countPerPress }), (e: unknown) => e instanceof QueryRefusal && e.status === 413);
    const one = new ViewQueryService(() => dataset, packPath, { concurrent: 1, queued: 1, timeoutMs: 10_000, maxRows: 100, maxBytes: 1 << 20 });
    const request = { sha256: dataset.sha256, spec: countPerPress };
    const results = await Promise.allSettled([one.run(request), one.run(request), one.run(request)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected'], 'one runs, one waits its turn, the third is refused');
    assert.equal(((results[2] as PromiseRejectedResult).reason as QueryRefusal).status, 503);
    small.close();
    one.close();
  });
});
