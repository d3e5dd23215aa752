/// <reference lib="webworker" />
// Runs DuckDB-WASM off the main thread: keeps the dataset pack on the device (downloaded once, with
// progress), attaches it read-only, and answers queries with Arrow IPC bytes.
import * as duckdb from '@duckdb/duckdb-wasm';
import type { InstantiationProgress } from '@duckdb/duckdb-wasm';
// The build copies the engine under a content-hashed name (angular.json's file loader), so it is cached as immutable.
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { quoteLiteral } from '../../../../pipeline/filter-sql';
import { checkRoom, holdPack, openPackStore, prunePacks, StorageFullError, type PackStore } from './pack-store';
import type { CubedQuery, CubeRows, CubeStatement, FailureReason, PackRef, SqlParam, WorkerRequest, WorkerResponse } from './worker-protocol';

const ASSETS = new URL('/assets/duckdb/', self.location.origin).href;
/** No engine bytes for this long means the download is stuck (flaky Wi-Fi): that attempt is dropped. */
const STALL_MS = 15_000;
/** After what may be the last byte, compiling 34 MB of wasm on a slow phone may take this long, but no longer. */
const COMPILE_MS = 60_000;
const START_ATTEMPTS = 3;
const HTTP_PREFIX = 'http-';

let connectionPromise: Promise<duckdb.AsyncDuckDBConnection> | null = null;
let database: duckdb.AsyncDuckDB | null = null;
let attached: string | null = null;

/** The pack file an attached name reads, whether its stored copy or over HTTP. */
const packOf = (name: string | null): string | null => name?.replace(HTTP_PREFIX, '') ?? null;

const post = (message: WorkerResponse, transfer: Transferable[] = []) => self.postMessage(message, transfer);

/**
 * Rejects when an engine start stops making progress, rather than at a fixed deadline that would
 * also kill a healthy but slow start: DuckDB's own streaming compile never settles when its
 * download is cut (it has no rejection handler), so silence is the only signal there is.
 */
function watchStart(): { stalled: Promise<never>; onProgress(p: InstantiationProgress): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: (error: Error) => void = () => {};
  const stalled = new Promise<never>((_, reject) => (fail = reject));
  const arm = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new Error(what)), ms);
  };
  arm(STALL_MS, 'the engine download did not start');
  return {
    stalled,
    // Every event re-arms, so a slow but moving download is never cut. A compressed download reports
    // its compressed size as the total while counting decoded bytes, so "all loaded" may show early:
    // then silence gets the compile's allowance rather than the stall's.
    onProgress: (p) => p.bytesTotal > 0 && p.bytesLoaded >= p.bytesTotal
      ? arm(COMPILE_MS, 'compiling the engine did not finish') : arm(STALL_MS, 'the engine download stalled'),
    stop: () => clearTimeout(timer),
  };
}

/** Starts DuckDB once; later calls share the same connection. A failed start is retried on the next call. */
function connect(): Promise<duckdb.AsyncDuckDBConnection> {
  connectionPromise ??= startWithRetries().catch((error: unknown) => {
    connectionPromise = null;
    throw error;
  });
  return connectionPromise;
}

/** Flaky networks cut the engine's download now and then: a stalled attempt is thrown away with its worker. */
async function startWithRetries(): Promise<duckdb.AsyncDuckDBConnection> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    let engine: Worker | null = null;
    const watch = watchStart();
    try {
      return await Promise.race([startDuckDb((worker) => (engine = worker), watch.onProgress), watch.stalled]);
    } catch (error) {
      lastError = error;
      (engine as Worker | null)?.terminate();
    } finally {
      watch.stop();
    }
  }
  throw lastError;
}

async function startDuckDb(onWorker: (worker: Worker) => void, onProgress: (p: InstantiationProgress) => void,
): Promise<duckdb.AsyncDuckDBConnection> {
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: new URL(mvpWasm, self.location.origin).href, mainWorker: `${ASSETS}duckdb-browser-mvp.worker.js` },
    eh: { mainModule: new URL(ehWasm, self.location.origin).href, mainWorker: `${ASSETS}duckdb-browser-eh.worker.js` },
  });
  const worker = new Worker(bundle.mainWorker!);
  onWorker(worker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker, onProgress);
  await db.open({ path: ':memory:', query: { castBigIntToDouble: true }, filesystem: { forceFullHTTPReads: false } });
  const connection = await db.connect();
  await connection.query('SET autoload_known_extensions = false');
  await connection.query('SET autoinstall_known_extensions = false');
  database = db;
  return connection;
}

