// Column discovery and the conversion against JSON.parse, on generated records: awkward keys (case
// twins, quotes, unicode, the format's own keys), values of every kind at the same path, nesting,
// numbers at the edges, any chunk boundaries.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { queryFile } from '../testing/duckdb-query.js';
import { chunkBoundaries, chunksOf, jsonText } from '../testing/json-text-arbitrary.js';
import { ColumnDiscovery, type DiscoveredSchema } from './column-discovery.js';
import { convertToDuckDb } from './convert-to-duckdb.js';
import { fits, flattenRecords, valueAt } from './flatten-records.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { readTimestamp } from './timestamp-rule.js';
import { ValueTable } from './value-table.js';

const ROW_KEY = '__row';
const key = fc.constantFrom('a', 'A', 'b', '1', '10', 'value', 'x"y', "it's", 'ü', 'a b', 'reject', 'timestamp',
  'object_detection', 'molding-machine-state', 'pixel_severity', 'flash_defect');
const scalar = fc.oneof(
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
  fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom(2 ** 53 + 2, -(2 ** 63), 1e300, 5e-324, 1758341593.5, '2025-09-20T04:13:13Z'),
);
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthIdentifier: 'record' }, scalar, scalar,
    fc.dictionary(key, tie('value'), { maxKeys: 4 }), fc.array(tie('value'), { maxLength: 2 })),
})).value;
const records = fc.array(fc.oneof({ weight: 9, arbitrary: fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }) }, { weight: 1, arbitrary: scalar }),
  { minLength: 1, maxLength: 25 });

const withoutRecordLength = ({ maxRecordLength: _unused, ...schema }: DiscoveredSchema) => schema;

function discoverFromBytes(bytes: Buffer, cuts: number[]): DiscoveredSchema {
  const discovery = new ColumnDiscovery();
  const splitter = new JsonArraySplitter((bytes, scanned) => discovery.addBytes(bytes, 0, bytes.length, scanned), discovery.scanner);
  for (const chunk of chunksOf(bytes, cuts)) splitter.push(chunk);
  splitter.end();
  return discovery.finish();
}

const isRecord = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);

describe('column discovery against JSON.parse (property)', () => {
  it('learns the same schema from the bytes, split anywhere, as from JSON.parse of them, and counts every value that does not fit', () => {
    const input = records.map((rs) => Buffer.from(JSON.stringify(rs, null, 1)))
      .chain((bytes) => fc.tuple(fc.constant(bytes), chunkBoundaries(bytes.length)));
    fc.assert(fc.property(input, ([bytes, cuts]) => {
      const parsed = JSON.parse(bytes.toString('utf8')) as unknown[];
      const reference = new ColumnDiscovery();
      for (const record of parsed) reference.add(record);
      const schema = discoverFromBytes(bytes, cuts);
      assert.deepEqual(withoutRecordLength(schema), withoutRecordLength(reference.finish()));

      const objects = parsed.filter(isRecord);
      assert.equal(schema.records, objects.length);
      assert.equal(schema.warnings.skippedRecords, parsed.length - objects.length);
      for (const column of schema.columns) {
        const present = objects.map((r) => valueAt(r, column.path)).filter((v) => v !== undefined && v !== null);
        assert.equal(column.wrongTypes, present.filter((v) => !fits(v, column.type)).length, column.name);
      }
      assert.equal(schema.warnings.missingTimestamps, objects.filter((r) => readTimestamp(r['timestamp']) === null).length);
    }), { numRuns: 300 });
  });
});

/** Every leaf (scalar or array) replaced, in order, by the next value of `pool`: the same keys and nesting. */
function withLeavesFrom(record: unknown, pool: unknown[], next = { i: 0 }): unknown {
  if (!isRecord(record)) return pool[next.i++ % pool.length];
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, withLeavesFrom(v, pool, next)]));
}

/** JSON text with each object's keys in reverse: whole-number keys then come last, where JSON.stringify never puts them. */
function reversedText(value: unknown): string {
  if (!isRecord(value)) return JSON.stringify(value);
  return `{${Object.entries(value).reverse().map(([k, v]) => `${JSON.stringify(k)}:${reversedText(v)}`).join(',')}}`;
}

/** The records' bytes as the ingest sees them, each record through the scanner and its replays. */
function discoverByScanning(texts: string[]): DiscoveredSchema {
  const discovery = new ColumnDiscovery();
  const splitter = new JsonArraySplitter((bytes, scanned) => discovery.addBytes(bytes, 0, bytes.length, scanned), discovery.scanner);
  splitter.push(Buffer.from(`[${texts.join(',')}]`));
  splitter.end();
  return discovery.finish();
}

function discoverByParsing(texts: string[]): DiscoveredSchema {
  const discovery = new ColumnDiscovery();
  for (const text of texts) discovery.add(JSON.parse(text));
  return discovery.finish();
}

