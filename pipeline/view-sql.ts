// The SQL a view runs, whatever its chart type: the one function the browser's engine and the
// server (answering while that engine starts) both build queries with, so both run the same query.
import type { SqlParam } from './filter-sql.js';
import { qualityQuery } from './quality/quality-view.js';
import { isQualityChart } from './quality/quality-spec.js';
import { specToSql, type QueryContext } from './spec-to-sql.js';
import { UTC_ZONE } from './time-zone.js';
import type { ViewSpec } from './view-spec.js';

export function viewSql(spec: ViewSpec, context: QueryContext): { sql: string; params: SqlParam[] } {
  if (isQualityChart(spec.chart)) return qualityQuery(spec, context.columns, context.zone ?? UTC_ZONE);
  const { sql, params } = specToSql(spec, context);
  return { sql, params };
}
