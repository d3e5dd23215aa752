import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DatasetStore } from '../dataset/dataset-store.js';
import { generateRecords, writeDataset, type InspectionRecord } from '../generator/generate-dataset.js';
import { quoteIdentifier } from '../../../pipeline/filter-sql.js';
import { queryFile } from '../testing/duckdb-query.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { ingestDataset, type IngestConfig } from './ingest-dataset.js';

const config: IngestConfig = {
  maxDownloadBytes: 50 * 1024 * 1024, downloadTimeoutMs: 1500, userAgent: 'Mozilla/5.0 (MoldLens test)',
  duckdbMemoryLimit: '512MB', duckdbThreads: 2,
};

type State = Record<string, unknown>;
const stateOf = (r: InspectionRecord) => r['molding-machine-state'] as State;
const detectionOf = (r: InspectionRecord) => r['object_detection'] as State;

/** Records with the awkward things a different file "in the same format" may hold. */
function driftingRecords(): InspectionRecord[] {
  const records = [...generateRecords({ records: 600, seed: 7, nullRate: 0.02 })];
  records.forEach((r, i) => {
    if (i < 590) stateOf(r)['ShotCount'] = 25000;
    if (i === 595) stateOf(r)['ShotCount'] = 25000.5;
    if (i === 10) stateOf(r)['CycleTime'] = 'n/a';
    if (i === 11) delete stateOf(r)['CycleTime'];
    if (i === 12) stateOf(r)['Barrel1'] = [1, 2];
    if (i === 13) detectionOf(r)['reject'] = 'yes';
    if (i >= 598) {
      stateOf(r)['MoldTempActual'] = 81.25;
      detectionOf(r)['label_detection'] = { reject: true, pixel_severity: { value: 0.9, reject: true, min_value: 0, max_value: 1, threshold: 0.5 } };
      detectionOf(r)['warp_defect'] = { reject: false, pixel_severity: { value: 0.1, reject: false, min_value: 0, max_value: 1, threshold: 0.6 } };
      r['operator'] = 'A. Smith';
    }
  });
  return records;
}

