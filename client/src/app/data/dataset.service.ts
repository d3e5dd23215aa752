// The dataset on this device: which one is open, how its pack gets here (stored on the device, or
// downloaded once with progress), whether the server has a newer one, and whether we are online.
import { Injectable, computed, signal } from '@angular/core';
import type { Table } from 'apache-arrow';
import type { DatasetInfo } from '../../../../pipeline/columns';
import { DuckDbClient, WorkerError } from './duckdb-client';
import { failureNotice, type FailureNotice } from './failure-message';
import type { PackSource, PackStorage, SqlParam, WorkerResponse } from './worker-protocol';

export type DatasetPhase = 'checking' | 'waiting-for-server' | 'opening' | 'ready' | 'error';

const STORAGE_KEY = 'moldlens.dataset';
const CHECK_INTERVAL_MS = 60_000;
const WAIT_INTERVAL_MS = 3_000;

@Injectable({ providedIn: 'root' })
export class DatasetService {
  private readonly client = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }),
    (message) => this.onBackground(message));
  private readonly infoState = signal<DatasetInfo | null>(null);
  private readonly phaseState = signal<DatasetPhase>('checking');
  private readonly messageState = signal<string>('');
  private readonly failureState = signal<FailureNotice | null>(null);
  private readonly placeState = signal<{ source: PackSource; storage: PackStorage } | null>(null);
  private readonly progressState = signal<{ stage: string; loaded: number; total: number } | null>(null);
  private readonly storeErrorState = signal('');
  private readonly onlineState = signal(navigator.onLine);
  private readonly updateState = signal<DatasetInfo | null>(null);
  private readonly storedBytesState = signal<number | null>(null);
  private readonly persistedState = signal<boolean | null>(null);

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
  readonly persisted = this.persistedState.asReadonly();
  readonly ready = computed(() => this.phaseState() === 'ready');
  /** Bumps whenever a different dataset is opened, so views re-run their queries. */
  readonly generation = computed(() => (this.phaseState() === 'ready' ? this.infoState()?.sha256 ?? '' : ''));

  constructor() {
    addEventListener('online', () => {
      this.onlineState.set(true);
      void this.checkForUpdate();
    });
    addEventListener('offline', () => this.onlineState.set(false));
    // Coming back to the app is when a newer dataset matters: check then, not only on the timer.
    addEventListener('focus', () => void this.checkForUpdate());
    setInterval(() => void this.checkForUpdate(), CHECK_INTERVAL_MS);
    void this.start();
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

  private async start(): Promise<void> {
    const stored = this.remembered();
    let server: Awaited<ReturnType<DatasetService['fetchServerInfo']>> | null = null;
    try {
      server = await this.fetchServerInfo();
      this.onlineState.set(true);
    } catch {
      this.onlineState.set(false);
    }
    if (stored && (await this.open(stored, server !== null && server.info?.sha256 === stored.sha256))) {
      if (server?.info && server.info.sha256 !== stored.sha256) this.updateState.set(server.info);
      return;
    }
    if (server?.info) {
      await this.open(server.info, true);
      return;
    }
    if (server) {
      this.phaseState.set(server.ingesting ? 'waiting-for-server' : 'error');
      this.messageState.set(server.error ?? 'The server has no dataset yet.');
      setTimeout(() => void this.start(), WAIT_INTERVAL_MS);
      return;
    }
    this.fail(failureNotice('not-stored', false));
  }

  private fail(notice: FailureNotice): void {
    this.phaseState.set('error');
    this.failureState.set(notice);
    this.messageState.set(notice.message);
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

  /** Opens a dataset's pack; true on success. */
  private async open(info: DatasetInfo, allowDownload: boolean): Promise<boolean> {
    this.phaseState.set('opening');
    try {
      const place = await this.client.open({ file: info.packFile, url: info.packUrl, bytes: info.packBytes }, allowDownload,
        ({ stage, loaded, total }) => this.progressState.set({ stage, loaded, total }));
      const source = place.source;
      this.placeState.set(place);
      this.failureState.set(null);
      this.infoState.set(info);
      if (source === 'stored') this.progressState.set(null);
      this.phaseState.set('ready');
      localStorage.setItem(STORAGE_KEY, JSON.stringify(info));
      void this.afterOpen(info);
      return true;
    } catch (error) {
      console.warn('MoldLens: opening the dataset failed', error);
      this.progressState.set(null);
      this.fail(failureNotice(error instanceof WorkerError ? error.reason : 'engine', this.onlineState()));
      return false;
    }
  }

  private onBackground(message: WorkerResponse): void {
    if (message.type === 'progress') this.progressState.set(message);
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
    await this.open(next, true);
  }

  query(sql: string, params: SqlParam[]): Promise<{ table: Table; milliseconds: number }> {
    return this.client.query(sql, params);
  }
}
