/// <reference lib="webworker" />
// Runs DuckDB-WASM off the main thread: keeps the dataset pack in OPFS (downloaded once, with
// progress), attaches it read-only, and answers queries with Arrow IPC bytes.
import * as duckdb from '@duckdb/duckdb-wasm';
import { tableToIPC } from 'apache-arrow';
import type { PackRef, PackSource, SqlParam, WorkerRequest, WorkerResponse } from './worker-protocol';

const ASSETS = new URL('/assets/duckdb/', self.location.origin).href;
const STARTUP_DEADLINES_MS = [20_000, 40_000];
const PACK_DIR = 'packs';
const HTTP_PREFIX = 'http-';

let connectionPromise: Promise<duckdb.AsyncDuckDBConnection> | null = null;
let database: duckdb.AsyncDuckDB | null = null;
let attached: string | null = null;

const post = (message: WorkerResponse, transfer: Transferable[] = []) => self.postMessage(message, transfer);

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Starts DuckDB once; later calls share the same connection. A failed start is retried on the next call. */
function connect(): Promise<duckdb.AsyncDuckDBConnection> {
  connectionPromise ??= startWithRetries().catch((error: unknown) => {
    connectionPromise = null;
    throw error;
  });
  return connectionPromise;
}

/**
 * Flaky networks cut the engine's 34 MB download now and then, and a cut compile never settles:
 * each attempt has a deadline, and a failed one is thrown away with its worker.
 */
async function startWithRetries(): Promise<duckdb.AsyncDuckDBConnection> {
  let lastError: unknown;
  for (const deadline of STARTUP_DEADLINES_MS) {
    let engine: Worker | null = null;
    try {
      return await withTimeout(startDuckDb((worker) => (engine = worker)), deadline, 'starting DuckDB');
    } catch (error) {
      lastError = error;
      (engine as Worker | null)?.terminate();
    }
  }
  throw lastError;
}

async function startDuckDb(onWorker: (worker: Worker) => void): Promise<duckdb.AsyncDuckDBConnection> {
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: `${ASSETS}duckdb-mvp.wasm`, mainWorker: `${ASSETS}duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${ASSETS}duckdb-eh.wasm`, mainWorker: `${ASSETS}duckdb-browser-eh.worker.js` },
  });
  const worker = new Worker(bundle.mainWorker!);
  onWorker(worker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  await db.open({ path: ':memory:', query: { castBigIntToDouble: true }, filesystem: { forceFullHTTPReads: false } });
  const connection = await db.connect();
  await connection.query('SET autoload_known_extensions = false');
  await connection.query('SET autoinstall_known_extensions = false');
  database = db;
  return connection;
}

async function packDirectory(): Promise<FileSystemDirectoryHandle | null> {
  try {
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(PACK_DIR, { create: true });
  } catch {
    return null; // no OPFS (private window, old browser): read over HTTP instead
  }
}

async function storedPack(dir: FileSystemDirectoryHandle, pack: PackRef): Promise<FileSystemFileHandle | null> {
  try {
    const handle = await dir.getFileHandle(pack.file);
    return (await handle.getFile()).size === pack.bytes ? handle : null;
  } catch {
    return null;
  }
}

/** Streams the pack into OPFS under a temp name, then moves it into place, so no half pack is ever opened. */
async function downloadPack(dir: FileSystemDirectoryHandle, pack: PackRef, id: number): Promise<FileSystemFileHandle> {
  const response = await fetch(pack.url);
  if (!response.ok || !response.body) throw new Error(`downloading the dataset failed: HTTP ${response.status}`);
  const temp = `${pack.file}.partial`;
  const handle = await dir.getFileHandle(temp, { create: true });
  const writable = await handle.createWritable();
  const reader = response.body.getReader();
  let loaded = 0, lastReport = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await writable.write(value);
      loaded += value.byteLength;
      if (loaded - lastReport > 512 * 1024 || loaded === pack.bytes) {
        lastReport = loaded;
        post({ type: 'progress', id, stage: 'downloading', loaded, total: pack.bytes });
      }
    }
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => {});
    await dir.removeEntry(temp).catch(() => {});
    throw error;
  }
  if (loaded !== pack.bytes) throw new Error(`the dataset download was cut short (${loaded} of ${pack.bytes} bytes)`);
  const moved = handle as FileSystemFileHandle & { move?: (name: string) => Promise<void> };
  if (moved.move) {
    await moved.move(pack.file);
    return dir.getFileHandle(pack.file);
  }
  const target = await dir.getFileHandle(pack.file, { create: true });
  const out = await target.createWritable();
  await (await handle.getFile()).stream().pipeTo(out);
  await dir.removeEntry(temp);
  return target;
}

