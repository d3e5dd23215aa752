// X̄-R, I-MR and p-chart → SQL. DuckDB forms the subgroups and their statistics (mean and range,
// individual and moving range, share flagged) and the baseline's center values per limit group (per
// press when split by press); the limits and run rules are then applied in TypeScript
// (control-limits.ts, run-rules.ts), over at most MAX_SUBGROUPS_SHOWN rows. Subgroup times are
// wall-clock milliseconds in the dashboard's time zone, and time subgroups are that zone's hours,
// shifts and days, as in every other view (spec-to-sql.ts).
import type { ColumnInfo } from '../columns.js';
import { CUBE_KEY_NAMES, cubeFilters, cubeKeyColumns, readCube, type CubeStatement } from '../cube.js';
import { quoteIdentifier, type SqlParam } from '../filter-sql.js';
import { BUCKETS, bucketStartSql } from '../spec-to-sql.js';
import { toWallClock, wallClockSql, type TimeZone } from '../time-zone.js';
import { checkSpecAgainstSchema, type ViewSpec } from '../view-spec.js';
import { partSequenceSql } from './part-sequence-sql.js';
import { measuredField, resolveQuality, type PChartSubgroup } from './quality-spec.js';

/** The most recent subgroups a chart shows; older ones still count for the limits. */
export const MAX_SUBGROUPS_SHOWN = 5000;

export interface ControlChartQuery {
  sql: string;
  params: SqlParam[];
  cube?: CubeStatement;
}

/**
 * One row per subgroup, oldest first: press, start_ms and end_ms (wall-clock milliseconds in `zone`:
 * a time bucket's bounds, else the first and last part's time), first_rank, last_rank (consecutive
 * parts only), size, stat (x̄, individual or p), spread (R or MR), flagged (p-chart), center and
 * spread_center (of the subgroup's limit group, from the baseline), baseline_size, total.
 * With `cubed`, read from a pre-aggregated table (cube.ts): a p-chart of time subgroups from one per
 * press and verdict; a chart of consecutive parts from one per press (its subgroups are formed
 * within each press), null under a verdict filter, which changes which parts are consecutive.
 */
