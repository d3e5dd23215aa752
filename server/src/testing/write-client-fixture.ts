// Makes the client suite's fixture with the server's own ingest: a small pack (the storage format
// DuckDB-WASM must attach) plus its metadata and figures computed straight from the generated JSON.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateRecords } from '../generator/generate-dataset.js';
import { ingestRecords } from './ingest-records.js';

const target = resolve(process.argv[2] ?? 'client/test-fixtures');
const work = await mkdtemp(join(tmpdir(), 'moldlens-fixture-'));
const records = [...generateRecords({ records: 1200, seed: 9 })];
try {
  const { store, metadata } = await ingestRecords(records, work);
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
  await rm(work, { recursive: true, force: true });
}
