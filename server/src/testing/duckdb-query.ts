// Reads back what an ingest wrote, with native DuckDB, for assertions.
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../../../pipeline/filter-sql.js';

export async function queryFile(sql: (source: string) => string, path: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    let source = `read_parquet(${quoteLiteral(path)})`;
    if (path.endsWith('.duckdb')) {
      await connection.run(`ATTACH ${quoteLiteral(path)} AS pack (READ_ONLY)`);
      source = 'pack.records';
    }
    const reader = await connection.runAndReadAll(sql(source));
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
