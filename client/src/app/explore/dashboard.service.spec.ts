import { TestBed } from '@angular/core/testing';
import { urlWritten } from '../shared/url-writer';
import { DashboardService } from './dashboard.service';
import { SAMPLE_COLUMNS } from '../../../../pipeline/testing/sample-columns';
import { encodeView, encodeViews } from '../../../../pipeline/view-url';
import type { ViewSpec } from '../../../../pipeline/view-spec';

const view = (title: string): ViewSpec => ({ title, chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} });

describe('DashboardService', () => {
  const originalUrl = location.href;
  function create(search = ''): DashboardService {
    history.replaceState(null, '', `${location.pathname}${search}`);
    TestBed.resetTestingModule();
    return TestBed.inject(DashboardService);
  }

  beforeEach(() => localStorage.removeItem('moldlens.dashboard'));
  afterEach(async () => {
    await urlWritten();
    history.replaceState(null, '', originalUrl);
  });

  it('starts a first visit with the default views, saved and mirrored in the URL', async () => {
    const dashboard = create();
    expect(dashboard.views()).toBeNull();
    dashboard.ensureDefaults({ columns: SAMPLE_COLUMNS, machines: [{ id: 'molding-machine-1', rows: 3 }, { id: 'molding-machine-2', rows: 7 }] });
    expect(dashboard.views()!.map((v) => v.spec.chart)).toEqual(['p_chart', 'pareto', 'imr']);
    expect(dashboard.views()![2]!.spec.filters.presses).toEqual(['molding-machine-2']);
    expect(JSON.parse(localStorage.getItem('moldlens.dashboard')!).length).toBe(3);
    await urlWritten();
    expect(new URLSearchParams(location.search).get('d')).toBeTruthy();
  });

  it('adds, duplicates, reorders and removes views', () => {
    const dashboard = create();
    dashboard.ensureDefaults({ columns: [], machines: [] });
    const a = dashboard.add(view('A'));
    dashboard.add(view('B'));
    dashboard.duplicate(a);
    expect(dashboard.views()!.map((v) => v.spec.title)).toEqual(['A', 'A (copy)', 'B']);
    dashboard.move(a, 1);
    expect(dashboard.views()!.map((v) => v.spec.title)).toEqual(['A (copy)', 'A', 'B']);
    dashboard.move(a, 1);
    dashboard.move(a, 1);
    expect(dashboard.views()!.map((v) => v.spec.title)).toEqual(['A (copy)', 'B', 'A']);
    dashboard.remove(a);
    dashboard.replace(dashboard.views()![0]!.id, view('C'));
    expect(dashboard.views()!.map((v) => v.spec.title)).toEqual(['C', 'B']);
  });

  it('opens the dashboard in a link, and a shared view as a temporary dashboard that can be added to the saved one', async () => {
    expect(create(`?d=${encodeViews([view('X'), view('Y')])}`).views()!.map((v) => v.spec.title)).toEqual(['X', 'Y']);
    await urlWritten(); // the first dashboard's own URL write must not be the one that removes `v`
    const shared = create(`?v=${encodeView(view('Z'))}`);
    expect(shared.temporary()).toBeTrue();
    expect(shared.views()!.map((v) => v.spec.title)).toEqual(['Z']);
    await urlWritten();
    expect(new URLSearchParams(location.search).has('v')).toBeFalse();
    expect(JSON.parse(localStorage.getItem('moldlens.dashboard')!).map((v: ViewSpec) => v.title)).toEqual(['X', 'Y']);
    shared.addToMine();
    expect(shared.views()!.map((v) => v.spec.title)).toEqual(['X', 'Y', 'Z']);
  });

  it('opens a shared dashboard as a temporary one that never overwrites the saved one', () => {
    create(`?d=${encodeViews([view('Mine')])}`);
    const shared = create(`?d=${encodeViews([view('Theirs')])}`);
    expect(shared.temporary()).toBeTrue();
    expect(shared.views()!.map((v) => v.spec.title)).toEqual(['Theirs']);
    shared.add(view('Also theirs'));
    expect(JSON.parse(localStorage.getItem('moldlens.dashboard')!).map((v: ViewSpec) => v.title)).toEqual(['Mine']);
    shared.addToMine();
    expect(shared.temporary()).toBeFalse();
    expect(JSON.parse(localStorage.getItem('moldlens.dashboard')!).map((v: ViewSpec) => v.title)).toEqual(['Mine', 'Theirs', 'Also theirs']);
    const again = create(`?d=${encodeViews([view('Other')])}`);
    again.saveAsMine();
    expect(JSON.parse(localStorage.getItem('moldlens.dashboard')!).map((v: ViewSpec) => v.title)).toEqual(['Other']);
  });

  it('shows what another tab saved, so a change here keeps it', () => {
    const dashboard = create(`?d=${encodeViews([view('A')])}`);
    localStorage.setItem('moldlens.dashboard', JSON.stringify([view('A'), view('From the other tab')]));
    dispatchEvent(new StorageEvent('storage', { key: 'moldlens.dashboard' }));
    expect(dashboard.views()!.map((v) => v.spec.title)).toEqual(['A', 'From the other tab']);
    dashboard.add(view('Here'));
    expect(JSON.parse(localStorage.getItem('moldlens.dashboard')!).map((v: ViewSpec) => v.title)).toEqual(['A', 'From the other tab', 'Here']);
  });

  it('says so when a link is damaged, and keeps the saved dashboard', () => {
    create(`?d=${encodeViews([view('Kept')])}`);
    const dashboard = create('?d=not-a-dashboard');
    expect(dashboard.linkError()).toMatch(/could not be opened/);
    expect(dashboard.views()!.map((v) => v.spec.title)).toEqual(['Kept']);
  });
});
