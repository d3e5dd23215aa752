// One view on the dashboard: runs its query in the worker when the spec, the dashboard filter, the
// time zone or the dataset changes, draws the chart, and offers the table, CSV and PNG exports, a
// link, and the view's actions. Brushing and clicking the chart filter the whole dashboard.
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { QualityChart } from '../quality/quality-chart';
import { isQualityChart } from '../../../../pipeline/quality/quality-spec';
import { answerLabel } from '../data/answer-label';
import { PartsPanelService } from '../parts/parts-panel.service';
import { partsBehindPoint } from '../../../../pipeline/parts-behind-point';
import { PART_BASICS } from '../../../../pipeline/quality/parts-sql';
import { DatasetService } from '../data/dataset.service';
import { equalByValue } from '../shared/equal-by-value';
import { ThemeService } from '../shell/theme.service';
import { DashboardService, type DashboardView } from './dashboard.service';
import { DashboardFilterService } from '../filters/dashboard-filter.service';
import { fileNameOf, saveCsv, saveUrl } from '../shared/save-file';
import { withSeriesPalette } from '../shared/series-palette';
import { brushDimension, linkChart, showBrush, withBrush, type ChartClick } from '../filters/chart-filter-link';
import { TimeZoneService } from '../settings/time-zone.service';
import { PointMenu, type PointMenuItem } from './point-menu';
import {
  applyDashboardFilter, filterChips, filterForPoint, setRange, setTime, wallClockRange, type DashboardFilter,
} from '../../../../pipeline/dashboard-filter';
import { explainQueryError } from '../../../../pipeline/query-error';
import {
  formatNumber, formatTime, pointOfClick, resultCut, resultToOption, resultToTable, seriesOfId, type ChartPoint, type ResultTable,
  type TableData,
} from '../../../../pipeline/result-to-option';
import { specToSql, type ViewQuery } from '../../../../pipeline/spec-to-sql';
import { toWallClock, type TimeZone } from '../../../../pipeline/time-zone';
import { DEFECT_REJECTED, viewTitle, type ViewSpec } from '../../../../pipeline/view-spec';
import { viewLink } from '../../../../pipeline/view-url';

interface Outcome {
  option: EChartsCoreOption;
  table: TableData;
  /** Where the figures came from and how long they took, for the footer. */
  answer: string;
  /** The spec as run (the dashboard filter merged in), its query and raw result, to read clicks back. */
  spec: ViewSpec;
  query: ViewQuery;
  result: ResultTable;
  /** Set when the result was cut at the view's row limit. */
  cut: { shown: number; total: number | null } | null;
}

const TABLE_PREVIEW_ROWS = 500;
/** A brushed bound to five significant digits: 23.99, not 23.990734. */
const round = (v: number) => Number(v.toPrecision(5));

@Component({
  selector: 'ml-view-card',
  imports: [QualityChart, NgxEchartsDirective, PointMenu],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './view-card.html',
  styleUrl: './view-card.css',
  host: { 'data-testid': 'view-card', '[attr.aria-busy]': 'running()' },
})
export class ViewCard {
  readonly view = input.required<DashboardView>();
  readonly position = input.required<number>();
  readonly total = input.required<number>();
  readonly edit = output<void>();

  private readonly dataset = inject(DatasetService);
  private readonly dashboard = inject(DashboardService);
  protected readonly theme = inject(ThemeService).theme;
  private readonly filters = inject(DashboardFilterService);
  private readonly parts = inject(PartsPanelService);
  private readonly timeZone = inject(TimeZoneService);

  protected readonly running = signal(false);
  protected readonly error = signal('');
  protected readonly outcome = signal<Outcome | null>(null);
  protected readonly showTable = signal(false);
  protected readonly notice = signal('');
  /** The menu opened at a clicked point: what can be done with it. */
  protected readonly pointMenu = signal<{ at: { x: number; y: number }; heading: string; items: PointMenuItem[] } | null>(null);
  private chart: ECharts | null = null;
  private run = 0;
  /** What the last query ran, so a filter change that leaves this view's query alone does not re-run it. */
  private lastRun = '';
  /** The outcome the chart's listeners were set up for. */
  private linkedOutcome: Outcome | null = null;
  /** Whether the chart listens for brushes and clicks yet (a test hook, too). */
  protected readonly interactive = signal(false);

