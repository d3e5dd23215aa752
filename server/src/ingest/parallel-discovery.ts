// Feeds record texts to a discovery worker in batches, with bounded buffering: the download waits
// when the parser falls behind instead of piling records up in memory.
import { Worker } from 'node:worker_threads';
import type { DiscoveredSchema } from './column-discovery.js';
import { DatasetFormatError } from './json-array-splitter.js';

const BATCH_CHARS = 4 << 20;
const MAX_BATCHES_IN_FLIGHT = 4;

export class ParallelDiscovery {
  private readonly worker = new Worker(new URL('./discovery-worker.js', import.meta.url));
  private batch: string[] = [];
  private batchChars = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];
  private schemaPromise: Promise<DiscoveredSchema>;
  private resolveSchema!: (schema: DiscoveredSchema) => void;

  constructor() {
    this.schemaPromise = new Promise((resolve, reject) => {
      this.resolveSchema = resolve;
      this.worker.on('error', reject);
    });
    this.schemaPromise.catch(() => {});
    this.worker.on('message', (message: { type: 'ack' } | { type: 'schema'; schema: DiscoveredSchema } | { type: 'error'; message: string }) => {
      if (message.type === 'ack') this.inFlight--;
      else if (message.type === 'schema') this.resolveSchema(message.schema);
      else this.failure = new DatasetFormatError(message.message);
      for (const wake of this.waiters.splice(0)) wake();
    });
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

  /** Resolves when the worker has room for more; throws the first parse error. */
  async ready(): Promise<void> {
    while (!this.failure && this.inFlight >= MAX_BATCHES_IN_FLIGHT) await new Promise<void>((wake) => this.waiters.push(wake));
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<DiscoveredSchema> {
    this.send();
    this.worker.postMessage({ type: 'finish' });
    while (!this.failure && this.inFlight > 0) await new Promise<void>((wake) => this.waiters.push(wake));
    if (this.failure) throw this.failure;
    return this.schemaPromise;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
