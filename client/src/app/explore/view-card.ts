// One view on the dashboard: runs its query in the worker when the spec or the dataset changes,
// draws the chart, and offers the table, CSV and PNG exports, a link, and the view's actions.
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { QualityChart } from '../quality/quality-chart';
import { isQualityChart } from '../../../../pipeline/quality/quality-spec';
import { DatasetService } from '../data/dataset.service';
import { ThemeService } from '../shell/theme.service';
import { DashboardService, type DashboardView } from './dashboard.service';
import { formatNumber, resultToOption, resultToTable, tableToCsv, type TableData } from '../../../../pipeline/result-to-option';
import { specToSql } from '../../../../pipeline/spec-to-sql';
import { CHART_LABELS, describeMeasure } from '../../../../pipeline/view-spec';
import { viewLink } from '../../../../pipeline/view-url';

interface Outcome {
  option: EChartsCoreOption;
  table: TableData;
  milliseconds: number;
}

const TABLE_PREVIEW_ROWS = 500;

function download(name: string, url: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
}

@Component({
  selector: 'ml-view-card',
  imports: [QualityChart, NgxEchartsDirective],
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

  protected readonly running = signal(false);
  protected readonly error = signal('');
  protected readonly outcome = signal<Outcome | null>(null);
  protected readonly showTable = signal(false);
  protected readonly notice = signal('');
  private chart: ECharts | null = null;
  private run = 0;

  protected readonly spec = computed(() => this.view().spec);
  /** Quality views draw themselves (ml-quality-chart): their query, chart and parts differ. */
  protected readonly quality = computed(() => isQualityChart(this.spec().chart));
  protected readonly title = computed(() => this.spec().title || `${describeMeasure(this.spec().y[0]!)} — ${CHART_LABELS[this.spec().chart]}`);
  protected readonly link = computed(() => viewLink(this.spec(), location.href));
  protected readonly previewRows = computed(() => this.outcome()?.table.rows.slice(0, TABLE_PREVIEW_ROWS) ?? []);
  protected readonly formatNumber = formatNumber;

  constructor() {
    effect(() => {
      const spec = this.spec();
      const info = this.dataset.info();
      if (this.quality()) return;
      if (this.dataset.generation() && info) void this.execute(spec, info);
    });
  }

  private async execute(spec: DashboardView['spec'], info: NonNullable<ReturnType<DatasetService['info']>>): Promise<void> {
    const run = ++this.run;
    this.running.set(true);
    this.error.set('');
    try {
      const query = specToSql(spec, { columns: info.columns, timeRange: info.timeRange });
      const { table, milliseconds } = await this.dataset.query(query.sql, query.params);
      if (run !== this.run) return;
      this.outcome.set({ option: resultToOption(spec, query, table), table: resultToTable(spec, query, table), milliseconds });
    } catch (error) {
      if (run !== this.run) return;
      this.outcome.set(null);
      this.error.set(error instanceof Error ? error.message : String(error));
    } finally {
      if (run === this.run) this.running.set(false);
    }
  }

  protected onChartInit(chart: ECharts): void {
    this.chart = chart;
  }

  private fileName(extension: string): string {
    return `${(this.spec().title || 'moldlens-view').replace(/[^\w-]+/g, '-').toLowerCase()}.${extension}`;
  }

  protected exportCsv(): void {
    const table = this.outcome()?.table;
    if (!table) return;
    const url = URL.createObjectURL(new Blob([tableToCsv(table)], { type: 'text/csv;charset=utf-8' }));
    download(this.fileName('csv'), url);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  protected exportPng(): void {
    if (!this.chart) return;
    const background = getComputedStyle(document.documentElement).getPropertyValue('--surface').trim() || '#fff';
    download(this.fileName('png'), this.chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background }));
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
