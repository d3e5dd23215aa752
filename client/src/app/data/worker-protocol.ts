// The one message union between the app and its DuckDB worker.
import type { CubeStatement, SqlParam } from '../../../../pipeline/spec-to-sql';

export type { CubeStatement, SqlParam };

/**
 * A pre-aggregated table's rows (Arrow IPC) as computed over `pack`, by the server or by this device's
 * engine: used only while that pack is attached.
 */
export interface CubeRows {
  pack: string;
  ipc: Uint8Array;
}

/** A query over a pre-aggregated table, the statement that fills that table, and its rows where the server sent them. */
export interface CubedQuery {
  sql: string;
  params: SqlParam[];
  cube: CubeStatement;
  rows?: CubeRows;
}

export interface PackRef {
  /** Content-addressed file name, also the name it is stored under on the device. */
  file: string;
  url: string;
  bytes: number;
}

export type WorkerRequest =
  | { type: 'open'; id: number; pack: PackRef; allowDownload: boolean }
  /** Drops the stored copy of a pack (damaged or unreadable) so the next open downloads it again. */
  | { type: 'forget'; id: number; file: string }
  /**
   * With `cubed`, the worker answers from that query over a pre-aggregated table (filling the table
   * first unless it still has it) — or with `sql`, when the table came out too large to be worth keeping.
   */
  | { type: 'query'; id: number; sql: string; params: SqlParam[]; cubed?: CubedQuery }
  /**
   * Fills a pre-aggregated table while no query waits, so the view's next filter change finds it:
   * from `rows` where the server sent them (the same statement over the same pack), else by
   * scanning the dataset. Then plans `read`, the view's statement over the table, so that filter
   * change only runs it.
   */
  | { type: 'prepare'; id: number; cube: CubeStatement; read?: string; rows?: CubeRows }
  | { type: 'prune'; id: number; keep: string[] };

/** Where the attached pack is read from: the copy on this device, or HTTP range reads while it downloads. */
export type PackSource = 'stored' | 'http';
/** Where this browser keeps packs: OPFS, Cache Storage (browsers without writable OPFS), or nowhere. */
export type PackStorage = 'opfs' | 'cache' | 'none';

/**
 * Why a request failed, for the app to say in words and offer the right action:
 * `not-stored` offline with no stored copy (or it was evicted), `storage-full` no room on the
 * device, `engine` DuckDB could not start, `unreadable` the stored copy could not be read.
 */
export type FailureReason = 'not-stored' | 'storage-full' | 'engine' | 'unreadable' | 'network' | 'query';

export type WorkerResponse =
  | { type: 'progress'; id: number; stage: 'starting' | 'downloading' | 'attaching'; loaded: number; total: number }
  | { type: 'opened'; id: number; source: PackSource; storage: PackStorage }
  /** After an 'http' open: the download to the device finished (the worker now reads the stored copy) or failed. */
  | { type: 'stored'; id: number; file: string; error?: string; reason?: FailureReason }
  /** `planned`: the query planned its statement, rather than running one the worker kept prepared. */
  | { type: 'result'; id: number; ipc: Uint8Array; rows: number; milliseconds: number; planned: boolean }
  | { type: 'pruned'; id: number; storedBytes: number }
  | { type: 'prepared'; id: number }
  | { type: 'forgotten'; id: number }
  /** Unasked (id 0): the rows of a pre-aggregated table the engine filled by scanning the dataset, for the app to keep. */
  | { type: 'scanned'; id: 0; cube: CubeStatement; rows: CubeRows }
  | { type: 'error'; id: number; message: string; reason: FailureReason };
