// What the client needs to know about the dataset's columns, on top of the API contract.
import type { ColumnInfo, ColumnType, DatasetMetadata } from './dataset-metadata.js';

export type { ColumnGroup, ColumnInfo, ColumnType } from './dataset-metadata.js';
export type DatasetInfo = DatasetMetadata;

export const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['BIGINT', 'DOUBLE']);

export const isNumeric = (column: ColumnInfo | undefined): boolean => !!column && NUMERIC_TYPES.has(column.type);

/** The machine parameter a view measures unless told otherwise: CycleTime, else InjPeakPressure, else the first numeric machine-state field. */
export function defaultParameter(columns: readonly ColumnInfo[]): string | null {
  const numeric = columns.filter(isNumeric);
  return ['CycleTime', 'InjPeakPressure'].find((name) => numeric.some((c) => c.name === name)) ??
    numeric.find((c) => c.group === 'machine_state')?.name ?? null;
}

/** The defect reject flags (`flash_reject`, …) of the dataset. */
export const defectRejectFlags = (columns: readonly ColumnInfo[]): ColumnInfo[] =>
  columns.filter((c) => c.group === 'defect' && c.measure === 'reject' && c.type === 'BOOLEAN');
