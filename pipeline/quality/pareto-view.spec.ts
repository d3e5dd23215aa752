import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paretoOutcome } from './pareto-view.js';
import { resultTableOf } from '../testing/result-table.js';
import type { ViewSpec } from '../view-spec.js';

const spec: ViewSpec = { title: '', chart: 'pareto', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} };
const tableOf = (columns: Record<string, (string | number)[]>, numRows: number) => resultTableOf(numRows, (name) => columns[name]);

describe('paretoOutcome', () => {
  it('says so in words when no rejected part matches the filters, rather than drawing bare axes', () => {
    // Found by a user trial: one press and accepted parts only gave empty axes and "0 rows".
    const notes = paretoOutcome(spec, tableOf({}, 0)).notes.map((note) => note.text);
    assert.deepEqual(notes, ['No rejected parts: none match the filters of this view and the dashboard']);
  });

  it('ranks defect types by occurrences and names how many rejected parts they cover', () => {
    const outcome = paretoOutcome(spec, tableOf({ defect: ['flash', 'short', 'flash'], press: ['m1', 'm1', 'm2'], occurrences: [3, 4, 2],
      rejected_parts: [8, 8, 8] }, 3));
    assert.deepEqual(outcome.notes.map((note) => note.text), ['Covers 8 rejected parts · 9 defect occurrences']);
    assert.deepEqual(outcome.table.rows.map((row) => row.slice(0, 2)), [['flash', 5], ['short', 4]]);
  });
});