/** Raised with the reason the app needs to say what happened in words. */
class Failure extends Error {
  constructor(readonly reason: FailureReason, message: string) {
    super(message);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

let storePromise: Promise<PackStore | null> | null = null;
const packStore = () => (storePromise ??= openPackStore());

/** Counts the bytes going through, for the download's progress bar. */
function counting(id: number, total: number): TransformStream<Uint8Array, Uint8Array> {
  let loaded = 0, lastReport = 0;
  return new TransformStream({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      if (loaded - lastReport > 512 * 1024 || loaded === total) {
        lastReport = loaded;
        post({ type: 'progress', id, stage: 'downloading', loaded, total });
      }
      controller.enqueue(chunk);
    },
    flush() {
      if (loaded !== total) throw new Error(`the dataset download was cut short (${loaded} of ${total} bytes)`);
    },
  });
}

/**
 * Downloads the pack into the store, unless another tab is already doing so (it holds the download
 * lock): then this tab keeps reading over HTTP and finds the stored copy on its next open.
 */
async function downloadPack(store: PackStore, pack: PackRef, id: number): Promise<Blob | null> {
  const download = async (): Promise<Blob> => {
    await checkRoom(pack.bytes);
    const response = await fetch(pack.url);
    if (!response.ok || !response.body) throw new Error(`downloading the dataset failed: HTTP ${response.status}`);
    return store.save(pack, response.body.pipeThrough(counting(id, pack.bytes)));
  };
  if (!navigator.locks) return download();
  return navigator.locks.request(`moldlens-download:${pack.file}`, { ifAvailable: true },
    (lock) => (lock ? download() : null));
}

let exclusiveTail: Promise<unknown> = Promise.resolve();
let queued = 0;
/** Runs work after everything queued before it, so swapping the attached pack never interleaves with a query. */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  queued++;
  const result = exclusiveTail.then(work).finally(() => {
    queued--;
    runIdleWork();
  });
  exclusiveTail = result.catch(() => {});
  return result;
}

/**
 * Work that only runs while nothing else is queued (filling cubes ahead of filter changes), newest
 * first; beyond `IDLE_WORK_KEPT` the oldest is skipped, as what it was for has likely changed since.
 */
const idleWork: { run: () => Promise<void>; skip: () => void }[] = [];
const IDLE_WORK_KEPT = 16;

function runIdleWork(): void {
  if (queued > 0) return;
  const next = idleWork.pop();
  if (next) void exclusive(next.run).catch(() => {});
}

function whenIdle(work: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    idleWork.push({ run: () => work().then(resolve, reject), skip: resolve });
    while (idleWork.length > IDLE_WORK_KEPT) idleWork.shift()!.skip();
    runIdleWork();
  });
}

/** The pack most recently asked for: a late download of an older one must not replace it. */
let wanted: string | null = null;

async function attach(name: string, register: (db: duckdb.AsyncDuckDB) => Promise<void>): Promise<void> {
  const connection = await connect();
  await forgetStatements();
  // Cubes hold this pack's figures: they go with it, but not when its stored copy replaces HTTP reads of the same file.
  if (packOf(attached) !== packOf(name)) await forgetCubes(connection);
  if (attached) {
    await connection.query('DETACH pack');
    await database!.dropFile(attached).catch(() => {});
    attached = null;
  }
  await register(database!);
  await connection.query(`ATTACH ${quoteLiteral(name)} AS pack (READ_ONLY)`);
  attached = name;
}

/** Attaches a stored pack from its Blob: read through DuckDB's file-reader protocol, without locks. */
const attachStored = (pack: PackRef, blob: Blob) =>
  exclusive(() => attach(pack.file, (db) => db.registerFileHandle(pack.file, blob, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true)));

let releaseHeld = () => {};
/** Marks `file` as read by this tab, so no other tab prunes it while it is attached or downloading. */
function hold(file: string): void {
  releaseHeld();
  releaseHeld = holdPack(file);
}

/**
 * A stored pack is attached at once. Otherwise the first charts are drawn from lazy HTTP range
 * reads while the whole pack downloads to the device; the worker then switches to the stored copy.
 * A stored copy that cannot be read falls back to HTTP while online.
 */
