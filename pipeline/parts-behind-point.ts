// The parts behind a clicked point of a generic view: the view's filters narrowed by the filters a
// click would set on the dashboard (the point's series, then its x), so "Show parts" lists exactly
// what the dashboard would show after "Filter the dashboard to this". One rule for both gestures.
import { applyDashboardFilter, filterForPoint, type DashboardFilter } from './dashboard-filter.js';
import type { ChartPoint } from './result-to-option.js';
import type { ViewQuery } from './spec-to-sql.js';
import type { ViewFilters, ViewSpec } from './view-spec.js';

/** Null when the point stands for nothing a filter can name (then the menu offers no parts). */
export function partsBehindPoint(spec: ViewSpec, query: Pick<ViewQuery, 'bucket' | 'zone'>, point: ChartPoint,
  dataEnd: string | null): ViewFilters | null {
  const narrowing = [
    filterForPoint(spec, { series: point.series }, query.bucket, query.zone),
    filterForPoint(spec, { x: point.x, width: point.width }, query.bucket, query.zone),
  ].filter((n) => n !== null);
  if (!narrowing.length) return null;
  const filter = narrowing.reduce<DashboardFilter>((f, n) => n.apply(f), {});
  return applyDashboardFilter(spec, filter, { dataEnd }).filters;
}
