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

export interface IngestWarnings {
  /** Records that were not JSON objects and were left out. */
  skippedRecords: number;
  /** Per column: values of the wrong type, stored as NULL. */
  wrongTypes: Record<string, number>;
  /** Records without a usable timestamp (kept, with a NULL timestamp). */
  missingTimestamps: number;
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
