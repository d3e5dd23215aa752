// The dashboard's own filter: one time range, presses, verdict, defect type and field ranges that
// apply to every view on top of the view's own filters. `applyDashboardFilter` is the ONE place it is
// merged into a view's filters, before any SQL is built, so every query made from a spec obeys it.
// It travels in the URL too, so it is parsed like any untrusted input.
import { describeRange, type PartsScope } from './quality/parts-scope.js';
import type { ChartPoint } from './result-to-option.js';
import { BUCKETS, type Bucket } from './spec-to-sql.js';
import { SpecError } from './spec-error.js';
import { formatInstant, fromWallClock, type TimeZone } from './time-zone.js';
import { SPLIT_COLUMNS, type NumericRange, type ViewFilters, type ViewSpec } from './view-spec.js';

/** Relative ranges end at the newest part in the dataset (a file's data is seldom "now"). */
export const TIME_PRESETS = { shift: 8 * 3_600_000, day: 24 * 3_600_000, week: 7 * 24 * 3_600_000 } as const;
export type TimePreset = keyof typeof TIME_PRESETS;
export const TIME_PRESET_LABELS: Record<TimePreset, string> = { shift: 'Last 8 h (shift)', day: 'Last 24 h', week: 'Last 7 days' };

/** A range chosen by brushing remembers the view it was drawn on, which keeps its full extent. */
export type BrushedBy = { by?: string };
export type DashboardTime = { preset: TimePreset } | ({ from: string; to: string } & BrushedBy);
export type DashboardRange = NumericRange & BrushedBy;

export interface DashboardFilter {
  time?: DashboardTime;
  presses?: string[];
  reject?: boolean;
  /** A defect type: only parts rejected for it. */
  defect?: string;
  ranges?: DashboardRange[];
}

export const FILTER_PARAM = 'f';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, what: string): string => {
  if (typeof v === 'string' && v.length > 0 && v.length <= 200) return v;
  throw new SpecError(`${what} must be a name`);
};
const instant = (v: unknown, what: string): string => {
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  throw new SpecError(`${what} must be a date and time`);
};
const optionalNumber = (v: unknown, what: string): { [k: string]: number } => {
  if (v === undefined || v === null) return {};
  if (typeof v === 'number' && Number.isFinite(v)) return { [what]: v };
  throw new SpecError(`filter range ${what} must be a number`);
};
const brushedBy = (v: unknown): BrushedBy => (typeof v === 'string' && v.length <= 100 ? { by: v } : {});

/** Validates a dashboard filter from a link or history and returns a clean copy. */
export function parseDashboardFilter(input: unknown): DashboardFilter {
  if (!isRecord(input)) throw new SpecError('the dashboard filter must be an object');
  const filter: DashboardFilter = {};
  const time = input['time'];
  if (isRecord(time)) {
    if (typeof time['preset'] === 'string') {
      if (!(time['preset'] in TIME_PRESETS)) throw new SpecError(`time preset must be one of ${Object.keys(TIME_PRESETS).join(', ')}`);
      filter.time = { preset: time['preset'] as TimePreset };
    } else {
      filter.time = { from: instant(time['from'], 'time.from'), to: instant(time['to'], 'time.to'), ...brushedBy(time['by']) };
    }
  }
  const presses = input['presses'];
  if (presses !== undefined) {
    if (!Array.isArray(presses) || presses.length > 500) throw new SpecError('presses must be a list of press ids');
    if (presses.length) filter.presses = presses.map((p) => text(p, 'a press'));
  }
  if (typeof input['reject'] === 'boolean') filter.reject = input['reject'];
  if (input['defect'] !== undefined) filter.defect = text(input['defect'], 'the defect type');
  const ranges = input['ranges'];
  if (ranges !== undefined) {
    if (!Array.isArray(ranges) || ranges.length > 20) throw new SpecError('ranges must be a list');
    if (ranges.length) {
      filter.ranges = ranges.map((r) => {
        if (!isRecord(r)) throw new SpecError('a range must be an object');
        return { field: text(r['field'], 'a range field'), ...optionalNumber(r['min'], 'min'), ...optionalNumber(r['max'], 'max'), ...brushedBy(r['by']) };
      });
    }
  }
  return filter;
}

export const isEmptyFilter = (filter: DashboardFilter): boolean => Object.keys(filter).length === 0;

/** The filter's time range as instants, a preset ending at the newest part; null when all time. */
export function resolveTime(time: DashboardTime | undefined, dataEnd: string | null): { from: string; to: string } | null {
  if (!time) return null;
  if ('from' in time) return { from: new Date(time.from).toISOString(), to: new Date(time.to).toISOString() };
  const end = Date.parse(dataEnd ?? new Date().toISOString()) + 1;
  return { from: new Date(end - TIME_PRESETS[time.preset]).toISOString(), to: new Date(end).toISOString() };
}

