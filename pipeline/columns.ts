// What the client needs to know about the dataset's columns, on top of the API contract.
import type { ColumnInfo, ColumnType, DatasetMetadata } from './dataset-metadata.js';

export type { ColumnGroup, ColumnInfo, ColumnType } from './dataset-metadata.js';
export type DatasetInfo = DatasetMetadata;

export const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['BIGINT', 'DOUBLE']);

export const isNumeric = (column: ColumnInfo | undefined): boolean => !!column && NUMERIC_TYPES.has(column.type);
