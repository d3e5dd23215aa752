import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SAMPLE_COLUMNS } from './testing/sample-columns.js';
import { checkSpecAgainstSchema, defaultViews, parameterOverTime, parseViewSpec, SpecError, splitsFor, viewTitle, type ViewSpec } from './view-spec.js';

const base: ViewSpec = { title: 'T', chart: 'line', x: { kind: 'time', bucket: 'hour' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} };

describe('parseViewSpec', () => {
  it('returns a clean copy of a valid spec, dropping unknown keys', () => {
    const parsed = parseViewSpec({ ...base, extra: 'x', filters: { from: '2025-09-21T00:00:00Z', presses: ['molding-machine-1'], evil: 1 } });
    assert.deepStrictEqual(parsed, { ...base, filters: { from: '2025-09-21T00:00:00.000Z', presses: ['molding-machine-1'] } });
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
      assert.throws(() => parseViewSpec(input), (e: unknown) => e instanceof SpecError && e.message.length > 5);
    });
  }
});

describe('parseViewSpec: quality options', () => {
  const control: ViewSpec = { ...base, chart: 'xbar_r' };

  it('returns clean quality options: instants normalized, rules de-duplicated and ordered, unknown and null keys dropped', () => {
    const parsed = parseViewSpec({ ...control, quality: { subgroupSize: 8, subgroupBy: 'shift', baselineFrom: '2025-09-21T06:00:00+02:00',
      baselineTo: '2025-09-22T04:00:00Z', rules: [4, 1, 4, 2], topN: 5, lsl: -1.5, usl: 2, target: 0, lcl: 3, usl2: null, lsl2: undefined } });
    assert.deepStrictEqual(parsed.quality, { subgroupSize: 8, subgroupBy: 'shift', baselineFrom: '2025-09-21T04:00:00.000Z',
      baselineTo: '2025-09-22T04:00:00.000Z', rules: [1, 2, 4], topN: 5, lsl: -1.5, usl: 2, target: 0 });
  });

  it('keeps no quality key when none is given, and an empty object when all are unset', () => {
    assert.equal('quality' in parseViewSpec(control), false);
    assert.equal('quality' in parseViewSpec({ ...control, quality: null }), false);
    assert.deepStrictEqual(parseViewSpec({ ...control, quality: {} }).quality, {});
  });

  const bad: [string, unknown][] = [
    ['quality that is not an object', 'xbar_r'],
    ['a subgroup of one part', { subgroupSize: 1 }],
    ['a subgroup over 1000 parts', { subgroupSize: 1001 }],
    ['a fractional subgroup', { subgroupSize: 4.5 }],
    ['a subgroup size given as text', { subgroupSize: '5' }],
    ['an unknown subgroup kind', { subgroupBy: 'week' }],
    ['rule 5', { rules: [1, 5] }],
    ['rules that are not a list', { rules: 1 }],
    ['Top 0', { topN: 0 }],
    ['Top 101', { topN: 101 }],
    ['a spec limit given as text', { lsl: '1; DROP TABLE x' }],
    ['an infinite spec limit', { usl: Infinity }],
    ['a baseline that is not a date', { baselineFrom: 'last monday' }],
  ];
  for (const [what, quality] of bad) {
    it(`rejects ${what} with a message naming the option`, () => {
      assert.throws(() => parseViewSpec({ ...control, quality }), (e: unknown) => e instanceof SpecError && /quality/.test(e.message));
    });
  }
});

