// The SQL a view runs, whatever its chart type: the one function the browser's engine and the
// server (answering while that engine starts) both build queries with, so both run the same query.
import { hasCubeKeys } from './cube.js';
import type { SqlParam } from './filter-sql.js';
import { qualityCubeQuery, qualityQuery } from './quality/quality-view.js';
import { isQualityChart } from './quality/quality-spec.js';
import { specToCubeSql, specToSql, type CubeStatement, type QueryContext } from './spec-to-sql.js';
import { UTC_ZONE } from './time-zone.js';
import type { ViewSpec } from './view-spec.js';

export function viewSql(spec: ViewSpec, context: QueryContext): { sql: string; params: SqlParam[] } {
  if (isQualityChart(spec.chart)) return qualityQuery(spec, context.columns, context.zone ?? UTC_ZONE);
  const { sql, params } = specToSql(spec, context);
  return { sql, params };
}

/**
 * A view's query over a pre-aggregated table, for the browser's engine: a press or verdict filter
 * change then re-aggregates a small table. Null where the view has none (`specToCubeSql`, `qualityCubeQuery`).
 */
export function viewCubeSql(spec: ViewSpec, context: QueryContext): { sql: string; params: SqlParam[]; cube: CubeStatement } | null {
  if (!hasCubeKeys(context.columns)) return null;
  const query = isQualityChart(spec.chart) ? qualityCubeQuery(spec, context.columns, context.zone ?? UTC_ZONE) : specToCubeSql(spec, context);
  return query?.cube ? { sql: query.sql, params: query.params, cube: query.cube } : null;
}
