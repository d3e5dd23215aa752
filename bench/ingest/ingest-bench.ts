// Ingest benchmark: generates N records (default 200k; `--records 1000000`), serves them on
// loopback, runs MoldLens' ingest (both outputs) and, in the same run, DuckDB's own
// read_json → COPY … (FORMAT parquet) pipeline twice: on the file already on disk, and after
// downloading the same loopback URL to a file (the whole job from the URL, as MoldLens does it).
// Each runs in its own child process so its peak RSS is its own. Prints figures and both time
// ratios; it asserts nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../../server/src/config.js';
import { DatasetStore } from '../../server/src/dataset/dataset-store.js';
import { generateRecords, writeDataset } from '../../server/src/generator/generate-dataset.js';
import { serveFileOnLoopback } from '../../server/src/generator/serve-file.js';
import { quoteLiteral } from '../../pipeline/filter-sql.js';
import { ingestDataset } from '../../server/src/ingest/ingest-dataset.js';

interface ChildResult { seconds: number; maxRssMB: number; rows?: number; parquetBytes?: number; packBytes?: number }

const MB = 1024 * 1024;
const { values } = parseArgs({ options: {
  records: { type: 'string', default: '200000' }, child: { type: 'string' }, source: { type: 'string' }, work: { type: 'string' },
} });

async function runChild(): Promise<ChildResult> {
  const started = performance.now();
  const work = values.work!;
  if (values.child === 'moldlens') {
    const store = new DatasetStore(work);
    await store.open();
    const metadata = await ingestDataset(store, loadConfig(), { url: values.source!, allowPrivateNetwork: true,
      log: (line) => {
        if (/ in [\d.]+ s/.test(line)) console.error(`  ${line} — peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
      } });
    return { seconds: (performance.now() - started) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024,
      rows: metadata.rows, parquetBytes: metadata.parquetBytes, packBytes: metadata.packBytes };
  }
  let source = values.source!;
  if (values.child === 'native-download') {
    source = join(work, 'native-download.json');
    const [response] = await once(get(values.source!), 'response') as [IncomingMessage];
    if (response.statusCode !== 200) throw new Error(`download failed: HTTP ${response.statusCode}`);
    await pipeline(response, createWriteStream(source));
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const target = join(work, `${values.child}.parquet`);
  await connection.run(`COPY (SELECT * FROM read_json(${quoteLiteral(source)})) TO ${quoteLiteral(target)} (FORMAT parquet, COMPRESSION zstd)`);
  connection.closeSync();
  return { seconds: (performance.now() - started) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, parquetBytes: statSync(target).size };
}

/** Async, so this process keeps serving the download while the child runs. */
async function child(kind: string, source: string, work: string): Promise<ChildResult> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath,
    [fileURLToPath(import.meta.url), '--child', kind, '--source', source, '--work', work], { maxBuffer: 64 * MB });
  if (stderr) process.stdout.write(stderr); // where MoldLens' time went
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function main(): Promise<void> {
  const records = Number(values.records);
  const out = resolve('bench/out');
  await mkdir(out, { recursive: true });
  const file = join(out, `records-${records}.json`);
  if (!existsSync(file)) {
    console.log(`generating ${records} records…`);
    await writeDataset(file, generateRecords({ records, seed: 42 }));
  }
  const bytes = statSync(file).size;
  const served = await serveFileOnLoopback(file);
  const work = join(out, 'work');
  try {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    console.log(`input: ${records} records, ${(bytes / MB).toFixed(0)} MB JSON`);
    const ours = await child('moldlens', served.url, join(work, 'moldlens'));
    const native = await child('native', file, work);
    const nativeDownload = await child('native-download', served.url, work);
    const row = (name: string, r: ChildResult) => console.log(`${name.padEnd(34)} ${r.seconds.toFixed(1).padStart(7)} s ` +
      `${Math.round(records / r.seconds).toString().padStart(8)} records/s ${(bytes / MB / r.seconds).toFixed(0).padStart(5)} MB/s ` +
      `peak RSS ${r.maxRssMB.toFixed(0).padStart(5)} MB  Parquet ${((r.parquetBytes ?? 0) / MB).toFixed(1)} MB` +
      (r.packBytes ? `  pack ${(r.packBytes / MB).toFixed(1)} MB` : ''));
    row('MoldLens ingest (download + both)', ours);
    row('native read_json → COPY parquet', native);
    row('native download + read_json → COPY', nativeDownload);
    console.log(`time ratio MoldLens / native without download: ${(ours.seconds / native.seconds).toFixed(2)}×`);
    console.log(`time ratio MoldLens / native with download:    ${(ours.seconds / nativeDownload.seconds).toFixed(2)}×`);
  } finally {
    await served.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (values.child) {
  const result = await runChild();
  console.log(JSON.stringify(result));
} else {
  await main();
}
