import type { ColumnInfo } from '../columns.js';

/** A small schema shaped like the real one, for spec and SQL tests. */
export const SAMPLE_COLUMNS: ColumnInfo[] = [
  { name: 'timestamp', type: 'TIMESTAMP', group: 'record' },
  { name: 'molding_machine_id', type: 'VARCHAR', group: 'record' },
  { name: 'version', type: 'VARCHAR', group: 'record' },
  { name: 'reject', type: 'BOOLEAN', group: 'record' },
  { name: 'CycleTime', type: 'DOUBLE', group: 'machine_state' },
  { name: 'ShotCount', type: 'BIGINT', group: 'machine_state' },
  { name: 'AlarmLED', type: 'BOOLEAN', group: 'machine_state' },
  { name: 'we"ird; DROP TABLE x;--', type: 'DOUBLE', group: 'machine_state' },
  { name: 'flash_reject', type: 'BOOLEAN', group: 'defect', defectType: 'flash', measure: 'reject' },
  { name: 'flash_severity', type: 'DOUBLE', group: 'defect', defectType: 'flash', measure: 'severity' },
  { name: 'short_reject', type: 'BOOLEAN', group: 'defect', defectType: 'short', measure: 'reject' },
  { name: 'short_severity', type: 'DOUBLE', group: 'defect', defectType: 'short', measure: 'severity' },
];

export const SAMPLE_RANGE = { min: '2025-09-20T04:00:00.000Z', max: '2025-10-20T04:00:00.000Z' };
