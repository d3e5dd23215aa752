// Guards the storage-format match: DuckDB-WASM (the browser's engine) must attach the pack that
// this server's native DuckDB writes. Runs duckdb-wasm's Node build on a freshly ingested pack.
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { DatasetStore } from '../dataset/dataset-store.js';
import { generateRecords, writeDataset } from '../generator/generate-dataset.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { ingestDataset } from './ingest-dataset.js';

const require = createRequire(import.meta.url);

describe('browser pack', () => {
  let dir: string;
  let host: FakeDatasetHost;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-wasm-'));
    await writeDataset(join(dir, 'data.json'), generateRecords({ records: 800, seed: 5 }));
    host = await startFakeDatasetHost({ '/data.json': routes.file(join(dir, 'data.json')) });
  });
  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('attaches read-only in DuckDB-WASM and answers queries', async () => {
    const store = new DatasetStore(join(dir, 'data'));
    await store.open();
    const metadata = await ingestDataset(store, {
      maxDownloadBytes: 1e9, downloadTimeoutMs: 5000, userAgent: 'test', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
    }, { url: host.url('/data.json'), allowPrivateNetwork: true });

    const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
    const db = await duckdb.createDuckDB({
      mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
    }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate();
    db.open({});
    const connection = db.connect();
    db.registerFileBuffer('pack.duckdb', new Uint8Array(await readFile(store.filePath(metadata.packFile)!)));
    connection.query(`ATTACH 'pack.duckdb' AS pack (READ_ONLY)`);
    const [row] = connection.query(`SELECT count(*)::INTEGER AS n, count(DISTINCT molding_machine_id)::INTEGER AS presses,
      strftime(min("timestamp"), '%Y-%m-%dT%H:%M:%S.%gZ') AS first FROM pack.records`).toArray().map((r) => (r as { toJSON(): unknown }).toJSON());
    assert.deepEqual(row, { n: 800, presses: 3, first: metadata.timeRange.min });
    connection.close();
  });
});
