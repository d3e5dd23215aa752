// Feeds the download to the discovery worker chunk by chunk, with bounded buffering: the download
// waits when the worker falls behind instead of piling chunks up in memory. A worker that crashes or
// exits fails the ingest at once instead of leaving it waiting for an answer that never comes.
import { Worker } from 'node:worker_threads';
import type { DiscoveredSchema } from './column-discovery.js';
import type { DiscoveryMessage, DiscoveryReply, DiscoveryWorkerData } from './discovery-worker.js';
import { DatasetFormatError } from './json-array-splitter.js';
import type { ValueTableFile } from './value-table.js';

export interface Discovered {
  schema: DiscoveredSchema;
  /** The records' values as a CSV table, unless the worker gave it up (see ValueTable). */
  valueTable: ValueTableFile | null;
}

/**
 * Downloaded bytes go to the worker in blocks of this size: a socket hands over ~64 KB at a time, and
 * a message (with its answer) per 64 KB cost ~1.5 s of the two cores' time per GB, for nothing.
 */
const BLOCK_BYTES = 1 << 20;
const MAX_BLOCKS_IN_FLIGHT = 16;
const DISCOVERY_YOUNG_GENERATION_MB = 16;
export const DISCOVERY_WORKER = new URL('./discovery-worker.js', import.meta.url);

export class ParallelDiscovery {
  private readonly worker: Worker;
  private inFlight = 0;
  private block = new Uint8Array(BLOCK_BYTES);
  private blockLength = 0;
  private recordCount = 0;
  private failure: Error | null = null;
  private closing = false;
  private waiters: (() => void)[] = [];
  private readonly discovered: Promise<Discovered>;
  private resolveDiscovered!: (discovered: Discovered) => void;
  private rejectDiscovered!: (error: Error) => void;

  /** `workerScript` is the discovery worker (tests substitute one that dies); `valueTablePath`: see Discovered. */
  constructor(workerScript: URL = DISCOVERY_WORKER, valueTablePath?: string) {
    this.discovered = new Promise((resolve, reject) => {
      this.resolveDiscovered = resolve;
      this.rejectDiscovered = reject;
    });
    this.discovered.catch(() => {});
    // A small young generation: what the worker allocates is garbage a record later, and with V8's
    // default the process held ~490 MB after this pass instead of ~360 MB (200k records), on top of
    // which DuckDB converts. The old generation keeps its default, so a giant record still parses.
    const workerData: DiscoveryWorkerData = { valueTablePath };
    this.worker = new Worker(workerScript, { workerData, resourceLimits: { maxYoungGenerationSizeMb: DISCOVERY_YOUNG_GENERATION_MB } });
    this.worker.on('message', (message: DiscoveryReply) => {
      if (message.type === 'ack') {
        this.inFlight--;
        this.recordCount = message.records;
      } else if (message.type === 'schema') this.resolveDiscovered({ schema: message.schema, valueTable: message.valueTable });
      else this.fail(new DatasetFormatError(message.message));
      this.wake();
    });
    this.worker.on('error', (error) => this.fail(new Error(`column discovery crashed (${error.message}); the ingest was abandoned`)));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`column discovery stopped unexpectedly (its worker exited with code ${code}); the ingest was abandoned`));
    });
  }

  /** Records split so far (as of the worker's last answer). */
  get records(): number {
    return this.recordCount;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectDiscovered(this.failure);
    this.wake();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async until(done: () => boolean): Promise<void> {
    while (!this.failure && !done()) await new Promise<void>((wake) => this.waiters.push(wake));
    if (this.failure) throw this.failure;
  }

  private post(message: DiscoveryMessage, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Copies the next downloaded bytes (the caller's buffer may be reused) for the worker, a block at a time. */
  push(chunk: Uint8Array): void {
    for (let from = 0; from < chunk.length;) {
      const taken = Math.min(chunk.length - from, BLOCK_BYTES - this.blockLength);
      this.block.set(chunk.subarray(from, from + taken), this.blockLength);
      this.blockLength += taken;
      from += taken;
      if (this.blockLength === BLOCK_BYTES) {
        this.sendBlock();
        this.block = new Uint8Array(BLOCK_BYTES);
      }
    }
  }

  /** Hands the block over (its buffer moves to the worker): the caller gives the next bytes a new one. */
  private sendBlock(): void {
    const bytes = this.block.subarray(0, this.blockLength);
    this.post({ type: 'chunk', bytes }, [bytes.buffer]);
    this.inFlight++;
    this.blockLength = 0;
  }

  /** Resolves when the worker has room for more; throws the first format error or the worker's end. */
  ready(): Promise<void> {
    return this.until(() => this.inFlight < MAX_BLOCKS_IN_FLIGHT);
  }

  /** The columns of the whole file, once the worker has every byte. */
  async finish(): Promise<Discovered> {
    if (this.blockLength > 0) this.sendBlock();
    this.post({ type: 'finish' });
    await this.until(() => this.inFlight === 0);
    return this.discovered;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }
}
