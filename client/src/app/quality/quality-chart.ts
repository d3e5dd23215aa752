// The body of a quality view's card: runs the view's SQL in the worker, draws the chart with its
// notes (limits' baseline, σ, Cpk graded, reject coverage), or the table; a click on an item opens
// the point menu: filter the dashboard to it, or "Show parts" (the Parts panel on the parts behind it).
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { ECElementEvent, ECharts } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { answerLabel } from '../data/answer-label';
import { DatasetService } from '../data/dataset.service';
import { DashboardFilterService } from '../filters/dashboard-filter.service';
import { ThemeService } from '../shell/theme.service';
import { PointMenu, type PointMenuItem } from '../explore/point-menu';
import { viewportPoint } from '../filters/chart-filter-link';
import { fileNameOf, saveCsv } from '../shared/save-file';
import { withSeriesPalette } from '../shared/series-palette';
import { PartsPanelService } from '../parts/parts-panel.service';
import { TimeZoneService } from '../settings/time-zone.service';
import { formatNumber } from '../../../../pipeline/result-to-option';
import { viewTitle, type ViewSpec } from '../../../../pipeline/view-spec';
import { explainQueryError } from '../../../../pipeline/query-error';
import { qualityOutcome } from '../../../../pipeline/quality/quality-view';
import type { QualityOutcome } from '../../../../pipeline/quality/quality-outcome';
import { describeScope } from '../../../../pipeline/quality/parts-scope';
import { partsIndexOf } from '../../../../pipeline/quality/chart-style';
import { measuredField } from '../../../../pipeline/quality/quality-spec';
import { PART_BASICS } from '../../../../pipeline/quality/parts-sql';
import type { TimeZone } from '../../../../pipeline/time-zone';
import { filterForScope } from '../../../../pipeline/dashboard-filter';

const TABLE_PREVIEW_ROWS = 500;

@Component({
  selector: 'ml-quality-chart',
  imports: [NgxEchartsDirective, PointMenu],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './quality-chart.html',
  styleUrl: './quality-chart.css',
})
export class QualityChart {
  readonly spec = input.required<ViewSpec>();
  readonly showTable = input(false);
  private readonly dataset = inject(DatasetService);
  private readonly parts = inject(PartsPanelService);
  private readonly filters = inject(DashboardFilterService);
  private readonly timeZone = inject(TimeZoneService);
  protected readonly theme = inject(ThemeService).theme;
  protected readonly outcome = signal<(QualityOutcome & { answer: string; zone: TimeZone }) | null>(null);
  protected readonly error = signal('');
  protected readonly running = signal(false);
  protected readonly menu = signal<{ at: { x: number; y: number }; heading: string; items: PointMenuItem[] } | null>(null);
  protected readonly previewRows = computed(() => this.outcome()?.table.rows.slice(0, TABLE_PREVIEW_ROWS) ?? []);
  protected readonly formatNumber = formatNumber;
  private run = 0;
  private chart: ECharts | null = null;
  /** Whether the chart listens for clicks yet (a test hook, as on the other views). */
  protected readonly interactive = signal(false);

  constructor() {
    effect(() => {
      const spec = this.spec();
      const info = this.dataset.info();
      const zone = this.timeZone.zone();
      if (info && this.dataset.generation()) void this.execute(spec, zone);
    });
  }

  private async execute(spec: ViewSpec, zone: TimeZone): Promise<void> {
    const run = ++this.run;
    this.running.set(true);
    this.error.set('');
    try {
      const { table, milliseconds, answeredBy } = await this.dataset.run({ kind: 'view', spec, zone: zone.name });
      if (run !== this.run) return;
      const outcome = qualityOutcome(spec, table, zone);
      this.outcome.set({ ...outcome, option: withSeriesPalette(outcome.option), answer: answerLabel({ milliseconds, answeredBy }), zone });
    } catch (error) {
      if (run !== this.run) return;
      console.warn('MoldLens: a quality view failed', error);
      this.outcome.set(null);
      this.error.set(explainQueryError(error));
    } finally {
      if (run === this.run) this.running.set(false);
    }
  }

  protected onChartInit(chart: ECharts): void {
    this.chart = chart;
    this.interactive.set(true);
  }

  protected onChartClick(event: ECElementEvent): void {
    const index = partsIndexOf(event.data);
    const outcome = this.outcome();
    const scope = index === undefined ? undefined : outcome?.scopes[index];
    if (!outcome || !scope || !event.event || !this.chart) return;
    // The menu opens at the point: the tooltip would cover it.
    this.chart.dispatchAction({ type: 'hideTip' });
    const click = viewportPoint(this.chart, event.event);
    const spec = this.spec();
    const heading = describeScope(scope, outcome.zone);
    const field = measuredField(spec);
    const filter = filterForScope(scope, outcome.zone);
    const items: PointMenuItem[] = filter ? [{ id: 'filter', label: `Filter the dashboard to ${filter.label}`, run: () => this.filters.update(filter.apply) }] : [];
    items.push({
      id: 'parts', label: 'Show parts',
      run: () => this.parts.open({ heading, mode: 'parts', filters: spec.filters, scope,
        fields: field && !(PART_BASICS as readonly string[]).includes(field) ? [field] : [], sort: { field: 'timestamp', descending: false }, page: 0 }),
    });
    this.menu.set({ at: { x: click.clientX, y: click.clientY }, heading, items });
  }

  exportCsv(): void {
    const table = this.outcome()?.table;
    if (table) saveCsv(fileNameOf(viewTitle(this.spec()), 'csv'), table);
  }
}
