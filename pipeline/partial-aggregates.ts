// A measure as partial aggregates and the combination that finishes it, so a view can be aggregated
// in two steps: first per group and per key of a pre-aggregated table (Mosaic's data cube), then
// over the keys a filter keeps. Counts, sums, extremes, averages, shares and standard deviations
// combine exactly; medians and percentiles do not, so they are only finished over a single partial
// row per group (a view's own query, never a cube).
import type { ColumnInfo } from './columns.js';
import { quoteIdentifier } from './filter-sql.js';
import { DEFECT_REJECTED, type Measure } from './view-spec.js';

export interface PartialAggregate {
  /** The partial aggregates, each `<sql> AS <name>_<kind>`. */
  partials: string[];
  /** The aggregate over the partial rows that finishes the measure, as `<name>`. */
  combine: string;
  /** Window columns the combination reads (`<name>_g`), computed over each final group's partial rows. */
  windows: (partition: string) => string[];
}

const DECOMPOSABLE: ReadonlySet<Measure['agg']> = new Set(['count', 'sum', 'min', 'max', 'avg', 'share_true', 'reject_rate', 'stddev']);

/** Whether every measure of a view combines exactly from partial rows. */
export const combinesExactly = (measures: readonly Measure[]): boolean => measures.every((m) => m.field === null || DECOMPOSABLE.has(m.agg));

/** What partial aggregates a value keeps: its count, sum, extremes, mean and sum of squared deviations (M2). */
type Kind = 'n' | 's' | 'lo' | 'hi' | 'mean' | 'm2';
const EVERY_KIND: readonly Kind[] = ['n', 's', 'lo', 'hi', 'mean', 'm2'];
/** A flag's aggregations (count, number true, share, reject rate) need only these. */
const EVERY_FLAG_KIND: readonly Kind[] = ['n', 's'];
const KINDS_OF: Record<Exclude<Measure['agg'], 'median' | 'p95'>, readonly Kind[]> = {
  count: ['n'], sum: ['s'], min: ['lo'], max: ['hi'], avg: ['s', 'n'], share_true: ['s', 'n'], reject_rate: ['s', 'n'], stddev: ['n', 'mean', 'm2'],
};

/**
 * The partial aggregates of `measure` named after `name` (`<name>_<kind>`). With `defectFlag`, over
 * the parts rejected for that defect type only (the flag is then also the value of the
 * defect-rejected field). With `everyKind` (a cube's rows), all of a value's partials whatever the
 * aggregation (of those its field is offered), so one cube answers the view whichever aggregation
 * an edit picks next.
 */
export function partialAggregate(measure: Measure, columns: readonly ColumnInfo[], name: string, defectFlag?: string, everyKind = false): PartialAggregate {
  const only = defectFlag ? ` FILTER (WHERE ${quoteIdentifier(defectFlag)})` : '';
  /** One aggregate call, over the defect type's parts when there is one. */
  const call = (fn: string, args: string) => `${fn}(${args})${only}`;
  const k = (kind: string) => `${name}_${kind}`;
  const finish = (partials: string[], combine: string, windows: PartialAggregate['windows'] = () => []): PartialAggregate =>
    ({ partials, combine: `(${combine})::DOUBLE AS ${name}`, windows });
  if (measure.field === null) return finish([`${call('count', '*')} AS ${k('rows')}`], `sum(${k('rows')})`);
  const f = quoteIdentifier(measure.field === DEFECT_REJECTED && defectFlag ? defectFlag : measure.field);
  const isFlag = measure.field === DEFECT_REJECTED || columns.find((c) => c.name === measure.field)?.type === 'BOOLEAN';
  const value = isFlag ? `${f}::INTEGER` : f;
  if (measure.agg === 'median' || measure.agg === 'p95') {
    const quantile = measure.agg === 'median' ? call('median', value) : call('quantile_cont', `${value}, 0.95`);
    return finish([`${quantile} AS ${k('q')}`], `any_value(${k('q')})`);
  }
  // A view's own query has one partial row per group (only a cube's rows combine): its standard
  // deviation is DuckDB's own, with no window over the rows.
  if (measure.agg === 'stddev' && !everyKind) return finish([`${call('stddev_samp', `${value}::DOUBLE`)} AS ${k('q')}`], `any_value(${k('q')})`);
  const sqlOf: Record<Kind, string> = {
    n: call('count', value), s: call('sum', value), lo: call('min', value), hi: call('max', value), mean: call('avg', `${value}::DOUBLE`),
    m2: `${call('var_pop', `${value}::DOUBLE`)} * ${call('count', value)}`,
  };
  const partials = (everyKind ? (isFlag ? EVERY_FLAG_KIND : EVERY_KIND) : KINDS_OF[measure.agg]).map((kind) => `${sqlOf[kind]} AS ${k(kind)}`);
  const ratio = (numerator: string, denominator: string) => `${numerator} / nullif(${denominator}, 0)`;
  switch (measure.agg) {
    case 'count': return finish(partials, `sum(${k('n')})`);
    case 'sum': return finish(partials, `sum(${k('s')})`);
    case 'min': return finish(partials, `min(${k('lo')})`);
    case 'max': return finish(partials, `max(${k('hi')})`);
    case 'avg': return finish(partials, ratio(`sum(${k('s')})`, `sum(${k('n')})`));
    case 'share_true':
    case 'reject_rate': return finish(partials, `100.0 * ${ratio(`sum(${k('s')})`, `sum(${k('n')})`)}`);
    case 'stddev':
      // Each partial keeps its count, mean and M2; they combine as M2 = Σ M2ᵢ + Σ nᵢ(meanᵢ − mean)²
      // (Chan et al.), which stays exact where Σx² − n·mean² would cancel.
      return finish(partials,
        `CASE WHEN sum(${k('n')}) > 1 THEN sqrt(greatest(0, (sum(${k('m2')}) + sum(${k('n')} * (${k('mean')} - ${k('g')}) ^ 2)) / (sum(${k('n')}) - 1))) END`,
        (partition) => [`${ratio(`sum(${k('n')} * ${k('mean')}) OVER (${partition})`, `sum(${k('n')}) OVER (${partition})`)} AS ${k('g')}`]);
  }
}

/**
 * Finishes measures over partial rows: `partialRows` (a table or a subquery) holds the key columns
 * `keys` and the partials; the result has one row per distinct keys, with each measure.
 */
export function combinePartials(partialRows: string, keys: readonly string[], measures: readonly { name: string; parts: PartialAggregate }[]): string {
  const partition = keys.length ? `PARTITION BY ${keys.join(', ')}` : '';
  const windows = measures.flatMap((m) => m.parts.windows(partition));
  const rows = windows.length ? `(SELECT *, ${windows.join(', ')} FROM ${partialRows})` : partialRows;
  return `SELECT ${[...keys, ...measures.map((m) => m.parts.combine)].join(', ')} FROM ${rows} GROUP BY ALL`;
}
