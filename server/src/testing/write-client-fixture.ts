// Makes the client suite's fixture with the server's own ingest: a small pack (the storage format
// DuckDB-WASM must attach) plus its metadata and figures computed straight from the generated JSON.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatasetStore } from '../dataset/dataset-store.js';
import { generateRecords, writeDataset } from '../generator/generate-dataset.js';
import { ingestDataset } from '../ingest/ingest-dataset.js';
import { routes, startFakeDatasetHost } from './fake-dataset-host.js';

const target = resolve(process.argv[2] ?? 'client/test-fixtures');
const work = await mkdtemp(join(tmpdir(), 'moldlens-fixture-'));
const records = [...generateRecords({ records: 1200, seed: 9 })];
await writeDataset(join(work, 'data.json'), records);
const host = await startFakeDatasetHost({ '/data.json': routes.file(join(work, 'data.json')) });
try {
  const store = new DatasetStore(join(work, 'data'));
  await store.open();
  const metadata = await ingestDataset(store, {
    maxDownloadBytes: 1e9, downloadTimeoutMs: 10_000, userAgent: 'fixture', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
  }, { url: host.url('/data.json'), allowPrivateNetwork: true });
  const perPress: Record<string, { sum: number; n: number }> = {};
  let rejects = 0;
  for (const r of records) {
    const press = r['molding_machine_id'] as string;
    const cycle = (r['molding-machine-state'] as Record<string, number>)['CycleTime']!;
    perPress[press] ??= { sum: 0, n: 0 };
    perPress[press].sum += cycle;
    perPress[press].n++;
    if ((r['object_detection'] as { reject: boolean }).reject) rejects++;
  }
  await mkdir(target, { recursive: true });
  await copyFile(store.filePath(metadata.packFile)!, join(target, metadata.packFile));
  await writeFile(join(target, 'fixture.json'), JSON.stringify({
    metadata: { ...metadata, packUrl: `/test-fixtures/${metadata.packFile}` },
    expected: { rows: records.length, rejects, meanCycleTime: Object.fromEntries(Object.entries(perPress).map(([k, v]) => [k, v.sum / v.n])) },
  }, null, 2));
  console.log(`client fixture: ${metadata.rows} rows in ${join(target, metadata.packFile)}`);
} finally {
  await host.close();
  await rm(work, { recursive: true, force: true });
}
