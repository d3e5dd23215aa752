// The quality views' entry points, as specToSql / resultToOption are for the generic views: spec →
// SQL, and the result → chart, table, notes and the parts behind each item.
import type { ColumnInfo } from '../columns.js';
import type { CubeStatement } from '../cube.js';
import type { SqlParam } from '../filter-sql.js';
import type { ResultTable } from '../result-to-option.js';
import type { TimeZone } from '../time-zone.js';
import type { ViewSpec } from '../view-spec.js';
import { capabilitySql } from './capability-sql.js';
import { capabilityOutcome } from './capability-view.js';
import { controlChartModel } from './control-chart-model.js';
import { controlChartSql } from './control-chart-sql.js';
import { controlChartNotes, controlChartOption, controlChartScopes, controlChartTable } from './control-chart-view.js';
import { nearMissSql } from './near-miss-sql.js';
import { nearMissOutcome } from './near-miss-view.js';
import { paretoSql } from './pareto-sql.js';
import { paretoOutcome } from './pareto-view.js';
import type { QualityOutcome } from './quality-outcome.js';
import type { QualityChartType } from './quality-spec.js';

/** The view's SQL; `zone` is the dashboard's time zone, which time subgroups and their times follow. */
export function qualityQuery(spec: ViewSpec, columns: readonly ColumnInfo[], zone: TimeZone): { sql: string; params: SqlParam[] } {
  switch (spec.chart as QualityChartType) {
    case 'pareto': return paretoSql(spec, columns);
    case 'capability': return capabilitySql(spec, columns);
    case 'near_miss': return nearMissSql(spec, columns);
    default: return controlChartSql(spec, columns, zone);
  }
}

/**
 * The view's query over a pre-aggregated table (cube.ts), where its figures add up from one: a
 * Pareto, a p-chart of time subgroups and near misses (per press and verdict), a capability study
 * (per press, without a verdict filter). Null for the others.
 */
export function qualityCubeQuery(spec: ViewSpec, columns: readonly ColumnInfo[], zone: TimeZone): { sql: string; params: SqlParam[]; cube?: CubeStatement } | null {
  switch (spec.chart as QualityChartType) {
    case 'pareto': return paretoSql(spec, columns, true);
    case 'capability': return capabilitySql(spec, columns, true);
    case 'near_miss': return nearMissSql(spec, columns, true);
    default: return controlChartSql(spec, columns, zone, true);
  }
}

/** The result as chart, table, notes and parts; `zone` must be the one the query was made with. */
export function qualityOutcome(spec: ViewSpec, table: ResultTable, zone: TimeZone): QualityOutcome {
  switch (spec.chart as QualityChartType) {
    case 'pareto': return paretoOutcome(spec, table);
    case 'capability': return capabilityOutcome(spec, table);
    case 'near_miss': return nearMissOutcome(table);
    default: {
      const model = controlChartModel(spec, table, zone);
      return { option: controlChartOption(model), table: controlChartTable(model), notes: controlChartNotes(model).map((text) => ({ text })),
        scopes: controlChartScopes(model) };
    }
  }
}