describe('replaying records of a structure seen before (property)', () => {
  const scalarPool = fc.array(scalar, { minLength: 1, maxLength: 6 });
  const layout = fc.constantFrom(undefined, 0, 1, 2, '\t', 'reversed' as const);
  const text = (value: unknown, how: typeof layout extends fc.Arbitrary<infer T> ? T : never) =>
    (how === 'reversed' ? reversedText(value) : JSON.stringify(value, null, how));

  it('learns what parsing every record learns: the same keys again with values of other kinds, any whitespace and escapes', () => {
    const texts = fc.tuple(records, fc.array(fc.tuple(fc.nat(), scalarPool, layout), { maxLength: 12 }), fc.array(jsonText, { maxLength: 3 }))
      .map(([templates, variants, odd]) => [
        ...templates.map((t) => JSON.stringify(t)),
        ...variants.map(([pick, pool, how]) => text(withLeavesFrom(templates[pick % templates.length], pool), how)),
        ...odd.map((text) => `{"k": ${text}}`),
      ]);
    fc.assert(fc.property(texts, (list) => {
      assert.deepEqual(withoutRecordLength(discoverByScanning(list)), withoutRecordLength(discoverByParsing(list)));
    }), { numRuns: 300 });
  });

  it('rejects a record that is not JSON as JSON.parse does, even when its keys match a structure seen before', () => {
    const broken = fc.tuple(records.filter((rs) => rs.some(isRecord)), fc.nat(), fc.nat(), fc.constantFrom('', ',', '}', '"', '0', '-', '.', 'e', '\\', '\n', 'x'))
      .map(([rs, at, span, insert]) => {
        const template = JSON.stringify(rs.find(isRecord));
        const cut = at % (template.length + 1);
        return [template, template.slice(0, cut) + insert + template.slice(cut + (span % 3))] as const;
      });
    fc.assert(fc.property(broken, ([template, mutated]) => {
      let parseError = false;
      try {
        JSON.parse(mutated);
      } catch {
        parseError = true;
      }
      const discovery = new ColumnDiscovery();
      discovery.addBytes(Buffer.from(template), 0, Buffer.byteLength(template));
      const bytes = Buffer.from(mutated);
      if (parseError) assert.throws(() => discovery.addBytes(bytes, 0, bytes.length), /record 2 is not valid JSON/);
      else {
        discovery.addBytes(bytes, 0, bytes.length);
        assert.deepEqual(withoutRecordLength(discovery.finish()), withoutRecordLength(discoverByParsing([template, mutated])));
      }
    }), { numRuns: 500 });
  });

  // Found by review; each failed before its fix.
  it('rejects text before a record as JSON.parse does (the scanner must not read the object after it)', () => {
    for (const second of [' 1{"a": 12345}', ' x {"a": 2}']) {
      assert.throws(() => discoverByScanning(['{"a": 1}', second]), /record 2 is not valid JSON/, second);
    }
  });

  it('tells a closing brace from a key that starts with one', () => {
    const texts = ['{"o":{"a":1},"c":2,"}d":3}', '{"o":{"a":1,"}c":"x"},"d":3}'];
    assert.deepEqual(withoutRecordLength(discoverByScanning(texts)), withoutRecordLength(discoverByParsing(texts)));
  });

  it('counts a fraction too long for a double, which JSON.parse rounds to a whole number, as a whole number', () => {
    for (const long of ['1.00000000000000001', '0.99999999999999999', '-2.000000000000000001']) {
      const texts = ['{"a":1}', `{"a":${long}}`];
      assert.deepEqual(withoutRecordLength(discoverByScanning(texts)), withoutRecordLength(discoverByParsing(texts)), long);
    }
  });

  it('replays: one record of the structure is parsed, the rest only scanned', () => {
    const discovery = new ColumnDiscovery();
    const texts = Array.from({ length: 50 }, (_, i) => JSON.stringify({ timestamp: 1758341593 + i, a: { b: i % 2 ? i : null, c: 'x' } }));
    const parse = JSON.parse;
    let parsed = 0;
    JSON.parse = ((text: string) => { if (text.startsWith('{')) parsed++; return parse(text); }) as typeof JSON.parse;
    try {
      for (const text of texts) discovery.addBytes(Buffer.from(text), 0, text.length);
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parsed, 1);
    assert.deepEqual(withoutRecordLength(discovery.finish()), withoutRecordLength(discoverByParsing(texts)));
  });
});

