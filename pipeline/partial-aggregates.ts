// A measure as partial aggregates and the combination that finishes it, so a view can be aggregated
// in two steps: first per group and per key of a pre-aggregated table (Mosaic's data cube), then
// over the keys a filter keeps. Counts, sums, extremes, averages, shares and standard deviations
// combine exactly; medians and percentiles do not, so they are only finished over a single partial
// row per group (a view's own query, never a cube).
import type { ColumnInfo } from './columns.js';
import { quoteIdentifier } from './filter-sql.js';
import { DEFECT_REJECTED, type Measure } from './view-spec.js';

export interface PartialAggregate {
  /** The partial aggregates, each `<sql> AS <name>_p<j>`. */
  partials: string[];
  /** The aggregate over the partial rows that finishes the measure, as `<name>`. */
  combine: string;
  /** Window columns the combination reads (`<name>_g`), computed over each final group's partial rows. */
  windows: (partition: string) => string[];
}

const DECOMPOSABLE: ReadonlySet<Measure['agg']> = new Set(['count', 'sum', 'min', 'max', 'avg', 'share_true', 'reject_rate', 'stddev']);

/** Whether every measure of a view combines exactly from partial rows. */
export const combinesExactly = (measures: readonly Measure[]): boolean => measures.every((m) => m.field === null || DECOMPOSABLE.has(m.agg));

/**
 * The partial aggregates of `measure` named after `name`. With `defectFlag`, over the parts rejected
 * for that defect type only (the flag is then also the value of the defect-rejected field).
 */
export function partialAggregate(measure: Measure, columns: readonly ColumnInfo[], name: string, defectFlag?: string): PartialAggregate {
  const only = defectFlag ? ` FILTER (WHERE ${quoteIdentifier(defectFlag)})` : '';
  const p = (j: number) => `${name}_p${j}`;
  /** One aggregate call, over the defect type's parts when there is one. */
  const call = (fn: string, args: string) => `${fn}(${args})${only}`;
  const parts = (sqls: string[], combine: string, windows: PartialAggregate['windows'] = () => []): PartialAggregate =>
    ({ partials: sqls.map((sql, j) => `${sql} AS ${p(j)}`), combine: `(${combine})::DOUBLE AS ${name}`, windows });
  if (measure.field === null) return parts([call('count', '*')], `sum(${p(0)})`);
  const f = quoteIdentifier(measure.field === DEFECT_REJECTED && defectFlag ? defectFlag : measure.field);
  const isFlag = measure.field === DEFECT_REJECTED || columns.find((c) => c.name === measure.field)?.type === 'BOOLEAN';
  const value = isFlag ? `${f}::INTEGER` : f;
  const ratio = (numerator: string, denominator: string) => `${numerator} / nullif(${denominator}, 0)`;
  switch (measure.agg) {
    case 'count': return parts([call('count', f)], `sum(${p(0)})`);
    case 'sum': return parts([call('sum', value)], `sum(${p(0)})`);
    case 'min': return parts([call('min', value)], `min(${p(0)})`);
    case 'max': return parts([call('max', value)], `max(${p(0)})`);
    case 'avg': return parts([call('sum', `${value}::DOUBLE`), call('count', value)], ratio(`sum(${p(0)})`, `sum(${p(1)})`));
    case 'share_true':
    case 'reject_rate': return parts([call('sum', `${f}::INTEGER`), call('count', f)], `100.0 * ${ratio(`sum(${p(0)})`, `sum(${p(1)})`)}`);
    case 'stddev':
      // Each partial keeps its count, mean and sum of squared deviations (M2); they combine as
      // M2 = Σ M2ᵢ + Σ nᵢ(meanᵢ − mean)² (Chan et al.), which stays exact where Σx² − n·mean² would cancel.
      return parts([call('count', value), call('avg', `${value}::DOUBLE`), `${call('var_pop', `${value}::DOUBLE`)} * ${call('count', value)}`],
        `CASE WHEN sum(${p(0)}) > 1 THEN sqrt(greatest(0, (sum(${p(2)}) + sum(${p(0)} * (${p(1)} - ${name}_g) ^ 2)) / (sum(${p(0)}) - 1))) END`,
        (partition) => [`${ratio(`sum(${p(0)} * ${p(1)}) OVER (${partition})`, `sum(${p(0)}) OVER (${partition})`)} AS ${name}_g`]);
    case 'median': return parts([call('median', value)], `any_value(${p(0)})`);
    case 'p95': return parts([call('quantile_cont', `${value}, 0.95`)], `any_value(${p(0)})`);
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
