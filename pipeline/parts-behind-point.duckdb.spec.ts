// "Show parts" on a generic view: the parts behind a bar segment, a histogram bin and a defect bar,
// listed by the Parts panel's own SQL on DuckDB over an ingested pack, against counts from the JSON.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateRecords, type InspectionRecord } from '../server/src/generator/generate-dataset.js';
import { partsBehindPoint } from './parts-behind-point.js';
import { partsSql } from './quality/parts-sql.js';
import { numberColumn } from './result-columns.js';
import { runQuery } from './testing/duckdb-result.js';
import { openIngestedPack, type IngestedPack } from './testing/ingested-pack.js';
import { UTC_ZONE } from './time-zone.js';
import type { ViewFilters, ViewSpec } from './view-spec.js';

const HOUR = 3_600_000;

describe('parts behind a point of a generic view', () => {
  let pack: IngestedPack;
  let records: InspectionRecord[];
  const ms = (r: InspectionRecord) => Math.round((r['timestamp'] as number) * 1e6) / 1e3;
  const press = (r: InspectionRecord) => r['molding_machine_id'] as string;
  const cycle = (r: InspectionRecord) => (r['molding-machine-state'] as Record<string, number | null>)['CycleTime'] ?? null;
  const detection = (r: InspectionRecord) => r['object_detection'] as Record<string, unknown>;

  before(async () => {
    records = [...generateRecords({ records: 1500, seed: 23, days: 3 })];
    pack = await openIngestedPack(records);
  });
  after(async () => {
    await pack?.close();
  });

  const count = async (filters: ViewFilters | null) => {
    assert.ok(filters, 'the point names parts');
    const query = partsSql({ filters, scope: { kind: 'all' }, fields: [], sort: { field: 'timestamp', descending: false }, page: 0 },
      pack.metadata.columns);
    return numberColumn(await runQuery(pack.connection, query.countSql, query.countParams), 'parts')[0];
  };
  const base = { title: '', y: [{ field: null, agg: 'count' as const }], filters: {} };

  it('a stacked bar segment: that press in that hour', async () => {
    const spec: ViewSpec = { ...base, chart: 'bar', x: { kind: 'time', bucket: 'hour' }, split: 'press' };
    const first = records[40]!;
    const hour = Math.floor(ms(first) / HOUR) * HOUR;
    const filters = partsBehindPoint(spec, { bucket: 'hour', zone: UTC_ZONE }, { x: hour, series: press(first) }, pack.metadata.timeRange.max);
    const expected = records.filter((r) => press(r) === press(first) && ms(r) >= hour && ms(r) < hour + HOUR).length;
    assert.ok(expected > 0);
    assert.equal(await count(filters), expected);
  });

  it('a histogram bin: parts whose value lies in it, within the view’s own filters', async () => {
    const spec: ViewSpec = { ...base, chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, split: 'none', filters: { reject: false } };
    const filters = partsBehindPoint(spec, { zone: UTC_ZONE }, { x: 24, width: 1 }, pack.metadata.timeRange.max);
    const expected = records.filter((r) => detection(r)['reject'] === false && cycle(r) !== null && cycle(r)! >= 24 && cycle(r)! <= 25).length;
    assert.ok(expected > 0);
    assert.equal(await count(filters), expected);
  });

  it('a defect bar: the parts rejected for that defect', async () => {
    const spec: ViewSpec = { ...base, chart: 'bar', x: { kind: 'defect_type' }, split: 'none' };
    const defect = 'flash';
    const filters = partsBehindPoint(spec, { zone: UTC_ZONE }, { x: defect }, pack.metadata.timeRange.max);
    const expected = records.filter((r) => (detection(r)[`${defect}_defect`] as { reject?: boolean } | undefined)?.reject === true).length;
    assert.ok(expected > 0);
    assert.equal(await count(filters), expected);
  });

  it('names nothing for a point no filter can name', () => {
    const spec: ViewSpec = { ...base, chart: 'line', x: { kind: 'time', bucket: 'hour' }, split: 'version' };
    assert.equal(partsBehindPoint(spec, { bucket: undefined, zone: UTC_ZONE }, { series: '1.0' }, null), null);
  });
});
