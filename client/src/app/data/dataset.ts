// What GET /api/dataset describes: the server's own types, so the API contract has one definition.
import type { ColumnInfo, ColumnType, DatasetMetadata } from '../../../../server/src/dataset/dataset-metadata';

export type { ColumnGroup, ColumnInfo, ColumnType } from '../../../../server/src/dataset/dataset-metadata';
export type DatasetInfo = DatasetMetadata;

export const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['BIGINT', 'DOUBLE']);

export const isNumeric = (column: ColumnInfo | undefined): boolean => !!column && NUMERIC_TYPES.has(column.type);
