// The dashboard's filter, one for every view: kept in the URL beside the dashboard, each change a new
// history entry so back and forward undo and redo it. Views read it and merge it into their specs
// with the pipeline's applyDashboardFilter.
import { Injectable, signal } from '@angular/core';
import { FILTER_PARAM, isEmptyFilter, parseDashboardFilter, type DashboardFilter } from '../../../../pipeline/dashboard-filter';
import { writeUrl } from '../shared/url-writer';

function readUrl(): DashboardFilter {
  const text = new URLSearchParams(location.search).get(FILTER_PARAM);
  if (!text) return {};
  try {
    return parseDashboardFilter(JSON.parse(text));
  } catch {
    // A damaged filter in a link must not stop the dashboard from opening: it opens unfiltered.
    return {};
  }
}

@Injectable({ providedIn: 'root' })
export class DashboardFilterService {
  private readonly filterState = signal<DashboardFilter>(readUrl());
  readonly filter = this.filterState.asReadonly();

  constructor() {
    addEventListener('popstate', () => this.filterState.set(readUrl()));
  }

  set(filter: DashboardFilter): void {
    if (JSON.stringify(filter) === JSON.stringify(this.filterState())) return;
    this.filterState.set(filter);
    writeUrl((url) => {
      if (isEmptyFilter(filter)) url.searchParams.delete(FILTER_PARAM);
      else url.searchParams.set(FILTER_PARAM, JSON.stringify(filter));
    }, true);
  }

  update(change: (filter: DashboardFilter) => DashboardFilter): void {
    this.set(change(this.filterState()));
  }
}
