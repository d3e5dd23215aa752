// A view card runs its query when what it shows changes, and only then.
import { signal } from '@angular/core';
import { tableFromArrays } from 'apache-arrow';
import { provideEchartsCore } from 'ngx-echarts';
import { echarts } from './echarts-setup';
import { TestBed } from '@angular/core/testing';
import { DatasetService } from '../data/dataset.service';
import { ViewCard } from './view-card';
import type { DashboardView } from './dashboard.service';
import { SAMPLE_COLUMNS, SAMPLE_RANGE } from '../../../../pipeline/testing/sample-columns';
import type { ViewSpec } from '../../../../pipeline/view-spec';

const info = { sha256: 'sha', columns: SAMPLE_COLUMNS, timeRange: SAMPLE_RANGE, machines: [{ id: 'molding-machine-1', rows: 5 }] };
const pChart: ViewSpec = { title: 'p-chart', chart: 'p_chart', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'reject', agg: 'reject_rate' }],
  split: 'none', filters: {}, quality: { subgroupBy: 'hour' } };
const line: ViewSpec = { title: 'line', chart: 'line', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {} };

describe('ViewCard', () => {
  for (const spec of [pChart, line]) {
    it(`runs a ${spec.chart} view's query once when its view is handed over again unchanged`, async () => {
      const asked: unknown[] = [];
      TestBed.resetTestingModule();
      TestBed.configureTestingModule({ providers: [{ provide: DatasetService, useValue: {
        info: signal(info), generation: signal('sha'),
        run: (request: unknown) => {
          asked.push(request);
          return new Promise(() => {}); // the answer does not matter here, only how often it is asked
        },
      } }] });
      const fixture = TestBed.createComponent(ViewCard);
      const show = async (view: DashboardView) => {
        fixture.componentRef.setInput('view', view);
        await fixture.whenStable();
      };
      fixture.componentRef.setInput('position', 0);
      fixture.componentRef.setInput('total', 1);
      await show({ id: 'v1', spec });
      expect(asked.length).toBe(1);
      await show(JSON.parse(JSON.stringify({ id: 'v1', spec })) as DashboardView); // e.g. the dashboard read back from storage
      expect(asked.length).toBe(1);
      await show({ id: 'v1', spec: { ...spec, filters: { presses: ['molding-machine-1'] } } });
      expect(asked.length).toBe(2);
    });
  }

  it('leaves the footer to a quality chart once the view becomes one (the old row count stayed under it)', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideEchartsCore({ echarts }), { provide: DatasetService, useValue: {
      info: signal(info), generation: signal('sha'),
      run: (request: { spec: ViewSpec }) => (request.spec.chart === 'line'
        ? Promise.resolve({ table: tableFromArrays({ x: Float64Array.from([Date.parse('2025-09-21')]), y0: Float64Array.from([24.5]) }),
          milliseconds: 5, answeredBy: 'device' })
        : new Promise(() => {})),
    } }] });
    const fixture = TestBed.createComponent(ViewCard);
    fixture.componentRef.setInput('position', 0);
    fixture.componentRef.setInput('total', 1);
    fixture.componentRef.setInput('view', { id: 'v1', spec: line });
    await fixture.whenStable();
    const footer = () => (fixture.nativeElement as HTMLElement).querySelector('.card-footer')!.textContent!;
    expect(footer()).toContain('1 rows');
    fixture.componentRef.setInput('view', { id: 'v1', spec: pChart });
    await fixture.whenStable();
    expect(footer()).not.toContain('rows');
  });

  it('says in words that no parts match instead of drawing bare axes', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideEchartsCore({ echarts }), { provide: DatasetService, useValue: {
      info: signal(info), generation: signal('sha'),
      run: () => Promise.resolve({ table: tableFromArrays({ x: new Float64Array(0), y0: new Float64Array(0) }), milliseconds: 5, answeredBy: 'device' }),
    } }] });
    const fixture = TestBed.createComponent(ViewCard);
    fixture.componentRef.setInput('position', 0);
    fixture.componentRef.setInput('total', 1);
    fixture.componentRef.setInput('view', { id: 'v1', spec: line });
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid=view-empty]')?.textContent).toContain('No parts match');
    expect(element.querySelector('[data-testid=view-chart] canvas')).toBeNull();
  });
});
