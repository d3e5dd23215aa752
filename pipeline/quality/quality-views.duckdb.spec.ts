// Every quality view's SQL, and the parts behind its items, run on real DuckDB over a pack made by
// the server's own ingest, and checked against figures computed here straight from the generated JSON.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateRecords, type InspectionRecord } from '../../server/src/generator/generate-dataset.js';
import type { DatasetMetadata } from '../dataset-metadata.js';
import { runQuery } from '../testing/duckdb-result.js';
import { UTC_ZONE } from '../time-zone.js';
import { openIngestedPack, type IngestedPack } from '../testing/ingested-pack.js';
import type { ViewSpec } from '../view-spec.js';
import { compareStatsSql } from './compare-sql.js';
import { controlChartModel } from './control-chart-model.js';
import { controlChartScopes } from './control-chart-view.js';
import { partsSql } from './parts-sql.js';
import type { PartsScope } from './parts-scope.js';
import { MAX_SUBGROUPS_SHOWN } from './control-chart-sql.js';
import { qualityCubeQuery, qualityOutcome, qualityQuery } from './quality-view.js';
import { numberColumn } from '../result-columns.js';

interface Part {
  ms: number;
  press: string;
  reject: boolean;
  cycle: number | null;
  defects: string[];
  ratios: Map<string, number>;
}

