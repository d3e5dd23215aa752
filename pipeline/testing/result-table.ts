// A result as the shaping functions read it (an Arrow table's rows), built from plain columns: for
// unit tests of shaping without an engine.
import type { ResultTable } from '../result-to-option.js';

/** `numRows` rows whose column `name` holds `column(name)` (missing columns and cells read as null). */
export const resultTableOf = (numRows: number, column: (name: string) => readonly unknown[] | undefined): ResultTable =>
  ({ numRows, schema: { fields: [] }, getChild: (name) => ({ get: (i: number) => column(name)?.[i] ?? null }) });