const later = (a: string | undefined, b: string) => (a && Date.parse(a) > Date.parse(b) ? a : b);
const earlier = (a: string | undefined, b: string) => (a && Date.parse(a) < Date.parse(b) ? a : b);

/**
 * The view's spec with the dashboard filter added to its own filters (both must hold). A brushed
 * range is left off the view it was brushed on, which keeps showing everything with the selection.
 */
export function applyDashboardFilter(spec: ViewSpec, filter: DashboardFilter, context: { dataEnd: string | null; viewId?: string }): ViewSpec {
  if (isEmptyFilter(filter)) return spec;
  const own = spec.filters;
  const merged: ViewFilters = { ...own };
  const time = filter.time && !('by' in filter.time && filter.time.by === context.viewId) ? resolveTime(filter.time, context.dataEnd) : null;
  if (time) {
    merged.from = later(own.from, time.from);
    merged.to = earlier(own.to, time.to);
  }
  if (filter.presses) merged.presses = own.presses ? own.presses.filter((p) => filter.presses!.includes(p)) : [...filter.presses];
  if (filter.reject !== undefined) {
    // Rejected-only on one side and accepted-only on the other: no part can match.
    if (own.reject !== undefined && own.reject !== filter.reject) merged.presses = [];
    merged.reject = filter.reject;
  }
  if (filter.defect) merged.defects = [...new Set([...(own.defects ?? []), filter.defect])];
  const ranges = (filter.ranges ?? []).filter((r) => r.by === undefined || r.by !== context.viewId)
    .map(({ field, min, max }): NumericRange => ({ field, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }));
  if (ranges.length) merged.ranges = [...(own.ranges ?? []), ...ranges];
  return { ...spec, filters: merged };
}

/** One active filter as a chip: what it says, and the filter without it. */
export interface FilterChip {
  key: string;
  label: string;
  without: DashboardFilter;
}

const withoutKey = <K extends keyof DashboardFilter>(filter: DashboardFilter, key: K): DashboardFilter => {
  const { [key]: _removed, ...rest } = filter;
  return rest;
};

export function filterChips(filter: DashboardFilter, zone: TimeZone): FilterChip[] {
  const chips: FilterChip[] = [];
  const { time } = filter;
  if (time) {
    const label = 'preset' in time ? TIME_PRESET_LABELS[time.preset]
      : `${formatInstant(zone, Date.parse(time.from))} → ${formatInstant(zone, Date.parse(time.to))} (${zone.name})`;
    chips.push({ key: 'time', label, without: withoutKey(filter, 'time') });
  }
  for (const press of filter.presses ?? []) {
    const rest = filter.presses!.filter((p) => p !== press);
    chips.push({ key: `press:${press}`, label: `Press ${press}`, without: rest.length ? { ...filter, presses: rest } : withoutKey(filter, 'presses') });
  }
  if (filter.reject !== undefined) chips.push({ key: 'reject', label: filter.reject ? 'Rejected parts' : 'Accepted parts', without: withoutKey(filter, 'reject') });
  if (filter.defect) chips.push({ key: 'defect', label: `Rejected for ${filter.defect}`, without: withoutKey(filter, 'defect') });
  (filter.ranges ?? []).forEach((range, i) => {
    const rest = filter.ranges!.filter((_, j) => j !== i);
    const bounds = [range.min !== undefined ? `≥ ${range.min}` : '', range.max !== undefined ? `≤ ${range.max}` : ''].filter(Boolean).join(' and ');
    chips.push({ key: `range:${i}`, label: `${range.field} ${bounds}`, without: rest.length ? { ...filter, ranges: rest } : withoutKey(filter, 'ranges') });
  });
  return chips;
}

/** Adds a press to the filter, or removes it when it is there: a second click undoes the first. */
export function togglePress(filter: DashboardFilter, press: string): DashboardFilter {
  const presses = filter.presses ?? [];
  const next = presses.includes(press) ? presses.filter((p) => p !== press) : [...presses, press];
  return next.length ? { ...filter, presses: next } : withoutKey(filter, 'presses');
}

export function toggleDefect(filter: DashboardFilter, defect: string): DashboardFilter {
  return filter.defect === defect ? withoutKey(filter, 'defect') : { ...filter, defect };
}

export function toggleReject(filter: DashboardFilter, reject: boolean): DashboardFilter {
  return filter.reject === reject ? withoutKey(filter, 'reject') : { ...filter, reject };
}

