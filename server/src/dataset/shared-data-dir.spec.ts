// One DATA_DIR shared by the server and `npm run ingest` processes: the ingest lock, temp folders
// per process, a dataset published by the CLI reaching the running server, `--force`, pruning.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import { generateRecords, writeDataset } from '../generator/generate-dataset.js';
import { ingestDataset, type IngestConfig } from '../ingest/ingest-dataset.js';
import type { RunningServer } from '../start-server.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { postIngest, startTestServer } from '../testing/test-server.js';
import { DatasetStore } from './dataset-store.js';

const INGEST_CLI = fileURLToPath(new URL('../cli/ingest-cli.js', import.meta.url));
const config: IngestConfig = {
  maxDownloadBytes: 1e9, downloadTimeoutMs: 5000, userAgent: 'test', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
};

interface CliRun { child: ChildProcess; result: Promise<{ code: number | null; stdout: string; stderr: string }> }

function runCli(dataDir: string, args: string[]): CliRun {
  const child = spawn(process.execPath, [INGEST_CLI, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DOWNLOAD_TIMEOUT_MS: '60000', DUCKDB_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d; });
  child.stderr!.on('data', (d: Buffer) => { stderr += d; });
  return { child, result: new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr }))) };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const datasetFiles = (m: DatasetMetadata) => [m.parquetFile, m.packFile];

describe('a data directory shared by several processes', () => {
  let dir: string;
  let dataDir: string;
  let host: FakeDatasetHost;
  let server: RunningServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-shared-'));
    dataDir = join(dir, 'data');
    const table: Record<string, ReturnType<typeof routes.file>> = { '/stall.json': routes.stall('[') };
    for (const [name, records] of [['a', 300], ['b', 400], ['c', 500]] as const) {
      await writeDataset(join(dir, `${name}.json`), generateRecords({ records, seed: records }));
      table[`/${name}.json`] = routes.file(join(dir, `${name}.json`));
    }
    host = await startFakeDatasetHost(table);
    server = await startTestServer(dir, { datasetUrl: host.url('/a.json') });
  });
  after(async () => {
    await server.close();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const dataset = async () => await (await fetch(`${server.url}/api/dataset`)).json() as DatasetMetadata;

  it('offers a dataset the CLI published to the running server, without a restart, and keeps the files clients may use', async () => {
    const before = await dataset();
    assert.equal(before.sourceUrl, host.url('/a.json'));
    const { code, stderr } = await runCli(dataDir, ['--url', host.url('/b.json')]).result;
    assert.equal(code, 0, stderr);
    const after = await dataset();
    assert.equal(after.sourceUrl, host.url('/b.json'));
    assert.equal(after.rows, 400);
    assert.equal((await fetch(`${server.url}${after.packUrl}`)).status, 200);
    for (const file of [...datasetFiles(before), ...datasetFiles(after)]) assert.ok(existsSync(server.store.filePath(file)!), file);
  });

  it('never prunes the files of the dataset another process published last', async () => {
    // A store that has not looked since the CLI published (as a server between requests).
    const stale = new DatasetStore(dataDir);
    await stale.open();
    const published = stale.current()!;
    const { code, stderr } = await runCli(dataDir, ['--url', host.url('/a.json')]).result;
    assert.equal(code, 0, stderr);
    const byCli = await dataset();
    const mine = await ingestDataset(stale, config, { url: host.url('/c.json'), allowPrivateNetwork: true });
    for (const file of [...datasetFiles(byCli), ...datasetFiles(mine)]) assert.ok(existsSync(stale.filePath(file)!), file);
    assert.ok(!datasetFiles(mine).includes(published.packFile));
    await stale.close();
  });

  it('--force rebuilds the Parquet and the pack of a byte-identical download', async () => {
    const current = await dataset();
    await rm(server.store.filePath(current.packFile)!);
    await rm(server.store.filePath(current.parquetFile)!);
    const plain = await runCli(dataDir, ['--url', current.sourceUrl]).result;
    assert.match(plain.stdout, /already ingested/);
    const forced = await runCli(dataDir, ['--url', current.sourceUrl, '--force']).result;
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /converted \d+ rows/);
    const rebuilt = await dataset();
    assert.equal(rebuilt.sha256, current.sha256);
    for (const file of datasetFiles(rebuilt)) assert.ok(existsSync(server.store.filePath(file)!), file);
  });

  it('lets one process ingest at a time, leaves its temp files alone, and takes over the lock of a killed one', async () => {
    const holder = runCli(dataDir, ['--url', host.url('/stall.json')]);
    const pid = holder.child.pid!;
    const holderTemp = await until('the CLI to start downloading', async () => {
      const folder = (await readdir(join(dataDir, 'tmp'))).find((name) => name.startsWith(`${hostname()}-${pid}-`));
      return folder && existsSync(join(dataDir, 'ingest.lock')) && (await readdir(join(dataDir, 'tmp', folder))).length > 0
        && join(dataDir, 'tmp', folder);
    });
    const busy = new RegExp(`another ingest is running in this data directory \\(process ${pid}, .*ingesting ${host.url('/stall.json')}\\)`);

    const second = await runCli(dataDir, ['--url', host.url('/b.json')]).result;
    assert.equal(second.code, 1);
    assert.match(second.stderr, busy);
    const response = await postIngest(server, { url: host.url('/b.json') });
    assert.equal(response.status, 409);
    assert.match((await response.json() as { error: string }).error, busy);
    const starting = new DatasetStore(dataDir);
    await starting.open();
    await assert.rejects(ingestDataset(starting, config, { url: host.url('/b.json'), allowPrivateNetwork: true }), busy);
    assert.ok((await readdir(holderTemp)).length > 0, 'the CLI’s temp files are still there');

    holder.child.kill('SIGKILL');
    await holder.result;
    assert.ok(existsSync(join(dataDir, 'ingest.lock')), 'the killed CLI left its lock');
    const metadata = await ingestDataset(starting, config, { url: host.url('/b.json'), allowPrivateNetwork: true });
    assert.equal(metadata.rows, 400);
    assert.equal(existsSync(holderTemp), false, 'the killed CLI’s temp files are removed');
    assert.equal(existsSync(join(dataDir, 'ingest.lock')), false, 'the lock is released');
    await starting.close();
  });
});
