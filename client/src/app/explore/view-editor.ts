// Builds or edits one view: chart type, x, measures, split and filters, checked live against the
// dataset's schema. A modal sheet: centred on a desktop, full screen on a phone.
import { afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, output, signal, viewChild } from '@angular/core';
import { isNumeric, type ColumnInfo, type DatasetInfo } from '../../../../pipeline/columns';
import { FieldPicker } from './field-picker';
import { QualityOptionsEditor } from '../quality/quality-options';
import { isQualityChart, withQualityDefaults } from '../../../../pipeline/quality/quality-spec';
import { TimeZoneService } from '../settings/time-zone.service';
import { fromZonedInput, toZonedInput } from '../../../../pipeline/time-zone';
import {
  AGGREGATION_LABELS, aggregationsFor, CHART_LABELS, CHART_TYPES, checkSpecAgainstSchema, DEFECT_REJECTED, countsPerDefectType, SPLIT_LABELS, splitsFor,
  TIME_BUCKETS, type Aggregation, type ChartType, type Split, type TimeBucket, type ViewSpec, type XAxis,
} from '../../../../pipeline/view-spec';


@Component({
  selector: 'ml-view-editor',
  imports: [FieldPicker, QualityOptionsEditor],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './view-editor.html',
  styleUrl: './view-editor.css',
})
export class ViewEditor {
  readonly dataset = input.required<DatasetInfo>();
  readonly initial = input.required<ViewSpec>();
  readonly heading = input('Edit view');
  readonly save = output<ViewSpec>();
  readonly cancel = output<void>();

  protected readonly chartTypes = CHART_TYPES;
  protected readonly chartLabels = CHART_LABELS;
  protected readonly aggregationLabels = AGGREGATION_LABELS;
  protected readonly buckets = TIME_BUCKETS;
  /** Only the splits this chart type draws with this x are offered. */
  protected readonly splits = computed(() => splitsFor(this.spec().chart, this.spec().x));
  protected readonly splitLabels = SPLIT_LABELS;

