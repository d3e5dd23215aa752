// Reads whole columns of an Arrow result as plain values, for the quality views' shaping.
import type { ResultTable } from '../result-to-option.js';

export const numberColumn = (table: ResultTable, name: string): (number | null)[] => {
  const column = table.getChild(name);
  return Array.from({ length: table.numRows }, (_, i) => {
    const v = column?.get(i);
    return v === null || v === undefined ? null : Number(v);
  });
};

export const textColumn = (table: ResultTable, name: string): (string | null)[] => {
  const column = table.getChild(name);
  return Array.from({ length: table.numRows }, (_, i) => {
    const v = column?.get(i);
    return v === null || v === undefined ? null : String(v);
  });
};
