// Reads whole columns of a query's result (an Arrow table) as plain values, for the views' shaping.
import { Type, Vector, type Utf8 } from 'apache-arrow';
import type { ResultTable } from './result-to-option.js';

/** A result column's first `length` values as the table holds them (undefined for a column it lacks). */
export function columnValues(table: ResultTable, name: string, length = table.numRows): unknown[] {
  const column = table.getChild(name);
  return (column && asciiText(column, length)) ?? Array.from({ length }, (_, i) => column?.get(i));
}

export const numberColumn = (table: ResultTable, name: string): (number | null)[] =>
  columnValues(table, name).map((v) => (v === null || v === undefined ? null : Number(v)));

export const textColumn = (table: ResultTable, name: string): (string | null)[] =>
  columnValues(table, name).map((v) => (v === null || v === undefined ? null : String(v)));

const decoder = new TextDecoder();

/**
 * An Arrow text column whose bytes are ASCII (presses, defect types, labels), decoded with one
 * TextDecoder call per chunk of rows instead of one per value: per value, decoding took most of the
 * time of reading a result (about 25 ms of the four a filter change reads on 1M records). Undefined
 * for any other column, which is read value by value.
 */
function asciiText(column: { get(index: number): unknown }, length: number): (string | null)[] | undefined {
  if (!(column instanceof Vector) || column.type.typeId !== Type.Utf8) return undefined;
  const values: (string | null)[] = [];
  for (const data of (column as Vector<Utf8>).data) {
    if (values.length >= length) break;
    const offsets = data.valueOffsets;
    const bytes = data.values.subarray(offsets[0], offsets[data.length]);
    const text = decoder.decode(bytes);
    // As many characters as bytes only when each byte is one character: then byte offsets are character offsets.
    if (text.length !== bytes.length) return undefined;
    const base = offsets[0]!;
    for (let i = 0; i < data.length && values.length < length; i++) {
      values.push(data.nullCount && !data.getValid(i) ? null : text.slice(offsets[i]! - base, offsets[i + 1]! - base));
    }
  }
  return values;
}
