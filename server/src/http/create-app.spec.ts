import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import { generateRecords, writeDataset } from '../generator/generate-dataset.js';
import { startupDatasetUrl, type RunningServer } from '../start-server.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { postIngest as postIngestTo, startTestServer, waitForIngest } from '../testing/test-server.js';

describe('HTTP API', () => {
  let dir: string;
  let host: FakeDatasetHost;
  let server: RunningServer;
  const api = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  const postIngest = (body: unknown, token?: string | null) => postIngestTo(server, body, token);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-http-'));
    await writeDataset(join(dir, 'a.json'), generateRecords({ records: 500, seed: 1 }));
    await writeDataset(join(dir, 'b.json'), generateRecords({ records: 700, seed: 2 }));
    host = await startFakeDatasetHost({
      '/a.json': routes.file(join(dir, 'a.json')),
      '/b.json': routes.file(join(dir, 'b.json')),
      '/slow.json': routes.stall('['),
    });
    server = await startTestServer(dir, { datasetUrl: host.url('/missing.json'), downloadTimeoutMs: 2000 });
  });
  after(async () => {
    await server.close();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports health', async () => {
    const response = await api('/api/health');
    assert.equal(response.status, 200);
    assert.equal((await response.json() as { status: string }).status, 'ok');
  });

  it('answers 404 with the failed start-up ingest and how to set a URL when nothing is ingested', async () => {
    const response = await api('/api/dataset');
    assert.equal(response.status, 404);
    const body = await response.json() as { error: string; hint: string };
    assert.match(body.error, /HTTP 404/);
    assert.match(body.hint, /DATASET_URL/);
  });

  it('guards the ingest endpoint: token, URL scheme, JSON body', async () => {
    assert.equal((await postIngest({ url: host.url('/a.json') }, null)).status, 401);
    assert.equal((await postIngest({ url: host.url('/a.json') }, 'wrong-token-0000000000')).status, 401);
    const scheme = await postIngest({ url: 'file:///etc/passwd' });
    assert.equal(scheme.status, 400);
    assert.match((await scheme.json() as { error: string }).error, /only http and https/);
    assert.equal((await postIngest({ link: 'x' })).status, 400);
  });

  it('ingests through the endpoint, one at a time, and publishes the dataset', async () => {
    const started = await postIngest({ url: host.url('/a.json') });
    assert.equal(started.status, 202);
    await waitForIngest(server);
    assert.equal(server.ingest.status().state, 'succeeded');
    const response = await api('/api/dataset');
    assert.equal(response.status, 200);
    const dataset = await response.json() as DatasetMetadata;
    assert.equal(dataset.rows, 500);
    assert.equal(dataset.sourceUrl, host.url('/a.json'));
    assert.ok(dataset.columns.some((c) => c.name === 'CycleTime' && c.group === 'machine_state' && c.type === 'DOUBLE'));
    assert.ok(dataset.timeRange.min && dataset.timeRange.max && dataset.timeRange.min < dataset.timeRange.max);
    assert.equal(dataset.machines.length, 3);

    const slow = await postIngest({ url: host.url('/slow.json') });
    assert.equal(slow.status, 202);
    assert.equal((await postIngest({ url: host.url('/b.json') })).status, 409);
    const status = await (await api('/api/ingest/status')).json() as { state: string };
    assert.equal(status.state, 'running');
    await waitForIngest(server);
    const after = await (await api('/api/dataset')).json() as DatasetMetadata & { lastIngestError: string };
    assert.equal(after.sha256, dataset.sha256, 'the failed ingest left the dataset in place');
    assert.match(after.lastIngestError, /timeout/);
  });

  it('serves the pack and the Parquet with strong ETags, ranges and immutable caching', async () => {
    const dataset = await (await api('/api/dataset')).json() as DatasetMetadata;
    for (const url of [dataset.packUrl, dataset.parquetUrl]) {
      const full = await api(url);
      assert.equal(full.status, 200);
      const etag = full.headers.get('etag')!;
      assert.match(etag, /^"[0-9a-f]{64}"$/);
      assert.match(full.headers.get('cache-control')!, /immutable/);
      assert.equal(full.headers.get('accept-ranges'), 'bytes');
      const bytes = new Uint8Array(await full.arrayBuffer());
      assert.equal(bytes.length, url === dataset.packUrl ? dataset.packBytes : dataset.parquetBytes);

      const head = await api(url, { method: 'HEAD', headers: { range: 'bytes=0-' } });
      assert.equal(head.status, 206);
      assert.equal(head.headers.get('content-range'), `bytes 0-${bytes.length - 1}/${bytes.length}`);

      const part = await api(url, { headers: { range: 'bytes=4-11' } });
      assert.equal(part.status, 206);
      assert.deepEqual(new Uint8Array(await part.arrayBuffer()), bytes.subarray(4, 12));
      assert.equal((await api(url, { headers: { range: `bytes=${bytes.length + 5}-` } })).status, 416);
      assert.equal((await api(url, { headers: { 'if-none-match': etag } })).status, 304);
    }
  });

  it('refuses file names that are not published files', async () => {
    for (const path of ['/api/files/..%2Fdataset.json', '/api/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd', `/api/files/${'0'.repeat(64)}.duckdb`]) {
      assert.equal((await api(path)).status, 404, path);
    }
  });

  it('answers 403 on the ingest endpoint when no token is configured', async () => {
    const open = await startTestServer(join(dir, 'other'), { datasetUrl: host.url('/missing.json'), ingestToken: null });
    try {
      const response = await fetch(`${open.url}/api/ingest`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 403);
    } finally {
      await open.close();
    }
  });
});

describe('startupDatasetUrl', () => {
  it('ingests DATASET_URL once, and the reference dataset only when nothing is published', () => {
    assert.equal(startupDatasetUrl('http://a/x.json', null), 'http://a/x.json');
    assert.equal(startupDatasetUrl('http://a/x.json', 'http://a/x.json'), null);
    assert.equal(startupDatasetUrl('http://a/y.json', 'http://a/x.json'), 'http://a/y.json');
    assert.equal(startupDatasetUrl(null, 'http://a/x.json'), null);
    assert.equal(startupDatasetUrl(null, null), 'https://static.krevera.com/dataset.json');
  });
});