describe('conversion against JSON.parse (property)', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'moldlens-fuzz-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  /** What a Parquet cell must hold for a JSON value: the value when it fits the column, else NULL. */
  function expectedCell(value: unknown, type: DiscoveredSchema['columns'][number]['type']): unknown {
    if (value === undefined || value === null || !fits(value, type)) return null;
    if (type === 'TIMESTAMP') return BigInt(readTimestamp(value)!.micros);
    // DuckDB reads an integer's digits exactly, past 2^53 where JSON.parse rounds: compare with the
    // digits in the file (written by JSON.stringify, so the shortest text of the double).
    if (type === 'BIGINT') return BigInt(JSON.stringify(value));
    return value;
  }

  /**
   * Ingests the records as the worker and the conversion do — the fused splitter and scanner, the
   * table of values, the JSON (flattened if need be) — and checks every Parquet cell against the
   * records; true when the pack was loaded from the table of values.
   */
  async function convertAndCheck(generated: unknown[], work: string): Promise<boolean> {
    const numbered = generated.map((r, i) => (isRecord(r) ? { ...r, [ROW_KEY]: i } : r));
    await mkdir(work);
    const source = join(work, 'source.json');
    const bytes = Buffer.from(JSON.stringify(numbered));
    await writeFile(source, bytes);
    const discovery = new ColumnDiscovery();
    const table = new ValueTable(join(work, 'values.csv'));
    const splitter = new JsonArraySplitter((record, scanned) => {
      table.add(discovery.addBytes(record, 0, record.length, scanned), record, discovery.scanner);
    }, discovery.scanner);
    splitter.push(bytes);
    splitter.end();
    const schema = discovery.finish();
    let sourcePath = source;
    if (schema.needsFlattening) {
      sourcePath = join(work, 'flat.ndjson');
      await flattenRecords(source, sourcePath, schema.columns);
    }
    const parquetPath = join(work, 'out.parquet');
    const { fromValueTable } = await convertToDuckDb({
      sourcePath, sourceLayout: schema.needsFlattening ? 'flat-ndjson' : 'nested-array', schema, valueTable: table.finish(),
      packPath: join(work, 'pack.duckdb'), parquetPath, tempDir: work, memoryLimit: '128MB', threads: 1,
    });
    const selects = schema.columns.map((c, i) => `${c.type === 'TIMESTAMP' ? `epoch_us("${c.name}")` : `"${c.name.replaceAll('"', '""')}"`} AS c${i}`);
    const rowColumn = schema.columns.findIndex((c) => c.path.length === 1 && c.path[0] === ROW_KEY);
    const rows = await queryFile((src) => `SELECT ${selects.join(', ')} FROM ${src} ORDER BY c${rowColumn}`, parquetPath);
    // The records as written (JSON.stringify writes -0 as 0, for one).
    const objects = (JSON.parse(bytes.toString('utf8')) as unknown[]).filter(isRecord);
    assert.equal(rows.length, objects.length);
    objects.forEach((record, r) => schema.columns.forEach((column, i) => {
      assert.deepEqual(rows[r]![`c${i}`], expectedCell(valueAt(record, column.path), column.type), `${column.name} of record ${r}`);
    }));
    await rm(work, { recursive: true, force: true });
    return fromValueTable;
  }

  it('stores every value that fits its column and NULL for the rest, nested or flattened', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(records, async (generated) => {
      fc.pre(generated.some(isRecord)); // the ingest refuses a file without records before converting
      await convertAndCheck(generated, join(dir, `any-${run++}`));
    }), { numRuns: 15 });
  });

  it('stores the same from the table of values, records of one shape or several (keys missing here and there)', async () => {
    type Other = { int: number; double: number; text: string; flag: boolean; without: string | null };
    /** The template with each leaf replaced by another value of its kind, and one key left out wherever it occurs. */
    const variant = (v: unknown, other: Other): unknown => {
      if (isRecord(v)) return Object.fromEntries(Object.entries(v).filter(([k]) => k !== other.without).map(([k, x]) => [k, variant(x, other)]));
      if (typeof v === 'number') return Number.isInteger(v) ? other.int : other.double;
      if (typeof v === 'string') return other.text;
      if (typeof v === 'boolean') return other.flag;
      return v;
    };
    const others = fc.record({ int: fc.integer(), double: fc.double({ noNaN: true, noDefaultInfinity: true }),
      text: fc.string({ unit: 'grapheme', maxLength: 8 }), flag: fc.boolean(), without: fc.option(key, { freq: 2 }) });
    // No arrays: a record holding one is left to JSON.parse, and the table given up.
    const nested = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ maxDepth: 3, depthIdentifier: 'shape' }, scalar, scalar, fc.dictionary(key, tie('value'), { maxKeys: 4 })),
    })).value;
    const alike = fc.tuple(fc.dictionary(key, nested, { minKeys: 1, maxKeys: 5 }), fc.array(others, { minLength: 1, maxLength: 6 }))
      .map(([template, variants]) => [template, ...variants.map((other) => variant(template, other))]);
    let run = 0;
    let fromTable = 0;
    await fc.assert(fc.asyncProperty(alike, async (generated) => {
      if (await convertAndCheck(generated, join(dir, `shape-${run++}`))) fromTable++;
    }), { numRuns: 30 });
    assert.ok(fromTable >= 3, `only ${fromTable} of 30 runs loaded the table of values`);
  });
});
