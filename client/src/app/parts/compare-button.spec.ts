import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DatasetService } from '../data/dataset.service';
import { DashboardFilterService } from '../filters/dashboard-filter.service';
import { TimeZoneService } from '../settings/time-zone.service';
import { urlWritten } from '../shared/url-writer';
import type { DashboardFilter } from '../../../../pipeline/dashboard-filter';
import { zoneSpans } from '../../../../pipeline/time-zone';
import { CompareButton } from './compare-button';
import { PartsPanelService } from './parts-panel.service';

describe('CompareButton', () => {
  const DATA_END = '2025-10-26T10:00:00.000Z';
  const BERLIN = zoneSpans('Europe/Berlin', Date.parse('2025-10-20T00:00:00Z'), Date.parse(DATA_END));

  function create(filter: DashboardFilter) {
    TestBed.configureTestingModule({ providers: [
      { provide: DatasetService, useValue: { info: signal({ timeRange: { min: '2025-10-20T00:00:00.000Z', max: DATA_END } }) } },
      { provide: DashboardFilterService, useValue: { filter: signal(filter) } },
      { provide: TimeZoneService, useValue: { zone: signal(BERLIN) } },
    ] });
    const fixture = TestBed.createComponent(CompareButton);
    fixture.detectChanges();
    const panel = TestBed.inject(PartsPanelService);
    const button = (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>('[data-testid=compare-dashboard]')!;
    return { panel, button };
  }

  afterEach(async () => {
    TestBed.inject(PartsPanelService).close();
    await urlWritten();
  });

  it('opens the Parts panel on its comparison over the dashboard filter, named in the panel and kept in the URL', async () => {
    const { panel, button } = create({ time: { preset: 'shift' }, presses: ['molding-machine-2'], reject: false });
    expect(button.textContent!.trim()).toBe('Compare rejected vs accepted');
    button.click();
    // The last 8 h end 1 ms after the newest part; the verdict filter is the dashboard's.
    expect(panel.state()).toEqual({
      heading: 'Dashboard filter: Last 8 h (shift) · Press molding-machine-2 · Accepted parts', mode: 'compare',
      filters: { from: '2025-10-26T02:00:00.001Z', to: '2025-10-26T10:00:00.001Z', presses: ['molding-machine-2'], reject: false },
      scope: { kind: 'all' }, fields: [], sort: { field: 'timestamp', descending: false }, page: 0,
    });
    await urlWritten();
    expect(new URLSearchParams(location.search).get('parts')).toBeTruthy();
  });

  it('compares every part when the dashboard has no filter', () => {
    const { panel, button } = create({});
    button.click();
    expect(panel.state()?.filters).toEqual({});
    expect(panel.state()?.heading).toBe('All parts (no dashboard filter)');
  });
});