  protected readonly zone = inject(TimeZoneService).zone;
  protected readonly spec = signal<ViewSpec>({ title: '', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} });
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  protected readonly isQuality = computed(() => isQualityChart(this.spec().chart));
  protected readonly columns = computed(() => this.dataset().columns);
  protected readonly measureColumns = computed<ColumnInfo[]>(() => {
    const spec = this.spec();
    const usable = this.columns().filter((c) => isNumeric(c) || c.type === 'BOOLEAN');
    return countsPerDefectType(spec) ? [{ name: DEFECT_REJECTED, type: 'BOOLEAN', group: 'defect' }, ...usable] : usable;
  });
  /** Per measure, the aggregations its field offers: only ones that mean something and run. */
  protected readonly aggregationChoices = computed(() => this.spec().y.map((m) =>
    aggregationsFor(m.field === null ? null : this.measureColumns().find((c) => c.name === m.field) ?? null)));
  protected readonly numericColumns = computed(() => this.columns().filter((c) => isNumeric(c)));
  protected readonly problem = computed(() => {
    try {
      checkSpecAgainstSchema(this.spec(), this.columns());
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  });
  protected readonly singleMeasure = computed(() => ['scatter', 'boxplot', 'histogram'].includes(this.spec().chart));

  constructor() {
    afterNextRender(() => {
      this.spec.set(structuredClone(this.initial()));
      this.dialog().nativeElement.showModal();
    });
  }

  protected patch(change: Partial<ViewSpec>): void {
    this.spec.update((s) => ({ ...s, ...change }));
  }

  protected setChart(chart: string): void {
    this.patch({ chart: chart as ChartType });
    this.spec.update((s) => withQualityDefaults(s, this.columns()));
    const spec = this.spec();
    if ((chart === 'histogram' || chart === 'scatter') && spec.x.kind !== 'field') {
      // A histogram bins the field being measured, when it is a number; a scatter plots it against another.
      const measured = chart === 'histogram' ? this.numericColumns().find((c) => c.name === spec.y[0]?.field)?.name : undefined;
      const field = measured ?? this.numericColumns().find((c) => c.group === 'machine_state')?.name ?? this.numericColumns()[0]?.name;
      if (field) this.patch({ x: { kind: 'field', field } });
    }
  }

  protected setXKind(kind: string): void {
    const x: XAxis = kind === 'time' ? { kind: 'time', bucket: 'auto' }
      : kind === 'defect_type' ? { kind: 'defect_type' }
      : { kind: 'field', field: this.numericColumns().find((c) => c.group === 'machine_state')?.name ?? this.columns()[0]!.name };
    this.patch({ x, split: splitsFor(this.spec().chart, x).includes(this.spec().split) ? this.spec().split : 'none' });
  }

  protected setBucket(bucket: string): void {
    this.patch({ x: { kind: 'time', bucket: bucket as TimeBucket } });
  }

  protected setXField(field: string | null): void {
    const x = this.spec().x;
    if (field) this.patch({ x: { kind: 'field', field, ...(x.kind === 'field' && x.bins ? { bins: x.bins } : {}) } });
  }

  protected setBins(text: string): void {
    const x = this.spec().x;
    if (x.kind !== 'field') return;
    const bins = Number(text);
    this.patch({ x: { kind: 'field', field: x.field, ...(text && Number.isInteger(bins) && bins >= 2 && bins <= 500 ? { bins } : {}) } });
  }

  /** Changes a measure; a new field keeps the aggregation when it applies, else takes the average or the most telling one (share true, reject rate). */
  protected setMeasure(index: number, change: { field?: string | null; agg?: Aggregation }): void {
    this.patch({ y: this.spec().y.map((m, i) => (i === index ? { ...m, ...change } : m)) });
    const measure = this.spec().y[index]!;
    const offered = this.aggregationChoices()[index]!;
    if (!offered.includes(measure.agg)) this.patch({ y: this.spec().y.map((m, i) => (i === index ? { ...m, agg: offered.includes('avg') ? 'avg' : offered.at(-1)! } : m)) });
  }

  protected addMeasure(): void {
    this.patch({ y: [...this.spec().y, { field: this.numericColumns()[0]?.name ?? null, agg: 'avg' }] });
  }

  protected removeMeasure(index: number): void {
    this.patch({ y: this.spec().y.filter((_, i) => i !== index) });
  }

  protected setSplit(split: string): void {
    this.patch({ split: split as Split });
  }

  protected setTime(which: 'from' | 'to', value: string): void {
    const filters = { ...this.spec().filters };
    const instant = fromZonedInput(this.zone(), value);
    if (instant) filters[which] = instant;
    else delete filters[which];
    this.patch({ filters });
  }

  protected localTime(which: 'from' | 'to'): string {
    return toZonedInput(this.zone(), this.spec().filters[which]);
  }

  protected togglePress(id: string, on: boolean): void {
    const { presses = [], ...rest } = this.spec().filters;
    const chosen = new Set(presses);
    if (on) chosen.add(id);
    else chosen.delete(id);
    this.patch({ filters: chosen.size ? { ...rest, presses: [...chosen] } : rest });
  }

  protected setReject(value: string): void {
    const filters = { ...this.spec().filters };
    if (value === 'any') delete filters.reject;
    else filters.reject = value === 'rejected';
    this.patch({ filters });
  }

  protected rejectValue(): string {
    const reject = this.spec().filters.reject;
    return reject === undefined ? 'any' : reject ? 'rejected' : 'accepted';
  }

  protected addRange(): void {
    const field = this.numericColumns()[0]?.name;
    if (field) this.patch({ filters: { ...this.spec().filters, ranges: [...(this.spec().filters.ranges ?? []), { field }] } });
  }

  protected setRange(index: number, change: { field?: string | null; min?: string; max?: string }): void {
    const ranges = (this.spec().filters.ranges ?? []).map((r, i) => {
      if (i !== index) return r;
      const next = { ...r };
      if (change.field) next.field = change.field;
      for (const key of ['min', 'max'] as const) {
        const text = change[key];
        if (text === undefined) continue;
        if (text === '' || !Number.isFinite(Number(text))) delete next[key];
        else next[key] = Number(text);
      }
      return next;
    });
    this.patch({ filters: { ...this.spec().filters, ranges } });
  }

  protected removeRange(index: number): void {
    const { ranges = [], ...rest } = this.spec().filters;
    const kept = ranges.filter((_, i) => i !== index);
    this.patch({ filters: kept.length ? { ...rest, ranges: kept } : rest });
  }

  protected submit(): void {
    if (this.problem()) return;
    this.dialog().nativeElement.close();
    this.save.emit(this.spec());
  }

  protected dismiss(): void {
    this.dialog().nativeElement.close();
  }

  protected onClose(): void {
    this.cancel.emit();
  }
}