let exclusiveTail: Promise<unknown> = Promise.resolve();
/** Runs work after everything queued before it, so swapping the attached pack never interleaves with a query. */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const result = exclusiveTail.then(work);
  exclusiveTail = result.catch(() => {});
  return result;
}

/** The pack most recently asked for: a late download of an older one must not replace it. */
let wanted: string | null = null;

async function attach(name: string, register: (db: duckdb.AsyncDuckDB) => Promise<void>): Promise<void> {
  const connection = await connect();
  if (attached) {
    await connection.query('DETACH pack');
    await database!.dropFile(attached).catch(() => {});
    attached = null;
  }
  await register(database!);
  await connection.query(`ATTACH '${name.replaceAll("'", "''")}' AS pack (READ_ONLY)`);
  attached = name;
}

const attachStored = (pack: PackRef, handle: FileSystemFileHandle) =>
  exclusive(() => attach(pack.file, (db) => db.registerFileHandle(pack.file, handle, duckdb.DuckDBDataProtocol.BROWSER_FSACCESS, true)));

/**
 * A stored pack is attached at once. Otherwise the first charts are drawn from lazy HTTP range
 * reads while the whole pack downloads into OPFS; the worker then switches to the stored copy.
 */
async function open(id: number, pack: PackRef, allowDownload: boolean): Promise<PackSource> {
  wanted = pack.file;
  post({ type: 'progress', id, stage: 'starting', loaded: 0, total: pack.bytes });
  const connecting = connect();
  connecting.catch(() => {}); // reported when awaited below
  const dir = await packDirectory();
  const stored = dir ? await storedPack(dir, pack) : null;
  if (!stored && !allowDownload) throw new Error('this dataset is not stored on this device yet; connect to download it');
  await connecting;
  post({ type: 'progress', id, stage: 'attaching', loaded: 0, total: pack.bytes });
  if (stored) {
    await attachStored(pack, stored);
    return 'stored';
  }
  const httpName = `${HTTP_PREFIX}${pack.file}`;
  const url = new URL(pack.url, self.location.origin).href;
  await exclusive(() => attach(httpName, (db) => db.registerFileURL(httpName, url, duckdb.DuckDBDataProtocol.HTTP, false)));
  if (dir) {
    downloadPack(dir, pack, id).then(
      async (handle) => {
        if (wanted === pack.file) await attachStored(pack, handle);
        post({ type: 'stored', id, file: pack.file });
      },
    ).catch((error: unknown) => post({ type: 'stored', id, file: pack.file, error: error instanceof Error ? error.message : String(error) }));
  }
  return 'http';
}

function query({ id, sql, params }: Extract<WorkerRequest, { type: 'query' }>): Promise<void> {
  return exclusive(() => runQuery(id, sql, params));
}

async function runQuery(id: number, sql: string, params: SqlParam[]): Promise<void> {
  const connection = await connect();
  const started = performance.now();
  const statement = await connection.prepare(sql);
  try {
    const table = await statement.query(...params);
    const ipc = tableToIPC(table, 'stream');
    post({ type: 'result', id, ipc, rows: table.numRows, milliseconds: performance.now() - started }, [ipc.buffer]);
  } finally {
    await statement.close();
  }
}

/** Removes packs other than `keep` and reports what stays stored. */
async function prune(keep: string[]): Promise<number> {
  const dir = await packDirectory();
  if (!dir) return 0;
  let storedBytes = 0;
  for await (const [name, entry] of (dir as unknown as AsyncIterable<[string, FileSystemHandle]>)) {
    if (keep.some((file) => name === `${file}.partial`)) continue; // still downloading
    if (keep.includes(name) && entry.kind === 'file') storedBytes += (await (entry as FileSystemFileHandle).getFile()).size;
    else if (name !== attached) await dir.removeEntry(name).catch(() => {});
  }
  return storedBytes;
}

self.addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'open':
        post({ type: 'opened', id: request.id, source: await open(request.id, request.pack, request.allowDownload) });
        break;
      case 'query':
        await query(request);
        break;
      case 'prune':
        post({ type: 'pruned', id: request.id, storedBytes: await prune(request.keep) });
        break;
    }
  } catch (error) {
    post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
});