describe('ingestDataset', () => {
  let dir: string;
  let host: FakeDatasetHost;
  let store: DatasetStore;
  let generated: InspectionRecord[];
  const files: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-ingest-'));
    generated = [...generateRecords({ records: 3000, seed: 11 })];
    const irregular: unknown[] = [...generateRecords({ records: 40, seed: 3 })].reverse();
    irregular.splice(5, 0, 42, 'not a record');
    (irregular[9] as InspectionRecord)['object_detection'] = 'broken';
    const write = async (name: string, content: string | InspectionRecord[]) => {
      files[name] = join(dir, name);
      if (typeof content === 'string') await writeFile(files[name], content);
      else await writeDataset(files[name], content);
    };
    await write('good.json', generated);
    await write('drift.json', driftingRecords());
    await write('irregular.json', JSON.stringify(irregular));
    const good = await readFile(files['good.json']!, 'utf8');
    await write('truncated.json', good.slice(0, Math.floor(good.length / 2)));
    host = await startFakeDatasetHost({
      '/good.json': routes.file(files['good.json']!),
      '/moved': routes.redirect('/good.json'),
      '/drift.json': routes.file(files['drift.json']!),
      '/irregular.json': routes.file(files['irregular.json']!),
      '/truncated.json': routes.file(files['truncated.json']!),
      '/error.json': routes.body('boom', 500, 'text/plain'),
      '/page.html': routes.body('<!DOCTYPE html><html><body>Please enable cookies</body></html>', 200, 'text/html'),
      '/text.json': routes.body('this is not json'),
      '/object.json': routes.body('{"records": []}'),
      '/empty.json': routes.body('[]'),
      '/no-fields.json': routes.body('[{}, {}]'),
      '/garbled.json': routes.body('[{"a": 1}, {"b": nope}]'),
      // Text JavaScript reads but DuckDB's JSON reader refuses; the array keeps these off the table of values.
      '/lone-surrogate.json': routes.body('[{"id": 1, "note": "bad \\ud800 here", "tags": [1]}, {"id": 2, "note": "pair \\ud83d\\ude00", "tags": []}]'),
      '/not-utf8.json': routes.body(Buffer.concat([Buffer.from('[{"id": 1, "note": "bad '), Buffer.from([0xff, 0xfe]),
        Buffer.from(' here"}, {"id": 2, "note": "caf\u00e9 \u00b0C"}]')])),
      '/beyond-double.json': routes.body('[{"id": 1, "x": 1e400, "y": -1e400}, {"id": 2, "x": 2.5, "y": 3}]'),
      '/empty-key.json': routes.body('[{"id": 1, "": 5}, {"id": 2, "": 6}]'),
      '/lone-surrogate-key.json': routes.body('[{"id": 1, "no\\udc00te": 5}, {"id": 2, "no\\udc00te": 6}]'),
      '/stall.json': routes.stall('[{"version": "1.0", '),
    });
    store = new DatasetStore(join(dir, 'data'));
    await store.open();
  });
  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ingest = (path: string) => ingestDataset(store, config, { url: host.url(path), allowPrivateNetwork: true });

  it('converts a generated dataset to Parquet and a pack whose figures match the JSON', async () => {
    const metadata = await ingest('/moved');
    assert.equal(metadata.rows, 3000);
    assert.equal(metadata.sourceUrl, host.url('/moved'));
    assert.match(metadata.sha256, /^[0-9a-f]{64}$/);
    assert.equal(host.requests.at(-1)!.userAgent, config.userAgent);
    assert.deepEqual(metadata.machines.map((m) => m.id), ['molding-machine-1', 'molding-machine-2', 'molding-machine-3']);
    assert.equal(metadata.columns.length, 4 + 66 + 13 * 6);

    const rejects = generated.filter((r) => detectionOf(r)['reject'] === true).length;
    const meanCycle = new Map<string, { sum: number; n: number }>();
    for (const r of generated) {
      const entry = meanCycle.get(r['molding_machine_id'] as string) ?? { sum: 0, n: 0 };
      entry.sum += stateOf(r)['CycleTime'] as number;
      entry.n++;
      meanCycle.set(r['molding_machine_id'] as string, entry);
    }
    for (const file of [metadata.parquetFile, metadata.packFile]) {
      const path = store.filePath(file)!;
      const [totals] = await queryFile((src) => `SELECT count(*)::INT AS n, count_if(reject)::INT AS rejects FROM ${src}`, path);
      assert.deepEqual(totals, { n: 3000, rejects });
      const perPress = await queryFile((src) => `SELECT molding_machine_id AS id, avg(CycleTime) AS mean FROM ${src} GROUP BY 1 ORDER BY 1`, path);
      for (const { id, mean } of perPress) {
        const expected = meanCycle.get(id as string)!;
        assert.ok(Math.abs((mean as number) - expected.sum / expected.n) < 1e-9, `${file}: mean CycleTime of ${id}`);
      }
    }
    const [first] = await queryFile((src) => `SELECT epoch_us("timestamp") AS us, typeof("timestamp") AS type FROM ${src} LIMIT 1`, store.filePath(metadata.parquetFile)!);
    assert.equal(first!['type'], 'TIMESTAMP');
    assert.equal(first!['us'], BigInt(Math.round((generated[0]!['timestamp'] as number) * 1e6)));
    const [order] = await queryFile((src) => `SELECT bool_and(ok) AS sorted FROM (SELECT "timestamp" >= lag("timestamp") OVER () AS ok FROM ${src})`, store.filePath(metadata.packFile)!);
    assert.notEqual(order!['sorted'], false);
  });

  // Both failed before with DuckDB's raw "Malformed JSON … no low surrogate / invalid UTF-8" error.
  it('stores text DuckDB cannot read as it is (an escaped lone surrogate, bytes that are not UTF-8) with U+FFFD there', async () => {
    for (const [path, expected] of [
      ['/lone-surrogate.json', [{ id: 1n, note: 'bad \ufffd here' }, { id: 2n, note: 'pair \u{1f600}' }]],
      ['/not-utf8.json', [{ id: 1n, note: 'bad \ufffd\ufffd here' }, { id: 2n, note: 'café °C' }]],
    ] as const) {
      const metadata = await ingest(path);
      for (const file of [metadata.parquetFile, metadata.packFile]) {
        assert.deepEqual(await queryFile((src) => `SELECT id, note FROM ${src} ORDER BY id`, store.filePath(file)!), expected, `${path}: ${file}`);
      }
    }
    // The column is named as the pack names it (before, the description kept the lone surrogate and
    // every query of the column by that name failed).
    const metadata = await ingest('/lone-surrogate-key.json');
    const name = metadata.columns.find((c) => c.name !== 'id')!.name;
    assert.equal(name, 'no\ufffdte');
    assert.deepEqual(await queryFile((src) => `SELECT ${quoteIdentifier(name)} AS v FROM ${src} ORDER BY id`, store.filePath(metadata.packFile)!), [{ v: 5n }, { v: 6n }]);
  });

  it('keeps late keys, late fractions, nulls and wrong types without crashing', async () => {
    const metadata = await ingest('/drift.json');
    const path = store.filePath(metadata.parquetFile)!;
    const column = (name: string) => metadata.columns.find((c) => c.name === name);
    assert.equal(column('ShotCount')!.type, 'DOUBLE');
    for (const name of ['MoldTempActual', 'operator', 'label_detection_severity', 'warp_reject']) assert.ok(column(name), name);
    assert.deepEqual(
      { ...column('warp_severity') }, { name: 'warp_severity', type: 'DOUBLE', group: 'defect', defectType: 'warp', measure: 'severity' });
    assert.deepEqual(metadata.warnings.wrongTypes, { reject: 1, CycleTime: 1, Barrel1: 1 });
    const rows = await queryFile((src) => `SELECT ShotCount, CycleTime, MoldTempActual, operator, warp_threshold, reject FROM ${src}`, path);
    assert.equal(rows.length, 600);
    assert.ok(rows.some((r) => r['ShotCount'] === 25000.5), '25000.5 is kept, not rounded');
    assert.equal(rows.filter((r) => r['MoldTempActual'] === 81.25).length, 2);
    assert.equal(rows.filter((r) => r['operator'] === 'A. Smith').length, 2);
    assert.equal(rows.filter((r) => r['reject'] === null).length, 1);
    const nullCycles = rows.filter((r) => r['CycleTime'] === null).length;
    assert.ok(nullCycles >= 2 && nullCycles < 40, `null CycleTime count ${nullCycles}`);
  });

  it('skips records that are not objects and still reads irregular structures', async () => {
    const metadata = await ingest('/irregular.json');
    assert.equal(metadata.rows, 40);
    assert.equal(metadata.warnings.skippedRecords, 2);
    assert.equal(metadata.warnings.wrongTypes['object_detection'], 1);
    const [row] = await queryFile((src) => `SELECT count(*)::INT AS n, count(reject)::INT AS verdicts, count(CycleTime)::INT AS cycles FROM ${src}`,
      store.filePath(metadata.packFile)!);
    assert.deepEqual(row, { n: 40, verdicts: 39, cycles: 40 });
    const [order] = await queryFile((src) => `SELECT bool_and(ok) AS sorted FROM (SELECT "timestamp" >= lag("timestamp") OVER () AS ok FROM ${src})`,
      store.filePath(metadata.packFile)!);
    assert.equal(order!['sorted'], true, 'records given newest first are stored oldest first');
  });

  const badInputs: [string, RegExp][] = [
    ['/missing.json', /HTTP 404/],
    ['/error.json', /HTTP 500/],
    ['/page.html', /HTML page/],
    ['/text.json', /not JSON/],
    ['/object.json', /object, not an array/],
    ['/truncated.json', /truncated/],
    ['/empty.json', /empty array/],
    ['/no-fields.json', /records have no fields/],
    ['/garbled.json', /record 2 is not valid JSON/],
    ['/stall.json', /timeout/],
  ];
  for (const [path, message] of badInputs) {
    it(`fails ${path} with a clear message and keeps the published dataset`, async () => {
      const before = store.current();
      assert.ok(before);
      await assert.rejects(ingest(path), (error: Error) => message.test(error.message));
      assert.deepEqual(store.current(), before);
      assert.ok(existsSync(store.filePath(before.packFile)!) && existsSync(store.filePath(before.parquetFile)!));
      assert.deepEqual(await readdir(store.tempDir), [], 'temp files are removed');
    });
  }

  // Before, both became NULL without a word in the warnings.
  it('stores a number beyond a double\'s range as NULL and counts it as a value that does not fit', async () => {
    const metadata = await ingest('/beyond-double.json');
    assert.deepEqual(metadata.warnings.wrongTypes, { x: 1, y: 1 });
    assert.deepEqual(metadata.columns.map((c) => [c.name, c.type]), [['id', 'BIGINT'], ['x', 'DOUBLE'], ['y', 'BIGINT']]);
    assert.deepEqual(await queryFile((src) => `SELECT id, x, y FROM ${src} ORDER BY id`, store.filePath(metadata.packFile)!),
      [{ id: 1n, x: null, y: null }, { id: 2n, x: 2.5, y: 3n }]);
  });

  // Failed before with DuckDB's raw "zero-length delimited identifier" parser error.
  it('stores an empty key\'s values in a column named unnamed', async () => {
    const metadata = await ingest('/empty-key.json');
    assert.deepEqual(metadata.columns.map((c) => c.name), ['id', 'unnamed']);
    assert.deepEqual(await queryFile((src) => `SELECT id, unnamed FROM ${src} ORDER BY id`, store.filePath(metadata.packFile)!),
      [{ id: 1n, unnamed: 5n }, { id: 2n, unnamed: 6n }]);
  });

  // Before, the user read DuckDB's own "Out of Memory Error: failed to allocate data of size …".
  it('says in words when DuckDB runs out of memory, naming the setting to raise', async () => {
    const before = store.current();
    await assert.rejects(ingestDataset(store, { ...config, duckdbMemoryLimit: '1MB', duckdbThreads: 1 }, { url: host.url('/drift.json'), allowPrivateNetwork: true, rebuild: true }),
      (error: Error) => /^DuckDB ran out of memory converting the records \(DUCKDB_MEMORY_LIMIT 1MB, DUCKDB_THREADS 1\): raise the limit;/.test(error.message));
    assert.deepEqual(store.current(), before);
  });

  it('stops a download over MAX_DOWNLOAD_BYTES', async () => {
    await assert.rejects(
      ingestDataset(store, { ...config, maxDownloadBytes: 100_000 }, { url: host.url('/good.json'), allowPrivateNetwork: true }),
      /larger than MAX_DOWNLOAD_BYTES/);
  });

  it('refuses loopback targets when private networks are not allowed', async () => {
    await assert.rejects(ingestDataset(store, config, { url: host.url('/good.json'), allowPrivateNetwork: false }), /private address/);
    await assert.rejects(ingestDataset(store, config, { url: 'http://localhost:1/x.json', allowPrivateNetwork: false }), /private address/);
  });

  it('publishes atomically: a reopened store serves the last dataset and clears what dead processes left', async () => {
    const published = store.current();
    const exited = spawn(process.execPath, ['-e', '']);
    await once(exited, 'exit');
    const tempRoot = dirname(store.tempDir);
    const otherHost = 'another-container-1-0badf00d';
    for (const folder of [`${hostname()}-${exited.pid}-0badf00d`, `${hostname()}-${process.pid}-0badf00d`, otherHost]) {
      await mkdir(join(tempRoot, folder));
      await writeFile(join(tempRoot, folder, 'leftover.json'), 'partial');
    }
    await writeFile(join(tempRoot, 'loose-leftover.json'), 'partial');
    const reopened = new DatasetStore(store.dataDir);
    await reopened.open();
    assert.deepEqual(reopened.current(), published);
    assert.deepEqual((await readdir(tempRoot)).sort(), [basename(store.tempDir), basename(reopened.tempDir), otherHost].sort(),
      'the folders of live stores remain, and another host\'s (its processes cannot be seen from here)');
    await reopened.close();
  });
});
