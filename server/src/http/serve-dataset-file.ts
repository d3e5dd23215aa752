// Serves a published, content-addressed file: strong ETag (its hash), byte ranges (DuckDB-WASM
// reads the pack lazily with them, starting with a HEAD carrying `Range: bytes=0-`) and
// immutable caching, since a name never changes content.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';

const CONTENT_TYPES: Record<string, string> = {
  parquet: 'application/vnd.apache.parquet',
  duckdb: 'application/octet-stream',
};

type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

export function parseRange(header: string | undefined, size: number): ByteRange {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number, end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

export async function serveDatasetFile(request: Request, response: Response, path: string, name: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    response.status(404).json({ error: `no file named ${name}` });
    return;
  }
  const etag = `"${name.slice(0, 64)}"`;
  const extension = name.slice(name.lastIndexOf('.') + 1);
  response.set({
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
  });
  if (extension === 'parquet') response.attachment(`moldlens-${name.slice(0, 12)}.parquet`);
  if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
    response.status(304).end();
    return;
  }
  const ifRange = request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    response.status(416).set('Content-Range', `bytes */${size}`).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  response.status(range ? 206 : 200).set('Content-Length', String(end - start + 1));
  if (range) response.set('Content-Range', `bytes ${start}-${end}/${size}`);
  if (request.method === 'HEAD' || size === 0) {
    response.end();
    return;
  }
  await pipeline(createReadStream(path, { start, end }), response).catch(() => response.destroy());
}