async function open(id: number, pack: PackRef, allowDownload: boolean): Promise<Extract<WorkerResponse, { type: 'opened' }>> {
  wanted = pack.file;
  hold(pack.file);
  post({ type: 'progress', id, stage: 'starting', loaded: 0, total: pack.bytes });
  const connecting = connect();
  connecting.catch(() => {}); // reported when awaited below
  const store = await packStore();
  const storage = store?.kind ?? 'none';
  const stored = await store?.find(pack).catch(() => null) ?? null;
  if (!stored && !allowDownload) {
    throw new Failure('not-stored', 'This dataset is not stored on this device (it was never downloaded here, or the browser removed it to free space).');
  }
  try {
    await connecting;
  } catch (error) {
    throw new Failure('engine', `The query engine could not start: ${messageOf(error)}`);
  }
  post({ type: 'progress', id, stage: 'attaching', loaded: 0, total: pack.bytes });
  if (stored) {
    try {
      await attachStored(pack, stored);
      return { type: 'opened', id, source: 'stored', storage };
    } catch (error) {
      if (!allowDownload) throw new Failure('unreadable', `The copy of the dataset on this device could not be read (${messageOf(error)}).`);
    }
  }
  const httpName = `${HTTP_PREFIX}${pack.file}`;
  const url = new URL(pack.url, self.location.origin).href;
  try {
    await exclusive(() => attach(httpName, (db) => db.registerFileURL(httpName, url, duckdb.DuckDBDataProtocol.HTTP, false)));
  } catch (error) {
    throw new Failure('network', `The dataset could not be read from the server (${messageOf(error)}).`);
  }
  if (store && !stored) {
    downloadPack(store, pack, id).then(
      async (blob) => {
        if (blob && wanted === pack.file) {
          await attachStored(pack, blob);
          fillDeferredCubes();
        }
        post({ type: 'stored', id, file: pack.file, ...(blob ? {} : { error: 'another tab is saving it' }) });
      },
    ).catch((error: unknown) => post({ type: 'stored', id, file: pack.file, error: messageOf(error),
      reason: error instanceof StorageFullError ? 'storage-full' : 'network' }));
  }
  return { type: 'opened', id, source: 'http', storage };
}

/** Drops a stored copy that could not be read, so the next open downloads it afresh. */
async function forget(file: string): Promise<void> {
  const store = await packStore();
  if (!store) return;
  for (const entry of await store.list()) if (entry.file === file) await store.remove(entry);
}

function query({ id, sql, params, cubed }: Extract<WorkerRequest, { type: 'query' }>): Promise<void> {
  return exclusive(() => runQuery(id, sql, params, cubed));
}

/**
 * Prepared statements by SQL text. Preparing (parse, bind, plan) took 5–140 ms of a query's time
 * here, while a filter change mostly re-runs the same statements with other parameters. Dropped
 * whenever the attached pack changes, as they were planned against the old one.
 */
const statements = new Map<string, duckdb.AsyncPreparedStatement>();
const STATEMENTS_KEPT = 64;
/** How many statements were planned so far: a query's answer says whether it planned one or ran one kept. */
let statementsPlanned = 0;

async function prepared(connection: duckdb.AsyncDuckDBConnection, sql: string): Promise<duckdb.AsyncPreparedStatement> {
  let statement = statements.get(sql);
  statements.delete(sql); // re-inserted last: the map's order is the order of use
  if (!statement) {
    statement = await connection.prepare(sql);
    statementsPlanned++;
  }
  statements.set(sql, statement);
  for (const [oldest, old] of statements) {
    if (statements.size <= STATEMENTS_KEPT) break;
    statements.delete(oldest);
    await old.close();
  }
  return statement;
}

async function forgetStatements(): Promise<void> {
  const old = [...statements.values()];
  statements.clear();
  for (const statement of old) await statement.close().catch(() => {});
}

/**
 * Pre-aggregated tables (spec-to-sql's cubes) by name, in order of use, with their row counts. They
 * hold a view's partial aggregates per press and verdict: filled by the first query that reads one,
 * reused by every press or verdict filter change after it, dropped when the pack changes or, oldest
 * first, when together they would hold more than `CUBE_ROWS_KEPT` rows. A cube of more than
 * `CUBE_ROWS_WORTH` rows (a histogram of a value that hardly repeats) saves nothing: it is dropped
 * and its view queries the dataset.
 */
const cubes = new Map<string, number>();
const unfitCubes = new Set<string>();
const CUBE_ROWS_KEPT = 2_000_000;
const CUBE_ROWS_WORTH = 100_000;
const CUBE_NAME = /^cube_[0-9a-z]+$/;

/**
 * Whether the cube is there to read, filling it if need be: from `rows` where given for the pack
 * attached (rows sent for a pack since replaced would fill it with another dataset's figures), else
 * by scanning the dataset.
 */
