// "Compare rejected vs accepted" from the toolbar: the Parts panel on its comparison tab over every
// part the dashboard's filter keeps, its heading naming that filter as the filter bar's chips do.
import { applyDashboardFilter, filterChips, type DashboardFilter } from '../dashboard-filter.js';
import type { TimeZone } from '../time-zone.js';
import type { ViewSpec } from '../view-spec.js';
import type { PartsPanelState } from './parts-link.js';

/** A view with no filters of its own: the dashboard's filter alone, as the merged filters. */
const UNFILTERED_VIEW: ViewSpec = { title: '', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} };

export function dashboardComparison(filter: DashboardFilter, context: { dataEnd: string | null; zone: TimeZone }): PartsPanelState {
  const { filters } = applyDashboardFilter(UNFILTERED_VIEW, filter, { dataEnd: context.dataEnd });
  const chips = filterChips(filter, context.zone).map((chip) => chip.label);
  return {
    heading: chips.length ? `Dashboard filter: ${chips.join(' · ')}` : 'All parts (no dashboard filter)',
    mode: 'compare', filters, scope: { kind: 'all' }, fields: [], sort: { field: 'timestamp', descending: false }, page: 0,
  };
}
