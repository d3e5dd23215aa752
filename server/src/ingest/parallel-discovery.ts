// Feeds record texts to a discovery worker in batches, with bounded buffering: the download waits
// when the parser falls behind instead of piling records up in memory. A worker that crashes or
// exits fails the ingest at once instead of leaving it waiting for an answer that never comes.
import { Worker } from 'node:worker_threads';
import type { DiscoveredSchema } from './column-discovery.js';
import { DatasetFormatError } from './json-array-splitter.js';

const BATCH_CHARS = 4 << 20;
const MAX_BATCHES_IN_FLIGHT = 4;
const DISCOVERY_YOUNG_GENERATION_MB = 16;
export const DISCOVERY_WORKER = new URL('./discovery-worker.js', import.meta.url);

type WorkerMessage = { type: 'ack' } | { type: 'schema'; schema: DiscoveredSchema } | { type: 'error'; message: string };

export class ParallelDiscovery {
  private readonly worker: Worker;
  private batch: string[] = [];
  private batchChars = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private closing = false;
  private waiters: (() => void)[] = [];
  private readonly schemaPromise: Promise<DiscoveredSchema>;
  private resolveSchema!: (schema: DiscoveredSchema) => void;
  private rejectSchema!: (error: Error) => void;

  /** `workerScript` is the discovery worker; tests substitute one that dies. */
  constructor(workerScript: URL = DISCOVERY_WORKER) {
    this.schemaPromise = new Promise((resolve, reject) => {
      this.resolveSchema = resolve;
      this.rejectSchema = reject;
    });
    this.schemaPromise.catch(() => {});
    // A small young generation: the parsed records are garbage a batch later, and with V8's default
    // the process held ~490 MB after this pass instead of ~360 MB (200k records), on top of which
    // DuckDB converts. The old generation keeps its default, so a giant record still parses.
    this.worker = new Worker(workerScript, { resourceLimits: { maxYoungGenerationSizeMb: DISCOVERY_YOUNG_GENERATION_MB } });
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ack') this.inFlight--;
      else if (message.type === 'schema') this.resolveSchema(message.schema);
      else this.fail(new DatasetFormatError(message.message));
      this.wake();
    });
    this.worker.on('error', (error) => this.fail(new Error(`column discovery crashed (${error.message}); the ingest was abandoned`)));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`column discovery stopped unexpectedly (its worker exited with code ${code}); the ingest was abandoned`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectSchema(this.failure);
    this.wake();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async until(done: () => boolean): Promise<void> {
    while (!this.failure && !done()) await new Promise<void>((wake) => this.waiters.push(wake));
    if (this.failure) throw this.failure;
  }

  add(text: string): void {
    this.batch.push(text);
    this.batchChars += text.length;
    if (this.batchChars >= BATCH_CHARS) this.send();
  }

  private send(): void {
    if (!this.batch.length) return;
    this.worker.postMessage({ type: 'batch', records: this.batch });
    this.inFlight++;
    this.batch = [];
    this.batchChars = 0;
  }

  /** Resolves when the worker has room for more; throws the first parse error or the worker's end. */
  ready(): Promise<void> {
    return this.until(() => this.inFlight < MAX_BATCHES_IN_FLIGHT);
  }

  async finish(): Promise<DiscoveredSchema> {
    this.send();
    this.worker.postMessage({ type: 'finish' });
    await this.until(() => this.inFlight === 0);
    return this.schemaPromise;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }
}
