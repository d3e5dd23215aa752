// Every chart type × x kind × split, built from a spec with a dashboard filter on top, run on real
// DuckDB over a pack made by the server's own ingest, and checked against figures computed here from
// the generated JSON. Time buckets are in New York time across the end of daylight saving time.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DatasetStore } from '../server/src/dataset/dataset-store.js';
import { generateRecords, writeDataset, type InspectionRecord } from '../server/src/generator/generate-dataset.js';
import { ingestDataset } from '../server/src/ingest/ingest-dataset.js';
import { routes, startFakeDatasetHost } from '../server/src/testing/fake-dataset-host.js';
import { applyDashboardFilter } from './dashboard-filter.js';
import type { DatasetMetadata } from './dataset-metadata.js';
import { quoteLiteral } from './filter-sql.js';
import { resultCut, resultToOption, type ResultTable } from './result-to-option.js';
import { SCATTER_SAMPLE, specToCubeSql, specToSql, type ViewQuery } from './spec-to-sql.js';
import { openDuckDb, runPrepared, runQuery } from './testing/duckdb-result.js';
import { zoneSpans } from './time-zone.js';
import { aggregationsFor, checkSpecAgainstSchema, CHART_TYPES, SPLITS, type ChartType, type Split, type ViewFilters, type ViewSpec, type XAxis } from './view-spec.js';

const ZONE = 'America/New_York';
const PRESSES = ['molding-machine-1', 'molding-machine-2'];

interface Part {
  ms: number;
  press: string;
  reject: boolean;
  version: string;
  cycle: number | null;
  alarm: boolean | null;
  defects: string[];
}

function toPart(r: InspectionRecord): Part {
  const state = r['molding-machine-state'] as Record<string, unknown>;
  const detection = r['object_detection'] as Record<string, { reject?: boolean } | boolean>;
  return {
    ms: Math.round((r['timestamp'] as number) * 1e6) / 1e3,
    press: r['molding_machine_id'] as string,
    reject: detection['reject'] as boolean,
    version: r['version'] as string,
    cycle: state['CycleTime'] as number | null,
    alarm: state['AlarmLED'] as boolean | null,
    defects: Object.entries(detection).filter(([, v]) => typeof v === 'object' && v.reject === true).map(([k]) => k.replace(/_defect$/, '')),
  };
}

/** The New York calendar day of an instant, as that day's midnight in wall-clock milliseconds. */
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const wallDay = (ms: number) => Date.parse(`${dayFormat.format(new Date(ms))}T00:00:00Z`);

/** A nice bin width, worked out here the way a person would: the first of 1, 2, 2.5, 5, 10 × 10ⁿ that fits. */
function niceWidth(lo: number, hi: number, bins: number): number {
  const raw = hi > lo ? (hi - lo) / bins : 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return magnitude * [1, 2, 2.5, 5, 10].find((m) => raw / magnitude <= m)!;
}

const key = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : String(v));

