// Files whose timestamps are written every way the timestamp rule accepts: the dataset's time range
// (as GET /api/dataset serves it) and every Parquet value must be the true instants.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatasetMetadata, TimestampEncoding } from '../../../pipeline/dataset-metadata.js';
import { generateRecords } from '../generator/generate-dataset.js';
import type { RunningServer } from '../start-server.js';
import { queryFile } from '../testing/duckdb-query.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../testing/fake-dataset-host.js';
import { postIngest, startTestServer, waitForIngest } from '../testing/test-server.js';

const RECORDS = 400;

/** Wall-clock text of an instant shifted by `offsetMinutes`, to the microsecond. */
function wallClock(micros: bigint, offsetMinutes: number): string {
  const shifted = micros + BigInt(offsetMinutes) * 60_000_000n;
  const seconds = shifted / 1_000_000n;
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${String(shifted % 1_000_000n).padStart(6, '0')}`;
}

interface Encoder { encoding: TimestampEncoding; write: (micros: bigint) => unknown }
const ENCODERS: Record<string, Encoder> = {
  seconds: { encoding: 'epoch_seconds', write: (us) => Number(us) / 1e6 },
  milliseconds: { encoding: 'epoch_milliseconds', write: (us) => Number(us) / 1e3 },
  microsecondStrings: { encoding: 'epoch_microseconds', write: (us) => String(us) },
  nanoseconds: { encoding: 'epoch_nanoseconds', write: (us) => Number(us * 1000n) },
  nanosecondStrings: { encoding: 'epoch_nanoseconds', write: (us) => String(us * 1000n + 123n) },
  isoUtc: { encoding: 'iso_8601', write: (us) => `${wallClock(us, 0)}Z` },
  isoOffset: { encoding: 'iso_8601', write: (us) => `${wallClock(us, 330)}+05:30` },
  isoNoZone: { encoding: 'iso_8601', write: (us) => wallClock(us, 0) },
};

const formatRange = (micros: bigint) => `${new Date(Number(micros / 1000n)).toISOString()}`;

describe('ingest of every timestamp encoding', () => {
  let dir: string;
  let host: FakeDatasetHost;
  let server: RunningServer;
  const truth = [...generateRecords({ records: RECORDS, seed: 21 })].map((r) => ({
    record: r, micros: BigInt(Math.round((r['timestamp'] as number) * 1e6)),
  }));
  const sortedTruth = truth.map((t) => t.micros).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const names = Object.keys(ENCODERS);
  /** Mixed files rotate through every encoder and carry a few values that are no timestamp at all. */
  const junk = ['noon', true, '2025-02-30T00:00:00Z', { at: 1 }];

  const fileWith = (encode: (micros: bigint, i: number) => unknown, extra: unknown[] = []) =>
    JSON.stringify([...truth.map(({ record, micros }, i) => ({ ...record, timestamp: encode(micros, i) })), ...extra]);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-timestamps-'));
    const table: Record<string, ReturnType<typeof routes.file>> = {};
    const serve = async (name: string, text: string) => {
      await writeFile(join(dir, `${name}.json`), text);
      table[`/${name}.json`] = routes.file(join(dir, `${name}.json`));
    };
    for (const name of names) await serve(name, fileWith((us) => ENCODERS[name]!.write(us)));
    const mixed = (us: bigint, i: number) => ENCODERS[names[i % names.length]!]!.write(us);
    const junkRecords = junk.map((timestamp) => ({ ...truth[0]!.record, timestamp }));
    await serve('mixed', fileWith(mixed, junkRecords));
    // A record that is not an object sends the file down the flattening path.
    await serve('mixed-irregular', fileWith(mixed, [...junkRecords, 'not a record']));
    host = await startFakeDatasetHost(table);
    server = await startTestServer(dir, { datasetUrl: host.url('/seconds.json'), duckdbThreads: 2 });
  });
  after(async () => {
    await server.close();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function ingest(name: string): Promise<DatasetMetadata> {
    if (server.store.current()?.sourceUrl !== host.url(`/${name}.json`)) {
      assert.equal((await postIngest(server, { url: host.url(`/${name}.json`) })).status, 202);
      await waitForIngest(server);
      assert.equal(server.ingest.status().state, 'succeeded', server.ingest.status().error);
    }
    return await (await fetch(`${server.url}/api/dataset`)).json() as DatasetMetadata;
  }

  async function assertTrueInstants(dataset: DatasetMetadata, expectedNulls: number): Promise<void> {
    assert.deepEqual(dataset.timeRange, { min: formatRange(sortedTruth[0]!), max: formatRange(sortedTruth.at(-1)!) });
    const rows = await queryFile((src) => `SELECT epoch_us("timestamp") AS us FROM ${src} ORDER BY 1 NULLS LAST`,
      server.store.filePath(dataset.parquetFile)!);
    assert.deepEqual(rows.slice(0, RECORDS).map((r) => r['us']), sortedTruth);
    assert.deepEqual(rows.slice(RECORDS).map((r) => r['us']), Array(expectedNulls).fill(null));
  }

  for (const name of names) {
    it(`reads ${name} as ${ENCODERS[name]!.encoding}`, async () => {
      const dataset = await ingest(name);
      assert.equal(dataset.rows, RECORDS);
      assert.deepEqual(dataset.warnings.timestampEncodings, { [ENCODERS[name]!.encoding]: RECORDS });
      assert.equal(dataset.warnings.missingTimestamps, 0);
      assert.equal(dataset.columns[0]!.type, 'TIMESTAMP');
      await assertTrueInstants(dataset, 0);
    });
  }

  for (const name of ['mixed', 'mixed-irregular']) {
    it(`reads each value of a file that mixes encodings in its own (${name})`, async () => {
      const dataset = await ingest(name);
      const expected: Partial<Record<TimestampEncoding, number>> = {};
      truth.forEach((_t, i) => {
        const { encoding } = ENCODERS[names[i % names.length]!]!;
        expected[encoding] = (expected[encoding] ?? 0) + 1;
      });
      assert.deepEqual(dataset.warnings.timestampEncodings, expected);
      assert.equal(dataset.warnings.missingTimestamps, junk.length);
      assert.equal(dataset.warnings.wrongTypes['timestamp'], junk.length);
      await assertTrueInstants(dataset, junk.length);
    });
  }
});
