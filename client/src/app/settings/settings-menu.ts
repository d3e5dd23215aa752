// Settings behind one button in the top bar: the time zone everything is shown in (the browser's, or
// UTC), and the largest dataset this device keeps (a larger one is answered by the server).
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { DatasetService } from '../data/dataset.service';
import { TimeZoneService, type TimeZoneChoice } from './time-zone.service';

/** The sizes offered, in MB ('' = any size, 0 = none: every answer from the server). */
const PACK_LIMITS: readonly { value: string; label: string }[] = [
  { value: '', label: 'Any size' }, { value: '50', label: 'Up to 50 MB' }, { value: '200', label: 'Up to 200 MB' },
  { value: '1000', label: 'Up to 1 GB' }, { value: '0', label: 'None: always ask the server' },
];

@Component({
  selector: 'ml-settings-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details class="settings" #menu (keydown.escape)="menu.open = false; summary.focus()">
      <summary class="icon-button" aria-label="Settings" title="Settings" data-testid="settings-open" #summary>⚙</summary>
      <form class="panel">
        <fieldset (change)="choose($any($event.target).value)">
          <legend>Times are shown in</legend>
          <label><input type="radio" name="zone" value="browser" [checked]="timeZone.choice() === 'browser'" data-testid="zone-browser">
            This device's time zone ({{ timeZone.browserZoneName }})</label>
          <label><input type="radio" name="zone" value="utc" [checked]="timeZone.choice() === 'utc'" data-testid="zone-utc"> UTC</label>
        </fieldset>
        <label class="limit">Keep datasets on this device
          <select data-testid="pack-size-limit" (change)="setPackLimit($any($event.target).value)">
            @for (limit of limits; track limit.value) { <option [value]="limit.value" [selected]="limit.value === packLimit()">{{ limit.label }}</option> }
          </select>
        </label>
        <p class="hint">A larger dataset is not downloaded: the server answers every view, online only.</p>
      </form>
    </details>
  `,
  styles: `
    .settings { position: relative; }
    summary { list-style: none; color: var(--topbar-text); }
    summary::-webkit-details-marker { display: none; }
    .panel { position: absolute; right: 0; top: 100%; z-index: 20; width: min(320px, calc(100vw - 24px)); padding: 8px 12px 12px;
      background: var(--surface); color: var(--text); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow-lg); }
    fieldset { border: 0; margin: 0; padding: 0; }
    legend { font-weight: 600; padding: 4px 0 6px; }
    label { display: flex; align-items: center; gap: 10px; min-height: 44px; cursor: pointer; }
    input { min-height: auto; width: 20px; height: 20px; margin: 0; }
    .limit { flex-direction: column; align-items: stretch; gap: 4px; font-weight: 600; margin-top: 8px; cursor: default; }
    select { min-height: 44px; font: inherit; font-weight: normal; }
    .hint { margin: 4px 0 0; font-size: 0.85em; color: var(--text-muted); }
    /* On a phone the gear is not at the edge: the panel spans the screen instead of running off it. */
    @media (max-width: 600px) { .panel { position: fixed; top: 56px; left: 12px; right: 12px; width: auto; } }
  `,
})
export class SettingsMenu {
  protected readonly timeZone = inject(TimeZoneService);
  private readonly dataset = inject(DatasetService);
  protected readonly limits = PACK_LIMITS;
  protected readonly packLimit = computed(() => String(this.dataset.packLimitMb() ?? ''));

  protected choose(choice: TimeZoneChoice): void {
    this.timeZone.choose(choice);
  }

  protected setPackLimit(value: string): void {
    void this.dataset.setPackLimit(value === '' ? null : Number(value));
  }
}
