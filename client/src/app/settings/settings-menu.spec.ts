// The settings panel closes as menus do: on Escape, with focus back on its button.
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DatasetService } from '../data/dataset.service';
import { SettingsMenu } from './settings-menu';

describe('SettingsMenu', () => {
  it('closes on Escape and gives focus back to the settings button', async () => {
    TestBed.configureTestingModule({ providers: [{ provide: DatasetService, useValue: { packLimitMb: signal(null) } }] });
    const fixture = TestBed.createComponent(SettingsMenu);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const details = element.querySelector('details')!;
    details.open = true;
    const utc = element.querySelector<HTMLInputElement>('[data-testid=zone-utc]')!;
    utc.focus();
    utc.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(details.open).toBeFalse();
    expect(document.activeElement).toBe(element.querySelector('[data-testid=settings-open]'));
  });
});
