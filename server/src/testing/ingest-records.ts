// Ingests generated records with the real pipeline (a loopback host, download, both outputs) into a
// store under `dir`: what test fixtures are made from.
import { join } from 'node:path';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import { DatasetStore } from '../dataset/dataset-store.js';
import { writeDataset, type InspectionRecord } from '../generator/generate-dataset.js';
import { ingestDataset } from '../ingest/ingest-dataset.js';
import { routes, startFakeDatasetHost } from './fake-dataset-host.js';

export async function ingestRecords(records: InspectionRecord[], dir: string): Promise<{ store: DatasetStore; metadata: DatasetMetadata }> {
  await writeDataset(join(dir, 'data.json'), records);
  const host = await startFakeDatasetHost({ '/data.json': routes.file(join(dir, 'data.json')) });
  try {
    const store = new DatasetStore(join(dir, 'data'));
    await store.open();
    const metadata = await ingestDataset(store, {
      maxDownloadBytes: 1e9, downloadTimeoutMs: 10_000, userAgent: 'test', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
    }, { url: host.url('/data.json'), allowPrivateNetwork: true });
    return { store, metadata };
  } finally {
    await host.close();
  }
}
