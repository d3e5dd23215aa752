import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ColumnDiscovery } from './column-discovery.js';

const severity = (value: number) => ({ value, reject: value > 0.5, min_value: 0, max_value: 1, threshold: 0.5 });
const record = (extra: Record<string, unknown> = {}, state: Record<string, unknown> = { CycleTime: 24.5 }) => ({
  version: '1.0', timestamp: 1758341593.5, molding_machine_id: 'molding-machine-1',
  object_detection: { reject: true, flash_defect: { reject: true, pixel_severity: severity(0.7) }, label_detection: {} },
  'molding-machine-state': state, ...extra,
});

function discover(records: unknown[]) {
  const discovery = new ColumnDiscovery();
  for (const r of records) discovery.add(r);
  return discovery.finish();
}

describe('ColumnDiscovery', () => {
  it('flattens to readable names, grouped, record fields first', () => {
    const schema = discover([record()]);
    assert.deepEqual(schema.columns.map((c) => [c.name, c.type, c.group]), [
      ['timestamp', 'TIMESTAMP', 'record'], ['molding_machine_id', 'VARCHAR', 'record'], ['version', 'VARCHAR', 'record'],
      ['reject', 'BOOLEAN', 'record'], ['CycleTime', 'DOUBLE', 'machine_state'],
      ['flash_reject', 'BOOLEAN', 'defect'], ['flash_severity', 'DOUBLE', 'defect'], ['flash_severity_reject', 'BOOLEAN', 'defect'],
      ['flash_severity_min', 'BIGINT', 'defect'], ['flash_severity_max', 'BIGINT', 'defect'], ['flash_threshold', 'DOUBLE', 'defect'],
    ]);
    const severityColumn = schema.columns.find((c) => c.name === 'flash_severity')!;
    assert.equal(severityColumn.defectType, 'flash');
    assert.equal(severityColumn.measure, 'severity');
    assert.equal(schema.needsFlattening, false);
  });

  it('types a key from every value: whole numbers early and a fraction late make DOUBLE', () => {
    const records = Array.from({ length: 1000 }, () => record({}, { ShotCount: 25000 }));
    records.push(record({}, { ShotCount: 25000.5 }));
    assert.equal(discover(records).columns.find((c) => c.name === 'ShotCount')!.type, 'DOUBLE');
    assert.equal(discover(records.slice(0, 1000)).columns.find((c) => c.name === 'ShotCount')!.type, 'BIGINT');
  });

  it('gives columns to keys and defect types that appear only at the end', () => {
    const late = record({ line: 'L7' }, { CycleTime: 24, NewSensor: 3.5 });
    (late.object_detection as Record<string, unknown>)['label_detection'] = { reject: false, pixel_severity: severity(0.1) };
    const names = discover([...Array.from({ length: 50 }, () => record()), late]).columns.map((c) => c.name);
    for (const name of ['NewSensor', 'line', 'label_detection_reject', 'label_detection_severity']) assert.ok(names.includes(name), name);
  });

  it('counts wrong types per column and skips records that are not objects', () => {
    const schema = discover([record(), record({}, { CycleTime: 'fast' }), record({}, { CycleTime: null }), 7, 'x', record({ timestamp: 'noon' })]);
    assert.deepEqual(schema.warnings, {
      skippedRecords: 2, wrongTypes: { timestamp: 1, CycleTime: 1 }, missingTimestamps: 1, timestampEncodings: { epoch_seconds: 3 },
    });
    assert.equal(schema.columns.find((c) => c.name === 'CycleTime')!.type, 'DOUBLE');
    assert.equal(schema.needsFlattening, true);
  });

  it('treats a scalar where an object usually is as a wrong value, not a column', () => {
    const schema = discover([record(), record(), record({ object_detection: 'broken' })]);
    assert.equal(schema.columns.some((c) => c.name === 'object_detection'), false);
    assert.deepEqual(schema.warnings.wrongTypes, { object_detection: 1 });
    assert.equal(schema.needsFlattening, true);
  });

  // Before, the warning named the key with no name as "" (a column of an empty key is named `unnamed`).
  it('names an empty key\'s odd scalar `unnamed` in the warnings, as a column of an empty key is named', () => {
    const schema = discover([{ id: 1, '': { a: 1 } }, { id: 2, '': { a: 2 } }, { id: 3, '': 7 }]);
    assert.deepEqual(schema.warnings.wrongTypes, { unnamed: 1 });
    assert.deepEqual(schema.columns.map((c) => c.name), ['id', '_a']);
  });

  it('reads timestamps by the timestamp rule: reports the encodings, knows the order across them', () => {
    const seconds = 1758341593.5;
    const inOrder = [seconds, `${(seconds + 1) * 1000}`, (seconds + 2) * 1e6, '2025-09-20T04:13:16.5Z', '2025-09-20T06:13:17.5+02:00'];
    const schema = discover(inOrder.map((timestamp) => record({ timestamp })));
    assert.equal(schema.columns[0]!.type, 'TIMESTAMP');
    assert.deepEqual(schema.warnings.timestampEncodings, { epoch_seconds: 1, epoch_milliseconds: 1, epoch_microseconds: 1, iso_8601: 2 });
    assert.equal(schema.warnings.missingTimestamps, 0);
    assert.equal(schema.sortedByTime, true);
    assert.deepEqual(schema.timestamps.strings, true);
    assert.equal(discover([...inOrder].reverse().map((timestamp) => record({ timestamp }))).sortedByTime, false);
    const numbersOnly = discover([record({ timestamp: seconds * 1000 })]);
    assert.deepEqual(numbersOnly.warnings.timestampEncodings, { epoch_milliseconds: 1 });
    assert.equal(numbersOnly.timestamps.strings, false);
  });

  it('counts an object as a wrong value even when it came before the first scalar at its path', () => {
    const schema = discover([record({ line: {} }), record({ line: 'L1' }), record({ line: 'L2' })]);
    assert.equal(schema.columns.find((c) => c.name === 'line')!.type, 'VARCHAR');
    assert.equal(schema.warnings.wrongTypes['line'], 1);
  });

  it('counts every value at its own key when records order their keys differently', () => {
    const schema = discover([
      record({}, { A: 1, B: 'x', C: true }), record({}, { B: 'y', A: 2 }), record({}, { C: false, D: 2.5, A: 3 }),
      record({}, { A: 4, B: 'z', C: true }), record({}, { B: 7, C: 'no' }),
    ]);
    const state = schema.columns.filter((c) => c.group === 'machine_state').map((c) => [c.name, c.type]);
    assert.deepEqual(state, [['A', 'BIGINT'], ['B', 'VARCHAR'], ['C', 'BOOLEAN'], ['D', 'DOUBLE']]);
    assert.deepEqual(schema.warnings.wrongTypes, { B: 1, C: 1 });
  });

  it('keeps names unique when keys differ only in case', () => {
    const schema = discover([record({}, { CycleTime: 1.5, cycletime: 2.5 })]);
    assert.deepEqual(schema.columns.filter((c) => c.group === 'machine_state').map((c) => c.name), ['CycleTime', 'cycletime_2']);
    assert.equal(schema.needsFlattening, true);
  });
});
