// Capability → SQL: a histogram of the field over the view's parts, and in the same rows the
// statistics the indices need: count, mean, overall σ (sample standard deviation), the mean moving
// range of consecutive parts of each press (σ within = MR̄ / 1.128) and the parts observed beyond
// each spec limit.
import type { ColumnInfo } from '../columns.js';
import { quoteIdentifier, type SqlParam } from '../filter-sql.js';
import { checkSpecAgainstSchema, type ViewSpec } from '../view-spec.js';
import { partSequenceSql } from './part-sequence-sql.js';
import { measuredField } from './quality-spec.js';

export const CAPABILITY_BINS = 40;

/** Rows per non-empty bin: bin, bin_start, bin_width, parts; then n, mean, sd, mr_bar, below_lsl, above_usl. */
export function capabilitySql(spec: ViewSpec, columns: readonly ColumnInfo[]): { sql: string; params: SqlParam[] } {
  checkSpecAgainstSchema(spec, columns);
  const field = measuredField(spec)!;
  const parts = partSequenceSql(spec.filters, field, `${quoteIdentifier(field)}::DOUBLE`, { movingRange: true });
  const params: SqlParam[] = [...parts.params];
  const beyond = (limit: number | undefined, comparison: '<' | '>') => {
    if (limit === undefined) return 'NULL::DOUBLE';
    params.push(limit);
    return `count_if(v ${comparison} ?)::DOUBLE`;
  };
  const below = beyond(spec.quality?.lsl, '<');
  const above = beyond(spec.quality?.usl, '>');
  return {
    params,
    sql: `WITH parts AS (${parts.sql}), ` +
      `stats AS (SELECT count(*)::DOUBLE AS n, avg(v) AS mean, stddev_samp(v) AS sd, avg(mr) AS mr_bar, ${below} AS below_lsl, ` +
      `${above} AS above_usl, min(v) AS lo, greatest((max(v) - min(v)) / ${CAPABILITY_BINS}, 1e-9) AS bin_width FROM parts), ` +
      `bins AS (SELECT least(floor((v - lo) / bin_width), ${CAPABILITY_BINS - 1})::INTEGER AS bin, count(*)::DOUBLE AS parts ` +
      'FROM parts, stats GROUP BY ALL) ' +
      'SELECT bins.bin, stats.lo + bins.bin * stats.bin_width AS bin_start, stats.bin_width, bins.parts, stats.n, stats.mean, stats.sd, ' +
      'stats.mr_bar, stats.below_lsl, stats.above_usl FROM stats LEFT JOIN bins ON true ORDER BY bins.bin',
  };
}