describe('checkSpecAgainstSchema: quality views', () => {
  const check = (spec: Partial<ViewSpec>) => () => checkSpecAgainstSchema({ ...base, chart: 'xbar_r', ...spec }, SAMPLE_COLUMNS);

  it('accepts control charts, p-charts, Pareto and capability on fields that suit them', () => {
    assert.doesNotThrow(check({ quality: { subgroupSize: 25 } }));
    assert.doesNotThrow(check({ chart: 'imr', y: [{ field: 'ShotCount', agg: 'avg' }] }));
    assert.doesNotThrow(check({ chart: 'p_chart', y: [{ field: 'flash_reject', agg: 'reject_rate' }], quality: { subgroupBy: 'parts', subgroupSize: 200 } }));
    assert.doesNotThrow(check({ chart: 'pareto', y: [{ field: null, agg: 'count' }], split: 'none', quality: { topN: 1 } }));
    assert.doesNotThrow(check({ chart: 'capability', split: 'none', quality: { lsl: 1, usl: 2, target: 1.5 } }));
  });
  it('limits X̄-R subgroups to 25 parts, the end of the published constants', () => {
    assert.throws(check({ quality: { subgroupSize: 26 } }), /from 2 to 25/);
  });
  it('wants a numeric field on a control chart', () => assert.throws(check({ y: [{ field: 'version', agg: 'count' }] }), /numeric field/));
  it('counts only verdicts on a p-chart', () => assert.throws(check({ chart: 'p_chart', y: [{ field: 'AlarmLED', agg: 'share_true' }] }), /reject/));
  it('splits by press or not at all', () => assert.throws(check({ split: 'version' }), /press/));
  it('wants a baseline that ends after it starts', () => {
    assert.throws(check({ quality: { baselineFrom: '2025-09-22T00:00:00.000Z', baselineTo: '2025-09-22T00:00:00.000Z' } }), /baseline must end after/);
  });
  it('wants the lower spec limit below the upper one', () => assert.throws(check({ chart: 'capability', split: 'none', quality: { lsl: 2, usl: 2 } }), /lower spec limit/));
  it('needs defect flags for a Pareto', () => {
    assert.throws(() => checkSpecAgainstSchema({ ...base, chart: 'pareto', split: 'none' }, SAMPLE_COLUMNS.filter((c) => c.group !== 'defect')), /defect flags/);
  });
});

describe('checkSpecAgainstSchema', () => {
  const check = (spec: Partial<ViewSpec>) => () => checkSpecAgainstSchema({ ...base, ...spec }, SAMPLE_COLUMNS);

  it('accepts fields that exist', () => assert.doesNotThrow(check({})));
  it('names the unknown field', () => assert.throws(check({ y: [{ field: 'Nope', agg: 'avg' }] }), /no field "Nope"/));
  it('refuses an average of text', () => assert.throws(check({ y: [{ field: 'version', agg: 'avg' }] }), /does not apply/));
  it('refuses an average of a flag, which the engine cannot compute', () => assert.throws(check({ y: [{ field: 'reject', agg: 'avg' }] }), /does not apply/));
  it('wants a boolean for a reject rate', () => assert.throws(check({ y: [{ field: 'CycleTime', agg: 'reject_rate' }] }), /does not apply/));
  it('wants a numeric x for a histogram', () => assert.throws(check({ chart: 'histogram', x: { kind: 'field', field: 'version' } }), /numeric/));
  it('wants a split for a heatmap', () => assert.throws(check({ chart: 'heatmap', split: 'none' }), /split/));
  it('knows the virtual defect field only with the defect dimension', () => {
    assert.doesNotThrow(check({ x: { kind: 'defect_type' }, y: [{ field: 'defect_rejected', agg: 'sum' }], split: 'none' }));
    assert.throws(check({ y: [{ field: 'defect_rejected', agg: 'sum' }] }), /no field/);
  });
});

