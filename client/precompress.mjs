// Post-build step: brotli and gzip copies of every compressible file of the built app, so the server
// sends them with Content-Encoding and Content-Length instead of compressing on every request (the
// engine's 34 MB wasm took ~1 s of server CPU each time). Brotli's best quality (11) takes ~100 s per
// engine wasm, which made a fresh clone's first `npm start` wait minutes: files over 1 MB get quality
// 9 (5 s, 13 % larger), smaller ones 11. Outputs are kept by content hash in node_modules/.cache.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = 'dist/client/browser';
const cacheDir = 'node_modules/.cache/moldlens-precompress';
const COMPRESSIBLE = /\.(html|js|mjs|css|wasm|json|webmanifest|svg|txt)$/;
const MIN_BYTES = 1024;
const LARGE_BYTES = 1024 * 1024;

const encoders = {
  br: (data) => brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: data.length > LARGE_BYTES ? 9 : 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
  gz: (data) => gzipSync(data, { level: 9 }),
};

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

await mkdir(cacheDir, { recursive: true });
let count = 0, before = 0, after = 0;
for await (const path of files(root)) {
  const data = await readFile(path);
  if (data.length < MIN_BYTES) continue;
  const digest = createHash('sha256').update(data).digest('hex');
  for (const [extension, encode] of Object.entries(encoders)) {
    const cached = join(cacheDir, `${digest}.${extension}`);
    if (!existsSync(cached)) {
      const compressed = encode(data);
      // Only worth serving when smaller (wasm and text always are).
      if (compressed.length >= data.length) continue;
      await writeFile(`${cached}.tmp`, compressed);
      await rename(`${cached}.tmp`, cached);
    }
    await copyFile(cached, `${path}.${extension}`);
    if (extension === 'br') after += (await readFile(cached)).length;
  }
  count++;
  before += data.length;
}
console.log(`precompressed ${count} files: ${(before / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB with brotli`);
