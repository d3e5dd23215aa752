// Runs the app's queries on native DuckDB over the published pack, for browsers whose own engine is
// still starting or that do not keep the pack. Only query requests come in (views, parts,
// comparisons) — validated, then turned into SQL by the same pipeline as in the browser; never SQL
// text. Bounded: a few queries at a
// time, a time limit, a cap on the result's size.
import { BOOLEAN, DOUBLE, DuckDBInstance, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { Table, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import { quoteLiteral, type SqlParam } from '../../../pipeline/filter-sql.js';
import { parseQueryRequest, QUERY_ROWS_VERSION, requestSql, requestZone } from '../../../pipeline/query-request.js';

export interface QueryLimits {
  concurrent: number;
  /** Queries waiting for a turn beyond this many are refused: the browser's engine answers them. */
  queued: number;
  timeoutMs: number;
  maxRows: number;
  maxBytes: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { concurrent: 2, queued: 16, timeoutMs: 10_000, maxRows: 50_000, maxBytes: 16 * 1024 * 1024 };

/** A refusal the browser can act on: `status` is the HTTP status, `message` says why in words. */
export class QueryRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

interface Session {
  sha256: string;
  instance: DuckDBInstance;
}

export class QueryService {
  private session: Promise<Session> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly current: () => DatasetMetadata | null,
    private readonly packPath: (file: string) => string | null,
    private readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {}

  /** Runs the query the untrusted `body` asks for and returns its result as Arrow IPC bytes. */
  async run(body: unknown): Promise<Uint8Array> {
    const dataset = this.current();
    if (!dataset) throw new QueryRefusal(404, 'no dataset is published');
    if ((body as { sha256?: unknown } | null)?.sha256 !== dataset.sha256) throw new QueryRefusal(409, 'the server has a different dataset now: reload to get it');
    if ((body as { rowsVersion?: unknown }).rowsVersion !== QUERY_ROWS_VERSION) {
      throw new QueryRefusal(409, 'this page is from another release of MoldLens than the server: reload it to update');
    }
    const request = parseQueryRequest(body, dataset.columns); // SpecError → 400, in words
    const zone = requestZone(request, dataset.timeRange);
    const { sql, params } = requestSql(request, { columns: dataset.columns, timeRange: dataset.timeRange, zone });
    await this.turn();
    try {
      const session = await this.sessionFor(dataset);
      const connection = await session.instance.connect();
      try {
        return await this.execute(connection, sql, params);
      } finally {
        connection.closeSync();
      }
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Waits for one of the `concurrent` slots; refuses when too many queries wait already. */
  private async turn(): Promise<void> {
    if (this.running >= this.limits.concurrent) {
      if (this.waiting.length >= this.limits.queued) throw new QueryRefusal(503, 'the server is busy: try again in a moment');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
  }

  private async execute(connection: DuckDBConnection, sql: string, params: SqlParam[]): Promise<Uint8Array> {
    // Bound like DuckDB-WASM binds them: a JS number is a DOUBLE (an INTEGER would wrap epoch milliseconds).
    const types = params.map((p) => (typeof p === 'number' ? DOUBLE : typeof p === 'boolean' ? BOOLEAN : VARCHAR));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, this.limits.timeoutMs);
    let reader;
    try {
      reader = await connection.runAndReadAll(sql, params, types);
    } catch (error) {
      if (timedOut) throw new QueryRefusal(503, 'the query took too long on the server: narrow its filters');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (reader.currentRowCount > this.limits.maxRows) throw new QueryRefusal(413, 'the result is too large to send: narrow its filters');
    const columns = reader.getColumnsObjectJS() as Record<string, unknown[]>;
    const vectors: Record<string, Vector> = {};
    for (const [name, values] of Object.entries(columns)) vectors[name] = vectorFromArray(values.map(toArrowValue));
    const table = new Table(vectors);
    const ipc = tableToIPC(table, 'stream');
    if (ipc.byteLength > this.limits.maxBytes) throw new QueryRefusal(413, 'the result is too large to send: narrow its filters');
    return ipc;
  }

  /** Opens the DuckDB over the current pack ahead of the first query (which then saves ~0.3 s). */
  warm(): void {
    const dataset = this.current();
    if (dataset) this.sessionFor(dataset).catch(() => { /* the query that needs it reports the problem */ });
  }

  /** One read-only DuckDB over the current pack, reopened when a new dataset is published. */
  private sessionFor(dataset: DatasetMetadata): Promise<Session> {
    const open = async (): Promise<Session> => {
      const path = this.packPath(dataset.packFile);
      if (!path) throw new QueryRefusal(404, 'the dataset file is missing on the server');
      const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
      const connection = await instance.connect();
      await connection.run(`ATTACH ${quoteLiteral(path)} AS pack (READ_ONLY)`);
      connection.closeSync();
      return { sha256: dataset.sha256, instance };
    };
    const previous = this.session;
    this.session = (previous ?? Promise.resolve(null)).then((s) => {
      if (s && s.sha256 === dataset.sha256) return s;
      s?.instance.closeSync();
      return open();
    }, () => open());
    return this.session;
  }

  close(): void {
    void this.session?.then((s) => s.instance.closeSync(), () => {});
  }
}

/** As the browser's Arrow rows give them: BIGINTs as numbers (castBigIntToDouble), times as epoch ms, lists as arrays. */
function toArrowValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(toArrowValue);
  return value;
}
