// Which parts stand behind one point, bar or bin of a view: the view's filters plus one of these.
// The Parts panel turns it into SQL (parts-sql.ts) and keeps it in the URL.
import { formatNumber } from '../result-to-option.js';
import { formatInstant, type TimeZone } from '../time-zone.js';

export type PartsScope =
  /** Consecutive parts of one press, by their position among the view's measured parts (part-sequence-sql.ts). */
  | { kind: 'sequence'; field: string; press: string; firstRank: number; lastRank: number }
  /** Parts made in [fromMs, toMs), of one press or of all. */
  | { kind: 'time'; press: string | null; fromMs: number; toMs: number }
  /** Rejected parts flagged for one defect type, or flagged for none (`defect` null). */
  | { kind: 'defect'; defect: string | null; press: string | null }
  /** Parts whose field lies in [min, max) (max included for the last bin). */
  | { kind: 'range'; field: string; min: number; max: number; includeMax: boolean; press: string | null }
  /** Accepted parts whose severity is within 10 % of one defect type's threshold. */
  | { kind: 'near_miss'; defect: string }
  /** Every part the filters keep (the toolbar's comparison over the dashboard's filter). */
  | { kind: 'all' };

/** The label a clicked point gets in the menu and the panel's heading; times in `zone`, which it names. */
export function describeScope(scope: PartsScope, zone: TimeZone): string {
  const time = (ms: number) => formatInstant(zone, ms);
  const press = (p: string | null) => (p ? `${p} · ` : '');
  switch (scope.kind) {
    case 'sequence': return `${scope.press} · parts ${scope.firstRank + 1}–${scope.lastRank + 1} with ${scope.field}`;
    case 'time': return `${press(scope.press)}${time(scope.fromMs)} – ${time(scope.toMs)} (${zone.name})`;
    case 'defect': return `${press(scope.press)}rejected, ${scope.defect ? `flagged ${scope.defect}` : 'no defect flagged'}`;
    case 'range': return `${press(scope.press)}${describeRange(scope.field, scope.min, scope.max)}`;
    case 'near_miss': return `accepted, ${scope.defect} within 10 % of its threshold`;
    case 'all': return 'every part in the filter';
  }
}

/**
 * A field's range as the app shows numbers (six significant digits): a bin's edges are sums of
 * fractions, whose binary digits (23.299999999999997) are no one's bin.
 */
export const describeRange = (field: string, min: number, max: number): string => `${field} ${formatNumber(min)} to ${formatNumber(max)}`;