async function fillCube(connection: duckdb.AsyncDuckDBConnection, cube: CubeStatement, sent?: CubeRows): Promise<boolean> {
  if (unfitCubes.has(cube.name)) return false;
  const held = cubes.get(cube.name);
  cubes.delete(cube.name); // re-inserted last: the map's order is the order of use
  if (held !== undefined) {
    cubes.set(cube.name, held);
    return true;
  }
  if (!CUBE_NAME.test(cube.name)) throw new Error(`"${cube.name}" is not a cube's name`);
  const rows = sent && sent.pack === packOf(attached) ? sent.ipc : undefined;
  let counted: number;
  const scan = async () => {
    const scanned = await scanCube(connection, cube);
    if (scanned <= CUBE_ROWS_WORTH) void whenIdle(() => handBack(cube)).catch(() => { /* only costs a later visit's speed */ });
    return scanned;
  };
  try {
    counted = rows ? await loadCube(connection, cube, rows).catch((error: unknown) => {
      console.warn(`MoldLens: the rows the server sent for a pre-aggregated table could not be loaded, the dataset fills it (${messageOf(error)})`);
      return scan();
    }) : await scan();
  } catch (error) {
    await giveUpCube(connection, cube.name, error);
    return false;
  }
  cubes.set(cube.name, counted);
  if (counted > CUBE_ROWS_WORTH) {
    unfitCubes.add(cube.name);
    await dropCube(connection, cube.name);
    return false;
  }
  let total = [...cubes.values()].reduce((sum, n) => sum + n, 0);
  for (const [oldest, n] of cubes) {
    if (total <= CUBE_ROWS_KEPT || oldest === cube.name) break;
    await dropCube(connection, oldest);
    total -= n;
  }
  return true;
}

/** Fills the cube from the dataset; how many rows it holds. */
async function scanCube(connection: duckdb.AsyncDuckDBConnection, cube: CubeStatement): Promise<number> {
  // At most one row over the limit is kept: an unfit cube never holds a copy of the dataset.
  const fill = await connection.prepare(`CREATE OR REPLACE TEMP TABLE ${cube.name} AS SELECT * FROM (${cube.sql}) LIMIT ${CUBE_ROWS_WORTH + 1}`);
  try {
    // CREATE TABLE … AS answers how many rows it wrote.
    return Number((await fill.query(...cube.params)).getChildAt(0)?.get(0) ?? 0);
  } finally {
    await fill.close();
  }
}

/**
 * Hands the rows of a cube this engine scanned the dataset for to the app, once nothing waits on the
 * engine: the app keeps them with the server's, so a later visit loads them, offline too, instead of
 * scanning again. Arrow's types, which loadCube casts back into the cube's (counts come out as doubles).
 */
async function handBack(cube: CubeStatement): Promise<void> {
  if (!cubes.has(cube.name)) return; // let go since (dropped, or another pack attached)
  const ipc = tableToIPC(await (await connect()).query(`SELECT * FROM ${cube.name}`), 'stream');
  post({ type: 'scanned', id: 0, cube, rows: { pack: packOf(attached)!, ipc } }, [ipc.buffer]);
}

/**
 * Fills the cube from its rows as the server computed them (Arrow IPC of the same statement over the
 * same pack): a few milliseconds instead of a scan of the dataset. The table gets the column types its
 * own statement has (created from it with no rows), so every query over it reads it as over a scanned
 * one; the rows arrive with Arrow's types and are cast into them.
 */
async function loadCube(connection: duckdb.AsyncDuckDBConnection, cube: CubeStatement, rows: Uint8Array): Promise<number> {
  const empty = await connection.prepare(`CREATE OR REPLACE TEMP TABLE ${cube.name} AS SELECT * FROM (${cube.sql}) LIMIT 0`);
  try {
    await empty.query(...cube.params);
  } finally {
    await empty.close();
  }
  // Read here first: DuckDB's own reader, given bytes that are not an Arrow stream, fails every later
  // stream on the connection too.
  const table = tableFromIPC(rows);
  if (table.numCols === 0) throw new Error('the rows are not an Arrow stream');
  // Too many to be worth keeping (fillCube drops the table): not loaded at all.
  if (table.numRows === 0 || table.numRows > CUBE_ROWS_WORTH) return table.numRows;
  const arrived = `${cube.name}_rows`;
  try {
    await connection.insertArrowTable(table, { name: arrived, create: true });
    // By name: rows whose columns differ from the statement's fail rather than load into the wrong ones.
    return Number((await connection.query(`INSERT INTO ${cube.name} BY NAME SELECT * FROM ${arrived}`)).getChildAt(0)?.get(0) ?? 0);
  } finally {
    await connection.query(`DROP TABLE IF EXISTS ${arrived}`);
  }
}

