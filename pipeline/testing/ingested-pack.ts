// A pack made by the server's own ingest from generated records, attached as `pack` to a native
// DuckDB connection: what pipeline SQL runs on in the tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { InspectionRecord } from '../../server/src/generator/generate-dataset.js';
import { ingestRecords } from '../../server/src/testing/ingest-records.js';
import type { DatasetMetadata } from '../dataset-metadata.js';
import { quoteLiteral } from '../filter-sql.js';
import { openDuckDb } from './duckdb-result.js';

export interface IngestedPack {
  metadata: DatasetMetadata;
  connection: DuckDBConnection;
  close: () => Promise<void>;
}

export async function openIngestedPack(records: InspectionRecord[]): Promise<IngestedPack> {
  const work = await mkdtemp(join(tmpdir(), 'moldlens-pack-'));
  const { store, metadata } = await ingestRecords(records, work);
  const db = await openDuckDb();
  await db.connection.run(`ATTACH ${quoteLiteral(store.filePath(metadata.packFile)!)} AS pack (READ_ONLY)`);
  return { metadata, connection: db.connection, close: async () => {
    db.close();
    await rm(work, { recursive: true, force: true });
  } };
}
