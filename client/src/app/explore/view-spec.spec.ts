import { SAMPLE_COLUMNS } from './testing/sample-columns';
import { checkSpecAgainstSchema, defaultViews, parseViewSpec, SpecError, type ViewSpec } from './view-spec';

const base: ViewSpec = { title: 'T', chart: 'line', x: { kind: 'time', bucket: 'hour' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} };

describe('parseViewSpec', () => {
  it('returns a clean copy of a valid spec, dropping unknown keys', () => {
    const parsed = parseViewSpec({ ...base, extra: 'x', filters: { from: '2025-09-21T00:00:00Z', presses: ['molding-machine-1'], evil: 1 } });
    expect(parsed).toEqual({ ...base, filters: { from: '2025-09-21T00:00:00.000Z', presses: ['molding-machine-1'] } });
  });

  const bad: [string, unknown][] = [
    ['not an object', 'line'],
    ['an unknown chart type', { ...base, chart: 'pie' }],
    ['an unknown aggregation', { ...base, y: [{ field: 'CycleTime', agg: 'drop table' }] }],
    ['no measures', { ...base, y: [] }],
    ['a non-string field', { ...base, x: { kind: 'field', field: 42 } }],
    ['a bad date', { ...base, filters: { from: 'yesterday-ish' } }],
    ['a string where a number belongs', { ...base, filters: { ranges: [{ field: 'CycleTime', min: '1; DROP' }] } }],
    ['presses that are not strings', { ...base, filters: { presses: [1, 2] } }],
    ['too many bins', { ...base, x: { kind: 'field', field: 'CycleTime', bins: 100000 } }],
  ];
  for (const [what, input] of bad) {
    it(`rejects ${what} with a clear message`, () => {
      expect(() => parseViewSpec(input)).toThrowMatching((e) => e instanceof SpecError && e.message.length > 5);
    });
  }
});

describe('checkSpecAgainstSchema', () => {
  const check = (spec: Partial<ViewSpec>) => () => checkSpecAgainstSchema({ ...base, ...spec }, SAMPLE_COLUMNS);

  it('accepts fields that exist', () => expect(check({})).not.toThrow());
  it('names the unknown field', () => expect(check({ y: [{ field: 'Nope', agg: 'avg' }] })).toThrowError(/no field "Nope"/));
  it('refuses an average of text', () => expect(check({ y: [{ field: 'version', agg: 'avg' }] })).toThrowError(/does not apply/));
  it('wants a boolean for a reject rate', () => expect(check({ y: [{ field: 'CycleTime', agg: 'reject_rate' }] })).toThrowError(/does not apply/));
  it('wants a numeric x for a histogram', () => expect(check({ chart: 'histogram', x: { kind: 'field', field: 'version' } })).toThrowError(/numeric/));
  it('wants a split for a heatmap', () => expect(check({ chart: 'heatmap', split: 'none' })).toThrowError(/split/));
  it('knows the virtual defect field only with the defect dimension', () => {
    expect(check({ x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }], split: 'none' })).not.toThrow();
    expect(check({ y: [{ field: 'defect_rejected', agg: 'sum' }] })).toThrowError(/no field/);
  });
});

describe('defaultViews', () => {
  it('gives a first visit reject rate per press, defects ranked, and a parameter over time', () => {
    const views = defaultViews(SAMPLE_COLUMNS);
    expect(views.map((v) => v.title)).toEqual(['Reject rate per press', 'Defect types ranked by rejects', 'CycleTime over time']);
    for (const view of views) expect(() => checkSpecAgainstSchema(view, SAMPLE_COLUMNS)).not.toThrow();
  });
});
