// The one message union between the app and its DuckDB worker.

export type SqlParam = string | number | boolean;

export interface PackRef {
  /** Content-addressed file name, also the name it is stored under in OPFS. */
  file: string;
  url: string;
  bytes: number;
}

export type WorkerRequest =
  | { type: 'open'; id: number; pack: PackRef; allowDownload: boolean }
  | { type: 'query'; id: number; sql: string; params: SqlParam[] }
  | { type: 'prune'; id: number; keep: string[] };

/** Where the attached pack is read from: the copy in OPFS, or HTTP range reads while it downloads. */
export type PackSource = 'stored' | 'http';

export type WorkerResponse =
  | { type: 'progress'; id: number; stage: 'starting' | 'downloading' | 'attaching'; loaded: number; total: number }
  | { type: 'opened'; id: number; source: PackSource }
  /** After an 'http' open: the download into OPFS finished (the worker now reads the stored copy) or failed. */
  | { type: 'stored'; id: number; file: string; error?: string }
  | { type: 'result'; id: number; ipc: Uint8Array; rows: number; milliseconds: number }
  | { type: 'pruned'; id: number; storedBytes: number }
  | { type: 'error'; id: number; message: string };
