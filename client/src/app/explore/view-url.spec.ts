import { decodeView, decodeViews, encodeView, encodeViews } from './view-url';
import { SpecError, type ViewSpec } from './view-spec';

const view: ViewSpec = { title: 'Zykluszeit µ', chart: 'boxplot', x: { kind: 'time', bucket: 'week' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: { reject: false } };

describe('view URLs', () => {
  it('round-trips a dashboard and a single view, unicode included', () => {
    expect(decodeViews(encodeViews([view, view]))).toEqual([view, view]);
    expect(decodeView(encodeView(view))).toEqual(view);
    expect(encodeView(view)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects damaged or hostile links with a clear message', () => {
    expect(() => decodeView('%%%')).toThrowMatching((e) => e instanceof SpecError);
    expect(() => decodeView(btoa(JSON.stringify({ ...view, chart: 'pie' })))).toThrowError(SpecError, /chart/);
    expect(() => decodeViews(btoa('{"not":"a list"}'))).toThrowError(SpecError, /list of views/);
  });
});
