// The dashboard's filter bar: time range (presets or custom), presses, verdict, defect type and a range
// on any field, with the active filters as chips that clear with one tap. On a desktop the controls
// sit above the views; on a phone they open as a full-screen sheet and only the chips stay in view.
import { ChangeDetectionStrategy, Component, computed, effect, ElementRef, inject, signal, viewChild } from '@angular/core';
import { DatasetService } from '../data/dataset.service';
import { FieldPicker } from '../explore/field-picker';
import { TimeZoneService } from '../settings/time-zone.service';
import { DashboardFilterService } from './dashboard-filter.service';
import { isNumeric } from '../../../../pipeline/columns';
import {
  filterChips, setRange, setTime, TIME_PRESET_LABELS, TIME_PRESETS, togglePress, type DashboardFilter, type TimePreset,
} from '../../../../pipeline/dashboard-filter';
import { defectRejectColumns } from '../../../../pipeline/spec-to-sql';
import { fromZonedInput, toZonedInput } from '../../../../pipeline/time-zone';

@Component({
  selector: 'ml-filter-bar',
  imports: [FieldPicker],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './filter-bar.html',
  styleUrl: './filter-bar.css',
})
export class FilterBar {
  private readonly dataset = inject(DatasetService);
  private readonly filters = inject(DashboardFilterService);
  protected readonly zone = inject(TimeZoneService).zone;
  private readonly sheet = viewChild.required<ElementRef<HTMLDialogElement>>('sheet');

  protected readonly presets = Object.keys(TIME_PRESETS) as TimePreset[];
  protected readonly presetLabels = TIME_PRESET_LABELS;
  protected readonly filter = this.filters.filter;
  protected readonly chips = computed(() => filterChips(this.filter(), this.zone()));
  protected readonly presses = computed(() => this.dataset.info()?.machines.map((m) => m.id) ?? []);
  protected readonly numericColumns = computed(() => this.dataset.info()?.columns.filter((c) => isNumeric(c)) ?? []);
  /** Defect types that have verdicts in this dataset (label_detection often has none). */
  protected readonly defectTypes = signal<string[]>([]);
  protected readonly customTime = signal(false);
  protected readonly rangeField = signal<string | null>(null);

  protected readonly timeChoice = computed(() => {
    const time = this.filter().time;
    return !time ? 'all' : 'preset' in time ? time.preset : 'custom';
  });
  protected readonly customFrom = computed(() => this.customValue('from'));
  protected readonly customTo = computed(() => this.customValue('to'));

  constructor() {
    effect(() => {
      const info = this.dataset.info();
      if (this.dataset.generation() && info) void this.loadDefectTypes(info.columns);
    });
  }

  private async loadDefectTypes(columns: NonNullable<ReturnType<DatasetService['info']>>['columns']): Promise<void> {
    const flags = defectRejectColumns(columns);
    if (!flags.length) return this.defectTypes.set([]);
    try {
      const { table } = await this.dataset.run({ kind: 'defect-verdicts' });
      const withVerdicts = flags.filter((_, i) => Number(table.getChild(`c${i}`)?.get(0)) > 0);
      this.defectTypes.set(withVerdicts.map((flag) => columns.find((c) => c.name === flag)!.defectType ?? flag.replace(/_reject$/, '')));
    } catch (error) {
      console.warn('MoldLens: could not list the defect types', error);
    }
  }

  private customValue(which: 'from' | 'to'): string {
    const time = this.filter().time;
    return time && 'from' in time ? toZonedInput(this.zone(), time[which]) : '';
  }

  private update(change: (filter: DashboardFilter) => DashboardFilter): void {
    this.filters.update(change);
  }

  protected chooseTime(choice: string): void {
    this.customTime.set(choice === 'custom');
    if (choice === 'custom') return;
    this.update((f) => setTime(f, choice === 'all' ? undefined : { preset: choice as TimePreset }));
  }

  protected setCustom(which: 'from' | 'to', value: string): void {
    const instant = fromZonedInput(this.zone(), value);
    const time = this.filter().time;
    const current = time && 'from' in time ? time : null;
    const from = which === 'from' ? instant : current?.from ?? this.dataset.info()?.timeRange.min ?? undefined;
    const to = which === 'to' ? instant : current?.to ?? this.dataset.info()?.timeRange.max ?? undefined;
    if (from && to && Date.parse(from) < Date.parse(to)) this.update((f) => setTime(f, { from, to }));
  }

  protected togglePress(press: string): void {
    this.update((f) => togglePress(f, press));
  }

  protected setVerdict(value: string): void {
    this.update(({ reject: _dropped, ...rest }) => (value === 'any' ? rest : { ...rest, reject: value === 'rejected' }));
  }

  protected setDefect(value: string): void {
    this.update(({ defect: _dropped, ...rest }) => (value ? { ...rest, defect: value } : rest));
  }

  protected applyRange(min: string, max: string): void {
    const field = this.rangeField();
    if (!field) return;
    const bound = (text: string) => (text !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined);
    const [lo, hi] = [bound(min), bound(max)];
    this.update((f) => setRange(f, { field, ...(lo !== undefined ? { min: lo } : {}), ...(hi !== undefined ? { max: hi } : {}) }));
  }

  protected clear(without: DashboardFilter): void {
    this.filters.set(without);
  }

  protected clearAll(): void {
    this.customTime.set(false);
    this.filters.set({});
  }

  protected openSheet(): void {
    this.sheet().nativeElement.showModal();
  }

  protected closeSheet(): void {
    this.sheet().nativeElement.close();
  }
}