describe('view SQL on real DuckDB', () => {
  let work: string;
  let metadata: DatasetMetadata;
  let parts: Part[];
  let db: { connection: DuckDBConnection; close: () => void };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'moldlens-views-'));
    const records = [...generateRecords({ records: 1500, seed: 21, machines: 3, start: '2025-10-30T00:00:00Z', days: 6, nullRate: 0.02 })];
    parts = records.map(toPart);
    await writeDataset(join(work, 'data.json'), records);
    const host = await startFakeDatasetHost({ '/data.json': routes.file(join(work, 'data.json')) });
    try {
      const store = new DatasetStore(join(work, 'data'));
      await store.open();
      metadata = await ingestDataset(store, {
        maxDownloadBytes: 1e9, downloadTimeoutMs: 10_000, userAgent: 'test', duckdbMemoryLimit: '256MB', duckdbThreads: 1,
      }, { url: host.url('/data.json'), allowPrivateNetwork: true });
      db = await openDuckDb();
      await db.connection.run(`ATTACH ${quoteLiteral(store.filePath(metadata.packFile)!)} AS pack (READ_ONLY)`);
    } finally {
      await host.close();
    }
  });

  after(async () => {
    db?.close();
    await rm(work, { recursive: true, force: true });
  });

  const run = async (spec: ViewSpec): Promise<{ table: ResultTable; query: ReturnType<typeof specToSql> }> => {
    const merged = applyDashboardFilter(spec, { presses: PRESSES }, { dataEnd: metadata.timeRange.max });
    const zone = zoneSpans(ZONE, Date.parse(metadata.timeRange.min!), Date.parse(metadata.timeRange.max!));
    const query = specToSql(merged, { columns: metadata.columns, timeRange: metadata.timeRange, zone });
    return { table: await runQuery(db.connection, query.sql, query.params), query };
  };

  const xKinds: XAxis[] = [{ kind: 'time', bucket: 'day' }, { kind: 'field', field: 'CycleTime' }, { kind: 'field', field: 'AlarmLED' }, { kind: 'defect_type' }];
  const bins = () => {
    const values = parts.filter((p) => PRESSES.includes(p.press) && p.cycle !== null).map((p) => p.cycle!);
    const lo = Math.min(...values);
    const w = niceWidth(lo, Math.max(...values), 30);
    return { w, start: (v: number) => Math.floor(v / w) * w, lo, hi: Math.max(...values) };
  };

  /** Rows of the independent computation: one per part, or per (part, defect rejected) with the defect dimension. */
  function expectedRows(x: XAxis, split: Split): { x: unknown; series: string | null; part: Part }[] {
    const defectMode = x.kind === 'defect_type' || split === 'defect_type';
    const { start } = bins();
    return parts.filter((p) => PRESSES.includes(p.press)).flatMap((part) => (defectMode ? part.defects : [null]).map((defect) => {
      const xValue = x.kind === 'time' ? wallDay(part.ms) : x.kind === 'defect_type' ? defect
        : x.field === 'CycleTime' ? (part.cycle === null ? null : start(part.cycle)) : part.alarm === null ? null : String(part.alarm);
      const series = split === 'none' ? null : split === 'press' ? part.press : split === 'reject' ? String(part.reject)
        : split === 'version' ? part.version : defect;
      return { x: xValue, series, part };
    })).filter((r) => r.x !== null || (x.kind === 'field' && x.field === 'AlarmLED'));
  }

  const combinations = CHART_TYPES.filter((c): c is ChartType => ['line', 'bar', 'scatter', 'heatmap', 'histogram', 'boxplot'].includes(c))
    .flatMap((chart) => xKinds.flatMap((x) => SPLITS.map((split) => ({ chart, x, split }))));

  it('runs every chart type × x kind × split that the schema allows, with figures matching the JSON', async () => {
    let checked = 0;
    for (const { chart, x, split } of combinations) {
      const spec: ViewSpec = { title: '', chart, x, split, filters: {},
        y: chart === 'scatter' || chart === 'boxplot' ? [{ field: 'CycleTime', agg: 'avg' }] : [{ field: null, agg: 'count' }, { field: 'CycleTime', agg: 'avg' }] };
      try {
        checkSpecAgainstSchema(spec, metadata.columns);
      } catch {
        continue;
      }
      const what = `${chart} × ${x.kind}${x.kind === 'field' ? ` ${x.field}` : ''} × ${split}`;
      const { table, query } = await run(spec).catch((e: Error) => { throw new Error(`${what}: ${e.message.slice(0, 200)}`); });
      assert.doesNotThrow(() => resultToOption(spec, query, table), what);
      const column = (name: string) => Array.from({ length: table.numRows }, (_, i) => table.getChild(name)!.get(i));
      const rows = expectedRows(x, split);
      const groups = new Map<string, Part[]>();
      for (const r of rows) {
        const k = JSON.stringify([key(r.x ?? 'null'), r.series ?? '(none)']);
        groups.set(k, [...(groups.get(k) ?? []), r.part]);
      }
      const actualKey = (i: number) => JSON.stringify([key(column('x')[i] ?? 'null'), table.getChild('series') ? column('series')[i] : '(none)']);

      if (chart === 'scatter') {
        const eligible = rows.filter((r) => r.part.cycle !== null && r.x !== null).length;
        assert.strictEqual(Number(column('total')[0]), eligible, what);
        assert.strictEqual(table.numRows, Math.min(eligible, SCATTER_SAMPLE), what);
        assert.ok(column('x').every((v) => v !== null) && column('y0').every((v) => v !== null), what);
      } else if (chart === 'histogram') {
        const { w, lo, hi } = bins();
        const edges = [...new Set(column('x').map(Number))];
        assert.strictEqual(Number(column('w')[0]), w, what);
        assert.strictEqual(edges[0], Math.floor(lo / w) * w, what);
        assert.ok(edges.at(-1)! <= hi && edges.at(-1)! + w > hi, what);
        edges.forEach((e, i) => i && assert.ok(Math.abs(e - edges[i - 1]! - w) < 1e-9, `${what}: bins are contiguous`));
        const counted = column('y0').reduce((sum: number, c) => sum + Number(c), 0);
        assert.strictEqual(counted, rows.filter((r) => r.x !== null).length, what);
        for (let i = 0; i < table.numRows; i++) assert.strictEqual(Number(column('y0')[i]), groups.get(actualKey(i))?.length ?? 0, `${what} ${actualKey(i)}`);
      } else if (chart === 'boxplot') {
        assert.strictEqual(table.numRows, [...groups.keys()].filter((k) => groups.get(k)!.some((p) => p.cycle !== null)).length, what);
        for (let i = 0; i < table.numRows; i++) {
          const cycles = groups.get(actualKey(i))!.map((p) => p.cycle).filter((c): c is number => c !== null);
          const q = column('q')[i] as number[];
          assert.deepStrictEqual([q[0], q[4]], [Math.min(...cycles), Math.max(...cycles)], `${what} ${actualKey(i)}`);
        }
      } else {
        assert.strictEqual(table.numRows, groups.size, what);
        for (let i = 0; i < table.numRows; i++) {
          const group = groups.get(actualKey(i));
          assert.ok(group, `${what}: unexpected group ${actualKey(i)}`);
          assert.strictEqual(Number(column('y0')[i]), group.length, `${what} count ${actualKey(i)}`);
          if (chart !== 'heatmap') {
            const cycles = group.map((p) => p.cycle).filter((c): c is number => c !== null);
            const mean = cycles.reduce((a, b) => a + b, 0) / cycles.length;
            assert.ok(Math.abs(Number(column('y1')[i]) - mean) < 1e-9, `${what} mean ${actualKey(i)}`);
          }
        }
      }
      if (x.kind === 'defect_type' && chart !== 'boxplot') {
        // Ranked by each defect type's total over all series: the order of the stacked bars' heights.
        const totals = new Map<string, number>();
        column('x').forEach((v, i) => totals.set(String(v), (totals.get(String(v)) ?? 0) + Number(column('y0')[i])));
        const ranked = [...totals.values()];
        assert.deepStrictEqual(ranked, [...ranked].sort((a, b) => b - a), `${what}: ranked by total`);
      }
      assert.strictEqual(resultCut(query, table), null, what);
      checked++;
    }
    assert.ok(checked >= 60, `only ${checked} combinations ran`);
  });

  it('runs every aggregation offered for every kind of field', async () => {
    const fields = ['CycleTime', 'ShotCount', 'AlarmLED', 'reject', 'version', 'molding_machine_id', null];
    for (const field of fields) {
      const column = field === null ? null : metadata.columns.find((c) => c.name === field)!;
      for (const agg of aggregationsFor(column)) {
        const spec: ViewSpec = { title: '', chart: 'bar', x: { kind: 'time', bucket: 'day' }, y: [{ field, agg }], split: 'press', filters: {} };
        const { table } = await run(spec);
        assert.ok(table.numRows > 0, `${agg} of ${field}`);
      }
    }
    assert.deepStrictEqual(aggregationsFor(metadata.columns.find((c) => c.name === 'AlarmLED')!), ['count', 'sum', 'share_true']);
  });

  it('aggregates each defect type over the parts rejected for it, whatever the measure', async () => {
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = (sorted.length - 1) / 2;
      return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
    };
    const byDefect = (split: Split, x: XAxis) => {
      const groups = new Map<string, Part[]>();
      for (const part of parts.filter((p) => PRESSES.includes(p.press))) {
        for (const defect of part.defects) {
          const k = x.kind === 'defect_type' ? JSON.stringify([defect, split === 'press' ? part.press : '(none)']) : JSON.stringify([wallDay(part.ms), defect]);
          groups.set(k, [...(groups.get(k) ?? []), part]);
        }
      }
      return groups;
    };
    const perPress: ViewSpec = { title: '', chart: 'bar', x: { kind: 'defect_type' }, split: 'press', filters: {},
      y: [{ field: 'defect_rejected', agg: 'sum' }, { field: 'reject', agg: 'reject_rate' }, { field: 'CycleTime', agg: 'max' }] };
    const perDay: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, split: 'defect_type', filters: {},
      y: [{ field: 'CycleTime', agg: 'median' }] };
    for (const spec of [perPress, perDay]) {
      const { table } = await run(spec);
      const expected = byDefect(spec.split, spec.x);
      assert.strictEqual(table.numRows, expected.size, spec.chart);
      const cell = (name: string, i: number) => table.getChild(name)!.get(i) as unknown;
      for (let i = 0; i < table.numRows; i++) {
        const k = JSON.stringify([cell('x', i), cell('series', i)]);
        const group = expected.get(k);
        assert.ok(group, `unexpected group ${k}`);
        const cycles = group.map((p) => p.cycle).filter((c): c is number => c !== null);
        if (spec === perPress) {
          assert.strictEqual(cell('y0', i), group.length, `parts rejected for ${k}`);
          assert.ok(Math.abs((cell('y1', i) as number) - 100 * group.filter((p) => p.reject).length / group.length) < 1e-9, `reject rate ${k}`);
          assert.strictEqual(cell('y2', i), cycles.length ? Math.max(...cycles) : null, `max cycle time ${k}`);
        } else {
          assert.ok(Math.abs((cell('y0', i) as number) - median(cycles)) < 1e-9, `median cycle time ${k}`);
        }
      }
    }
  });

  describe('pre-aggregated per press and verdict (cubes)', () => {
    const zone = () => zoneSpans(ZONE, Date.parse(metadata.timeRange.min!), Date.parse(metadata.timeRange.max!));
    const context = () => ({ columns: metadata.columns, timeRange: metadata.timeRange, zone: zone() });
    const built = new Set<string>();
    /** Runs a view from its cube, filling the cube first as the browser's worker does. */
    const runCubed = async (query: ViewQuery): Promise<ResultTable> => {
      if (!built.has(query.cube!.name)) {
        await runQuery(db.connection, `CREATE TEMP TABLE ${query.cube!.name} AS ${query.cube!.sql}`, query.cube!.params);
        built.add(query.cube!.name);
      }
      return runQuery(db.connection, query.sql, query.params);
    };
    const rowsOf = (table: ResultTable) => Array.from({ length: table.numRows }, (_, i) =>
      table.schema.fields.map((f) => table.getChild(f.name)!.get(i)));
    const close = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) : a === b);
    // Nine presses: more than a cube's read has slots for by default (cube.ts).
    const manyPresses = [...PRESSES, ...Array.from({ length: 7 }, (_, i) => `no-such-press-${i}`)];
    const filterSets: ViewFilters[] = [{}, { presses: [PRESSES[0]!] }, { presses: PRESSES }, { reject: true }, { presses: [PRESSES[1]!], reject: false },
      { presses: ['no-such-press'] }, { presses: [] }, { presses: manyPresses }];
    const measures = [{ field: null, agg: 'count' }, { field: 'CycleTime', agg: 'avg' }, { field: 'CycleTime', agg: 'stddev' }, { field: 'reject', agg: 'reject_rate' },
      { field: 'CycleTime', agg: 'min' }, { field: 'ShotCount', agg: 'max' }, { field: 'ShotCount', agg: 'sum' }, { field: 'AlarmLED', agg: 'share_true' }] as const;

    it('answers every press and verdict filter exactly as the dataset does, for every x kind × split and histograms', async () => {
      let compared = 0;
      for (const chart of ['line', 'bar'] as const) {
        for (const x of [{ kind: 'time', bucket: 'day' }, { kind: 'field', field: 'AlarmLED' }, { kind: 'defect_type' }] as XAxis[]) {
          for (const split of SPLITS) {
            const names = new Set<string>();
            for (const filters of filterSets) {
              // A time range from the dashboard stays inside the cube (a parameter of the statement that fills it).
              const spec: ViewSpec = { title: '', chart, x, split, y: [...measures], filters: { ...filters, from: '2025-10-31T00:00:00.000Z' } };
              try {
                checkSpecAgainstSchema(spec, metadata.columns);
              } catch {
                continue;
              }
              const what = `${chart} × ${x.kind} × ${split} × ${JSON.stringify(filters)}`;
              const cubed = specToCubeSql(spec, context());
              assert.ok(cubed?.cube, what);
              names.add(cubed.cube.name);
              const expected = rowsOf(await runQuery(db.connection, specToSql(spec, context()).sql, specToSql(spec, context()).params));
              const actual = rowsOf(await runCubed(cubed));
              assert.strictEqual(actual.length, expected.length, what);
              actual.forEach((row, i) => row.forEach((cell, j) => assert.ok(close(cell, expected[i]![j]), `${what} row ${i} column ${j}: ${String(cell)} vs ${String(expected[i]![j])}`)));
              compared++;
            }
            // One cube per view and time range, whatever the presses and verdict.
            assert.ok(names.size <= 1, `${chart} × ${x.kind} × ${split}: ${names.size} cubes`);
          }
        }
      }
      for (const split of SPLITS) {
        for (const filters of filterSets) {
          const spec: ViewSpec = { title: '', chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, y: [{ field: null, agg: 'count' }], split,
            filters: { ...filters, from: '2025-10-31T00:00:00.000Z' } };
          const what = `histogram × ${split} × ${JSON.stringify(filters)}`;
          const cubed = specToCubeSql(spec, context());
          if (split === 'defect_type') {
            assert.strictEqual(cubed, null, what);
            continue;
          }
          const raw = specToSql(spec, context());
          const expected = rowsOf(await runQuery(db.connection, raw.sql, raw.params));
          assert.deepStrictEqual(rowsOf(await runCubed(cubed!)), expected, what);
          compared++;
        }
      }
      assert.ok(compared >= 100, `only ${compared} filter sets compared`);
    });

    it('reads a cube with one prepared statement for no press filter and any choice of up to eight presses', async () => {
      const choices: (string[] | undefined)[] = [undefined, [PRESSES[0]!], PRESSES, [PRESSES[1]!, 'no-such-press'], manyPresses.slice(0, 8)];
      for (const spec of [
        { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, split: 'press', y: [...measures], filters: {} },
        { title: '', chart: 'bar', x: { kind: 'defect_type' }, split: 'press', y: [{ field: null, agg: 'count' }], filters: {} },
        { title: '', chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, split: 'none', y: [{ field: null, agg: 'count' }], filters: {} },
      ] as ViewSpec[]) {
        const first = specToCubeSql(spec, context())!;
        await runCubed(first);
        // Prepared once, as the browser's worker keeps it: a press filter change only binds other parameters.
        const statement = await db.connection.prepare(first.sql);
        for (const presses of choices) {
          const filtered: ViewSpec = { ...spec, filters: { presses } };
          const cubed = specToCubeSql(filtered, context())!;
          assert.strictEqual(cubed.sql, first.sql, `${spec.chart} × ${JSON.stringify(presses)}: the same statement`);
          const raw = specToSql(filtered, context());
          const expected = rowsOf(await runQuery(db.connection, raw.sql, raw.params));
          const actual = rowsOf(await runPrepared(statement, cubed.params));
          assert.ok(expected.length > 0 || presses?.every((p) => !PRESSES.includes(p)), `${spec.chart}: rows to compare`);
          assert.strictEqual(actual.length, expected.length, `${spec.chart} × ${JSON.stringify(presses)}`);
          actual.forEach((row, i) => row.forEach((cell, j) => assert.ok(close(cell, expected[i]![j]), `${spec.chart} × ${JSON.stringify(presses)} row ${i} column ${j}`)));
        }
      }
    });

    it('combines standard deviations per press and day that match the textbook formula on the JSON', async () => {
      const spec: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'day' }, split: 'press', y: [{ field: 'CycleTime', agg: 'stddev' }],
        filters: { presses: PRESSES, reject: false } };
      const table = await runCubed(specToCubeSql(spec, context())!);
      const groups = new Map<string, number[]>();
      for (const p of parts) {
        if (!PRESSES.includes(p.press) || p.reject || p.cycle === null) continue;
        const k = JSON.stringify([wallDay(p.ms), p.press]);
        groups.set(k, [...(groups.get(k) ?? []), p.cycle]);
      }
      assert.strictEqual(table.numRows, groups.size);
      for (let i = 0; i < table.numRows; i++) {
        const values = groups.get(JSON.stringify([table.getChild('x')!.get(i), table.getChild('series')!.get(i)]))!;
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : null;
        const actual = table.getChild('y0')!.get(i) as number | null;
        assert.ok(sd === null ? actual === null : Math.abs(actual! - sd) < 1e-9, `${String(actual)} vs ${String(sd)}`);
      }
    });

    it('is not offered where partial aggregates would not add up to the answer', () => {
      const base: ViewSpec = { title: '', chart: 'bar', x: { kind: 'time', bucket: 'day' }, split: 'press', y: [{ field: 'CycleTime', agg: 'median' }], filters: {} };
      assert.strictEqual(specToCubeSql(base, context()), null, 'median');
      assert.strictEqual(specToCubeSql({ ...base, y: [{ field: 'CycleTime', agg: 'p95' }] }, context()), null, 'p95');
      assert.strictEqual(specToCubeSql({ ...base, chart: 'scatter', x: { kind: 'field', field: 'CycleTime' }, y: [{ field: 'ShotCount', agg: 'avg' }] }, context()), null, 'scatter');
      assert.strictEqual(specToCubeSql({ ...base, chart: 'boxplot', y: [{ field: 'CycleTime', agg: 'avg' }] }, context()), null, 'box plot');
      assert.strictEqual(specToCubeSql({ ...base, x: { kind: 'field', field: 'CycleTime' }, y: [{ field: null, agg: 'count' }] }, context()), null, 'binned x');
      assert.ok(specToCubeSql({ ...base, y: [{ field: 'CycleTime', agg: 'stddev' }] }, context()), 'stddev');
      const week = specToCubeSql({ ...base, y: [{ field: null, agg: 'count' }], filters: { from: '2025-10-31T00:00:00.000Z' } }, context())!;
      const day = specToCubeSql({ ...base, y: [{ field: null, agg: 'count' }], filters: { from: '2025-11-01T00:00:00.000Z' } }, context())!;
      assert.notStrictEqual(week.cube!.name, day.cube!.name, 'another time range fills another cube');
      // An edit of the aggregation reads the cube the view had: it keeps every partial of the value.
      const names = (['count', 'sum', 'min', 'max', 'avg', 'stddev'] as const).map((agg) =>
        specToCubeSql({ ...base, y: [{ field: 'CycleTime', agg }] }, context())!.cube!.name);
      assert.deepStrictEqual(new Set(names).size, 1, 'one cube for every aggregation of a value');
    });
  });

  it('buckets shifts at 06:00, 14:00 and 22:00 New York time, across the change from summer time', async () => {
    const spec: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'shift' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} };
    const { table } = await run(spec);
    const starts = Array.from({ length: table.numRows }, (_, i) => new Date(Number(table.getChild('x')!.get(i))).toISOString().slice(11, 16));
    assert.deepStrictEqual([...new Set(starts)].sort(), ['06:00', '14:00', '22:00']);
    const hour = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: 'numeric', hourCycle: 'h23' });
    const expected = new Map<number, number>();
    for (const p of parts.filter((part) => PRESSES.includes(part.press))) {
      const h = Number(hour.format(new Date(p.ms)));
      const shiftStart = wallDay(p.ms) + (h >= 22 ? 22 : h >= 14 ? 14 : h >= 6 ? 6 : -2) * 3_600_000;
      expected.set(shiftStart, (expected.get(shiftStart) ?? 0) + 1);
    }
    for (let i = 0; i < table.numRows; i++) {
      assert.strictEqual(Number(table.getChild('y0')!.get(i)), expected.get(Number(table.getChild('x')!.get(i))));
    }
  });
});
