// Runs one ingest at a time and remembers how the last one went, for /api/ingest/status and
// /api/dataset.
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import type { DatasetStore } from '../dataset/dataset-store.js';
import { ingestDataset, type IngestConfig, type IngestProgress, type IngestRequest } from './ingest-dataset.js';

export interface IngestStatus {
  state: 'idle' | 'running' | 'succeeded' | 'failed';
  url?: string;
  progress?: IngestProgress;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
}

export class IngestBusyError extends Error {
  constructor() {
    super('an ingest is already running');
  }
}

export class IngestService {
  private current: IngestStatus = { state: 'idle' };

  constructor(
    private readonly store: DatasetStore,
    private readonly config: IngestConfig,
    private readonly log: (line: string) => void = (line) => console.log(`[ingest] ${line}`),
  ) {}

  status(): IngestStatus {
    return structuredClone(this.current);
  }

  /** Starts an ingest; the promise settles when it ends. Throws IngestBusyError when one is running. */
  run(url: string, allowPrivateNetwork: boolean, options: Pick<IngestRequest, 'discoveryWorker'> = {}): Promise<DatasetMetadata> {
    if (this.current.state === 'running') throw new IngestBusyError();
    this.current = { state: 'running', url, startedAt: new Date().toISOString() };
    return ingestDataset(this.store, this.config, {
      ...options, url, allowPrivateNetwork, log: this.log,
      onProgress: (progress) => { this.current.progress = progress; },
    }).then(
      (metadata) => {
        this.current = { ...this.current, state: 'succeeded', finishedAt: new Date().toISOString() };
        return metadata;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.current = { ...this.current, state: 'failed', finishedAt: new Date().toISOString(), error: message };
        this.log(`failed: ${message}`);
        throw error;
      },
    );
  }
}
