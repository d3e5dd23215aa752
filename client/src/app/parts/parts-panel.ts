// The parts behind a clicked point: time, press, verdict, defects flagged, the view's fields and any
// the user adds; sorted and paged in SQL, exported to CSV, linkable. A side sheet on a desktop, a
// full-screen sheet on a phone. "Compare rejected vs accepted" switches it to the comparison.
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { DatasetService } from '../data/dataset.service';
import { explainQueryError } from '../../../../pipeline/query-error';
import { isNumeric } from '../../../../pipeline/columns';
import { type Cell, formatNumber } from '../../../../pipeline/result-to-option';
import { saveCsv } from '../shared/save-file';
import { DEFECTS_COLUMN, PART_BASICS, PARTS_PAGE_SIZE, type PartsRequest } from '../../../../pipeline/quality/parts-sql';
import { formatInstant, type ClockPrecision, type TimeZone } from '../../../../pipeline/time-zone';
import { TimeZoneService } from '../settings/time-zone.service';
import { PartsPanelService } from './parts-panel.service';
import { CompareView } from './compare-view';

@Component({
  selector: 'ml-parts-panel',
  imports: [CompareView],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './parts-panel.html',
  styleUrl: './parts-panel.css',
  host: { '(document:keydown.escape)': 'closeOnEscape($event)' },
})
export class PartsPanel {
  private readonly dataset = inject(DatasetService);
  protected readonly panel = inject(PartsPanelService);
  private readonly timeZone = inject(TimeZoneService);
  /** The parts' times are in the dashboard's zone, which the time column's heading names. */
  protected readonly timeHeading = computed(() => `timestamp (${this.timeZone.zone().name})`);
  protected readonly state = this.panel.state;
  protected readonly rows = signal<Cell[][]>([]);
  protected readonly total = signal<number | null>(null);
  protected readonly error = signal('');
  protected readonly busy = signal(false);
  protected readonly pageSize = PARTS_PAGE_SIZE;
  protected readonly formatNumber = formatNumber;

  protected readonly columns = computed(() => {
    const state = this.state();
    return state ? [...PART_BASICS.slice(0, 3), DEFECTS_COLUMN, ...state.fields.filter((f) => !(PART_BASICS as readonly string[]).includes(f))] : [];
  });
  protected readonly addable = computed(() => {
    const shown = new Set(this.columns());
    return (this.dataset.info()?.columns ?? []).filter((c) => !shown.has(c.name) && (isNumeric(c) || c.type === 'BOOLEAN' || c.type === 'VARCHAR'));
  });
  protected readonly pages = computed(() => Math.max(1, Math.ceil((this.total() ?? 0) / PARTS_PAGE_SIZE)));

  constructor() {
    effect(() => {
      const state = this.state();
      const info = this.dataset.info();
      const zone = this.timeZone.zone();
      if (state && state.mode === 'parts' && info && this.dataset.generation()) void this.load(zone);
    });
  }

  /** Escape closes the panel, unless something over it (a point menu, a dialog) took the key first. */
  protected closeOnEscape(event: Event): void {
    if (!this.state() || event.defaultPrevented || document.querySelector('dialog[open]')) return;
    this.panel.close();
  }

  /** What the panel lists: its state without the panel's own heading and mode. */
  private partsRequest(): PartsRequest {
    const { filters, scope, fields, sort, page } = this.state()!;
    return { filters, scope, fields, sort, page };
  }

  private async load(zone: TimeZone): Promise<void> {
    this.busy.set(true);
    this.error.set('');
    try {
      const parts = this.partsRequest();
      const page = await this.dataset.run({ kind: 'parts', parts, rows: 'page' });
      const count = await this.dataset.run({ kind: 'parts', parts, rows: 'count' });
      this.rows.set(this.read(page.table, zone, 'second'));
      this.total.set(Number(count.table.getChild('parts')?.get(0) ?? 0));
    } catch (error) {
      console.warn('MoldLens: the parts query failed', error);
      this.rows.set([]);
      this.error.set('These parts could not be listed. Try again, or narrow the view.');
    } finally {
      this.busy.set(false);
    }
  }

  private read(table: { numRows: number; getChild(name: string): { get(i: number): unknown } | null }, zone: TimeZone, timePrecision: ClockPrecision): Cell[][] {
    const names = this.columns();
    return Array.from({ length: table.numRows }, (_, i) => names.map((name): Cell => {
      const v = table.getChild(name)?.get(i);
      if (v === null || v === undefined) return null;
      if (name === 'timestamp') return formatInstant(zone, Number(v), timePrecision);
      if (name === 'reject') return v ? 'rejected' : 'accepted';
      return typeof v === 'number' || typeof v === 'bigint' ? Number(v) : String(v);
    }));
  }

  protected sortBy(field: string): void {
    const sort = this.state()!.sort;
    this.panel.update({ sort: { field, descending: sort.field === field ? !sort.descending : false }, page: 0 });
  }

  protected page(delta: number): void {
    const page = Math.min(this.pages() - 1, Math.max(0, this.state()!.page + delta));
    this.panel.update({ page });
  }

  protected addField(name: string): void {
    if (name) this.panel.update({ fields: [...this.state()!.fields, name] });
  }

  protected async exportCsv(): Promise<void> {
    let table: Awaited<ReturnType<DatasetService['run']>>['table'];
    try {
      ({ table } = await this.dataset.run({ kind: 'parts', parts: { ...this.partsRequest(), page: 0 }, rows: 'export' }));
    } catch (error) {
      console.warn('MoldLens: the parts export failed', error);
      this.error.set(`These parts could not be exported. ${explainQueryError(error)}`);
      return;
    }
    const rows = this.read(table, this.timeZone.zone(), 'millisecond');
    const columns = this.columns().map((name) => (name === 'timestamp' ? this.timeHeading() : name));
    saveCsv('moldlens-parts.csv', { columns, rows });
  }
}
