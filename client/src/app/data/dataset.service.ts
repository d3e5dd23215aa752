// The dataset on this device: which one is open, how its pack gets here (stored on the device, or
// downloaded once with progress), whether the server has a newer one, and whether we are online.
import { Injectable, computed, signal } from '@angular/core';
import type { Table } from 'apache-arrow';
import type { DatasetInfo } from '../../../../pipeline/columns';
import { DuckDbClient, WorkerError } from './duckdb-client';
import { failureNotice, type FailureNotice } from './failure-message';
import { QUERY_ROWS_VERSION, requestCubeSql, requestSql, requestZone, type QueryRequest, type ServerQueryRequest } from '../../../../pipeline/query-request';
import type { QueryContext } from '../../../../pipeline/spec-to-sql';
import { ServerAnswerError } from '../../../../pipeline/query-error';
import { ResultCache } from './result-cache';
import { cubeRows, rowsWithin } from './cube-rows';
import { equalByValue } from '../shared/equal-by-value';
import type { CubedQuery, CubeRows, CubeStatement, FailureReason, PackSource, PackStorage, SqlParam, WorkerResponse } from './worker-protocol';

export interface QueryResult {
  table: Table;
  milliseconds: number;
  /** Who answered: the result cache, the server (while the engine starts) or the engine on this device. */
  answeredBy: 'cache' | 'server' | 'device';
}

/** Why this device asks the server for every answer instead of keeping the dataset: the user's size limit, or too little room. */
export type OnlineOnlyReason = 'limit' | 'room';

export type DatasetPhase = 'checking' | 'waiting-for-server' | 'opening' | 'ready' | 'error';

const STORAGE_KEY = 'moldlens.dataset';
const LIMIT_KEY = 'moldlens.packLimitMb';
/** Why the remembered dataset was answered online only last time, so an offline start does not try the device first. */
const ONLINE_ONLY_KEY = 'moldlens.onlineOnly';
const MB = 1_000_000;
const CHECK_INTERVAL_MS = 60_000;
const WAIT_INTERVAL_MS = 3_000;

/** Start-up milestones on the page's timeline (engine started, pack opened, first answers), for bench/client. */
const markOnce = (name: string) => {
  if (!performance.getEntriesByName(name, 'mark').length) performance.mark(name);
};
/** How long views get to ask the cache or the server before the engine starts anyway, and the most it waits. */
const GRACE_MS = 1_000;
const ENGINE_DELAY_MAX_MS = 3_000;
/** Time for the charts to draw the first answers before the engine's compile takes the CPU. */
const DRAW_MS = 150;
/** How long filling a pre-aggregated table waits for its rows on their way before the engine scans for them. */
const ROWS_WAIT_MS = 1_000;
const rowsKey = (pack: string, cube: string) => `${pack}/${cube}`;
const sentFor = (pack: string, ipc: Uint8Array | undefined): CubeRows | undefined => (ipc ? { pack, ipc } : undefined);