export function setTime(filter: DashboardFilter, time: DashboardTime | undefined): DashboardFilter {
  return time ? { ...filter, time } : withoutKey(filter, 'time');
}

/** Sets (or with `null` bounds, clears) the range on a field; one range per field. */
export function setRange(filter: DashboardFilter, range: DashboardRange): DashboardFilter {
  const others = (filter.ranges ?? []).filter((r) => r.field !== range.field);
  const ranges = range.min === undefined && range.max === undefined ? others : [...others, range];
  return ranges.length ? { ...filter, ranges } : withoutKey(filter, 'ranges');
}

/** A brushed or clicked time span in wall-clock milliseconds, as the filter's instants. */
export function wallClockRange(zone: TimeZone, fromWall: number, toWall: number, by?: string): { from: string; to: string } & BrushedBy {
  return { from: new Date(fromWallClock(zone, fromWall)).toISOString(), to: new Date(fromWallClock(zone, toWall)).toISOString(), ...(by ? { by } : {}) };
}

/**
 * What "filter the dashboard to this" does for a clicked point: the press, defect type or verdict of
 * its series, else of its category, else its time bucket or bin. Null when the point names none.
 */
export function filterForPoint(spec: ViewSpec, point: ChartPoint, bucket: Bucket | undefined, zone: TimeZone):
  { label: string; apply: (filter: DashboardFilter) => DashboardFilter } | null {
  const byDimension = (dimension: string, value: string) => {
    if (dimension === 'press' || dimension === SPLIT_COLUMNS.press) return { label: `press ${value}`, apply: (f: DashboardFilter) => togglePress(f, value) };
    if (dimension === 'defect_type') return { label: `parts rejected for ${value}`, apply: (f: DashboardFilter) => toggleDefect(f, value) };
    if ((dimension === 'reject' || dimension === SPLIT_COLUMNS.reject) && (value === 'true' || value === 'false')) {
      return { label: value === 'true' ? 'rejected parts' : 'accepted parts', apply: (f: DashboardFilter) => toggleReject(f, value === 'true') };
    }
    return null;
  };
  if (point.series != null) {
    const found = byDimension(spec.split, point.series);
    if (found) return found;
  }
  if (point.x === undefined || point.x === null) return null;
  if (spec.x.kind === 'defect_type') return byDimension('defect_type', String(point.x));
  if (spec.x.kind === 'time' && bucket) {
    const start = Number(point.x);
    const time = wallClockRange(zone, start, start + BUCKETS[bucket].ms);
    return { label: `this ${bucket} (${formatInstant(zone, Date.parse(time.from))})`, apply: (f) => setTime(f, time) };
  }
  if (spec.x.kind === 'field') {
    const field = spec.x.field;
    if (point.width !== undefined) {
      const min = Number(point.x);
      const max = min + point.width;
      return { label: describeRange(field, min, max), apply: (f) => setRange(f, { field, min, max }) };
    }
    return byDimension(field, String(point.x));
  }
  return null;
}

/**
 * What "filter the dashboard to this" does for a clicked point of a quality view, from the parts
 * behind it: a subgroup's press and time span, a Pareto bar's defect type, a bin's range, the press
 * of consecutive parts. Null where the dashboard has no filter for them (near misses, parts with no
 * defect flagged). Adding a press keeps the others; the chips take any of it off again.
 */
export function filterForScope(scope: PartsScope, zone: TimeZone): { label: string; apply: (filter: DashboardFilter) => DashboardFilter } | null {
  const withPress = (filter: DashboardFilter, press: string | null) =>
    press && !(filter.presses ?? []).includes(press) ? togglePress(filter, press) : filter;
  switch (scope.kind) {
    case 'time': {
      const time = { from: new Date(scope.fromMs).toISOString(), to: new Date(scope.toMs).toISOString() };
      const span = `${formatInstant(zone, scope.fromMs)} – ${formatInstant(zone, scope.toMs)} (${zone.name})`;
      return { label: `${scope.press ? `press ${scope.press}, ` : ''}${span}`, apply: (f) => setTime(withPress(f, scope.press), time) };
    }
    case 'defect':
      return scope.defect ? { label: `parts rejected for ${scope.defect}`, apply: (f) => ({ ...f, defect: scope.defect! }) } : null;
    case 'range':
      return { label: describeRange(scope.field, scope.min, scope.max), apply: (f) => setRange(f, { field: scope.field, min: scope.min, max: scope.max }) };
    case 'sequence':
      return { label: `press ${scope.press}`, apply: (f) => withPress(f, scope.press) };
    case 'near_miss':
    case 'all':
      return null;
  }
}
