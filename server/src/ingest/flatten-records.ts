// The slow, always-correct path for irregular data (non-object records, keys that are objects in
// some records and values in others, keys differing only in case): rewrite every record as one
// flat NDJSON line with only the values that fit their column's type. Also the way in for text
// DuckDB's JSON reader refuses (see ingest-dataset.ts).
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ColumnType } from '../../../pipeline/dataset-metadata.js';
import { kindOf, type DiscoveredColumn } from './column-discovery.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { readTimestamp } from './timestamp-rule.js';

/** Whether a JSON value is stored in a column of this type (anything else is stored as NULL). */
export function fits(value: unknown, type: ColumnType): boolean {
  const kind = kindOf(value);
  switch (type) {
    case 'BOOLEAN': return kind === 'bool';
    case 'VARCHAR': return kind === 'string';
    case 'BIGINT': return kind === 'int';
    case 'DOUBLE': return kind === 'int' || kind === 'float';
    case 'TIMESTAMP': return readTimestamp(value) !== null;
  }
}

/** The value at a key path, or undefined when the path does not lead through objects to it. */
export function valueAt(record: unknown, path: string[]): unknown {
  let value = record;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export async function flattenRecords(sourcePath: string, targetPath: string, columns: DiscoveredColumn[]): Promise<void> {
  const out = createWriteStream(targetPath);
  let lines: string[] = [];
  const splitter = new JsonArraySplitter((bytes) => {
    const record: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
    const flat: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = valueAt(record, column.path);
      // A lone surrogate (from an escape such as \ud800) becomes U+FFFD, as a byte that is not UTF-8
      // already has: DuckDB reads neither.
      if (fits(value, column.type)) flat[`c${i}`] = typeof value === 'string' ? value.toWellFormed() : value;
    });
    lines.push(JSON.stringify(flat));
  });
  for await (const chunk of createReadStream(sourcePath, { highWaterMark: 1 << 20 })) {
    splitter.push(chunk as Buffer);
    if (lines.length) {
      if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
      lines = [];
    }
  }
  splitter.end();
  out.end();
  await once(out, 'finish');
}