function toPart(r: InspectionRecord): Part {
  const detection = r['object_detection'] as Record<string, { reject: boolean; pixel_severity: { value: number; threshold: number } } | boolean>;
  const defects = Object.entries(detection).filter(([, v]) => typeof v === 'object' && 'pixel_severity' in v);
  return {
    ms: Math.round((r['timestamp'] as number) * 1e6) / 1e3,
    press: r['molding_machine_id'] as string,
    reject: detection['reject'] as boolean,
    cycle: (r['molding-machine-state'] as Record<string, number | null>)['CycleTime'] ?? null,
    defects: defects.filter(([, v]) => typeof v === 'object' && v.reject).map(([k]) => k.replace(/_defect$/, '')),
    ratios: new Map(defects.map(([k, v]) => {
      const { value, threshold } = (v as { pixel_severity: { value: number; threshold: number } }).pixel_severity;
      return [k.replace(/_defect$/, ''), value / threshold];
    })),
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: number[]) => {
  const m = mean(values);
  return values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
};
const close = (actual: number | null | undefined, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
// For n = 2 the range is |X1 − X2| with X1 − X2 ~ N(0, 2): d2 = 2/√π and d3 = √(2 − 4/π), exactly.
const D2_OF_2 = 2 / Math.sqrt(Math.PI);
const D4_OF_2 = 1 + (3 * Math.sqrt(2 - 4 / Math.PI)) / D2_OF_2;
const base = { title: '', x: { kind: 'time', bucket: 'auto' }, filters: {} } as const;

/**
 * Runs the view from its cube (filling the cube first, as the browser's worker does) and from the
 * dataset, checks both give the same rows, and returns the cube's name.
 */
async function sameFromCube(pack: Pick<IngestedPack, 'connection' | 'metadata'>, filled: Set<string>, spec: ViewSpec, what: string): Promise<string> {
  const rowsOf = (table: Awaited<ReturnType<typeof runQuery>>) => Array.from({ length: table.numRows }, (_, i) =>
    table.schema.fields.map((f) => table.getChild(f.name)!.get(i)));
  const cubed = qualityCubeQuery(spec, pack.metadata.columns, UTC_ZONE)!;
  assert.ok(cubed.cube, what);
  if (!filled.has(cubed.cube.name)) {
    await runQuery(pack.connection, `CREATE TEMP TABLE ${cubed.cube.name} AS ${cubed.cube.sql}`, cubed.cube.params);
    filled.add(cubed.cube.name);
    // The server sends a cube's rows as plain values (a TIMESTAMP would arrive as a JavaScript Date,
    // to the millisecond, and the browser could not load it): numbers, text and flags only.
    const types = await runQuery(pack.connection, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${cubed.cube.name}'`, []);
    for (let i = 0; i < types.numRows; i++) {
      assert.match(String(types.getChild('data_type')!.get(i)), /^(VARCHAR|BOOLEAN|DOUBLE|BIGINT|INTEGER|HUGEINT)$/, `${what}: ${types.getChild('column_name')!.get(i)}`);
    }
  }
  const raw = qualityQuery(spec, pack.metadata.columns, UTC_ZONE);
  const expected = rowsOf(await runQuery(pack.connection, raw.sql, raw.params));
  const actual = rowsOf(await runQuery(pack.connection, cubed.sql, cubed.params));
  assert.equal(actual.length, expected.length, what);
  actual.forEach((row, i) => row.forEach((cell, j) => assert.ok(typeof cell === 'number' && typeof expected[i]![j] === 'number'
    ? Math.abs(cell - (expected[i]![j] as number)) <= 1e-9 * Math.max(1, Math.abs(cell)) : cell === expected[i]![j], `${what} row ${i} column ${j}`)));
  return cubed.cube.name;
}

const PRESS_FILTERS = [{}, { presses: ['molding-machine-1'] }, { presses: ['molding-machine-1', 'molding-machine-3'] }, { presses: [] }];

describe('quality views on DuckDB over an ingested pack', () => {
  let pack: IngestedPack;
  let metadata: DatasetMetadata;
  let parts: Part[];
  let db: { connection: IngestedPack['connection'] };

  before(async () => {
    const records = [...generateRecords({ records: 1800, seed: 17, days: 5, nullRate: 0.01 })];
    parts = records.map(toPart).sort((a, b) => a.ms - b.ms);
    pack = await openIngestedPack(records);
    ({ metadata } = pack);
    db = pack;
  });
  after(async () => {
    await pack?.close();
  });

  const run = async (spec: ViewSpec) => {
    const query = qualityQuery(spec, metadata.columns, UTC_ZONE);
    return runQuery(db.connection, query.sql, query.params);
  };
  const partsOf = async (scope: PartsScope, filters = {}) => {
    const query = partsSql({ filters, scope, fields: ['CycleTime'], sort: { field: 'timestamp', descending: false }, page: 0 }, metadata.columns);
    // One statement at a time: a DuckDB connection does not run two at once.
    const page = await runQuery(db.connection, query.sql, query.params);
    const count = await runQuery(db.connection, query.countSql, query.countParams);
    return { times: numberColumn(page, 'timestamp'), cycles: numberColumn(page, 'CycleTime'), count: numberColumn(count, 'parts')[0]! };
  };
  const pressParts = (press: string) => parts.filter((p) => p.press === press && p.cycle !== null);

  it('X̄-R per press: subgroups of 5 consecutive parts, grand mean, R̄ and limits as computed from the JSON', async () => {
    const spec: ViewSpec = { ...base, chart: 'xbar_r', y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', quality: { subgroupSize: 5 } };
    const model = controlChartModel(spec, await run(spec), UTC_ZONE);
    for (const press of ['molding-machine-1', 'molding-machine-3']) {
      const own = pressParts(press);
      const groups = Array.from({ length: Math.floor(own.length / 5) }, (_, i) => own.slice(i * 5, i * 5 + 5).map((p) => p.cycle!));
      const points = model.points.filter((p) => p.press === press);
      assert.equal(points.length, groups.length, press);
      groups.forEach((g, i) => close(points[i]!.value, mean(g), `${press} x̄ ${i}`));
      const rBar = mean(groups.map((g) => Math.max(...g) - Math.min(...g)));
      const grand = mean(groups.map(mean));
      close(points[0]!.spreadLimits!.center, rBar, `${press} R̄`);
      // A2 = 0.577 and D4 = 2.114 for n = 5 (published to three decimals, hence the tolerance).
      close(points[0]!.limits!.ucl, grand + 0.577 * rBar, `${press} UCL`, 1e-3);
      close(points[0]!.spreadLimits!.ucl, 2.114 * rBar, `${press} R UCL`, 1e-3);
    }
    // The parts behind a subgroup are exactly its five parts.
    const scopes = controlChartScopes(model);
    const index = model.points.flatMap((p, i) => (p.press === 'molding-machine-2' ? [i] : []))[3]!;
    const behind = await partsOf(scopes[index]!);
    const expected = pressParts('molding-machine-2').slice(15, 20);
    assert.equal(behind.count, 5);
    assert.deepEqual(behind.cycles, expected.map((p) => p.cycle));
    assert.deepEqual(behind.times, expected.map((p) => p.ms));
  });

  it('I-MR: individuals, moving ranges within each press and σ = MR̄ / 1.128', async () => {
    const spec: ViewSpec = { ...base, chart: 'imr', y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none',
      filters: { presses: ['molding-machine-1'] } };
    const model = controlChartModel(spec, await run(spec), UTC_ZONE);
    const own = pressParts('molding-machine-1').map((p) => p.cycle!);
    assert.equal(model.points.length, own.length);
    const mrBar = mean(own.slice(1).map((v, i) => Math.abs(v - own[i]!)));
    close(model.points[0]!.limits!.ucl, mean(own) + (3 * mrBar) / D2_OF_2, 'I UCL', 1e-6);
    close(model.points[0]!.spreadLimits!.ucl, D4_OF_2 * mrBar, 'MR UCL', 1e-6);
    const beyond = own.filter((v) => Math.abs(v - mean(own)) > (3 * model.sigmaWithin.get('')!)).length;
    assert.equal(model.points.filter((p) => p.signals.includes(1)).length, beyond);
  });

  it('p-chart per press per hour: sizes, shares, p̄ and the subgroups beyond their own limits', async () => {
    const spec: ViewSpec = { ...base, chart: 'p_chart', y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', quality: { subgroupBy: 'hour' } };
    const model = controlChartModel(spec, await run(spec), UTC_ZONE);
    const press = 'molding-machine-2';
    const own = parts.filter((p) => p.press === press);
    const hours = new Map<number, Part[]>();
    for (const p of own) hours.set(Math.floor(p.ms / 3_600_000) * 3_600_000, [...(hours.get(Math.floor(p.ms / 3_600_000) * 3_600_000) ?? []), p]);
    const points = model.points.filter((p) => p.press === press);
    assert.deepEqual(points.map((p) => [p.startMs, p.size]), [...hours].map(([h, ps]) => [h, ps.length]));
    const pBar = own.filter((p) => p.reject).length / own.length;
    close(points[0]!.limits!.center, pBar, 'p̄');
    const beyond = [...hours.values()].filter((ps) => {
      const p = ps.filter((x) => x.reject).length / ps.length;
      const sigma = Math.sqrt((pBar * (1 - pBar)) / ps.length);
      return p > pBar + 3 * sigma || p < pBar - 3 * sigma;
    }).length;
    assert.equal(points.filter((p) => p.signals.length).length, beyond);
  });

  it('Pareto: occurrences per defect among rejected parts, the rejects with no defect flagged, and their parts', async () => {
    const spec: ViewSpec = { ...base, chart: 'pareto', y: [{ field: null, agg: 'count' }], split: 'none' };
    const outcome = qualityOutcome(spec, await run(spec), UTC_ZONE);
    const rejected = parts.filter((p) => p.reject);
    const counts = new Map<string, number>();
    for (const p of rejected) for (const d of p.defects) counts.set(d, (counts.get(d) ?? 0) + 1);
    const clean = rejected.filter((p) => !p.defects.length).length;
    if (clean) counts.set('(no defect flagged)', clean);
    const expected = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    assert.deepEqual(outcome.table.rows.map((r) => [r[0], r[1]]), expected);
    assert.equal(outcome.table.rows.at(-1)![3], 100);
    assert.match(outcome.notes[0]!.text, new RegExp(`Covers ${rejected.length.toLocaleString('en')} rejected parts`));
    const top = (await partsOf(outcome.scopes[0]!)).count;
    assert.equal(top, expected[0]![1]);

    // Split by press, with a filter (bound parameters in the counts that are read three times): each
    // press's rows count its own rejected parts per defect type.
    const pressed = ['molding-machine-1', 'molding-machine-3'];
    const split = await run({ ...spec, split: 'press', filters: { presses: pressed } });
    const perPress = new Map<string, number>();
    for (const p of rejected.filter((r) => pressed.includes(r.press))) for (const d of p.defects.length ? p.defects : [null]) {
      const k = JSON.stringify([d, p.press]);
      perPress.set(k, (perPress.get(k) ?? 0) + 1);
    }
    const column = (name: string) => Array.from({ length: split.numRows }, (_, i) => split.getChild(name)!.get(i) as unknown);
    const occurrences = column('occurrences');
    const found = new Map(column('defect').map((d, i) => [JSON.stringify([d, column('press')[i]]), occurrences[i] as number] as const)
      .filter(([, n]) => n > 0));
    assert.deepEqual(found, perPress);
    assert.equal(column('rejected_parts')[0], rejected.filter((r) => pressed.includes(r.press)).length);
  });

  const filledCubes = new Set<string>();

  it('p-charts of time subgroups and Paretos answer every press and verdict filter from a cube exactly as from the dataset', async () => {
    const specs: ViewSpec[] = [
      ...(['hour', 'shift', 'day'] as const).flatMap((subgroupBy) => (['none', 'press'] as const).map((split): ViewSpec =>
        ({ ...base, chart: 'p_chart', y: [{ field: 'reject', agg: 'reject_rate' }], split, quality: { subgroupBy } }))),
      { ...base, chart: 'p_chart', y: [{ field: 'flash_reject', agg: 'reject_rate' }], split: 'press', quality: { subgroupBy: 'hour', baselineFrom: new Date(parts[0]!.ms).toISOString(), baselineTo: new Date(parts[0]!.ms + 86_400_000).toISOString() } },
      { ...base, chart: 'pareto', y: [{ field: null, agg: 'count' }], split: 'none' },
      { ...base, chart: 'pareto', y: [{ field: null, agg: 'count' }], split: 'press' },
    ];
    let compared = 0;
    for (const spec of specs) {
      const names = new Set<string>();
      for (const filters of [...PRESS_FILTERS, { reject: true }, { reject: false, presses: ['molding-machine-2'] }]) {
        const filtered = { ...spec, filters: { ...filters, from: new Date(parts[0]!.ms + 3_600_000).toISOString() } };
        names.add(await sameFromCube(pack, filledCubes, filtered, `${spec.chart} ${JSON.stringify(spec.quality ?? {})} × ${spec.split} × ${JSON.stringify(filters)}`));
        compared++;
      }
      assert.equal(names.size, 1, `${spec.chart}: one cube for every press and verdict`);
    }
    assert.equal(compared, specs.length * 6);
  });

  it('Control charts of consecutive parts answer every press filter from a cube per press exactly as from the dataset, and a verdict filter from the dataset', async () => {
    const baseline = { baselineFrom: new Date(parts[0]!.ms + 3_600_000).toISOString(), baselineTo: new Date(parts[0]!.ms + 86_400_000).toISOString() };
    const specs: ViewSpec[] = [
      ...(['none', 'press'] as const).flatMap((split): ViewSpec[] => [
        { ...base, chart: 'xbar_r', y: [{ field: 'CycleTime', agg: 'avg' }], split, quality: { subgroupSize: 5 } },
        { ...base, chart: 'imr', y: [{ field: 'CycleTime', agg: 'avg' }], split },
        { ...base, chart: 'p_chart', y: [{ field: 'reject', agg: 'reject_rate' }], split, quality: { subgroupBy: 'parts', subgroupSize: 25 } },
      ]),
      { ...base, chart: 'xbar_r', y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', quality: { subgroupSize: 4, ...baseline } },
      { ...base, chart: 'p_chart', y: [{ field: 'flash_reject', agg: 'reject_rate' }], split: 'none', quality: { subgroupBy: 'parts', subgroupSize: 10, ...baseline } },
    ];
    for (const spec of specs) {
      const names = new Set<string>();
      for (const filters of PRESS_FILTERS) {
        names.add(await sameFromCube(pack, filledCubes, { ...spec, filters }, `${spec.chart} ${JSON.stringify(spec.quality ?? {})} × ${spec.split} × ${JSON.stringify(filters)}`));
      }
      assert.equal(names.size, 1, `${spec.chart}: one cube for every press`);
      // Which parts are consecutive changes with the verdict kept: those subgroups cannot come from the cube.
      assert.equal(qualityCubeQuery({ ...spec, filters: { reject: true } }, metadata.columns, UTC_ZONE), null);
    }
  });

  it('Capability answers every press filter from a cube per press exactly as from the dataset, and a verdict filter from the dataset', async () => {
    const names = new Set<string>();
    for (const quality of [{ lsl: 22, usl: 27 }, { usl: 26 }, {}]) {
      const spec: ViewSpec = { ...base, chart: 'capability', y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', quality };
      for (const filters of PRESS_FILTERS) {
        const filtered = { ...spec, filters: { ...filters, from: new Date(parts[0]!.ms + 3_600_000).toISOString() } };
        names.add(await sameFromCube(pack, filledCubes, filtered, `capability ${JSON.stringify(quality)} × ${JSON.stringify(filters)}`));
      }
      // Which parts are consecutive changes with the verdict kept: the moving range cannot come from the cube.
      assert.equal(qualityCubeQuery({ ...spec, filters: { reject: false } }, metadata.columns, UTC_ZONE), null);
    }
    assert.equal(names.size, 1, 'one cube whatever the presses and spec limits');
  });

  it('Capability: count, mean, σ overall, σ within from the moving range, parts beyond the limits, bins', async () => {
    const spec: ViewSpec = { ...base, chart: 'capability', y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', quality: { lsl: 22, usl: 27 } };
    const outcome = qualityOutcome(spec, await run(spec), UTC_ZONE);
    const values = parts.filter((p) => p.cycle !== null);
    const cycles = values.map((p) => p.cycle!);
    const mrs = ['molding-machine-1', 'molding-machine-2', 'molding-machine-3'].flatMap((press) => {
      const own = pressParts(press).map((p) => p.cycle!);
      return own.slice(1).map((v, i) => Math.abs(v - own[i]!));
    });
    const sigmaWithin = mean(mrs) / D2_OF_2;
    const outside = cycles.filter((v) => v < 22 || v > 27).length;
    assert.equal(outcome.table.rows.reduce((sum, r) => sum + (r[2] as number), 0), cycles.length);
    const cpk = Math.min(27 - mean(cycles), mean(cycles) - 22) / (3 * sigmaWithin);
    assert.match(outcome.notes[1]!.text, new RegExp(`^Cpk ${String(Number(cpk.toPrecision(6))).replace('.', '\\.')}`));
    const pp = 5 / (6 * Math.sqrt(variance(cycles)));
    assert.ok(outcome.notes[2]!.text.includes(`Pp ${Number(pp.toPrecision(6))}`), outcome.notes[2]!.text);
    assert.ok(outcome.notes[3]!.text.includes(`observed ${Number(((outside / cycles.length) * 1e6).toPrecision(6))} ppm`), outcome.notes[3]!.text);
    const binParts = await partsOf(outcome.scopes[0]!);
    assert.equal(binParts.count, outcome.table.rows[0]![2]);
  });

  it('Near misses: accepted parts within 10 % of each threshold, their parts, and percentiles of the ratio from its classes', async () => {
    const spec: ViewSpec = { ...base, chart: 'near_miss', y: [{ field: null, agg: 'count' }], split: 'none' };
    const outcome = qualityOutcome(spec, await run(spec), UTC_ZONE);
    const rowOf = (table: { rows: unknown[][] }, defect: string, verdict: string) => table.rows.find((r) => r[0] === defect && r[1] === verdict)!;
    const filteredOutcome = qualityOutcome(spec, await run({ ...spec, filters: { presses: ['molding-machine-2'] } }), UTC_ZONE);
    for (const defect of ['flash', 'short', 'void']) {
      const expected = parts.filter((p) => !p.reject && p.ratios.get(defect)! >= 0.9 && p.ratios.get(defect)! <= 1).length;
      assert.equal(rowOf(outcome.table, defect, 'accepted')[8], expected, defect);
      const scope = outcome.scopes.find((s) => s.kind === 'near_miss' && s.defect === defect)!;
      assert.equal((await partsOf(scope)).count, expected, `${defect} parts`);
      // With a filter too: its values are bound once per defect type's scan.
      assert.equal(rowOf(filteredOutcome.table, defect, 'accepted')[8],
        parts.filter((p) => p.press === 'molding-machine-2' && !p.reject && p.ratios.get(defect)! >= 0.9 && p.ratios.get(defect)! <= 1).length, `${defect} on press 2`);
      for (const rejected of [false, true]) {
        const ratios = parts.filter((p) => p.reject === rejected).map((p) => p.ratios.get(defect)!).filter(Number.isFinite).sort((a, b) => a - b);
        const row = rowOf(outcome.table, defect, rejected ? 'rejected' : 'accepted');
        assert.equal(row[2], ratios.length, `${defect} ${rejected ? 'rejected' : 'accepted'} parts`);
        // The median by the textbook formula for grouped data over classes 1/128 wide, counted here from the JSON.
        const width = 1 / 128;
        const half = ratios.length / 2;
        const classOf = (r: number) => Math.floor(r / width);
        const medianClass = classOf(ratios[Math.ceil(half) - 1]!); // the class of the (N/2)-th ratio
        const below = ratios.filter((r) => classOf(r) < medianClass).length;
        const inClass = ratios.filter((r) => classOf(r) === medianClass).length;
        const median = (medianClass + (half - below) / inClass) * width;
        assert.ok(Math.abs((row[5] as number) - median) < 1e-9, `${defect} median ratio ${row[5]} vs ${median}`);
      }
    }
  });

  it('Near misses answer every press and verdict filter from a cube exactly as from the dataset', async () => {
    const spec: ViewSpec = { ...base, chart: 'near_miss', y: [{ field: null, agg: 'count' }], split: 'none' };
    const names = new Set<string>();
    for (const filters of [...PRESS_FILTERS, { reject: true }, { reject: false, presses: ['molding-machine-2'] }]) {
      const filtered = { ...spec, filters: { ...filters, from: new Date(parts[0]!.ms + 3_600_000).toISOString() } };
      names.add(await sameFromCube(pack, filledCubes, filtered, `near misses × ${JSON.stringify(filters)}`));
    }
    assert.equal(names.size, 1, 'one cube for every press and verdict');
  });

  it('Compare rejected vs accepted: means and variances per verdict give the standardized mean difference', async () => {
    const query = compareStatsSql({}, ['CycleTime']);
    const table = await runQuery(db.connection, query.sql, query.params);
    const rejected = parts.filter((p) => p.reject && p.cycle !== null).map((p) => p.cycle!);
    const accepted = parts.filter((p) => !p.reject && p.cycle !== null).map((p) => p.cycle!);
    close(numberColumn(table, 'r_mean_0')[0], mean(rejected), 'rejected mean');
    close(numberColumn(table, 'a_var_0')[0], variance(accepted), 'accepted variance', 1e-6);
  });
});

describe('control charts with more subgroups than they show', () => {
  let pack: IngestedPack;
  let parts: Part[];

  before(async () => {
    // Two presses of more parts each than a chart shows, so each press's newest are cut as well as all.
    const records = [...generateRecords({ records: 2 * MAX_SUBGROUPS_SHOWN + 1000, seed: 23, days: 3, nullRate: 0.01, machines: 2 })];
    parts = records.map(toPart).sort((a, b) => a.ms - b.ms);
    pack = await openIngestedPack(records);
  });
  after(async () => {
    await pack?.close();
  });

  it('I-MR per press: the newest subgroups in time order, their total, and limits from every subgroup', async () => {
    const spec: ViewSpec = { ...base, chart: 'imr', y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press' };
    // All presses (each shows about half), then one press (more parts than shown).
    for (const presses of [undefined, ['molding-machine-1']]) {
      const query = qualityQuery({ ...spec, filters: { presses } }, pack.metadata.columns, UTC_ZONE);
      const model = controlChartModel(spec, await runQuery(pack.connection, query.sql, query.params), UTC_ZONE);
      const measured = parts.filter((p) => p.cycle !== null && (!presses || presses.includes(p.press)));
      assert.equal(model.total, measured.length);
      const newest = [...measured].sort((a, b) => b.ms - a.ms || b.press.localeCompare(a.press)).slice(0, MAX_SUBGROUPS_SHOWN)
        .sort((a, b) => a.ms - b.ms || a.press.localeCompare(b.press));
      assert.equal(model.points.length, MAX_SUBGROUPS_SHOWN);
      assert.deepEqual(model.points.map((p) => [p.press, p.value]), newest.map((p) => [p.press, p.cycle]));
      // The limits of each press come from all its parts, shown or not.
      for (const press of new Set(measured.map((p) => p.press))) {
        const own = measured.filter((p) => p.press === press).map((p) => p.cycle!);
        const point = model.points.find((p) => p.press === press)!;
        close(point.limits!.center, mean(own), `${press} center`);
        close(point.spreadLimits!.center, mean(own.slice(1).map((v, i) => Math.abs(v - own[i]!))), `${press} MR̄`);
      }
    }
    // From a cube per press: each press keeps its newest subgroups, among which are the newest of any presses.
    const filled = new Set<string>();
    for (const filters of PRESS_FILTERS) await sameFromCube(pack, filled, { ...spec, filters }, `cube × ${JSON.stringify(filters)}`);
  });
});

describe('near misses of severities far beyond their thresholds', () => {
  it('counts ratios beyond 0 … 8 at its ends and says so, instead of failing to class them', async () => {
    const records = [...generateRecords({ records: 200, seed: 23, days: 1 })];
    const severityOf = (r: InspectionRecord, defect: string) =>
      ((r['object_detection'] as Record<string, { pixel_severity: { value: number } }>)[`${defect}_defect`]!).pixel_severity;
    // 1e12 and 1e300 overflowed the INTEGER class (a DuckDB conversion error reached the view); -3 lies below 0.
    severityOf(records[0]!, 'flash').value = 1e12;
    severityOf(records[1]!, 'flash').value = 1e300;
    severityOf(records[2]!, 'short').value = -3;
    const pack = await openIngestedPack(records);
    try {
      const spec: ViewSpec = { ...base, chart: 'near_miss', y: [{ field: null, agg: 'count' }], split: 'none' };
      const query = qualityQuery(spec, pack.metadata.columns, UTC_ZONE);
      const outcome = qualityOutcome(spec, await runQuery(pack.connection, query.sql, query.params), UTC_ZONE);
      const partsOf = (defect: string) => outcome.table.rows.filter((r) => r[0] === defect).reduce((sum, r) => sum + (r[2] as number), 0);
      assert.equal(partsOf('flash'), 200);
      assert.equal(partsOf('short'), 200);
      assert.ok(outcome.notes.some((note) => note.text.startsWith('3 part–defect pairs with a ratio below 0 or above 8')),
        JSON.stringify(outcome.notes));
      const verdict = (records[0]!['object_detection'] as { reject: boolean }).reject ? 'rejected' : 'accepted';
      const flashRow = outcome.table.rows.find((r) => r[0] === 'flash' && r[1] === verdict);
      assert.ok(flashRow && (flashRow.slice(3, 8) as number[]).every((q) => q >= 0 && q <= 8 + 1 / 128), JSON.stringify(flashRow));
      const cubed = qualityCubeQuery(spec, pack.metadata.columns, UTC_ZONE)!;
      await runQuery(pack.connection, `CREATE TEMP TABLE ${cubed.cube!.name} AS ${cubed.cube!.sql}`, cubed.cube!.params);
      assert.equal((await runQuery(pack.connection, cubed.sql, cubed.params)).numRows, (await runQuery(pack.connection, query.sql, query.params)).numRows);
    } finally {
      await pack.close();
    }
  });
});
