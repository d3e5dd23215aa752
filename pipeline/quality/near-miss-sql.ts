// Near misses → SQL: for each defect type, severity relative to its threshold (value ÷ threshold;
// above 1 the part is rejected for it) among accepted and among rejected parts, as quantiles, and
// how many accepted parts came within 10 % of the threshold (0.9 ≤ ratio ≤ 1).
import type { ColumnInfo } from '../columns.js';
import { filtersToWhere, quoteIdentifier, TABLE, whereSql, type SqlParam } from '../filter-sql.js';
import { SpecError } from '../spec-error.js';
import { checkSpecAgainstSchema, type ViewSpec } from '../view-spec.js';

export const NEAR_MISS_RATIO = 0.9;

/** Defect types having both a severity and a threshold column. */
export function severityPairs(columns: readonly ColumnInfo[]): { defect: string; severity: string; threshold: string }[] {
  const measure = (type: string, m: string) => columns.find((c) => c.group === 'defect' && c.defectType === type && c.measure === m && c.type === 'DOUBLE');
  const types = [...new Set(columns.filter((c) => c.group === 'defect' && c.defectType).map((c) => c.defectType!))];
  return types.flatMap((defect) => {
    const severity = measure(defect, 'severity');
    const threshold = measure(defect, 'threshold');
    return severity && threshold ? [{ defect, severity: severity.name, threshold: threshold.name }] : [];
  });
}

/** Rows per defect type and verdict: defect, rejected, parts, q (5th, 25th, 50th, 75th, 95th percentile of the ratio), near_misses. */
export function nearMissSql(spec: ViewSpec, columns: readonly ColumnInfo[]): { sql: string; params: SqlParam[] } {
  checkSpecAgainstSchema(spec, columns);
  const pairs = severityPairs(columns);
  if (!pairs.length) throw new SpecError('the dataset has no defect severities and thresholds');
  const { conditions, params } = filtersToWhere(spec.filters);
  const reject = quoteIdentifier('reject');
  const selected = pairs.flatMap((p) => [p.severity, p.threshold]).map(quoteIdentifier).join(', ');
  const on = pairs.map((p) => `(${quoteIdentifier(p.severity)}, ${quoteIdentifier(p.threshold)}) AS ${quoteIdentifier(p.defect)}`).join(', ');
  params.push(NEAR_MISS_RATIO);
  return {
    params,
    sql: `WITH src AS (SELECT ${reject} AS rejected, ${selected} FROM ${TABLE}${whereSql([...conditions, `${reject} IS NOT NULL`])}), ` +
      `ratios AS (SELECT defect, rejected, severity / threshold AS ratio FROM (UNPIVOT src ON ${on} INTO NAME defect VALUE severity, threshold) ` +
      'WHERE threshold > 0) ' +
      'SELECT defect, rejected, count(*)::DOUBLE AS parts, quantile_cont(ratio, [0.05, 0.25, 0.5, 0.75, 0.95]) AS q, ' +
      'count_if(NOT rejected AND ratio >= ? AND ratio <= 1)::DOUBLE AS near_misses FROM ratios GROUP BY ALL ORDER BY defect, rejected',
  };
}
