import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeView, decodeViews, encodeView, encodeViews } from './view-url.js';
import { SpecError, type ViewSpec } from './view-spec.js';

const view: ViewSpec = { title: 'Zykluszeit µ', chart: 'boxplot', x: { kind: 'time', bucket: 'week' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: { reject: false } };

describe('view URLs', () => {
  it('round-trips a dashboard and a single view, unicode included', () => {
    assert.deepStrictEqual(decodeViews(encodeViews([view, view])), [view, view]);
    assert.deepStrictEqual(decodeView(encodeView(view)), view);
    assert.match(encodeView(view), /^[A-Za-z0-9_-]+$/);
  });

  it('rejects damaged or hostile links with a clear message', () => {
    assert.throws(() => decodeView('%%%'), (e: unknown) => e instanceof SpecError);
    assert.throws(() => decodeView(btoa(JSON.stringify({ ...view, chart: 'pie' }))), /chart/);
    assert.throws(() => decodeViews(btoa('{"not":"a list"}')), /list of views/);
  });
});
