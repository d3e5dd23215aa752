import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DatasetStore } from '../dataset/dataset-store.js';
import { generateRecords, writeDataset } from '../generator/generate-dataset.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import type { IngestConfig } from './ingest-dataset.js';
import { IngestService } from './ingest-service.js';

const config: IngestConfig = {
  maxDownloadBytes: 1e9, downloadTimeoutMs: 5000, userAgent: 'test', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
};
const DYING_WORKER = new URL('../testing/dying-discovery-worker.js', import.meta.url);

describe('IngestService when the discovery worker dies', () => {
  let dir: string;
  let host: FakeDatasetHost;
  let store: DatasetStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-service-'));
    // 3,000 records are ≈15 MB: the worker gets its first batch while the download is still going.
    await writeDataset(join(dir, 'large.json'), generateRecords({ records: 3000, seed: 4 }));
    await writeDataset(join(dir, 'small.json'), generateRecords({ records: 50, seed: 4 }));
    host = await startFakeDatasetHost({
      '/large.json': routes.file(join(dir, 'large.json')), '/small.json': routes.file(join(dir, 'small.json')),
    });
    store = new DatasetStore(join(dir, 'data'));
    await store.open();
  });
  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [when, path] of [['mid-download', '/large.json'], ['at the end of the download', '/small.json']] as const) {
    it(`fails the ingest with a clear message and returns to idle (${when})`, async () => {
      const service = new IngestService(store, config, () => {});
      await assert.rejects(service.run(host.url(path), true, { discoveryWorker: DYING_WORKER }),
        /column discovery stopped unexpectedly \(its worker exited with code 70\)/);
      const status = service.status();
      assert.equal(status.state, 'failed');
      assert.match(status.error!, /column discovery stopped unexpectedly/);
      assert.deepEqual(await readdir(store.tempDir), [], 'temp files are removed');

      const metadata = await service.run(host.url(path), true);
      assert.equal(metadata.rows, path === '/large.json' ? 3000 : 50);
      assert.equal(service.status().state, 'succeeded');
    });
  }
});