/** Statements kept prepared over a dropped cube are bound again by DuckDB if it is filled again. */
async function dropCube(connection: duckdb.AsyncDuckDBConnection, name: string): Promise<void> {
  cubes.delete(name);
  await connection.query(`DROP TABLE IF EXISTS ${name}`);
}

/**
 * Cubes asked for ahead while the pack is read over HTTP (on a first visit, while it downloads):
 * filling them then would compete with the download for the network, so they are filled once the
 * stored copy is attached — before the user's first filter change, which would otherwise wait for them.
 */
const deferredCubes = new Map<string, { cube: CubeStatement; read?: string }>();

/**
 * Fills the cube (see the 'prepare' request), then plans the view's statement over it: on a later
 * visit the cubes load from kept rows and no view has queried one yet, so the first filter change
 * would otherwise plan every view's statement (15–60 ms each in DuckDB-WASM) before running it.
 */
function prepareCube(cube: CubeStatement, rows?: CubeRows, read?: string): Promise<void> {
  return whenIdle(async () => {
    if (!attached) return;
    // Rows from the server need no scan: they fill the cube even while the pack is read over HTTP.
    if (rows || !attached.startsWith(HTTP_PREFIX)) {
      const connection = await connect();
      // Planning is only for speed: a statement that fails to plan fails when its view runs it.
      if (await fillCube(connection, cube, rows) && read) await prepared(connection, read).catch(() => {});
      return;
    }
    deferredCubes.delete(cube.name); // re-inserted last: the newest are kept (one read per cube: the last view's)
    deferredCubes.set(cube.name, { cube, read });
    for (const oldest of deferredCubes.keys()) {
      if (deferredCubes.size <= IDLE_WORK_KEPT) break;
      deferredCubes.delete(oldest);
    }
  });
}

function fillDeferredCubes(): void {
  const deferred = [...deferredCubes.values()];
  deferredCubes.clear();
  for (const { cube, read } of deferred) void prepareCube(cube, undefined, read).catch(() => { /* only costs speed */ });
}

async function forgetCubes(connection: duckdb.AsyncDuckDBConnection): Promise<void> {
  deferredCubes.clear();
  unfitCubes.clear();
  for (const name of [...cubes.keys()]) await dropCube(connection, name);
}

/** A cube that could not be filled or read (out of memory on a phone, say) is not tried again: its view asks the dataset. */
async function giveUpCube(connection: duckdb.AsyncDuckDBConnection, name: string, error: unknown): Promise<void> {
  console.warn(`MoldLens: a pre-aggregated table failed, the dataset answers instead (${messageOf(error)})`);
  unfitCubes.add(name);
  await dropCube(connection, name).catch(() => {});
}

/** The answer from the query's cube, or null when it has none worth keeping or reading it failed. */
async function fromCube(connection: duckdb.AsyncDuckDBConnection, cubed: CubedQuery): Promise<Table | null> {
  if (!await fillCube(connection, cubed.cube, cubed.rows)) return null;
  try {
    return await (await prepared(connection, cubed.sql)).query(...cubed.params);
  } catch (error) {
    await giveUpCube(connection, cubed.cube.name, error);
    return null;
  }
}

async function runQuery(id: number, sql: string, params: SqlParam[], cubed?: CubedQuery): Promise<void> {
  const connection = await connect();
  const started = performance.now();
  const plannedBefore = statementsPlanned;
  const table = (cubed && await fromCube(connection, cubed)) || await (await prepared(connection, sql)).query(...params);
  const ipc = tableToIPC(table, 'stream');
  post({ type: 'result', id, ipc, rows: table.numRows, milliseconds: performance.now() - started, planned: statementsPlanned > plannedBefore }, [ipc.buffer]);
}

/** Removes packs no tab uses and reports what stays stored. */
async function prune(keep: string[]): Promise<number> {
  const store = await packStore();
  return store ? prunePacks(store, keep) : 0;
}

self.addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'open':
        post(await open(request.id, request.pack, request.allowDownload));
        break;
      case 'forget':
        await forget(request.file);
        post({ type: 'forgotten', id: request.id });
        break;
      case 'query':
        await query(request);
        break;
      case 'prepare':
        await prepareCube(request.cube, request.rows, request.read);
        post({ type: 'prepared', id: request.id });
        break;
      case 'prune':
        post({ type: 'pruned', id: request.id, storedBytes: await prune(request.keep) });
        break;
    }
  } catch (error) {
    post({ type: 'error', id: request.id, message: messageOf(error), reason: error instanceof Failure ? error.reason : 'query' });
  }
});