describe('defaultViews', () => {
  const machines = [{ id: 'molding-machine-1', rows: 40 }, { id: 'molding-machine-2', rows: 75 }, { id: 'molding-machine-3', rows: 12 }];

  it('gives a first visit the hourly p-chart per press, the defect Pareto and an I-MR of CycleTime for the busiest press', () => {
    const views = defaultViews({ columns: SAMPLE_COLUMNS, machines });
    assert.deepStrictEqual(views.map((v) => v.chart), ['p_chart', 'pareto', 'imr']);
    const [pChart, , individuals] = views;
    assert.deepStrictEqual(pChart!.y, [{ field: 'reject', agg: 'reject_rate' }]);
    assert.equal(pChart!.split, 'press');
    assert.equal(pChart!.quality?.subgroupBy, 'hour');
    assert.deepStrictEqual(individuals!.y, [{ field: 'CycleTime', agg: 'avg' }]);
    assert.deepStrictEqual(individuals!.filters.presses, ['molding-machine-2']);
    assert.equal(individuals!.title, 'CycleTime I-MR, molding-machine-2');
    for (const view of views) assert.doesNotThrow(() => checkSpecAgainstSchema(view, SAMPLE_COLUMNS));
  });

  it('subgroups the p-chart by hour, shift or day, the first holding 50 parts per press on average', () => {
    const over = (days: number, rows: number[]) => defaultViews({ columns: SAMPLE_COLUMNS, machines: rows.map((n, i) => ({ id: `p${i}`, rows: n })),
      timeRange: { min: '2025-01-01T00:00:00.000Z', max: new Date(Date.parse('2025-01-01T00:00:00.000Z') + days * 86_400_000).toISOString() } })[0]!;
    // 1M parts over 96 days on 3 presses: ~145 per press-hour.
    assert.equal(over(96, [333_334, 333_333, 333_333]).quality?.subgroupBy, 'hour');
    // The reference dataset (3,487 parts, 3 presses, 31 days): ~1.5 per press-hour, a day holds ~37 — the longest, a day.
    assert.equal(over(31, [1130, 1105, 1252]).quality?.subgroupBy, 'day');
    // 10 per press-hour: a shift holds 80.
    assert.equal(over(10, [2400, 2400]).quality?.subgroupBy, 'shift');
    assert.equal(over(10, [2400, 2400]).title, 'Reject rate per press per shift (p-chart)');
    // Too few parts for any: a day, the longest.
    assert.equal(over(30, [20]).quality?.subgroupBy, 'day');
  });

  it('charts the first numeric machine-state field when there is no CycleTime', () => {
    const columns = SAMPLE_COLUMNS.filter((c) => c.name !== 'CycleTime');
    assert.deepStrictEqual(defaultViews({ columns, machines }).at(-1)!.y, [{ field: 'ShotCount', agg: 'avg' }]);
  });

  it('charts every press when the dataset lists none', () => {
    const individuals = defaultViews({ columns: SAMPLE_COLUMNS, machines: [] }).at(-1)!;
    assert.equal(individuals.chart, 'imr');
    assert.deepStrictEqual(individuals.filters, {});
  });

  it('leaves out the views a dataset cannot draw', () => {
    const noVerdicts = SAMPLE_COLUMNS.filter((c) => c.name !== 'reject' && c.group !== 'defect');
    assert.deepStrictEqual(defaultViews({ columns: noVerdicts, machines }).map((v) => v.chart), ['imr']);
    const noParameters = SAMPLE_COLUMNS.filter((c) => c.group !== 'machine_state');
    assert.deepStrictEqual(defaultViews({ columns: noParameters, machines }).map((v) => v.chart), ['p_chart', 'pareto']);
  });
});

describe('parameterOverTime', () => {
  it('starts a new view as the average of CycleTime over time per press', () => {
    assert.deepStrictEqual(parameterOverTime(SAMPLE_COLUMNS), { title: 'CycleTime over time', chart: 'line', x: { kind: 'time', bucket: 'auto' },
      y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} });
    assert.equal(parameterOverTime(SAMPLE_COLUMNS.filter((c) => c.group !== 'machine_state')), null);
  });

  it('titles a view by what it shows: a histogram by its binned field, a quality chart by the field it judges', () => {
    const base = { title: '', x: { kind: 'time', bucket: 'auto' }, split: 'none', filters: {} } as const;
    assert.equal(viewTitle({ ...base, chart: 'histogram', x: { kind: 'field', field: 'VtoPTime' }, y: [{ field: 'CycleTime', agg: 'avg' }] }), 'VtoPTime — Histogram');
    assert.equal(viewTitle({ ...base, chart: 'p_chart', y: [{ field: 'reject', agg: 'reject_rate' }] }), 'reject — p-chart (share rejected)');
    assert.equal(viewTitle({ ...base, chart: 'line', y: [{ field: 'CycleTime', agg: 'avg' }] }), 'Average of CycleTime — Line');
    assert.equal(viewTitle({ ...base, title: 'Mine', chart: 'line', y: [{ field: 'CycleTime', agg: 'avg' }] }), 'Mine');
  });

  it('offers only the splits a chart draws: control charts and Paretos per press, capability and near misses over every press', () => {
    const TIME_X = { kind: 'time', bucket: 'auto' } as const;
    assert.deepEqual(splitsFor('p_chart', TIME_X), ['none', 'press']);
    assert.deepEqual(splitsFor('pareto', TIME_X), ['none', 'press']);
    assert.deepEqual(splitsFor('capability', TIME_X), ['none']);
    assert.deepEqual(splitsFor('near_miss', TIME_X), ['none']);
    assert.equal(splitsFor('bar', TIME_X).length, 5);
    assert.deepEqual(splitsFor('bar', { kind: 'defect_type' }), ['none', 'press', 'reject', 'version']);
    const capability = { title: '', chart: 'capability', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} };
    // An older link keeps opening, unsplit, instead of seeming split while drawing every press together.
    assert.equal(parseViewSpec(capability).split, 'none');
    assert.throws(() => checkSpecAgainstSchema(capability as ViewSpec, SAMPLE_COLUMNS), /drawn over every press together/);
  });
});
