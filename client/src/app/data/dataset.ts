/** What GET /api/dataset describes (the server's DatasetMetadata). */
export type ColumnGroup = 'record' | 'machine_state' | 'defect';
export type ColumnType = 'TIMESTAMP' | 'BOOLEAN' | 'BIGINT' | 'DOUBLE' | 'VARCHAR';

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  group: ColumnGroup;
  defectType?: string;
  measure?: string;
}

export interface DatasetInfo {
  rows: number;
  columns: ColumnInfo[];
  sourceUrl: string;
  sha256: string;
  ingestedAt: string;
  timeRange: { min: string | null; max: string | null };
  machines: { id: string; rows: number }[];
  parquetUrl: string;
  packUrl: string;
  packFile: string;
  packBytes: number;
  parquetBytes: number;
  warnings: { skippedRecords: number; wrongTypes: Record<string, number>; missingTimestamps: number };
}

export const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['BIGINT', 'DOUBLE']);

export const isNumeric = (column: ColumnInfo | undefined): boolean => !!column && NUMERIC_TYPES.has(column.type);
