// The one time zone everything is shown in: the browser's by default, UTC when chosen in settings.
// Its offsets are worked out once per dataset range, for the SQL that buckets time.
import { Injectable, computed, inject, signal } from '@angular/core';
import { DatasetService } from '../data/dataset.service';
import { equalByValue } from '../shared/equal-by-value';
import { isKnownZone, UTC, zoneOverRange, type TimeZone } from '../../../../pipeline/time-zone';

export type TimeZoneChoice = 'browser' | 'utc';
const STORAGE_KEY = 'moldlens.timeZone';

const browserZone = (): string => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isKnownZone(zone) ? zone : UTC;
};

@Injectable({ providedIn: 'root' })
export class TimeZoneService {
  private readonly dataset = inject(DatasetService);
  private readonly choiceState = signal<TimeZoneChoice>(localStorage.getItem(STORAGE_KEY) === 'utc' ? 'utc' : 'browser');

  readonly choice = this.choiceState.asReadonly();
  readonly browserZoneName = browserZone();
  /** The zone in force, with its offsets over the open dataset's time range — as every query has it (`requestZone`). */
  readonly zone = computed<TimeZone>(() => zoneOverRange(this.choiceState() === 'utc' ? UTC : this.browserZoneName, this.dataset.info()?.timeRange),
    { equal: equalByValue });

  choose(choice: TimeZoneChoice): void {
    this.choiceState.set(choice);
    localStorage.setItem(STORAGE_KEY, choice);
  }
}