@Injectable({ providedIn: 'root' })
export class DatasetService {
  private readonly client = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }),
    (message) => this.onBackground(message));
  private readonly results = new ResultCache();
  private readonly infoState = signal<DatasetInfo | null>(null, { equal: equalByValue });
  private readonly phaseState = signal<DatasetPhase>('checking');
  private readonly messageState = signal<string>('');
  private readonly failureState = signal<FailureNotice | null>(null);
  private readonly placeState = signal<{ source: PackSource; storage: PackStorage } | null>(null);
  private readonly progressState = signal<{ stage: string; loaded: number; total: number } | null>(null);
  private readonly storeErrorState = signal('');
  private readonly onlineState = signal(navigator.onLine);
  private readonly updateState = signal<DatasetInfo | null>(null);
  private readonly storedBytesState = signal<number | null>(null);
  private readonly serverAnsweredState = signal(false);
  private readonly persistedState = signal<boolean | null>(null);
  private readonly packLimitState = signal<number | null>(readPackLimit());
  private readonly onlineOnlyState = signal<OnlineOnlyReason | null>(null);
  /** Counts reconnections while online only: views that failed offline ask again. */
  private readonly reconnectsState = signal(0);

  readonly info = this.infoState.asReadonly();
  readonly phase = this.phaseState.asReadonly();
  readonly message = this.messageState.asReadonly();
  /** Why the dataset could not be opened, in words, with the actions that help. */
  readonly failure = this.failureState.asReadonly();
  /** Where the open dataset is read from and where this browser keeps it. */
  readonly place = this.placeState.asReadonly();
  /** Opening progress, and after an HTTP open the download of the pack for offline use. */
  readonly progress = this.progressState.asReadonly();
  readonly storeError = this.storeErrorState.asReadonly();
  readonly online = this.onlineState.asReadonly();
  readonly update = this.updateState.asReadonly();
  readonly storedBytes = this.storedBytesState.asReadonly();
  /** Whether the server answered views while this device's engine was starting. */
  readonly serverAnswered = this.serverAnsweredState.asReadonly();
  readonly persisted = this.persistedState.asReadonly();
  /** The largest dataset this device keeps, in MB, as the user set it; null for any size. */
  readonly packLimitMb = this.packLimitState.asReadonly();
  /** Set when every answer comes from the server because this device does not keep the dataset, and why. */
  readonly onlineOnly = this.onlineOnlyState.asReadonly();
  readonly ready = computed(() => this.phaseState() === 'ready');
  /**
   * The dataset views query, or '' when none: set while its pack opens too, so cached results draw
   * at once. Changes whenever a different dataset opens, so views re-run their queries.
   */
  readonly generation = computed(() => {
    const phase = this.phaseState();
    const sha256 = phase === 'ready' || phase === 'opening' ? this.infoState()?.sha256 ?? '' : '';
    const reconnects = this.reconnectsState();
    return sha256 && reconnects ? `${sha256}#${reconnects}` : sha256;
  });

  /** The pack this device opened last, as the app started: the result cache holds that pack's results only. */
  private readonly rememberedPack = this.remembered()?.packFile ?? null;

  /** Settles once the first open succeeded or failed: the moment the engine no longer competes for the network. */
  readonly started: Promise<void>;

  constructor() {
    addEventListener('online', () => {
      this.onlineState.set(true);
      if (this.onlineOnlyState()) this.reconnectsState.update((n) => n + 1);
      void this.checkForUpdate();
    });
    addEventListener('offline', () => this.onlineState.set(false));
    // Coming back to the app is when a newer dataset matters: check then, not only on the timer.
    addEventListener('focus', () => void this.checkForUpdate());
    setInterval(() => void this.checkForUpdate(), CHECK_INTERVAL_MS);
    this.started = this.start();
  }

  private remembered(): DatasetInfo | null {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as DatasetInfo | null;
    } catch {
      return null;
    }
  }

  /** The server's current dataset; null when it has none; throws when the server cannot be reached. */
  private async fetchServerInfo(): Promise<{ info: DatasetInfo | null; error?: string; ingesting?: boolean }> {
    const response = await fetch('/api/dataset', { cache: 'no-store', signal: AbortSignal.timeout(8000) });
    const body = await response.json() as DatasetInfo & { error?: string; hint?: string; ingest?: { state: string } };
    if (response.status === 404) {
      return { info: null, error: [body.error, body.hint].filter(Boolean).join('. '), ingesting: body.ingest?.state === 'running' };
    }
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    return { info: body };
  }

  /**
   * A later visit shows the remembered dataset at once — views draw their cached results while the
   * engine starts — and checks the server alongside, never before.
   */
  private async start(): Promise<void> {
    const stored = this.remembered();
    const server = this.fetchServerInfo().then((answer) => {
      this.onlineState.set(true);
      return answer;
    }, () => {
      this.onlineState.set(false);
      return null;
    });
    this.onlineOnlyState.set(null);
    // Not kept on this device (over the limit set, or no room last time): the server decides below.
    const storedReason = !stored ? null : this.overLimit(stored) ? 'limit'
      : localStorage.getItem(ONLINE_ONLY_KEY) === 'room' ? 'room' : null;
    if (stored && !storedReason) {
      this.infoState.set(stored);
      this.phaseState.set('opening');
      await this.earlyAnswersIn(GRACE_MS, ENGINE_DELAY_MAX_MS);
      if (!(await this.open(stored, false))) {
        const answer = await server;
        if (answer?.info && answer.info.sha256 !== stored.sha256) this.updateState.set(answer.info);
        return;
      }
    }
    const answer = await server;
    // Offline: the results seen before still show from the cache; anything new says it needs the network.
    if (stored && storedReason && !answer) return this.goOnlineOnly(stored, storedReason);
    if (answer?.info) {
      // Views may ask the server for their results while the engine starts — and while the browser
      // says whether there is room to keep the dataset (its first storage estimate takes a while).
      this.infoState.set(answer.info);
      this.phaseState.set('opening');
      const reason = await this.onlineOnlyReason(answer.info);
      if (reason) return this.goOnlineOnly(answer.info, reason);
      if (!stored) await this.earlyAnswersIn(GRACE_MS, ENGINE_DELAY_MAX_MS);
      const failure = await this.open(answer.info, true);
      if (failure) this.fail(failureNotice(failure, this.onlineState()));
      return;
    }
    if (answer) {
      this.phaseState.set(answer.ingesting ? 'waiting-for-server' : 'error');
      this.messageState.set(answer.error ?? 'The server has no dataset yet.');
      setTimeout(() => void this.start(), WAIT_INTERVAL_MS);
      return;
    }
    this.fail(failureNotice('not-stored', false));
  }

  private overLimit(info: DatasetInfo): boolean {
    const limit = this.packLimitState();
    return limit !== null && info.packBytes > limit * MB;
  }

  /** Why this device should not keep `info`'s pack (over the user's limit, or too little room left), or null. */
  private async onlineOnlyReason(info: DatasetInfo): Promise<OnlineOnlyReason | null> {
    if (this.overLimit(info)) return 'limit';
    const estimate = await navigator.storage?.estimate?.().catch(() => null);
    return estimate?.quota && estimate.quota - (estimate.usage ?? 0) < info.packBytes * 1.1 ? 'room' : null;
  }

  /** Every answer comes from the server from now on: the engine never starts, nothing is downloaded. */
  private async goOnlineOnly(info: DatasetInfo, reason: OnlineOnlyReason): Promise<void> {
    this.onlineOnlyState.set(reason);
    this.infoState.set(info);
    this.placeState.set(null);
    this.progressState.set(null);
    this.failureState.set(null);
    this.phaseState.set('ready');
    this.settleWaiters(null);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(info));
    localStorage.setItem(ONLINE_ONLY_KEY, reason);
    // A copy kept before (the limit was lowered) makes room.
    await this.client.forget(info.packFile).catch(() => {});
    await this.client.prune([]).catch(() => {});
    await this.results.keepOnly(info.packFile).catch(() => {});
  }

  /** Sets the largest dataset this device keeps (null: any size) and applies it at once. */
  async setPackLimit(limitMb: number | null): Promise<void> {
    this.packLimitState.set(limitMb);
    if (limitMb === null) localStorage.removeItem(LIMIT_KEY);
    else localStorage.setItem(LIMIT_KEY, String(limitMb));
    const info = this.infoState();
    if (!info || this.overLimit(info) === (this.onlineOnlyState() === 'limit')) return;
    await this.retry();
  }

  private fail(notice: FailureNotice): void {
    this.phaseState.set('error');
    this.failureState.set(notice);
    this.messageState.set(notice.message);
    this.settleWaiters(null);
  }

  /** "Try again": starts over, as a reload would. */
  async retry(): Promise<void> {
    this.failureState.set(null);
    this.phaseState.set('checking');
    await this.start();
  }

  /** "Download again": drops the stored copy of the dataset and downloads it afresh. */
  async downloadAgain(): Promise<void> {
    const info = this.infoState() ?? this.remembered();
    if (info) await this.client.forget(info.packFile).catch(() => {});
    await this.retry();
  }

  /** Opens a dataset's pack: null on success, else why it failed (the caller decides what to show). */
  private async open(info: DatasetInfo, allowDownload: boolean): Promise<FailureReason | null> {
    this.phaseState.set('opening');
    try {
      const place = await this.client.open({ file: info.packFile, url: info.packUrl, bytes: info.packBytes }, allowDownload,
        ({ stage, loaded, total }) => {
          markOnce(`moldlens:${stage}`);
          if (!this.onlineOnlyState()) this.progressState.set({ stage, loaded, total });
        });
      // Switched to online only meanwhile (the limit was set while this opened): that stands.
      if (this.onlineOnlyState()) return null;
      markOnce('moldlens:opened');
      this.placeState.set(place);
      this.failureState.set(null);
      this.infoState.set(info);
      if (place.source === 'stored') this.progressState.set(null);
      this.phaseState.set('ready');
      this.settleWaiters(info.packFile);
      localStorage.setItem(STORAGE_KEY, JSON.stringify(info));
      localStorage.removeItem(ONLINE_ONLY_KEY);
      void this.afterOpen(info);
      return null;
    } catch (error) {
      console.warn('MoldLens: opening the dataset failed', error);
      this.progressState.set(null);
      return error instanceof WorkerError ? error.reason : 'engine';
    }
  }

  private onBackground(message: WorkerResponse): void {
    if (this.onlineOnlyState()) {
      // A download begun before the switch to online only: what it stored goes again.
      if (message.type === 'stored' && !message.error) void this.client.forget(message.file).catch(() => {});
      return;
    }
    if (message.type === 'progress') this.progressState.set(message);
    if (message.type === 'scanned') this.keepCubeRows(message.cube, message.rows);
    if (message.type === 'stored') {
      this.progressState.set(null);
      if (message.error) console.warn('MoldLens: keeping the dataset on this device failed:', message.error);
      this.storeErrorState.set(!message.error ? ''
        : message.reason === 'storage-full' ? failureNotice('storage-full', this.onlineState()).message
        : message.reason ? 'Saving the dataset for offline use was interrupted; MoldLens tries again the next time it opens.'
        : 'Another tab is saving the dataset to this device; this tab reads it from the server meanwhile.');
      if (!message.error) this.placeState.update((place) => place && { ...place, source: 'stored' });
      const info = this.infoState();
      if (info) void this.afterOpen(info);
    }
  }

  private async afterOpen(info: DatasetInfo): Promise<void> {
    try {
      this.persistedState.set(await navigator.storage?.persist?.() ?? null);
      this.storedBytesState.set(await this.client.prune([info.packFile]));
      await this.results.keepOnly(info.packFile);
    } catch {
      /* storage details are informative only */
    }
  }

  async checkForUpdate(): Promise<void> {
    const current = this.infoState();
    if (!current) return;
    try {
      const { info } = await this.fetchServerInfo();
      this.onlineState.set(true);
      this.updateState.set(info && info.sha256 !== current.sha256 ? info : null);
    } catch {
      this.onlineState.set(false);
    }
  }

  /** Switches to the newer dataset the server offered. */
  async applyUpdate(): Promise<void> {
    const next = this.updateState();
    if (!next) return;
    this.updateState.set(null);
    const reason = await this.onlineOnlyReason(next);
    if (reason) return this.goOnlineOnly(next, reason);
    this.onlineOnlyState.set(null);
    const failure = await this.open(next, true);
    if (failure) this.fail(failureNotice(failure, this.onlineState()));
  }

  /**
   * Runs a query over the open dataset: from the result cache when this exact query ran on this
   * pack before (drawn at once, even while the engine starts; once it is ready, only this session's
   * results are looked up), from the server while the engine starts or when this device does not
   * keep the dataset, else in the engine once it is ready.
   */
  async run(request: QueryRequest): Promise<QueryResult> {
    const info = this.infoState();
    if (!info) throw new Error('no dataset is open');
    // The server builds the same SQL from the same request (pipeline/query-request.ts).
    const zone = requestZone(request, info.timeRange);
    const context = { columns: info.columns, timeRange: info.timeRange, zone };
    const { sql, params } = requestSql(request, context);
    const pack = info.packFile;
    const started = performance.now();
    const onlineOnly = this.onlineOnlyState() !== null;
    const early = !this.ready();
    if (early) this.earlyAsks++;
    let fromServer: Uint8Array | null = null;
    // Arrow loads while the answer is looked for: asking the server must not wait for it.
    const arrow = import('apache-arrow');
    try {
      // The store keeps the results of one pack, the one this device opened last (`keepOnly`): for any
      // other, as on a first visit, looking there would only delay asking the server.
      const stored = (early || onlineOnly) && pack === this.rememberedPack;
      const cached = stored ? await this.results.get(pack, sql, params).catch(() => null) : this.results.getRecent(pack, sql, params);
      if (cached) {
        markOnce('moldlens:first-answer-cache');
        this.prepareCube(request, context);
        return { table: (await arrow).tableFromIPC(cached), milliseconds: 0, answeredBy: 'cache' };
      }
      if (onlineOnly) fromServer = await this.askServer(info.sha256, request);
      else if (early && this.onlineState()) fromServer = await this.askServer(info.sha256, request).catch(() => null);
      if (fromServer) markOnce('moldlens:first-answer-server');
    } finally {
      if (early && --this.earlyAsks === 0) for (const settle of this.earlySettlers.splice(0)) settle();
    }
    const { ipc, milliseconds } = fromServer ? { ipc: fromServer, milliseconds: performance.now() - started }
      // The engine answers a view from a pre-aggregated table where it has one; the result is the same.
      : await this.whenReady(pack).then(() => this.onDevice(pack, sql, params, requestCubeSql(request, context)));
    if (!fromServer) markOnce('moldlens:first-answer-device');
    else this.prepareCube(request, context);
    void this.results.put(pack, sql, params, ipc).catch(() => { /* a full or private store only costs speed */ });
    return { table: (await arrow).tableFromIPC(ipc), milliseconds, answeredBy: fromServer ? 'server' : 'device' };
  }

  /**
   * A view answered by the cache or the server has its pre-aggregated table filled by the engine
   * once it is ready and idle, so the view's first press or verdict filter change reads that table
   * instead of waiting for a scan of the dataset (the tables of views answered on the device are
   * filled by their own queries).
   */
  private prepareCube(request: QueryRequest, context: QueryContext): void {
    const info = this.infoState();
    if (!info || this.onlineOnlyState() !== null) return;
    const cubed = requestCubeSql(request, context);
    if (!cubed || request.kind !== 'view') return;
    // The table's rows kept from an earlier visit, or computed by the server (native DuckDB, the same
    // statement) while the engine starts: loading them takes milliseconds, filling it a scan of the dataset.
    const { name, sql, params } = cubed.cube;
    const key = rowsKey(info.packFile, name);
    if (this.cubeRows.has(key)) return; // on their way already
    // Once sent, a table is the engine's to keep: later answers from the cache only remind it (it
    // scans if it let the table go), rather than copying the rows again.
    if (this.cubesSent.has(key)) {
      void this.whenReady(info.packFile).then(() => this.client.prepare(cubed.cube, { read: cubed.sql })).catch(() => { /* only costs speed */ });
      return;
    }
    const rows = cubeRows({
      kept: () => this.results.get(info.packFile, sql, params),
      online: () => this.onlineState(),
      // Asked once the server has answered every view asked early: filling tables must not delay the first charts.
      ask: () => this.earlyAnswered().then(() => this.postQuery(info.sha256, { ...request, kind: 'cube' })),
      keep: (sent) => this.keepCubeRows(cubed.cube, { pack: info.packFile, ipc: sent }),
    });
    this.cubeRows.set(key, rows);
    void this.whenReady(info.packFile)
      .then(async () => this.client.prepare(cubed.cube, { read: cubed.sql, rows: sentFor(info.packFile, await rowsWithin(rows, ROWS_WAIT_MS)) }))
      .then(() => this.cubesSent.add(key), () => { /* only costs speed */ })
      .finally(() => this.letRowsGo(key, rows));
  }

  /**
   * Keeps a pre-aggregated table's rows with the results of their pack (the server's, or those the
   * engine scanned the dataset for), so a later visit loads them, offline too, instead of scanning.
   */
  private keepCubeRows(cube: CubeStatement, rows: CubeRows): void {
    void this.results.put(rows.pack, cube.sql, cube.params, rows.ipc).catch(() => { /* a full store only costs speed */ });
  }

  /** Tables whose rows (or whose scan) the engine was given, by pack and name. */
  private readonly cubesSent = new Set<string>();

  private letRowsGo(key: string, rows: Promise<Uint8Array | undefined>): void {
    if (this.cubeRows.get(key) === rows) this.cubeRows.delete(key);
  }

  /**
   * Rows on their way for a pre-aggregated table (from the server or this device's store), by pack and
   * table name (a table's name comes from its statement alone, the same for every pack): a query that
   * needs the table before its rows were loaded waits for them a moment (a scan of 1M records takes
   * 0.3–1.3 s) and hands them over; once loaded, they are let go.
   */
  private readonly cubeRows = new Map<string, Promise<Uint8Array | undefined>>();

  private async onDevice(pack: string, sql: string, params: SqlParam[], cubed: CubedQuery | null): Promise<{ ipc: Uint8Array; milliseconds: number }> {
    const key = cubed && rowsKey(pack, cubed.cube.name);
    const pending = key && this.cubeRows.get(key);
    const rows = pending && await rowsWithin(pending, ROWS_WAIT_MS);
    const answer = await this.client.query(sql, params, cubed && (rows ? { ...cubed, rows: sentFor(pack, rows) } : cubed));
    if (rows) this.letRowsGo(key!, pending!);
    return answer;
  }

  /** Queries asked before the engine is ready that still look for an answer in the cache or from the server. */
  private earlyAsks = 0;
  private readonly earlySettlers: (() => void)[] = [];

  /** Resolves once no view asked before the engine was ready still waits for the cache or the server. */
  private earlyAnswered(): Promise<void> {
    return this.earlyAsks === 0 ? Promise.resolve() : new Promise((resolve) => this.earlySettlers.push(resolve));
  }

  /**
   * The engine's compile would compete for the CPU with drawing the first answers (from the result
   * cache on a later visit, from the server on a first one): it starts once those are in (or none
   * was asked for within `graceMs`), at most `maxMs` after the dashboard appeared.
   */
  private earlyAnswersIn(graceMs: number, maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(grace);
        clearTimeout(latest);
        resolve();
      };
      const grace = setTimeout(() => this.earlyAsks === 0 && done(), graceMs);
      const latest = setTimeout(done, maxMs);
      // The answers are drawn in the frames after they arrive: the compile waits for those frames.
      this.earlySettlers.push(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, DRAW_MS))));
    });
  }

  /**
   * The server runs the same request on the same pack (the same pipeline builds the same SQL there).
   * Throws, in words, when it cannot (busy, too large, offline).
   */
  private async askServer(sha256: string, request: QueryRequest): Promise<Uint8Array> {
    const ipc = await this.postQuery(sha256, request);
    this.serverAnsweredState.set(true);
    return ipc;
  }

  /** POST /api/query: the request's result as Arrow IPC, or an error in words. */
  private async postQuery(sha256: string, request: QueryRequest): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch('/api/query', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...request, sha256, rowsVersion: QUERY_ROWS_VERSION } satisfies ServerQueryRequest),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new ServerAnswerError(this.onlineState() ? 'The server did not answer in time. It is asked again when the view changes.'
        : 'You are offline, and this dataset is answered by the server (it is not kept on this device). Connect to see this view.');
    }
    if (!response.ok) {
      const error = await response.json().then((body: { error?: string }) => body.error, () => undefined);
      throw new ServerAnswerError(`The server could not answer this: ${error ?? `HTTP ${response.status}`}.`);
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  private waiters: { pack: string; resolve: () => void; reject: (error: Error) => void }[] = [];

  /** Resolves once `pack` is attached in the engine; rejects if opening fails or another dataset opens. */
  private whenReady(pack: string): Promise<void> {
    if (this.phaseState() === 'ready' && this.infoState()?.packFile === pack) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ pack, resolve, reject }));
  }

  private settleWaiters(opened: string | null): void {
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.pack === opened) waiter.resolve();
      else waiter.reject(new Error('the dataset could not be opened'));
    }
  }
}

/** The pack size limit the user set on this device, in MB; null for any size. */
function readPackLimit(): number | null {
  const text = localStorage.getItem(LIMIT_KEY);
  const limit = text === null ? NaN : Number(text);
  return Number.isFinite(limit) && limit >= 0 ? limit : null;
}
