// Lighthouse (mobile) on the built app served by the real server over a generated dataset: prints
// the performance, accessibility, best-practices and PWA-relevant scores.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { generateRecords, writeDataset } from '../../server/src/generator/generate-dataset.js';
import { serveFileOnLoopback } from '../../server/src/generator/serve-file.js';
import { freePort, startServerProcess } from '../../server/src/testing/server-process.js';

const work = await mkdtemp(join(tmpdir(), 'moldlens-lighthouse-'));
await writeDataset(join(work, 'data.json'), generateRecords({ records: 3487, seed: 42 }));
const source = await serveFileOnLoopback(join(work, 'data.json'));
const server = await startServerProcess({ port: await freePort(), dataDir: join(work, 'data'), datasetUrl: source.url });
let chrome: chromeLauncher.LaunchedChrome | null = null;
try {
  await mkdir(join(work, 'chrome'));
  chrome = await chromeLauncher.launch({
    chromePath: process.env['CHROME_PATH'] || '/usr/bin/chromium',
    userDataDir: join(work, 'chrome'),
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const result = await lighthouse(server.url, {
    port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  if (!result) throw new Error('lighthouse returned nothing');
  const { categories, audits } = result.lhr;
  console.log('Lighthouse (mobile emulation, simulated throttling):');
  for (const category of Object.values(categories)) console.log(`  ${category.title.padEnd(16)} ${Math.round((category.score ?? 0) * 100)}`);
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']) {
    console.log(`  ${audits[id]!.title.padEnd(26)} ${audits[id]!.displayValue ?? ''}`);
  }
  const failing = Object.values(audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary');
  if (failing.length) console.log(`  failing audits: ${failing.map((a) => a.id).join(', ')}`);
} finally {
  chrome?.kill();
  await server.stop();
  await source.close();
  await rm(work, { recursive: true, force: true });
}