  protected readonly spec = computed(() => this.view().spec);
  /** Quality views draw themselves (ml-quality-chart): their query, chart and parts differ. */
  protected readonly quality = computed(() => isQualityChart(this.spec().chart));
  /** The spec with the dashboard filter on top of its own: what every query of this view runs. */
  protected readonly filteredSpec = computed(() => applyDashboardFilter(this.spec(), this.filters.filter(),
    { dataEnd: this.dataset.info()?.timeRange.max ?? null, viewId: this.view().id }), { equal: equalByValue });
  protected readonly title = computed(() => viewTitle(this.spec()));
  protected readonly link = computed(() => viewLink(this.spec(), location.href));
  protected readonly previewRows = computed(() => this.outcome()?.table.rows.slice(0, TABLE_PREVIEW_ROWS) ?? []);
  protected readonly formatNumber = formatNumber;

  constructor() {
    effect(() => {
      const info = this.dataset.info();
      if (this.quality() || !this.dataset.generation() || !info) return;
      const spec = this.filteredSpec();
      const zone = this.timeZone.zone();
      const key = JSON.stringify([info.sha256, spec, zone]);
      if (key === this.lastRun) return;
      this.lastRun = key;
      void this.execute(spec, info, zone);
    });
  }

  private async execute(spec: ViewSpec, info: NonNullable<ReturnType<DatasetService['info']>>, zone: TimeZone): Promise<void> {
    const run = ++this.run;
    this.running.set(true);
    this.error.set('');
    try {
      const query = specToSql(spec, { columns: info.columns, timeRange: info.timeRange, zone });
      const { table, milliseconds, answeredBy } = await this.dataset.run({ kind: 'view', spec, zone: zone.name });
      if (run !== this.run) return;
      this.outcome.set({ option: withSeriesPalette(withBrush(resultToOption(spec, query, table), brushDimension(spec, query))), table: resultToTable(spec, query, table),
        answer: answerLabel({ milliseconds, answeredBy }), spec, query, result: table, cut: resultCut(query, table) });
    } catch (error) {
      if (run !== this.run) return;
      console.warn(`MoldLens: the query of “${this.title()}” failed`, error);
      this.outcome.set(null);
      this.lastRun = '';
      this.error.set(explainQueryError(error));
    } finally {
      if (run === this.run) this.running.set(false);
    }
  }

  protected onChartInit(chart: ECharts): void {
    this.chart = chart;
    this.linkedOutcome = null;
    this.interactive.set(false);
    chart.on('rendered', () => this.onChartRendered());
  }

  /** Once a new result is drawn: listen for brushes and clicks, and show this view's own brushed range. */
  private onChartRendered(): void {
    const outcome = this.outcome();
    if (!this.chart || !outcome || this.linkedOutcome === outcome) return;
    this.linkedOutcome = outcome;
    this.interactive.set(true);
    const dimension = brushDimension(outcome.spec, outcome.query);
    linkChart(this.chart, dimension, {
      brushed: (range) => this.brushed(outcome, dimension, range),
      clicked: (click) => this.clicked(outcome, click),
      legendClicked: (name) => this.legendClicked(outcome, name),
    });
    const own = this.ownBrush(outcome);
    if (own) showBrush(this.chart, own);
  }

  /** The dashboard range brushed on this view, in its x coordinates. */
  private ownBrush(outcome: Outcome): [number, number] | null {
    const { time, ranges } = this.filters.filter();
    const id = this.view().id;
    if (time && 'by' in time && time.by === id) {
      const zone = outcome.query.zone;
      return [toWallClock(zone, Date.parse(time.from)), toWallClock(zone, Date.parse(time.to))];
    }
    const range = ranges?.find((r) => r.by === id);
    return range && range.min !== undefined && range.max !== undefined ? [range.min, range.max] : null;
  }

