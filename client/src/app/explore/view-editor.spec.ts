import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { DatasetInfo } from '../../../../pipeline/columns';
import { zoneSpans } from '../../../../pipeline/time-zone';
import { TimeZoneService } from '../settings/time-zone.service';
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
    const element = fixture.nativeElement as HTMLElement;
    /** Sets a select's or input's value by its test id as a user would, firing a bubbling `change` like the browser's. */
    const setControl = (testId: string, value: string) => {
      const control = element.querySelector(`[data-testid=${testId}]`) as HTMLSelectElement | HTMLInputElement;
      control.value = value;
      control.dispatchEvent(new Event('change', { bubbles: true }));
      fixture.detectChanges();
    };
    const saveButton = () => element.querySelector('[data-testid=save-view]') as HTMLButtonElement;
    const problem = () => element.querySelector('.problem')!.textContent!.trim();
    return { fixture, element, setControl, saveButton, problem };
  }

  it('explains what is wrong and keeps Save disabled for an invalid view', async () => {
    const { problem, saveButton } = await create({ title: '', chart: 'heatmap', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {} });
    expect(problem()).toContain('needs a split');
    expect(saveButton().disabled).toBeTrue();
  });

  it('builds a view from its controls and emits it on save', async () => {
    const { fixture, element, setControl, saveButton } = await create({ title: '', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} });
    let saved: ViewSpec | undefined;
    fixture.componentInstance.save.subscribe((spec) => (saved = spec));
    setControl('time-bucket', 'hour');
    setControl('split', 'press');
    setControl('aggregation-0', 'count');
    const press = [...element.querySelectorAll<HTMLInputElement>('input[type=checkbox]')][1]!;
    press.click();
    fixture.detectChanges();
    saveButton().click();
    expect(saved).toEqual({ title: '', chart: 'line', x: { kind: 'time', bucket: 'hour' }, y: [{ field: null, agg: 'count' }], split: 'press',
      filters: { presses: ['molding-machine-2'] } });
  });

  it('bins the field being measured when the chart becomes a histogram', async () => {
    const { fixture, setControl, saveButton } = await create({ title: '', chart: 'line', x: { kind: 'time', bucket: 'day' },
      y: [{ field: 'ShotCount', agg: 'avg' }], split: 'none', filters: {} });
    let saved: ViewSpec | undefined;
    fixture.componentInstance.save.subscribe((spec) => (saved = spec));
    setControl('chart-type', 'histogram');
    saveButton().click();
    expect(saved?.x).toEqual({ kind: 'field', field: 'ShotCount' }); // not the first machine-state field, CycleTime
  });

  it('shows the split the view has after another control changed it, and offers only splits that go with x', async () => {
    const { setControl, element, problem } = await create({ title: '', chart: 'heatmap', x: { kind: 'time', bucket: 'day' },
      y: [{ field: null, agg: 'count' }], split: 'press', filters: {} });
    setControl('split', 'defect_type');
    setControl('x-kind', 'defect_type'); // defect type cannot be both: the split goes back to none
    const split = element.querySelector('[data-testid=split]') as HTMLSelectElement;
    expect(split.value).toBe('none');
    expect(problem()).toBe('a heatmap needs a split for its rows');
    // Defect type is on x: it is not offered as the split too, which would only be refused.
    expect([...split.options].map((o) => o.value)).not.toContain('defect_type');
  });

  describe('quality controls', () => {
    // A zone with a fixed offset (+05:30) other than this browser's, so a baseline read in the
    // browser's zone instead of the dashboard's would be caught.
    const KOLKATA = zoneSpans('Asia/Kolkata', Date.parse(SAMPLE_RANGE.min), Date.parse(SAMPLE_RANGE.max));
    const lineView: ViewSpec = { title: 'Q', chart: 'line', x: { kind: 'time', bucket: 'day' }, y: [{ field: null, agg: 'count' }], split: 'press', filters: {} };

    beforeEach(() => {
      TestBed.configureTestingModule({ providers: [{ provide: TimeZoneService, useValue: { zone: signal(KOLKATA) } }] });
    });

    async function createSaving(initial: ViewSpec) {
      const editor = await create(initial);
      const saved: ViewSpec[] = [];
      editor.fixture.componentInstance.save.subscribe((spec) => saved.push(spec));
      return { ...editor, saved, shown: (testId: string) => editor.element.querySelector(`[data-testid=${testId}]`) !== null };
    }

    it('offers every quality chart type by name', async () => {
      const { element } = await create(lineView);
      const options = [...element.querySelectorAll<HTMLOptionElement>('[data-testid=chart-type] option')];
      const labels = new Map(options.map((o) => [o.value, o.textContent!.trim()]));
      expect(labels.get('xbar_r')).toBe('X̄-R control chart');
      expect(labels.get('imr')).toBe('I-MR control chart');
      expect(labels.get('p_chart')).toBe('p-chart (share rejected)');
      expect(labels.get('pareto')).toBe('Pareto of defects');
      expect(labels.get('capability')).toBe('Capability');
    });

    it('builds an X̄-R chart: a numeric field, subgroup size, a baseline in the dashboard\'s zone and run rules', async () => {
      const { setControl, saveButton, saved, shown, element, fixture } = await createSaving(lineView);
      setControl('chart-type', 'xbar_r');
      expect(shown('subgroup-size')).toBeTrue();
      expect((element.querySelector('[data-testid=subgroup-size]') as HTMLInputElement).placeholder).toBe('5');
      setControl('subgroup-size', '8');
      setControl('baseline-from', '2025-09-21T06:00');
      setControl('baseline-to', '2025-09-22T06:00');
      expect(element.querySelector('[data-testid=baseline-from]')!.closest('label')!.textContent).toContain('Asia/Kolkata');
      (element.querySelector('[data-testid=run-rule-2]') as HTMLInputElement).click();
      fixture.detectChanges();
      saveButton().click();
      expect(saved).toEqual([{ title: 'Q', chart: 'xbar_r', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {},
        quality: { subgroupSize: 8, baselineFrom: '2025-09-21T00:30:00.000Z', baselineTo: '2025-09-22T00:30:00.000Z', rules: [1, 2] } }]);
    });

    it('keeps every change made before the page redraws: a typed subgroup size committed by clicking a run rule', async () => {
      const { setControl, saveButton, saved, element, fixture } = await createSaving({ ...lineView, chart: 'xbar_r', y: [{ field: 'CycleTime', agg: 'avg' }],
        quality: { subgroupSize: 25 } });
      // The size's change event fires as it loses focus to the checkbox: both arrive before Angular runs change detection.
      const size = element.querySelector('[data-testid=subgroup-size]') as HTMLInputElement;
      size.value = '5';
      size.dispatchEvent(new Event('change', { bubbles: true }));
      (element.querySelector('[data-testid=run-rule-2]') as HTMLInputElement).click();
      fixture.detectChanges();
      setControl('baseline-from', '2025-09-21T06:00');
      saveButton().click();
      expect(saved.at(-1)!.quality).toEqual({ subgroupSize: 5, rules: [1, 2], baselineFrom: '2025-09-21T00:30:00.000Z' });
    });

    it('offers only the splits the chart draws: by press for a Pareto, none for capability', async () => {
      const { setControl, element } = await create(lineView);
      const splits = () => [...element.querySelectorAll<HTMLOptionElement>('[data-testid=split] option')].map((o) => o.value);
      setControl('chart-type', 'pareto');
      expect(splits()).toEqual(['none', 'press']);
      setControl('chart-type', 'capability');
      expect(splits()).toEqual(['none']);
    });

    it('shows a saved baseline back in the dashboard\'s zone', async () => {
      const { element } = await create({ ...lineView, chart: 'imr', y: [{ field: 'CycleTime', agg: 'avg' }],
        quality: { baselineFrom: '2025-09-21T00:30:00.000Z', baselineTo: '2025-09-22T00:30:00.000Z' } });
      expect((element.querySelector('[data-testid=baseline-from]') as HTMLInputElement).value).toBe('2025-09-21T06:00');
      expect((element.querySelector('[data-testid=baseline-to]') as HTMLInputElement).value).toBe('2025-09-22T06:00');
    });

    it('keeps Save disabled, and says why, for a subgroup over 25 or a baseline that ends before it starts', async () => {
      const { setControl, saveButton, problem } = await createSaving(lineView);
      setControl('chart-type', 'xbar_r');
      setControl('subgroup-size', '26');
      expect(problem()).toBe('subgroup size must be a whole number from 2 to 25');
      expect(saveButton().disabled).toBeTrue();
      setControl('subgroup-size', '2.5');
      expect(problem()).toBe('subgroup size must be a whole number from 2 to 25');
      expect(saveButton().disabled).toBeTrue();
      setControl('subgroup-size', '');
      setControl('baseline-from', '2025-09-22T00:00');
      setControl('baseline-to', '2025-09-21T00:00');
      expect(problem()).toBe('the baseline must end after it starts');
      expect(saveButton().disabled).toBeTrue();
      setControl('baseline-to', '');
      expect(problem()).toBe('');
      expect(saveButton().disabled).toBeFalse();
    });

    it('an I-MR chart takes single parts: no subgroup size, a baseline', async () => {
      const { setControl, shown } = await createSaving(lineView);
      setControl('chart-type', 'imr');
      expect(shown('subgroup-size')).toBeFalse();
      expect(shown('baseline-from')).toBeTrue();
      expect(shown('baseline-to')).toBeTrue();
    });

    it('builds a p-chart of the verdict, per hour by default or per n consecutive parts', async () => {
      const { setControl, saveButton, saved, shown, element } = await createSaving({ ...lineView, y: [{ field: 'CycleTime', agg: 'avg' }] });
      setControl('chart-type', 'p_chart');
      expect((element.querySelector('[data-testid=subgroup-by]') as HTMLSelectElement).value).toBe('hour');
      expect(shown('subgroup-size')).toBeFalse();
      setControl('subgroup-by', 'parts');
      setControl('subgroup-size', '50');
      saveButton().click();
      expect(saved[0]!.y).toEqual([{ field: 'reject', agg: 'reject_rate' }]);
      expect(saved[0]!.quality).toEqual({ subgroupBy: 'parts', subgroupSize: 50 });
    });

    it('a Pareto takes Top N and no control-chart controls', async () => {
      const { setControl, saveButton, saved, shown } = await createSaving(lineView);
      setControl('chart-type', 'pareto');
      for (const testId of ['subgroup-size', 'baseline-from', 'baseline-to', 'run-rule-1']) expect(shown(testId)).withContext(testId).toBeFalse();
      setControl('top-n', '3');
      saveButton().click();
      expect(saved[0]!.quality).toEqual({ topN: 3 });
    });

    it('a capability study takes spec limits, refuses LSL ≥ USL, and has no control limits', async () => {
      const { setControl, saveButton, saved, shown, problem } = await createSaving(lineView);
      setControl('chart-type', 'capability');
      expect(shown('baseline-from')).toBeFalse();
      setControl('spec-lsl', '12');
      setControl('spec-usl', '11');
      expect(problem()).toBe('the lower spec limit must be below the upper one');
      setControl('spec-usl', '14.5');
      setControl('spec-target', '13');
      saveButton().click();
      expect(saved[0]!.y).toEqual([{ field: 'CycleTime', agg: 'avg' }]);
      expect(saved[0]!.quality).toEqual({ lsl: 12, usl: 14.5, target: 13 });
    });
  });
});
