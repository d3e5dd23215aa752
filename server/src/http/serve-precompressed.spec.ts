// Precompressed static files over real HTTP on loopback: the encoding the browser accepts, with
// Content-Length, the real content type and immutable caching; identity when it accepts neither.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import { servePrecompressed } from './serve-precompressed.js';

describe('servePrecompressed', () => {
  let dir: string;
  let base: string;
  let close: () => void;
  const wasm = Buffer.alloc(50_000, 7);
  /** What reached the app's error handler. */
  const errors: unknown[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-precompressed-'));
    await writeFile(join(dir, 'engine-ABCD1234.wasm'), wasm);
    await writeFile(join(dir, 'engine-ABCD1234.wasm.br'), brotliCompressSync(wasm));
    await writeFile(join(dir, 'engine-ABCD1234.wasm.gz'), gzipSync(wasm));
    await writeFile(join(dir, 'plain.js'), 'console.log(1)');
    // Random bytes do not compress: a download of several chunks.
    await writeFile(join(dir, 'big-ABCD1234.wasm'), randomBytes(8_000_000));
    await writeFile(join(dir, 'big-ABCD1234.wasm.br'), randomBytes(8_000_000));
    const app = express();
    app.use(servePrecompressed(dir, (response) => response.set('Cache-Control', 'public, max-age=31536000, immutable')));
    app.use(express.static(dir));
    app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      if (!response.headersSent) response.status(500).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(async () => {
    close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, acceptEncoding: string) =>
    fetch(`${base}${path}`, { headers: { 'accept-encoding': acceptEncoding } });

  it('sends the brotli copy with its length, the real content type and immutable caching', async () => {
    const response = await get('/engine-ABCD1234.wasm', 'gzip, deflate, br');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-encoding'), 'br');
    assert.equal(response.headers.get('content-type'), 'application/wasm');
    assert.match(response.headers.get('cache-control') ?? '', /immutable/);
    assert.match(response.headers.get('vary') ?? '', /Accept-Encoding/i);
    assert.equal(Number(response.headers.get('content-length')), brotliCompressSync(wasm).length);
  });

  it('falls back to gzip, then to the file itself; q=0 refuses an encoding', async () => {
    assert.equal((await get('/engine-ABCD1234.wasm', 'gzip')).headers.get('content-encoding'), 'gzip');
    assert.equal((await get('/engine-ABCD1234.wasm', 'br;q=0, gzip')).headers.get('content-encoding'), 'gzip');
    const identity = await get('/engine-ABCD1234.wasm', 'identity');
    assert.equal(identity.headers.get('content-encoding'), null);
    assert.deepEqual(Buffer.from(await identity.arrayBuffer()), wasm);
  });

  it('leaves files without a compressed copy, and paths outside the app, to the static handler', async () => {
    const plain = await get('/plain.js', 'br');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), 'console.log(1)');
    assert.equal((await get('/..%2f..%2fetc%2fpasswd.js', 'br')).status, 404);
  });

  it('lets a browser leave in the middle of a download without an error for a response already under way', async () => {
    await new Promise<void>((resolve) => {
      const leaving = request(`${base}/big-ABCD1234.wasm`, { headers: { 'accept-encoding': 'br' } }, (response) => {
        response.once('data', () => {
          leaving.destroy();
          setTimeout(resolve, 300);
        });
      });
      leaving.on('error', () => {});
      leaving.end();
    });
    assert.deepEqual(errors, []);
    assert.equal((await get('/engine-ABCD1234.wasm', 'br')).status, 200);
  });

  it('decodes to the original bytes', async () => {
    const response = await fetch(`${base}/engine-ABCD1234.wasm`, { headers: { 'accept-encoding': 'br' } });
    // fetch decodes br itself: what arrives is the original file
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), wasm);
  });
});
