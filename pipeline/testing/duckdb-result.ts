// Runs pipeline SQL on native DuckDB (the engine inside DuckDB-WASM) and returns the result in the
// shape the shaping functions read from an Arrow table.
import { BOOLEAN, DOUBLE, DuckDBInstance, VARCHAR, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResultReader } from '@duckdb/node-api';
import type { SqlParam } from '../filter-sql.js';
import type { ResultTable } from '../result-to-option.js';

export async function openDuckDb(): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return { connection, close: () => { connection.closeSync(); instance.closeSync(); } };
}

export async function runQuery(connection: DuckDBConnection, sql: string, params: readonly SqlParam[]): Promise<ResultTable> {
  return resultOf(await connection.runAndReadAll(sql, [...params], paramTypes(params)));
}

/** Runs a statement prepared once, as the browser's worker keeps them, with the parameters of one run. */
export async function runPrepared(statement: DuckDBPreparedStatement, params: readonly SqlParam[]): Promise<ResultTable> {
  statement.bind([...params], paramTypes(params));
  return resultOf(await statement.runAndReadAll());
}

// Typed like DuckDB-WASM binds them: a JS number is a DOUBLE (left to inference, epoch
// milliseconds would be taken for a 32-bit INTEGER and wrap).
const paramTypes = (params: readonly SqlParam[]) =>
  params.map((p) => (typeof p === 'number' ? DOUBLE : typeof p === 'boolean' ? BOOLEAN : VARCHAR));

function resultOf(reader: DuckDBResultReader): ResultTable {
  const names = reader.columnNames();
  const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
  return {
    numRows: rows.length,
    schema: { fields: names.map((name) => ({ name })) },
    getChild: (name) => (names.includes(name) ? { get: (i: number) => toPlain(rows[i]![name]) } : null),
  };
}

/** BIGINTs arrive as bigint and lists as arrays; the browser's Arrow rows give numbers and array-likes. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}
