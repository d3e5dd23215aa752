// One ingest, start to end: download while discovering columns, convert with DuckDB, publish.
// Anything that fails leaves the published dataset untouched and its temp files removed. It runs
// under the data directory's ingest lock, so a second ingest (server or CLI) refuses instead of
// mixing its files with this one's.
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import type { ServerConfig } from '../config.js';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import type { DatasetStore } from '../dataset/dataset-store.js';
import { convertToDuckDb, type ConvertResult } from './convert-to-duckdb.js';
import { download } from './download.js';
import { flattenRecords } from './flatten-records.js';
import { DatasetFormatError } from './json-array-splitter.js';
import { ParallelDiscovery } from './parallel-discovery.js';
import type { ValueTableFile } from './value-table.js';

export type IngestPhase = 'downloading' | 'converting' | 'publishing';

export interface IngestProgress {
  phase: IngestPhase;
  bytes: number;
  totalBytes: number | null;
  records: number;
}

export interface IngestRequest {
  url: string;
  allowPrivateNetwork: boolean;
  onProgress?: (progress: IngestProgress) => void;
  log?: (line: string) => void;
  /** The column discovery worker script; tests substitute one that dies. */
  discoveryWorker?: URL;
  /** Convert and publish even when the download is identical to the published dataset (`--force`). */
  rebuild?: boolean;
}

export type IngestConfig = Pick<ServerConfig,
  'maxDownloadBytes' | 'downloadTimeoutMs' | 'userAgent' | 'duckdbMemoryLimit' | 'duckdbThreads'>;

const MB = 1024 * 1024;

export async function ingestDataset(store: DatasetStore, config: IngestConfig, request: IngestRequest): Promise<DatasetMetadata> {
  const lock = await store.lockForIngest(request.url);
  try {
    return await ingestLocked(store, config, request);
  } finally {
    await lock.release();
  }
}

/**
 * A conversion DuckDB refused, said in words (the engine's own message is logged and kept as the
 * cause); `rewritten`: it failed on the records rewritten one by one.
 */
function unconvertible(error: unknown, rewritten: boolean, config: IngestConfig, log: (line: string) => void): Error {
  const message = (error as Error).message;
  log(`conversion failed: ${message}`);
  const unchanged = 'the published dataset is unchanged';
  if (/^Out of Memory Error/.test(message)) {
    return new Error(`DuckDB ran out of memory converting the records (DUCKDB_MEMORY_LIMIT ${config.duckdbMemoryLimit}, ` +
      `DUCKDB_THREADS ${config.duckdbThreads}): raise the limit${config.duckdbThreads > 1 ? ' or use fewer threads' : ''}; ${unchanged}`, { cause: error });
  }
  if (/^IO Error/.test(message)) return new Error(`DuckDB could not write the converted files (is the disk full?); ${unchanged}`, { cause: error });
  if (rewritten) return new DatasetFormatError(`DuckDB could not store the records, even after rewriting each one; ${unchanged}`, { cause: error });
  return new Error(`DuckDB could not convert the records (the server's log has its message); ${unchanged}`, { cause: error });
}

/** True when the published dataset came from these very bytes and its files are all there. */
function isPublishedAlready(store: DatasetStore, sha256: string): boolean {
  const current = store.current();
  return current !== null && current.sha256 === sha256 &&
    [current.parquetFile, current.packFile].every((file) => existsSync(store.filePath(file)!));
}