export function controlChartSql(spec: ViewSpec, columns: readonly ColumnInfo[], zone: TimeZone): ControlChartQuery;
export function controlChartSql(spec: ViewSpec, columns: readonly ColumnInfo[], zone: TimeZone, cubed: true): ControlChartQuery | null;
export function controlChartSql(spec: ViewSpec, columns: readonly ColumnInfo[], zone: TimeZone, cubed = false): ControlChartQuery | null {
  checkSpecAgainstSchema(spec, columns);
  const quality = resolveQuality(spec);
  const field = measuredField(spec)!;
  const proportion = spec.chart === 'p_chart';
  const byTime = proportion && quality.subgroupBy !== 'parts';
  const measured = proportion ? `${quoteIdentifier(field)}::INTEGER::DOUBLE` : `${quoteIdentifier(field)}::DOUBLE`;
  if (cubed && !byTime && spec.filters.reject !== undefined) return null;
  const keys = cubed ? cubeKeyColumns(byTime ? ['press', 'reject'] : ['press']) : [];
  const parts = partSequenceSql(cubed ? cubeFilters(spec.filters) : spec.filters, field, measured,
    { numbered: !byTime, movingRange: spec.chart === 'imr', extra: keys });
  // A cube's query starts from the cube's own parameters instead of those of the parts it was filled from.
  let params: SqlParam[] = [...parts.params];
  let cube: CubeStatement | undefined;
  const perPress = spec.split === 'press';
  const limitGroup = perPress ? 'press' : "''";
  const wallClock = (timestamp: string) => `${wallClockSql(timestamp, zone)}::DOUBLE`;
  // The baseline's bounds were entered on the zone's wall clock, as subgroup starts are given.
  const baseline: string[] = [];
  const baselineParams: SqlParam[] = [];
  if (quality.baseline?.fromMs != null) {
    baseline.push('start_ms >= ?');
    baselineParams.push(toWallClock(zone, quality.baseline.fromMs));
  }
  if (quality.baseline?.toMs != null) {
    baseline.push('start_ms < ?');
    baselineParams.push(toWallClock(zone, quality.baseline.toMs));
  }
  const inBaseline = baseline.length ? baseline.join(' AND ') : 'true';

  // Subgroups are put in order by their first part's instant (`first_part_ms`): wall-clock times
  // repeat an hour when the clocks go back.
  let kept = '';
  let subgroups: string;
  let limits: string;
  let total: string;
  if (byTime) {
    // Counted in two steps (per bucket, then summed), so a cube's table is the first step.
    const bucket = quality.subgroupBy as Exclude<PChartSubgroup, 'parts'>;
    const partials = `SELECT ${perPress ? 'press' : 'NULL::VARCHAR AS press'}, ${bucketStartSql('ts', bucket, zone)} AS start_ms, ` +
      // The first part's instant as epoch milliseconds, not a TIMESTAMP: a cube's rows then travel from
      // the server as plain numbers (see the worker's loadCube), and the minimum of each row's is the same.
      `epoch_ms(min(ts)) AS first_ms, count(*) AS size, sum(v) AS flagged${cubed ? `, ${CUBE_KEY_NAMES.join(', ')}` : ''} FROM (${parts.sql}) GROUP BY ALL`;
    let rows = `(${partials})`;
    if (cubed) ({ cube, rows, params } = readCube(partials, params, spec.filters));
    subgroups = `SELECT press, start_ms, start_ms + ${BUCKETS[bucket].ms} AS end_ms, min(first_ms) AS first_part_ms, ` +
      'NULL::BIGINT AS first_rank, NULL::BIGINT AS last_rank, sum(size) AS size, sum(flagged) / sum(size) AS stat, NULL::DOUBLE AS spread, ' +
      `sum(flagged) AS flagged FROM ${rows} GROUP BY press, start_ms`;
    params.push(...baselineParams);
    limits = `SELECT ${limitGroup} AS limit_group, sum(flagged) / sum(size) AS center, avg(spread) AS spread_center, count(*) AS baseline_size ` +
      `FROM subgroups WHERE ${inBaseline} GROUP BY ALL`;
    total = '(SELECT count(*) FROM subgroups)';
  } else {
    // Consecutive parts, numbered within their press, so each press's subgroups are its own whatever
    // other presses are kept. What the chart needs of them comes in two kinds of rows: each press's
    // newest subgroups (the newest of any presses are among them) and each press's sums over its
    // baseline subgroups (the limits) and its count of subgroups (the total).
    const n = quality.subgroupSize;
    const step = spec.chart === 'imr' ? 1 : n;
    const key = keys.length ? ', k_press' : '';
    const formed = spec.chart === 'imr'
      ? `SELECT press, epoch_ms(ts) AS first_part_ms, ${wallClock('ts')} AS start_ms, ${wallClock('ts')} AS end_ms, rn AS first_rank, ` +
        `rn AS last_rank, 1 AS size, v AS stat, mr AS spread, NULL::DOUBLE AS flagged${key} FROM parts`
      // An incomplete last subgroup of a press is left out: its statistics are not comparable.
      : `SELECT press, epoch_ms(min(ts)) AS first_part_ms, ${wallClock('min(ts)')} AS start_ms, ${wallClock('max(ts)')} AS end_ms, min(rn) AS first_rank, ` +
        `max(rn) AS last_rank, count(*) AS size, avg(v) AS stat, ${proportion ? 'NULL::DOUBLE' : 'max(v) - min(v)'} AS spread, ` +
        `${proportion ? 'sum(v)' : 'NULL::DOUBLE'} AS flagged${key} FROM parts GROUP BY press${key}, rn // ${n} HAVING count(*) = ${n}`;
    params.push(...baselineParams);
    const partials = `WITH parts AS (${parts.sql}), formed AS MATERIALIZED (SELECT *, ${inBaseline} AS in_baseline FROM (${formed})), ` +
      // A press's subgroups start at ranks 0, step, 2·step, …: its newest are the highest.
      `since AS (SELECT press, max(first_rank) - ${(MAX_SUBGROUPS_SHOWN - 1) * step} AS since FROM formed GROUP BY press) ` +
      'SELECT formed.* EXCLUDE (in_baseline) FROM formed JOIN since USING (press) WHERE first_rank >= since.since ' +
      'UNION ALL BY NAME SELECT press, count(*) FILTER (in_baseline) AS baseline_n, sum(stat) FILTER (in_baseline) AS stat_sum, ' +
      'sum(spread) FILTER (in_baseline) AS spread_sum, count(spread) FILTER (in_baseline) AS spread_n, sum(flagged) FILTER (in_baseline) AS flagged_sum, ' +
      `sum(size) FILTER (in_baseline) AS size_sum, count(*) AS total${key} FROM formed GROUP BY ALL`;
    let rows = `(${partials})`;
    if (cubed) ({ cube, rows, params } = readCube(partials, params, spec.filters));
    kept = `kept AS (SELECT * FROM ${rows}), `;
    subgroups = 'SELECT * FROM kept WHERE total IS NULL';
    const center = proportion ? 'sum(flagged_sum) / sum(size_sum)' : 'sum(stat_sum) / sum(baseline_n)';
    limits = `SELECT ${limitGroup} AS limit_group, ${center} AS center, sum(spread_sum) / nullif(sum(spread_n), 0) AS spread_center, ` +
      'sum(baseline_n) AS baseline_size FROM kept WHERE total IS NOT NULL GROUP BY ALL HAVING sum(baseline_n) > 0';
    total = '(SELECT sum(total) FROM kept WHERE total IS NOT NULL)';
  }
  params.push(MAX_SUBGROUPS_SHOWN, MAX_SUBGROUPS_SHOWN);
  return {
    params,
    ...(cube ? { cube } : {}),
    // The newest subgroups shown are found without sorting them all: a top-N of their start times
    // gives a threshold, and only the subgroups from it on are ranked. `subgroups` is read four
    // times, so it is computed once.
    sql: `WITH ${kept}subgroups AS MATERIALIZED (${subgroups}), limits AS (${limits}), ` +
      'newest AS (SELECT min(first_part_ms) AS since FROM (SELECT first_part_ms FROM subgroups ORDER BY first_part_ms DESC LIMIT ?)) ' +
      'SELECT * FROM (SELECT s.press, s.first_part_ms, s.start_ms, s.end_ms, s.first_rank::DOUBLE AS first_rank, s.last_rank::DOUBLE AS last_rank, ' +
      's.size::DOUBLE AS size, s.stat, s.spread, s.flagged, l.center, l.spread_center, l.baseline_size::DOUBLE AS baseline_size, ' +
      `${total}::DOUBLE AS total ` +
      `FROM subgroups s LEFT JOIN limits l ON l.limit_group = ${perPress ? 's.press' : "''"} ` +
      'WHERE s.first_part_ms >= (SELECT since FROM newest) ' +
      'QUALIFY row_number() OVER (ORDER BY s.first_part_ms DESC, s.press DESC) <= ?) ORDER BY first_part_ms, press',
  };
}
