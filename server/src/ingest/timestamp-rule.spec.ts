import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { quoteLiteral } from '../../../pipeline/filter-sql.js';
import { readTimestamp, timestampSql } from './timestamp-rule.js';

/** 2025-09-20T04:13:13.5Z */
const INSTANT = 1758341593500000;

describe('readTimestamp', () => {
  const sameInstant: [unknown, string][] = [
    [1758341593.5, 'epoch_seconds'], ['1758341593.5', 'epoch_seconds'],
    [1758341593500, 'epoch_milliseconds'], ['1758341593500', 'epoch_milliseconds'],
    [1758341593500000, 'epoch_microseconds'], [1758341593500000000, 'epoch_nanoseconds'],
    ['1758341593500000123', 'epoch_nanoseconds'],
    ['2025-09-20T04:13:13.5Z', 'iso_8601'], ['2025-09-20T06:13:13.500+02:00', 'iso_8601'],
    ['2025-09-19T23:13:13.5-0500', 'iso_8601'], ['2025-09-20T09:13:13.5+05', 'iso_8601'],
    ['2025-09-20T04:13:13.5', 'iso_8601'], ['2025-09-20 04:13:13.500000999', 'iso_8601'],
  ];
  for (const [value, encoding] of sameInstant) {
    it(`reads ${JSON.stringify(value)} as ${encoding}`, () => {
      assert.deepEqual(readTimestamp(value), { encoding, micros: INSTANT });
    });
  }

  it('reads a date alone as its midnight UTC', () => {
    assert.deepEqual(readTimestamp('2025-09-20'), { encoding: 'iso_8601', micros: Date.UTC(2025, 8, 20) * 1000 });
  });

  it('rejects what is not a timestamp', () => {
    for (const value of ['noon', '', '2023-02-29T00:00:00Z', '2025-09-20T04:13Z', '2025-09-20T04:13:13+25:00',
      '2025-09-20T24:00:00Z', '1e400', '-9e10', true, null, {}, [1758341593], 1e300]) {
      assert.equal(readTimestamp(value), null, JSON.stringify(value));
    }
  });
});

describe('timestampSql agrees with readTimestamp', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  /** DuckDB's instant in microseconds for each JSON value, read as JSON and, for numbers, as DOUBLE. */
  async function duckdbMicros(values: unknown[]): Promise<{ json: (number | null)[]; double: (number | null)[] }> {
    const reader = await connection.runAndReadAll(`SELECT epoch_us(${timestampSql('v', 'JSON')}) AS json,
        CASE WHEN json_type(v) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN epoch_us(${timestampSql('v::DOUBLE', 'DOUBLE')}) END AS double
      FROM (SELECT unnest(json_extract(${quoteLiteral(JSON.stringify(values))}::JSON, '$[*]')) AS v, generate_subscripts(json_extract(${quoteLiteral(JSON.stringify(values))}::JSON, '$[*]'), 1) AS i) ORDER BY i`);
    const rows = reader.getRowObjectsJS() as { json: bigint | null; double: bigint | null }[];
    const toNumber = (v: bigint | null) => (v === null ? null : Number(v));
    return { json: rows.map((r) => toNumber(r.json)), double: rows.map((r) => toNumber(r.double)) };
  }

  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const isoLike = fc.record({
    year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }),
    time: fc.option(fc.record({
      separator: fc.constantFrom('T', ' '), hour: fc.integer({ min: 0, max: 25 }), minute: fc.integer({ min: 0, max: 61 }),
      second: fc.integer({ min: 0, max: 61 }), fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
      zone: fc.oneof(fc.constantFrom('', 'Z'), fc.record({
        sign: fc.constantFrom('+', '-'), hours: fc.integer({ min: 0, max: 26 }), minutes: fc.integer({ min: 0, max: 61 }),
        form: fc.constantFrom('hh:mm', 'hhmm', 'hh'),
      }).map(({ sign, hours, minutes, form }) => `${sign}${pad(hours, 2)}${form === 'hh' ? '' : form === 'hhmm' ? pad(minutes, 2) : `:${pad(minutes, 2)}`}`)),
    })),
  }).map(({ year, month, day, time }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` + (time
    ? `${time.separator}${pad(time.hour, 2)}:${pad(time.minute, 2)}:${pad(time.second, 2)}${time.fraction ? `.${time.fraction}` : ''}${time.zone}`
    : ''));
  const epochLike = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -2e9, max: 2e9 }).chain((seconds) => fc.constantFrom(1, 1e3, 1e6, 1e9).map((scale) => seconds * scale)),
    fc.constantFrom(1e11, 1e11 - 1, 1e14, 1e14 - 1, 1e17, 1e17 - 1, -62135596800, 253402300799, 253402300800, 0, -0),
  );
  const value = fc.oneof(isoLike, epochLike, epochLike.map(String), fc.string({ unit: 'binary', maxLength: 30 }), fc.boolean());

  it('returns the same instant, or NULL, for every value (DuckDB vs JavaScript)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 60 }), async (values) => {
      const duck = await duckdbMicros(values);
      values.forEach((v, i) => {
        const expected = readTimestamp(v)?.micros ?? null;
        for (const [storage, got] of [['JSON', duck.json[i]], ['DOUBLE', duck.double[i]]] as const) {
          if (storage === 'DOUBLE' && typeof v !== 'number') continue;
          if (expected === null || got === null || got === undefined) {
            assert.equal(got, expected, `${storage} ${JSON.stringify(v)}`);
          } else {
            // Past 2^53 µs (the year 2255) JavaScript's double may differ from DuckDB's exact integer by an ulp.
            assert.ok(Math.abs(got - expected) <= Math.abs(expected) * 2 ** -52, `${storage} ${JSON.stringify(v)}: ${got} vs ${expected}`);
          }
        }
      });
    }), { numRuns: 40 });
  });
});
