// Capability → SQL: a histogram of the field over the view's parts, and in the same rows the
// statistics the indices need: count, mean, overall σ (sample standard deviation), the mean moving
// range of consecutive parts of each press (σ within = MR̄ / 1.128) and the parts observed beyond
// each spec limit. Everything is computed from two kinds of partial rows — how many parts had each
// value, and each press's sum and count of moving ranges — so a pre-aggregated table of them per
// press (cube.ts) answers a press filter change exactly as the parts do.
import type { ColumnInfo } from '../columns.js';
import { cubeFilters, cubeKeyColumns, readCube, type CubeStatement } from '../cube.js';
import { quoteIdentifier, type SqlParam } from '../filter-sql.js';
import { checkSpecAgainstSchema, type ViewSpec } from '../view-spec.js';
import { partSequenceSql } from './part-sequence-sql.js';
import { measuredField } from './quality-spec.js';

export const CAPABILITY_BINS = 40;

export interface CapabilityQuery {
  sql: string;
  params: SqlParam[];
  cube?: CubeStatement;
}

/**
 * Rows per non-empty bin: bin, bin_start, bin_width, parts; then n, mean, sd, mr_bar, below_lsl, above_usl.
 * With `cubed`, read from a pre-aggregated table per press; null under a verdict filter, which
 * changes which parts are consecutive.
 */
export function capabilitySql(spec: ViewSpec, columns: readonly ColumnInfo[]): CapabilityQuery;
export function capabilitySql(spec: ViewSpec, columns: readonly ColumnInfo[], cubed: true): CapabilityQuery | null;
export function capabilitySql(spec: ViewSpec, columns: readonly ColumnInfo[], cubed = false): CapabilityQuery | null {
  checkSpecAgainstSchema(spec, columns);
  if (cubed && spec.filters.reject !== undefined) return null;
  const field = measuredField(spec)!;
  const keys = cubed ? cubeKeyColumns(['press']) : [];
  const parts = partSequenceSql(cubed ? cubeFilters(spec.filters) : spec.filters, field, `${quoteIdentifier(field)}::DOUBLE`,
    { movingRange: true, extra: keys });
  const key = keys.length ? ', k_press' : '';
  // A value's rows have a weight (its parts); a press's moving-range row (all presses' without a cube) has none.
  const partials = `WITH parts AS (${parts.sql}) ` +
    `SELECT v, count(*) AS weight, NULL::DOUBLE AS mr_sum, NULL::BIGINT AS mr_count${key} FROM parts GROUP BY ALL ` +
    `UNION ALL SELECT NULL::DOUBLE, NULL::BIGINT, sum(mr), count(mr)${key} FROM parts GROUP BY ALL`;
  let rows = `(${partials})`;
  let params: SqlParam[] = [...parts.params];
  let cube: CubeStatement | undefined;
  if (cubed) ({ cube, rows, params } = readCube(partials, params, spec.filters));
  const beyond = (limit: number | undefined, comparison: '<' | '>') => {
    if (limit === undefined) return 'NULL::DOUBLE';
    params.push(limit);
    return `coalesce(sum(weight) FILTER (WHERE v ${comparison} ?), 0)::DOUBLE`;
  };
  const below = beyond(spec.quality?.lsl, '<');
  const above = beyond(spec.quality?.usl, '>');
  return {
    params,
    ...(cube ? { cube } : {}),
    sql: `WITH kept AS (SELECT * FROM ${rows}), ` +
      'counted AS (SELECT v, sum(weight) AS weight FROM kept WHERE weight IS NOT NULL GROUP BY v), ' +
      `totals AS (SELECT coalesce(sum(weight), 0)::DOUBLE AS n, sum(weight * v) / sum(weight) AS mean, ${below} AS below_lsl, ` +
      `${above} AS above_usl, min(v) AS lo, greatest((max(v) - min(v)) / ${CAPABILITY_BINS}, 1e-9) AS bin_width FROM counted), ` +
      // σ overall from the squared deviations from the mean (not Σx² − n·mean², which cancels).
      'stats AS (SELECT totals.*, (SELECT sqrt(sum(weight * (v - totals.mean) ^ 2) / (totals.n - 1)) FROM counted) AS sd, ' +
      '(SELECT sum(mr_sum) / sum(mr_count) FROM kept WHERE weight IS NULL) AS mr_bar FROM totals), ' +
      `bins AS (SELECT least(floor((v - lo) / bin_width), ${CAPABILITY_BINS - 1})::INTEGER AS bin, sum(weight)::DOUBLE AS parts ` +
      'FROM counted, stats GROUP BY ALL) ' +
      'SELECT bins.bin, stats.lo + bins.bin * stats.bin_width AS bin_start, stats.bin_width, bins.parts, stats.n, stats.mean, stats.sd, ' +
      'stats.mr_bar, stats.below_lsl, stats.above_usl FROM stats LEFT JOIN bins ON true ORDER BY bins.bin',
  };
}