  private brushed(outcome: Outcome, dimension: 'time' | 'field' | null, range: [number, number] | null): void {
    const id = this.view().id;
    const x = outcome.spec.x;
    if (dimension === 'time') {
      this.filters.update((f) => setTime(f, range ? wallClockRange(outcome.query.zone, range[0], range[1], id) : undefined));
    } else if (dimension === 'field' && x.kind === 'field') {
      const [min, max] = range ?? [];
      this.filters.update((f) => setRange(f, { field: x.field, ...(range ? { min: round(min!), max: round(max!), by: id } : {}) }));
    }
  }

  private clicked(outcome: Outcome, click: ChartClick): void {
    const point = pointOfClick(outcome.spec, outcome.query, outcome.result, click);
    const items = this.pointMenuItems(outcome, point);
    if (items.length) this.pointMenu.set({ at: { x: click.clientX, y: click.clientY }, heading: this.describePoint(outcome, point), items });
  }

  /** What the menu at a clicked point offers: filter the dashboard to it, and the parts behind it. */
  private pointMenuItems(outcome: Outcome, point: ChartPoint): PointMenuItem[] {
    const items: PointMenuItem[] = [];
    const filter = filterForPoint(outcome.spec, point, outcome.query.bucket, outcome.query.zone);
    if (filter) {
      const removes = (f: DashboardFilter) => filterChips(filter.apply(f), outcome.query.zone).length < filterChips(f, outcome.query.zone).length;
      items.push({ id: 'filter', label: removes(this.filters.filter()) ? `Remove the filter to ${filter.label}` : `Filter the dashboard to ${filter.label}`,
        run: () => this.filters.update(filter.apply) });
    }
    const behind = partsBehindPoint(outcome.spec, outcome.query, point, this.dataset.info()?.timeRange.max ?? null);
    if (behind) {
      const fields = [...new Set(outcome.spec.y.flatMap((m) => (m.field && m.field !== DEFECT_REJECTED ? [m.field] : [])))]
        .filter((f) => !(PART_BASICS as readonly string[]).includes(f));
      items.push({ id: 'parts', label: 'Show parts', run: () => this.parts.open({ heading: `Parts · ${this.describePoint(outcome, point)}`,
        mode: 'parts', filters: behind, scope: { kind: 'all' }, fields, sort: { field: 'timestamp', descending: false }, page: 0 }) });
    }
    return items;
  }

  private describePoint(outcome: Outcome, point: ChartPoint): string {
    const x = point.x === undefined || point.x === null ? '' : outcome.query.xKind === 'time' ? formatTime(Number(point.x), outcome.query.bucket)
      : typeof point.x === 'number' ? formatNumber(point.x) : String(point.x);
    return [point.series, x].filter(Boolean).join(' · ');
  }

  private legendClicked(outcome: Outcome, name: string): void {
    const series = (outcome.option['series'] as { id: string; name: string }[] | undefined)?.find((s) => s.name === name);
    const value = series ? seriesOfId(series.id) : null;
    const filter = value === null ? null : filterForPoint(outcome.spec, { series: value }, outcome.query.bucket, outcome.query.zone);
    if (filter) this.filters.update(filter.apply);
  }

  protected exportCsv(): void {
    const table = this.outcome()?.table;
    if (table) saveCsv(fileNameOf(this.title(), 'csv'), table);
  }

  protected exportPng(): void {
    if (!this.chart) return;
    const background = getComputedStyle(document.documentElement).getPropertyValue('--surface').trim() || '#fff';
    saveUrl(fileNameOf(this.title(), 'png'), this.chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background }));
  }

  protected async copyLink(event: Event): Promise<void> {
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(this.link());
      this.flash('Link copied');
    } catch {
      this.flash('Copy the link from the address of “Link to this view”');
    }
  }

  private flash(text: string): void {
    this.notice.set(text);
    setTimeout(() => this.notice.set(''), 2500);
  }

  protected duplicate(): void {
    this.dashboard.duplicate(this.view().id);
  }

  protected move(delta: -1 | 1): void {
    this.dashboard.move(this.view().id, delta);
  }

  protected remove(): void {
    this.dashboard.remove(this.view().id);
  }
}
