// One time zone for everything a view shows. DuckDB-WASM has no ICU here (extensions do not autoload,
// and offline they could not be fetched), so the zone's UTC offsets over the data's range are worked
// out in TypeScript with Intl and handed to SQL as a CASE over the instants where the offset changes.
// Buckets, axes and tables then work in "wall-clock milliseconds": the zone's local time written as
// if it were UTC, so ECharts (with useUTC) and the table formatters show local time without converting.

export const UTC = 'UTC';

/** From `fromMs` (an instant, inclusive) until the next span, local time is UTC + `offsetMs`. */
export interface ZoneSpan {
  fromMs: number;
  offsetMs: number;
}

export interface TimeZone {
  /** IANA name (`Europe/Berlin`) or `UTC`. */
  name: string;
  /** Ascending; the first applies to everything before the second. */
  spans: ZoneSpan[];
}

export const UTC_ZONE: TimeZone = { name: UTC, spans: [{ fromMs: 0, offsetMs: 0 }] };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +7,200,000). */
export function offsetAt(zone: string, ms: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** Whether the runtime knows the zone (a setting or a link may name one it does not). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offsets over a dataset's time range (none known: around 1970, where nothing is). */
export const zoneOverRange = (zone: string, range: { min: string | null; max: string | null } | undefined): TimeZone =>
  zoneSpans(zone, Date.parse(range?.min ?? '') || 0, Date.parse(range?.max ?? '') || 0);

/**
 * The zone's offsets from `fromMs` to `toMs`: sampled every 6 hours (no zone changes its offset twice
 * within that), each change then pinned to the minute by bisection.
 */
export function zoneSpans(zone: string, fromMs: number, toMs: number): TimeZone {
  if (zone === UTC) return UTC_ZONE;
  const start = Math.floor(fromMs / DAY) * DAY - 7 * DAY;
  const end = Math.ceil(toMs / DAY) * DAY + 7 * DAY;
  const spans: ZoneSpan[] = [{ fromMs: start, offsetMs: offsetAt(zone, start) }];
  for (let t = start; t < end; t += 6 * HOUR) {
    const next = Math.min(t + 6 * HOUR, end);
    const offset = offsetAt(zone, next);
    if (offset === spans.at(-1)!.offsetMs) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(zone, mid) === offset) hi = mid;
      else lo = mid;
    }
    spans.push({ fromMs: hi, offsetMs: offset });
  }
  return { name: zone, spans };
}

const spanAt = (zone: TimeZone, ms: number): ZoneSpan => {
  let found = zone.spans[0]!;
  for (const span of zone.spans) if (span.fromMs <= ms) found = span;
  return found;
};

/** An instant as the zone's wall clock, in wall-clock milliseconds. */
export const toWallClock = (zone: TimeZone, ms: number): number => ms + spanAt(zone, ms).offsetMs;

/** The instant a wall-clock time stands for (in the hour a clock goes back, the first of the two). */
export function fromWallClock(zone: TimeZone, wallMs: number): number {
  for (const span of zone.spans) {
    const instant = wallMs - span.offsetMs;
    if (spanAt(zone, instant) === span) return instant;
  }
  // A wall-clock time skipped when the clocks went forward: the instant just after the gap.
  return wallMs - spanAt(zone, wallMs).offsetMs;
}

export type ClockPrecision = 'millisecond' | 'second' | 'minute' | 'day';
/** Where each precision ends in an ISO string (`2025-09-21T14:00:05.250Z`). */
const ISO_END: Record<ClockPrecision, number> = { millisecond: 23, second: 19, minute: 16, day: 10 };

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `2025-09-21 14:00` (`…14:00:05` to the second, `…14:00:05.250` to the millisecond, `2025-09-21` for a day) for wall-clock milliseconds.
 * Worked out with integer arithmetic (days → civil date, as in H. Hinnant's `civil_from_days`): tables
 * and tooltips format thousands of these, and a Date and its ISO string each took several times longer.
 */
export function formatWallClock(wallMs: number, precision: ClockPrecision): string {
  const ms = Math.trunc(wallMs); // as Date keeps a time: whole milliseconds, cut toward zero
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // ISO strings write years outside 0000–9999 with a sign and six digits: leave those to Date.
  if (year < 0 || year > 9999 || !Number.isFinite(wallMs)) return new Date(wallMs).toISOString().slice(0, ISO_END[precision]).replace('T', ' ');
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (precision === 'day') return date;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const clock = `${date} ${pad(hour)}:${pad(minute)}`;
  if (precision === 'minute') return clock;
  const second = Math.floor(rest / 1000);
  return precision === 'second' ? `${clock}:${pad(second)}` : `${clock}:${pad(second)}.${pad(rest - second * 1000, 3)}`;
}

/** An instant as the zone shows it: `2025-09-21 14:00`. */
export const formatInstant = (zone: TimeZone, ms: number, precision: ClockPrecision = 'minute'): string =>
  formatWallClock(toWallClock(zone, ms), precision);

/** An instant as a `datetime-local` input shows it in the zone: `2025-09-21T14:00`. */
export const toZonedInput = (zone: TimeZone, iso: string | undefined): string =>
  iso ? new Date(toWallClock(zone, Date.parse(iso))).toISOString().slice(0, 16) : '';

/** A `datetime-local` value read in the zone, as an ISO instant; undefined when empty or invalid. */
export function fromZonedInput(zone: TimeZone, value: string): string | undefined {
  const wall = Date.parse(`${value}Z`);
  return value && !Number.isNaN(wall) ? new Date(fromWallClock(zone, wall)).toISOString() : undefined;
}

const assertWholeMs = (n: number): number => {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number of milliseconds: ${n}`);
  return n;
};

/**
 * SQL for a TIMESTAMP expression as wall-clock milliseconds (BIGINT) in the zone. The instants and
 * offsets are whole numbers computed above, never user text, so they are written as literals.
 */
export function wallClockSql(timestamp: string, zone: TimeZone): string {
  const epoch = `epoch_ms(${timestamp})`;
  const [first, ...rest] = zone.spans;
  if (!rest.length) return first!.offsetMs ? `(${epoch} + ${assertWholeMs(first!.offsetMs)})` : epoch;
  const cases = rest.reverse().map((s) => `WHEN ${epoch} >= ${assertWholeMs(s.fromMs)} THEN ${assertWholeMs(s.offsetMs)}`).join(' ');
  return `(${epoch} + CASE ${cases} ELSE ${assertWholeMs(first!.offsetMs)} END)`;
}
