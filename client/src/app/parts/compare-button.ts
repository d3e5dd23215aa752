// The toolbar's "Compare rejected vs accepted": opens the Parts panel on its comparison over every
// part the dashboard's filter keeps (the panel's own tab compares within the filter of a clicked view).
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { DatasetService } from '../data/dataset.service';
import { DashboardFilterService } from '../filters/dashboard-filter.service';
import { TimeZoneService } from '../settings/time-zone.service';
import { dashboardComparison } from '../../../../pipeline/quality/dashboard-comparison';
import { PartsPanelService } from './parts-panel.service';

@Component({
  selector: 'ml-compare-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" class="button" (click)="open()" [disabled]="!dataset.info()" data-testid="compare-dashboard">Compare rejected vs accepted</button>`,
})
export class CompareButton {
  protected readonly dataset = inject(DatasetService);
  private readonly filter = inject(DashboardFilterService).filter;
  private readonly zone = inject(TimeZoneService).zone;
  private readonly parts = inject(PartsPanelService);

  protected open(): void {
    this.parts.open(dashboardComparison(this.filter(), { dataEnd: this.dataset.info()?.timeRange.max ?? null, zone: this.zone() }));
  }
}
