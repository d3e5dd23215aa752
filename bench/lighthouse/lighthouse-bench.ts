// Lighthouse (mobile) on the built app served by the real server over a generated dataset: prints
// the performance, accessibility and best-practices scores. Lighthouse runs through npx, pinned, so
// its moving dependency tags stay out of the project's lockfile.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateRecords, writeDataset } from '../../server/src/generator/generate-dataset.js';
import { serveFileOnLoopback } from '../../server/src/generator/serve-file.js';
import { freePort, startServerProcess } from '../../server/src/testing/server-process.js';

const LIGHTHOUSE = 'lighthouse@12.8.2';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

interface Report {
  categories: Record<string, { title: string; score: number | null }>;
  audits: Record<string, { id: string; title: string; score: number | null; scoreDisplayMode: string; displayValue?: string }>;
}

const work = await mkdtemp(join(tmpdir(), 'moldlens-lighthouse-'));
await writeDataset(join(work, 'data.json'), generateRecords({ records: 3487, seed: 42 }));
const source = await serveFileOnLoopback(join(work, 'data.json'));
const server = await startServerProcess({ port: await freePort(), dataDir: join(work, 'data'), datasetUrl: source.url });
try {
  const { stdout } = await promisify(execFile)('npx', ['--yes', LIGHTHOUSE, server.url, '--output=json', '--output-path=stdout',
    '--quiet', '--only-categories=performance,accessibility,best-practices', `--chrome-flags=${CHROME_FLAGS.join(' ')}`],
  { env: { ...process.env, CHROME_PATH: process.env['CHROME_PATH'] || '/usr/bin/chromium' }, maxBuffer: 256 * 1024 * 1024 });
  const { categories, audits } = JSON.parse(stdout) as Report;
  console.log('Lighthouse (mobile emulation, simulated throttling):');
  for (const category of Object.values(categories)) console.log(`  ${category.title.padEnd(16)} ${Math.round((category.score ?? 0) * 100)}`);
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']) {
    console.log(`  ${audits[id]!.title.padEnd(26)} ${audits[id]!.displayValue ?? ''}`);
  }
  const failing = Object.values(audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary');
  if (failing.length) console.log(`  failing audits: ${failing.map((a) => a.id).join(', ')}`);
} finally {
  await server.stop();
  await source.close();
  await rm(work, { recursive: true, force: true });
}
