// The published description of a dataset: what GET /api/dataset returns and what the client reads.

export type ColumnGroup = 'record' | 'machine_state' | 'defect';
export type ColumnType = 'TIMESTAMP' | 'BOOLEAN' | 'BIGINT' | 'DOUBLE' | 'VARCHAR';

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  group: ColumnGroup;
  /** Defect columns only: the defect type (`flash`) and what the column measures (`severity`). */
  defectType?: string;
  measure?: string;
}

/** How a timestamp was written: epoch time in the unit its magnitude says, or an ISO 8601 string. */
export type TimestampEncoding =
  'epoch_seconds' | 'epoch_milliseconds' | 'epoch_microseconds' | 'epoch_nanoseconds' | 'iso_8601';

export interface IngestWarnings {
  /** Records that were not JSON objects and were left out. */
  skippedRecords: number;
  /** Per column: values of the wrong type, stored as NULL. */
  wrongTypes: Record<string, number>;
  /** Records without a usable timestamp (kept, with a NULL timestamp). */
  missingTimestamps: number;
  /**
   * Timestamps read per encoding: one key when the whole file uses one, several when it mixes them
   * (each value is then read in its own). Absent from datasets ingested before it was reported.
   */
  timestampEncodings?: Partial<Record<TimestampEncoding, number>>;
}

export interface MachineSummary {
  id: string;
  rows: number;
}

export interface DatasetMetadata {
  rows: number;
  columns: ColumnInfo[];
  sourceUrl: string;
  sha256: string;
  sourceBytes: number;
  ingestedAt: string;
  timeRange: { min: string | null; max: string | null };
  machines: MachineSummary[];
  parquetUrl: string;
  packUrl: string;
  parquetFile: string;
  packFile: string;
  parquetBytes: number;
  packBytes: number;
  warnings: IngestWarnings;
}
