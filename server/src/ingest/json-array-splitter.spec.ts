import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatasetFormatError, JsonArraySplitter } from './json-array-splitter.js';

function split(text: string, chunkSize = text.length || 1): string[] {
  const elements: string[] = [];
  const splitter = new JsonArraySplitter((element) => elements.push(element));
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize));
  splitter.end();
  return elements;
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
      assert.throws(() => split(input, 3), (error: Error) => error instanceof DatasetFormatError && message.test(error.message));
    });
  }
});
