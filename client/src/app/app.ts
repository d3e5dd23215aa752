// The shell: dataset summary and status banners on top, the dashboard of views below, and the view
// editor when one is being built or changed.
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { DatasetService } from './data/dataset.service';
import { DashboardService } from './explore/dashboard.service';
import { ViewCard } from './explore/view-card';
import { ViewEditor } from './explore/view-editor';
import { PartsPanel } from './parts/parts-panel';
import { CompareButton } from './parts/compare-button';
import { parameterOverTime, type ViewSpec } from '../../../pipeline/view-spec';
import { ThemeService } from './shell/theme.service';
import { FilterBar } from './filters/filter-bar';
import { SettingsMenu } from './settings/settings-menu';
import { TimeZoneService } from './settings/time-zone.service';
import { formatInstant, zoneSpans } from '../../../pipeline/time-zone';

const formatBytes = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

@Component({
  selector: 'ml-root',
  imports: [PartsPanel, CompareButton, ViewCard, ViewEditor, FilterBar, SettingsMenu],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly dataset = inject(DatasetService);
  protected readonly dashboard = inject(DashboardService);
  protected readonly theme = inject(ThemeService);
  private readonly timeZone = inject(TimeZoneService);

  protected readonly editing = signal<{ id: string | null; spec: ViewSpec } | null>(null);
  protected readonly formatBytes = formatBytes;
  protected readonly numberFormat = new Intl.NumberFormat();

  protected readonly summary = computed(() => {
    const info = this.dataset.info();
    if (!info) return null;
    const zone = this.timeZone.zone();
    const day = (iso: string | null) => (iso ? formatInstant(zone, Date.parse(iso), 'day') : '—');
    return { rows: this.numberFormat.format(info.rows), presses: info.machines.length,
      from: day(info.timeRange.min), to: day(info.timeRange.max), zone: zone.name, columns: info.columns.length };
  });
  /** When the stored data was ingested, in the dashboard's zone and named like every other time (the offsets there, not the data's range's). */
  protected readonly dataAge = computed(() => {
    const info = this.dataset.info();
    if (!info) return '';
    const { name } = this.timeZone.zone();
    const at = Date.parse(info.ingestedAt);
    return `${formatInstant(zoneSpans(name, at, at), at)} (${name})`;
  });
  /** The dashboard shows as soon as a dataset is known: cached results draw while its pack opens. */
  protected readonly screen = computed(() => (this.dataset.generation() ? 'dashboard' : this.dataset.phase()));
  /** Where the data is kept, as the toolbar says it. */
  protected readonly placeLabel = computed(() => {
    const place = this.dataset.place();
    const bytes = this.dataset.storedBytes();
    const onlineOnly = this.dataset.onlineOnly();
    if (onlineOnly) {
      const size = formatBytes(this.dataset.info()?.packBytes ?? 0);
      const limit = this.dataset.packLimitMb() ?? 0;
      return `Online only: answered by the server (${onlineOnly === 'room' ? `this device has no room for the dataset, ${size}`
        : limit === 0 ? 'this device is set to keep no dataset' : `the dataset, ${size}, is over this device's limit of ${formatBytes(limit * 1e6)}`})`;
    }
    if (!this.dataset.ready() || !place) {
      return this.dataset.serverAnswered() ? 'Answered by the server while the engine starts' : 'Starting the query engine…';
    }
    if (place.storage === 'none') return 'Read from the server: this browser cannot keep it offline';
    if (place.source === 'http') return 'Reading from the server while saving to this device';
    const where = place.storage === 'opfs' ? 'browser files' : 'browser cache';
    return `Stored on this device (${where}${bytes ? `, ${formatBytes(bytes)}` : ''}${this.dataset.persisted() ? ', persistent' : ''})`;
  });
  protected readonly progressPercent = computed(() => {
    const p = this.dataset.progress();
    return p && p.total ? Math.round((100 * p.loaded) / p.total) : null;
  });

  constructor() {
    effect(() => {
      const info = this.dataset.info();
      if (info) this.dashboard.ensureDefaults(info);
    });
  }

  protected addView(): void {
    const info = this.dataset.info();
    if (!info) return;
    const base = parameterOverTime(info.columns);
    this.editing.set({ id: null, spec: base ? { ...base, title: '' } : {
      title: '', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {},
    } });
  }

  protected editView(id: string, spec: ViewSpec): void {
    this.editing.set({ id, spec });
  }

  protected saveView(spec: ViewSpec): void {
    const editing = this.editing();
    if (!editing) return;
    if (editing.id) this.dashboard.replace(editing.id, spec);
    else this.dashboard.add(spec);
    this.editing.set(null);
  }

  protected resetDashboard(): void {
    const info = this.dataset.info();
    if (info && confirm('Replace all views with the default dashboard?')) this.dashboard.resetToDefaults(info);
  }
}
