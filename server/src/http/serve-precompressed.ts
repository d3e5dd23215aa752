// Serves the brotli or gzip copy the client build wrote beside a static file (client/precompress.mjs)
// when the browser accepts it: with Content-Encoding and Content-Length, and no compression work per
// request. Everything else falls through to the plain static handler.
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

const ENCODINGS = [{ name: 'br', extension: '.br' }, { name: 'gzip', extension: '.gz' }] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};

/** Whether the Accept-Encoding header allows `name` (q=0 refuses it). */
function accepts(header: string, name: string): boolean {
  return header.split(',').some((part) => {
    const [token, ...params] = part.trim().split(';');
    if (token?.trim().toLowerCase() !== name) return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function servePrecompressed(root: string, setHeaders: (response: Response, path: string) => void) {
  const base = normalize(root + sep);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const type = CONTENT_TYPES[extname(request.path)];
    if (!type) return next();
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(request.path)));
    } catch {
      return next();
    }
    if (!path.startsWith(base)) return next(); // outside the app: let the static handler refuse it
    const encoding = ENCODINGS.find((e) => accepts(request.get('accept-encoding') ?? '', e.name) && existsSync(path + e.extension));
    if (!encoding || !existsSync(path)) return next();
    const encoded = path + encoding.extension;
    response.vary('Accept-Encoding');
    setHeaders(response, path);
    response.set({ 'Content-Type': type, 'Content-Encoding': encoding.name, 'Content-Length': String(statSync(encoded).size) });
    // Once the file has started, an error means the browser went away (or the read broke mid-way):
    // there is nothing left to answer, and an error page would fail on the headers already sent.
    response.sendFile(encoded, { acceptRanges: false, lastModified: true, etag: false }, (error) => {
      if (error && !response.headersSent) next(error);
    });
  };
}
