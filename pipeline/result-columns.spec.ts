import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Table, tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray, Utf8 } from 'apache-arrow';
import { columnValues, numberColumn, textColumn } from './result-columns.js';

/** What Arrow itself reads, value by value: the reference every fast path must equal. */
const oneByOne = (table: Table, name: string) => Array.from({ length: table.numRows }, (_, i) => table.getChild(name)?.get(i));

describe('result columns', () => {
  const presses = Array.from({ length: 5000 }, (_, i) => (i % 11 === 0 ? null : `molding-machine-${i % 7}`));
  // Several record batches, as DuckDB sends a result (2,048 rows each), one of them sliced.
  const batches = new Table([0, 2048, 4096].flatMap((from) =>
    tableFromIPC(tableToIPC(new Table({ press: vectorFromArray(presses.slice(from, from + 2048), new Utf8()) }))).batches));
  const table = new Table([...batches.batches.slice(0, 2), batches.batches[2]!.slice(100)]);

  it('reads ASCII text columns as Arrow does, across batches and slices, nulls included', () => {
    assert.ok(table.batches.length === 3 && table.numRows > 4096);
    assert.deepStrictEqual(columnValues(table, 'press'), oneByOne(table, 'press'));
    assert.deepStrictEqual(textColumn(table, 'press'), oneByOne(table, 'press'));
    assert.deepStrictEqual(columnValues(table, 'press', 2050), oneByOne(table, 'press').slice(0, 2050), 'the first rows only');
  });

  it('reads text of several bytes a character, numbers, and a missing column value by value', () => {
    const words = ['Presse 1 für Teile', 'größe', null, '東京', ''];
    const mixed = new Table({ word: vectorFromArray(words, new Utf8()) });
    assert.deepStrictEqual(columnValues(mixed, 'word'), words);
    const numbers = tableFromArrays({ y: new Float64Array([1.5, 2, 3]) });
    assert.deepStrictEqual(numberColumn(numbers, 'y'), [1.5, 2, 3]);
    assert.deepStrictEqual(columnValues(numbers, 'nothing'), [undefined, undefined, undefined]);
  });
});
