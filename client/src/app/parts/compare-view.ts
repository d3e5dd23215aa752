// Every machine-state number ranked by how much it differs between rejected and accepted parts in
// the current filter (standardized mean difference), the top ones as overlaid histograms.
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { DatasetService } from '../data/dataset.service';
import { ThemeService } from '../shell/theme.service';
import type { ViewFilters } from '../../../../pipeline/view-spec';
import { comparableFields } from '../../../../pipeline/quality/compare-sql';
import { rankDifferences, type FieldDifference } from '../../../../pipeline/quality/compare-result';
import { sig } from '../../../../pipeline/quality/chart-style';
import { plotArea } from '../../../../pipeline/plot-area';

const DRAWN = 4;

@Component({
  selector: 'ml-compare-view',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (error()) { <p class="error" role="alert">{{ error() }}</p> }
    @else if (!ranked().length) { <p class="muted" role="status">Comparing…</p> }
    @else {
      <div class="charts">
        @for (chart of charts(); track chart.field) {
          <div class="small" echarts [options]="chart.option" [theme]="theme()" [attr.aria-label]="chart.field + ' histograms'"></div>
        }
      </div>
      <div class="table-wrap" tabindex="0" role="region" aria-label="Fields ranked by difference">
        <table data-testid="compare-table">
          <thead><tr><th scope="col">Field</th><th scope="col">Mean rejected</th><th scope="col">Mean accepted</th><th scope="col">SMD</th></tr></thead>
          <tbody>
            @for (d of ranked(); track d.field) {
              <tr><td>{{ d.field }}</td><td class="num">{{ sig(d.rejectedMean) }}</td><td class="num">{{ sig(d.acceptedMean) }}</td><td class="num">{{ sig(d.smd) }}</td></tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    :host { display: flex; flex-direction: column; flex: 1; min-height: 0; overflow: auto; padding: 8px; }
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; }
    .small { height: 150px; }
    .table-wrap { margin-top: 8px; border: 1px solid var(--border); border-radius: 8px; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
    th, td { padding: 4px 10px; border-bottom: 1px solid var(--border); text-align: left; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .error { color: var(--danger); } .muted { color: var(--text-muted); }
  `,
})
export class CompareView {
  readonly filters = input.required<ViewFilters>();
  private readonly dataset = inject(DatasetService);
  protected readonly theme = inject(ThemeService).theme;
  protected readonly ranked = signal<FieldDifference[]>([]);
  protected readonly histograms = signal<{ field: string; start: number; rejected: boolean; parts: number }[]>([]);
  protected readonly error = signal('');
  protected readonly sig = sig;

  protected readonly charts = computed(() => this.ranked().slice(0, DRAWN).map(({ field, smd }) => {
    const bins = this.histograms().filter((h) => h.field === field);
    const share = (rejected: boolean) => {
      const own = bins.filter((b) => b.rejected === rejected);
      const total = own.reduce((s, b) => s + b.parts, 0) || 1;
      return own.map((b) => [b.start, (100 * b.parts) / total]);
    };
    const option: EChartsCoreOption = {
      backgroundColor: 'transparent', animation: false, title: { text: `${field} (d = ${sig(smd)})`, textStyle: { fontSize: 11 }, left: 0 },
      grid: plotArea({ left: 4, right: 4, top: 24, bottom: 4 }), tooltip: { trigger: 'axis', confine: true },
      xAxis: { type: 'value', scale: true, axisLabel: { fontSize: 9, hideOverlap: true } }, yAxis: { type: 'value', axisLabel: { fontSize: 9 } },
      series: [{ type: 'line', step: 'start', name: 'accepted %', data: share(false), showSymbol: false, areaStyle: { opacity: 0.3 } },
        { type: 'line', step: 'start', name: 'rejected %', data: share(true), showSymbol: false, areaStyle: { opacity: 0.3 } }],
    };
    return { field, option };
  }));

  constructor() {
    effect(() => {
      const info = this.dataset.info();
      if (info && this.dataset.generation()) void this.load(comparableFields(info.columns), this.filters());
    });
  }

  private async load(fields: string[], filters: ViewFilters): Promise<void> {
    try {
      const ranked = rankDifferences((await this.dataset.run({ kind: 'compare-stats', filters, fields })).table, fields);
      const top = ranked.slice(0, DRAWN).map((d) => d.field);
      const { table } = await this.dataset.run({ kind: 'compare-histograms', filters, fields: top });
      this.histograms.set(Array.from({ length: table.numRows }, (_, i) => ({
        field: String(table.getChild('field')!.get(i)), start: Number(table.getChild('bin_start')!.get(i)),
        rejected: table.getChild('rejected')!.get(i) === true, parts: Number(table.getChild('parts')!.get(i)),
      })));
      this.ranked.set(ranked);
    } catch (error) {
      console.warn('MoldLens: the comparison failed', error);
      this.error.set('The comparison could not be computed for this filter.');
    }
  }
}
