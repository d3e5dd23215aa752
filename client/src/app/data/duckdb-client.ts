// The app's side of the DuckDB worker: one request, one promise; progress goes to a callback, and
// what the worker reports after a request has settled (a background download) to `onBackground`.
import type { CubedQuery, CubeRows, CubeStatement, FailureReason, PackRef, PackSource, PackStorage, SqlParam, WorkerRequest, WorkerResponse } from './worker-protocol';

/** A failed request, with the reason the app words its message and actions by. */
export class WorkerError extends Error {
  constructor(message: string, readonly reason: FailureReason) {
    super(message);
  }
}

type Progress = Extract<WorkerResponse, { type: 'progress' }>;
type Pending = { resolve: (value: WorkerResponse) => void; reject: (error: Error) => void; onProgress?: (p: Progress) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export class DuckDbClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker, private readonly onBackground: (message: WorkerResponse) => void = () => {}) {
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      const message = event.data;
      const pending = this.pending.get(message.id);
      if (!pending) return this.onBackground(message);
      if (message.type === 'progress') return pending.onProgress?.(message);
      this.pending.delete(message.id);
      if (message.type === 'error') pending.reject(new WorkerError(message.message, message.reason));
      else pending.resolve(message);
    });
    worker.addEventListener('error', (event) => {
      for (const pending of this.pending.values()) pending.reject(new WorkerError(event.message || 'the database worker failed', 'engine'));
      this.pending.clear();
    });
  }

  private send(body: RequestBody, onProgress?: Pending['onProgress']): Promise<WorkerResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  async open(pack: PackRef, allowDownload: boolean, onProgress?: (p: Progress) => void): Promise<{ source: PackSource; storage: PackStorage }> {
    const { source, storage } = await this.send({ type: 'open', pack, allowDownload }, onProgress) as Extract<WorkerResponse, { type: 'opened' }>;
    return { source, storage };
  }

  async forget(file: string): Promise<void> {
    await this.send({ type: 'forget', file });
  }

  /**
   * Runs a query — answered from the pre-aggregated table of `cubed` where the worker has it — and
   * returns the result as Arrow IPC bytes (what the result cache keeps), with whether its statement
   * had to be planned.
   */
  async query(sql: string, params: SqlParam[], cubed?: CubedQuery | null): Promise<{ ipc: Uint8Array; milliseconds: number; planned: boolean }> {
    const { ipc, milliseconds, planned } = await this.send({ type: 'query', sql, params, ...(cubed ? { cubed } : {}) }) as Extract<WorkerResponse, { type: 'result' }>;
    return { ipc, milliseconds, planned };
  }

  /**
   * Has the worker fill a pre-aggregated table while it has nothing else to do: from `rows` (copied:
   * the result cache keeps them too) where given; then plan `read`, a view's statement over it.
   */
  async prepare(cube: CubeStatement, { read, rows }: { read?: string; rows?: CubeRows } = {}): Promise<void> {
    await this.send({ type: 'prepare', cube, ...(read ? { read } : {}), ...(rows ? { rows } : {}) });
  }

  async prune(keep: string[]): Promise<number> {
    return (await this.send({ type: 'prune', keep }) as Extract<WorkerResponse, { type: 'pruned' }>).storedBytes;
  }

  terminate(): void {
    this.worker.terminate();
  }
}
