import { TestBed } from '@angular/core/testing';
import type { DatasetInfo } from '../../../../pipeline/columns';
import { ViewEditor } from './view-editor';
import { SAMPLE_COLUMNS, SAMPLE_RANGE } from '../../../../pipeline/testing/sample-columns';
import type { ViewSpec } from '../../../../pipeline/view-spec';

const dataset = { columns: SAMPLE_COLUMNS, timeRange: SAMPLE_RANGE, machines: [{ id: 'molding-machine-1', rows: 5 }, { id: 'molding-machine-2', rows: 5 }] } as DatasetInfo;

describe('ViewEditor', () => {
  async function create(initial: ViewSpec) {
    const fixture = TestBed.createComponent(ViewEditor);
    fixture.componentRef.setInput('dataset', dataset);
    fixture.componentRef.setInput('initial', initial);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('explains what is wrong and keeps Save disabled for an invalid view', async () => {
    const { element } = await create({ title: '', chart: 'heatmap', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {} });
    expect(element.querySelector('.problem')!.textContent).toContain('needs a split');
    expect((element.querySelector('[data-testid=save-view]') as HTMLButtonElement).disabled).toBeTrue();
  });

  it('builds a view from its controls and emits it on save', async () => {
    const { fixture, element } = await create({ title: '', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} });
    let saved: ViewSpec | undefined;
    fixture.componentInstance.save.subscribe((spec) => (saved = spec));
    const select = (testId: string, value: string) => {
      const el = element.querySelector(`[data-testid=${testId}]`) as HTMLSelectElement;
      el.value = value;
      el.dispatchEvent(new Event('change'));
      fixture.detectChanges();
    };
    select('time-bucket', 'hour');
    select('split', 'press');
    select('aggregation-0', 'count');
    const press = [...element.querySelectorAll<HTMLInputElement>('input[type=checkbox]')][1]!;
    press.click();
    fixture.detectChanges();
    (element.querySelector('[data-testid=save-view]') as HTMLButtonElement).click();
    expect(saved).toEqual({ title: '', chart: 'line', x: { kind: 'time', bucket: 'hour' }, y: [{ field: null, agg: 'count' }], split: 'press',
      filters: { presses: ['molding-machine-2'] } });
  });
});
