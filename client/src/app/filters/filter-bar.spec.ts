import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DatasetService } from '../data/dataset.service';
import { TimeZoneService } from '../settings/time-zone.service';
import { urlWritten } from '../shared/url-writer';
import { FilterBar } from './filter-bar';
import { SAMPLE_COLUMNS, SAMPLE_RANGE } from '../../../../pipeline/testing/sample-columns';

const info = { columns: SAMPLE_COLUMNS, timeRange: SAMPLE_RANGE, machines: [{ id: 'molding-machine-1', rows: 5 }, { id: 'molding-machine-2', rows: 5 }] };

describe('FilterBar', () => {
  const originalUrl = location.href;
  afterEach(async () => {
    await urlWritten();
    history.replaceState(null, '', originalUrl);
    localStorage.removeItem('moldlens.timeZone');
  });

  async function create() {
    history.replaceState(null, '', location.pathname);
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [{ provide: DatasetService, useValue: {
      info: signal(info), generation: signal('sha'),
      // Only flash has verdicts: short never got one, so it is not offered.
      run: async () => ({ table: { getChild: (name: string) => ({ get: () => (name === 'c0' ? 7 : 0) }) } }),
    } }] });
    TestBed.inject(TimeZoneService).choose('utc');
    const fixture = TestBed.createComponent(FilterBar);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    const click = (selector: string) => {
      element.querySelector<HTMLElement>(selector)!.click();
      fixture.detectChanges();
    };
    const filter = () => JSON.parse(new URLSearchParams(location.search).get('f') ?? '{}') as Record<string, unknown>;
    return { element, click, filter, chips: () => [...element.querySelectorAll('[data-testid=filter-chip] span')].map((c) => c.textContent!.trim()) };
  }

  it('puts each change in the URL as a chip, and a chip clears its filter with one tap', async () => {
    const { click, filter, chips, element } = await create();
    const entries = history.length;
    click('[data-press="molding-machine-2"]');
    click('[data-testid=time-day]');
    await urlWritten();
    expect(filter()).toEqual({ presses: ['molding-machine-2'], time: { preset: 'day' } });
    expect(history.length).toBe(entries + 2);
    expect(chips()).toEqual(['Last 24 h', 'Press molding-machine-2']);
    click('[data-testid=filter-chip] button');
    await urlWritten();
    expect(filter()).toEqual({ presses: ['molding-machine-2'] });
    click('[data-testid=filters-clear]');
    await urlWritten();
    expect(filter()).toEqual({});
    expect(element.querySelector('.no-filter')!.textContent).toContain('times in UTC');
  });

  it('offers only the defect types that have verdicts', async () => {
    const { element } = await create();
    const options = [...element.querySelectorAll<HTMLOptionElement>('[data-testid=filter-defect] option')].map((o) => o.value);
    expect(options).toEqual(['', 'flash']);
  });
});