async function ingestLocked(store: DatasetStore, config: IngestConfig, request: IngestRequest): Promise<DatasetMetadata> {
  const log = request.log ?? (() => {});
  const startedAt = Date.now();
  const progress: IngestProgress = { phase: 'downloading', bytes: 0, totalBytes: null, records: 0 };
  const report = () => request.onProgress?.({ ...progress });
  const downloadPath = store.tempPath('.json');
  const flatPath = store.tempPath('.ndjson');
  const packPath = store.tempPath('.duckdb');
  const parquetPath = store.tempPath('.parquet');
  const duckdbTemp = store.tempPath('.spill');
  const valueTablePath = store.tempPath('.csv');
  const discovery = new ParallelDiscovery(request.discoveryWorker, valueTablePath);
  let lastLog = startedAt;

  try {
    log(`downloading ${request.url}`);
    const downloaded = await download({
      url: request.url, targetPath: downloadPath, userAgent: config.userAgent, maxBytes: config.maxDownloadBytes,
      idleTimeoutMs: config.downloadTimeoutMs, allowPrivateNetwork: request.allowPrivateNetwork,
      onChunk: (chunk) => {
        discovery.push(chunk);
        return discovery.ready();
      },
      onProgress: (bytes, totalBytes) => {
        Object.assign(progress, { bytes, totalBytes, records: discovery.records });
        const now = Date.now();
        if (now - lastLog >= 1000) {
          lastLog = now;
          const seconds = (now - startedAt) / 1000;
          const total = totalBytes ? ` of ${(totalBytes / MB).toFixed(1)}` : '';
          log(`downloaded ${(bytes / MB).toFixed(1)}${total} MB, ${discovery.records} records (${Math.round(discovery.records / seconds)} records/s)`);
          report();
        }
      },
    });
    const { schema, valueTable } = await discovery.finish();
    await discovery.close(); // frees the worker's heap before DuckDB needs the memory
    if (schema.records === 0) {
      throw new DatasetFormatError(schema.warnings.skippedRecords ? 'no record in the dataset is a JSON object' : 'the dataset is an empty array');
    }
    if (schema.columns.length === 0) throw new DatasetFormatError('the records have no fields (every one is an empty object)');
    const parsedAt = Date.now();
    log(`downloaded ${(downloaded.bytes / MB).toFixed(1)} MB, ${schema.records} records, ${schema.columns.length} columns ` +
      `in ${((parsedAt - startedAt) / 1000).toFixed(1)} s (${Math.round(schema.records / ((parsedAt - startedAt) / 1000))} records/s)`);

    if (!request.rebuild && isPublishedAlready(store, downloaded.sha256)) {
      log('the download is identical to the published dataset; only its source is updated');
      return await store.publishMetadata({ ...store.current()!, sourceUrl: request.url, ingestedAt: new Date().toISOString() });
    }

    Object.assign(progress, { phase: 'converting', records: schema.records });
    report();
    await mkdir(duckdbTemp, { recursive: true });
    const convert = (flattened: boolean, table: ValueTableFile | null) => convertToDuckDb({
      sourcePath: flattened ? flatPath : downloadPath, sourceLayout: flattened ? 'flat-ndjson' : 'nested-array', schema,
      valueTable: table, packPath, parquetPath, tempDir: duckdbTemp, memoryLimit: config.duckdbMemoryLimit, threads: config.duckdbThreads,
    });
    const flatten = () => flattenRecords(downloadPath, flatPath, schema.columns);
    if (schema.needsFlattening) {
      log('irregular record structure: flattening records before conversion');
      await flatten();
    }
    let converted: ConvertResult;
    try {
      converted = await convert(schema.needsFlattening, valueTable);
    } catch (error) {
      if (schema.needsFlattening || !/^Invalid Input Error/.test((error as Error).message)) throw unconvertible(error, schema.needsFlattening, config, log);
      // DuckDB's JSON reader refuses text that JavaScript reads with replacement characters: bytes
      // that are not UTF-8, an escaped lone surrogate (\ud800). Rewritten records hold U+FFFD there.
      log(`DuckDB could not read the JSON as it is (${(error as Error).message}); rewriting every record before conversion`);
      await Promise.all([packPath, `${packPath}.wal`].map((path) => rm(path, { force: true })));
      await flatten();
      converted = await convert(true, null).catch((retryError: unknown) => { throw unconvertible(retryError, true, config, log); });
    }
    const convertedAt = Date.now();
    log(`converted ${converted.rows} rows to Parquet and the browser pack in ${((convertedAt - parsedAt) / 1000).toFixed(1)} s ` +
      `(${converted.fromValueTable ? 'from the table of values' : 'from the JSON'})`);

    progress.phase = 'publishing';
    report();
    const { size: parquetBytes } = await stat(parquetPath);
    const { size: packBytes } = await stat(packPath);
    const metadata = await store.publish({
      rows: converted.rows,
      columns: schema.columns.map(({ path: _path, wrongTypes: _wrong, ...column }) => column),
      sourceUrl: request.url, sha256: downloaded.sha256, sourceBytes: downloaded.bytes,
      ingestedAt: new Date().toISOString(), timeRange: converted.timeRange, machines: converted.machines,
      parquetBytes, packBytes, warnings: schema.warnings,
    }, parquetPath, packPath);
    const seconds = (Date.now() - startedAt) / 1000;
    log(`published ${metadata.rows} rows in ${seconds.toFixed(1)} s (${Math.round(metadata.rows / seconds)} records/s); ` +
      `Parquet ${(parquetBytes / MB).toFixed(1)} MB, pack ${(packBytes / MB).toFixed(1)} MB`);
    return metadata;
  } finally {
    await discovery.close();
    await Promise.all([downloadPath, valueTablePath, flatPath, packPath, parquetPath, `${packPath}.wal`, duckdbTemp]
      .map((path) => rm(path, { recursive: true, force: true })));
  }
}
