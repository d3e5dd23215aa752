// A pack made by the server's own ingest from generated records, attached as `pack` to a native
// DuckDB connection: what pipeline SQL runs on in the tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DatasetStore } from '../../server/src/dataset/dataset-store.js';
import { writeDataset, type InspectionRecord } from '../../server/src/generator/generate-dataset.js';
import { ingestDataset } from '../../server/src/ingest/ingest-dataset.js';
import { routes, startFakeDatasetHost } from '../../server/src/testing/fake-dataset-host.js';
import type { DatasetMetadata } from '../dataset-metadata.js';
import { openDuckDb } from './duckdb-result.js';

export interface IngestedPack {
  metadata: DatasetMetadata;
  connection: DuckDBConnection;
  close: () => Promise<void>;
}

export async function openIngestedPack(records: InspectionRecord[]): Promise<IngestedPack> {
  const work = await mkdtemp(join(tmpdir(), 'moldlens-pack-'));
  await writeDataset(join(work, 'data.json'), records);
  const host = await startFakeDatasetHost({ '/data.json': routes.file(join(work, 'data.json')) });
  try {
    const store = new DatasetStore(join(work, 'data'));
    await store.open();
    const metadata = await ingestDataset(store, {
      maxDownloadBytes: 1e9, downloadTimeoutMs: 10_000, userAgent: 'test', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
    }, { url: host.url('/data.json'), allowPrivateNetwork: true });
    const db = await openDuckDb();
    await db.connection.run(`ATTACH '${store.filePath(metadata.packFile)!.replaceAll("'", "''")}' AS pack (READ_ONLY)`);
    return { metadata, connection: db.connection, close: async () => {
      db.close();
      await rm(work, { recursive: true, force: true });
    } };
  } finally {
    await host.close();
  }
}
