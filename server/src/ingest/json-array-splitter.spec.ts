import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { chunkBoundaries, chunksOf, jsonArrayText } from '../testing/json-text-arbitrary.js';
import { DatasetFormatError, JsonArraySplitter } from './json-array-splitter.js';
import { RecordScanner } from './record-scanner.js';

/** With a scanner the splitter reads records its own way; every test runs both ways. */
const withAndWithoutScanner = [undefined, new RecordScanner()];

function splitChunks(chunks: Buffer[], scanner?: RecordScanner): string[] {
  const elements: string[] = [];
  const splitter = new JsonArraySplitter((element) => elements.push(element.toString('utf8')), scanner);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return elements;
}

function split(text: string, chunkSize = text.length || 1, scanner?: RecordScanner): string[] {
  const bytes = Buffer.from(text);
  const cuts = Array.from({ length: Math.ceil(bytes.length / chunkSize) - 1 }, (_, i) => (i + 1) * chunkSize);
  return splitChunks(chunksOf(bytes, cuts), scanner);
}

/** The splitter, then JSON.parse of each element, as the ingest does; null when either rejects. */
function parseBySplitting(bytes: Buffer, cuts: number[]): unknown[] | null {
  const [plain, scanning] = withAndWithoutScanner.map((scanner) => {
    try {
      return splitChunks(chunksOf(bytes, cuts), scanner).map((element) => JSON.parse(element) as unknown);
    } catch {
      return null;
    }
  });
  assert.deepEqual(scanning, plain, 'the same elements with a scanner');
  return plain!;
}

function parseWhole(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

describe('JsonArraySplitter', () => {
  const tricky = [
    { a: 'brackets ] } [ { and , commas', b: [1, { c: 'x' }] },
    { quote: 'say "hi" \\', backslashes: '\\\\"', unicode: 'µ°F ✓' },
    42, null, 'a string record', [1, 2],
  ];
  const text = JSON.stringify(tricky, null, 2);

  it('returns each element whole, whatever the chunk boundaries', () => {
    for (const chunkSize of [1, 2, 3, 7, 64, text.length]) {
      assert.deepEqual(split(text, chunkSize).map((e) => JSON.parse(e)), tricky, `chunk size ${chunkSize}`);
    }
  });

  it('accepts an empty array and a byte order mark', () => {
    assert.deepEqual(split('[ ]'), []);
    assert.deepEqual(split('\ufeff[{"a":1}]').map((e) => JSON.parse(e)), [{ a: 1 }]);
  });

  const failures: [string, string, RegExp][] = [
    ['an HTML page', '<!doctype html><html></html>', /HTML page/],
    ['an object', '{"records": []}', /object, not an array/],
    ['plain text', 'hello', /not JSON/],
    ['an empty body', '', /empty/],
    ['a truncated array', '[{"a": 1}, {"b": [2', /truncated after 1 records/],
    ['a trailing comma', '[{"a": 1},]', /trailing comma/],
    ['data after the array', '[{"a": 1}] {"b": 2}', /after the end/],
    ['a missing comma', '[{"a": 1} {"b": 2}]', /comma is missing/],
  ];
  for (const [what, input, message] of failures) {
    it(`rejects ${what} with a clear message`, () => {
      for (const scanner of withAndWithoutScanner) {
        assert.throws(() => split(input, 3, scanner), (error: Error) => error instanceof DatasetFormatError && message.test(error.message));
      }
    });
  }

  it('equals JSON.parse of the same bytes for any array, split at any boundaries (property)', () => {
    const input = jsonArrayText.chain((text) => {
      const bytes = Buffer.from(text);
      return fc.tuple(fc.constant(bytes), chunkBoundaries(bytes.length));
    });
    fc.assert(fc.property(input, ([bytes, cuts]) => {
      assert.deepEqual(parseBySplitting(bytes, cuts), JSON.parse(bytes.toString('utf8')));
    }), { numRuns: 300 });
  });

  it('rejects exactly the damaged arrays JSON.parse rejects (property)', () => {
    const damaged = fc.tuple(jsonArrayText, fc.nat(), fc.constantFrom('', ',', '[', ']', '{', '}', '"', '\\', ':', 'x', ' '))
      .map(([text, at, insert]) => {
        const position = at % (text.length + 1);
        // Replace one character (or delete it, when the insert is empty) somewhere in the text.
        return Buffer.from(text.slice(0, position) + insert + text.slice(position + 1));
      })
      .chain((bytes) => fc.tuple(fc.constant(bytes), chunkBoundaries(bytes.length)));
    fc.assert(fc.property(damaged, ([bytes, cuts]) => {
      const whole = parseWhole(bytes);
      const expected = Array.isArray(whole) ? whole : null;
      assert.deepEqual(parseBySplitting(bytes, cuts), expected, bytes.toString('utf8'));
    }), { numRuns: 500 });
  });
});
