// Settings that change how everything is shown, behind one button in the top bar: for now the time
// zone (the browser's, or UTC).
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TimeZoneService, type TimeZoneChoice } from './time-zone.service';

@Component({
  selector: 'ml-settings-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details class="settings" #menu>
      <summary class="icon-button" aria-label="Settings" title="Settings" data-testid="settings-open">⚙</summary>
      <form class="panel" (change)="choose($any($event.target).value)">
        <fieldset>
          <legend>Times are shown in</legend>
          <label><input type="radio" name="zone" value="browser" [checked]="timeZone.choice() === 'browser'" data-testid="zone-browser">
            This device's time zone ({{ timeZone.browserZoneName }})</label>
          <label><input type="radio" name="zone" value="utc" [checked]="timeZone.choice() === 'utc'" data-testid="zone-utc"> UTC</label>
        </fieldset>
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
    /* On a phone the gear is not at the edge: the panel spans the screen instead of running off it. */
    @media (max-width: 600px) { .panel { position: fixed; top: 56px; left: 12px; right: 12px; width: auto; } }
  `,
})
export class SettingsMenu {
  protected readonly timeZone = inject(TimeZoneService);

  protected choose(choice: TimeZoneChoice): void {
    this.timeZone.choose(choice);
  }
}
