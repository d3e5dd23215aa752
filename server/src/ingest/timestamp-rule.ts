// The one rule for what a timestamp may be and which instant it stands for. Column discovery applies
// it in JavaScript (to count what is unusable, report the encodings and know whether the file is in
// time order); DuckDB applies the same rule, rendered to SQL here from the same table and pattern, to
// convert. A JSON number or numeric string is epoch time in the unit its magnitude says; an ISO 8601
// string is read with its zone (`Z`, `+02:00`, `+0200`, `+02`) or, without one, as UTC.
import type { TimestampEncoding } from '../../../pipeline/dataset-metadata.js';
import { quoteLiteral } from '../../../pipeline/filter-sql.js';

type EpochEncoding = Exclude<TimestampEncoding, 'iso_8601'>;

interface EpochUnit {
  encoding: EpochEncoding;
  /** Magnitudes below this are in this unit: 1e11 s, ms or µs all land in the year 5138. */
  below: number;
  microsPerUnit: number;
}

const EPOCH_UNITS: readonly EpochUnit[] = [
  { encoding: 'epoch_seconds', below: 1e11, microsPerUnit: 1e6 },
  { encoding: 'epoch_milliseconds', below: 1e14, microsPerUnit: 1e3 },
  { encoding: 'epoch_microseconds', below: 1e17, microsPerUnit: 1 },
  { encoding: 'epoch_nanoseconds', below: Infinity, microsPerUnit: 1e-3 },
];

/** Years 0001 to 9999, the instants an ISO 8601 date can name; anything outside is not a timestamp. */
const MIN_MICROS = -62135596800000000;
const MAX_MICROS = 253402300799999999;

const NUMERIC_PATTERN = String.raw`^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$`;
/**
 * Strict on ranges so that DuckDB's parser (lenient about offsets such as +99) and this one agree;
 * what remains for both to check is the day of the month.
 */
const ISO_8601_PATTERN = String.raw`^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])` +
  String.raw`(?:[T ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?(Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?$`;

const NUMERIC = new RegExp(NUMERIC_PATTERN);
const ISO_8601 = new RegExp(ISO_8601_PATTERN);

export interface ReadTimestamp {
  encoding: TimestampEncoding;
  /** Microseconds since 1970-01-01T00:00:00Z. */
  micros: number;
}

/** DuckDB's round(): half away from zero, so both sides land on the same microsecond. */
const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

const inRange = (micros: number) => micros >= MIN_MICROS && micros <= MAX_MICROS;

function fromEpoch(value: number): ReadTimestamp | null {
  if (!Number.isFinite(value)) return null;
  const magnitude = Math.abs(value);
  const unit = EPOCH_UNITS.find((u) => magnitude < u.below)!;
  const micros = roundHalfAway(value * unit.microsPerUnit);
  return inRange(micros) ? { encoding: unit.encoding, micros } : null;
}

function fromIso(match: RegExpExecArray): ReadTimestamp | null {
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = ''] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCDate() !== Number(day)) return null; // 30 February and the like
  const offsetMinutes = zone === '' || zone === 'Z' ? 0
    : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + (zone.length > 3 ? Number(zone.slice(-2)) : 0));
  const seconds = ((Number(hour) * 60 + Number(minute) - offsetMinutes) * 60) + Number(second);
  // Digits past the microsecond are dropped, as DuckDB does.
  const micros = date.getTime() * 1000 + seconds * 1e6 + Number(fraction.slice(0, 6).padEnd(6, '0'));
  return inRange(micros) ? { encoding: 'iso_8601', micros } : null;
}

/** The instant a JSON value stands for, or null when it is not a timestamp. */
export function readTimestamp(value: unknown): ReadTimestamp | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  if (NUMERIC.test(value)) return fromEpoch(Number(value));
  const match = ISO_8601.exec(value);
  return match ? fromIso(match) : null;
}

/** What a file's timestamps turned out to be, which decides how DuckDB reads and converts them. */
export interface TimestampPlan {
  encodings: Partial<Record<TimestampEncoding, number>>;
  /** Some timestamps are strings: DuckDB must read the raw JSON value, not a DOUBLE. */
  strings: boolean;
}

/** How DuckDB should read the timestamp field itself, before timestampSql converts it. */
export const timestampStorageType = (plan: TimestampPlan, hasWrongValues: boolean): 'JSON' | 'DOUBLE' =>
  plan.strings || hasWrongValues ? 'JSON' : 'DOUBLE';

function microsToTimestampSql(micros: string): string {
  return `CASE WHEN ${micros} BETWEEN ${MIN_MICROS} AND ${MAX_MICROS} THEN make_timestamp(CAST(${micros} AS BIGINT)) END`;
}

/**
 * Epoch number → TIMESTAMP through the magnitude table. A file in one unit takes the same single
 * branch for every value; the table still guards values of another magnitude the way JavaScript does.
 */
function epochSql(number: string): string {
  const factor = `CASE ${EPOCH_UNITS.slice(0, -1).map((u) => `WHEN abs(${number}) < ${u.below} THEN ${u.microsPerUnit}::DOUBLE`).join(' ')} ` +
    `ELSE ${EPOCH_UNITS.at(-1)!.microsPerUnit}::DOUBLE END`;
  return microsToTimestampSql(`round(${number} * ${factor})`);
}

/**
 * SQL turning the timestamp field (typed as timestampStorageType says) into a TIMESTAMP, NULL for
 * exactly the values readTimestamp rejects. The connection's TimeZone must be UTC (zone-less strings).
 */
export function timestampSql(field: string, storage: 'JSON' | 'DOUBLE'): string {
  if (storage === 'DOUBLE') return epochSql(field);
  const text = `(${field} ->> '$')`;
  const fromString = `CASE WHEN regexp_full_match(${text}, ${quoteLiteral(NUMERIC_PATTERN)}) THEN ${epochSql(`TRY_CAST(${text} AS DOUBLE)`)}
      WHEN regexp_full_match(${text}, ${quoteLiteral(ISO_8601_PATTERN)}) THEN ${microsToTimestampSql(`epoch_us(TRY_CAST(${text} AS TIMESTAMPTZ))`)} END`;
  return `CASE WHEN json_type(${field}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN ${epochSql(`${field}::DOUBLE`)}
    WHEN json_type(${field}) = 'VARCHAR' THEN ${fromString} END`;
}
