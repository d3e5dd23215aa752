// The small menu that opens where a chart was clicked: one list of what can be done with that point
// ("Filter the dashboard to this", "Show the parts", …). Each feature adds its own items; the menu
// only places itself, moves focus through them with the keyboard, and closes on Escape, on a click
// outside or after an item runs.
import {
  afterNextRender, ChangeDetectionStrategy, Component, computed, ElementRef, inject, input, output, signal,
} from '@angular/core';

export interface PointMenuItem {
  /** Stable id: also the item's test hook, `point-action-<id>`. */
  id: string;
  label: string;
  run: () => void;
}

/** Keeps the menu this far from the viewport's edges. */
const EDGE_MARGIN = 8;

@Component({
  selector: 'ml-point-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="point-menu" role="menu" [attr.aria-label]="heading() || 'Actions for this point'"
         [style.left.px]="placed().left" [style.top.px]="placed().top" (keydown)="onKey($event)" data-testid="point-menu">
      @if (heading()) { <p class="heading" aria-hidden="true">{{ heading() }}</p> }
      @for (item of items(); track item.id) {
        <button type="button" role="menuitem" tabindex="-1" (click)="choose(item)" [attr.data-testid]="'point-action-' + item.id">
          {{ item.label }}
        </button>
      }
    </div>
  `,
  // Above ECharts' tooltip (z-index 9999999), which the chart shows again wherever the pointer passes over it.
  styles: `
    .point-menu { position: fixed; z-index: 10000000; display: flex; flex-direction: column; min-width: 200px; max-width: min(320px, calc(100vw - 16px));
      padding: 6px; background: var(--surface); color: var(--text); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow-lg); }
    .heading { margin: 2px 10px 6px; font-size: 0.8rem; color: var(--text-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    button { min-height: 44px; padding: 0 12px; border: 0; border-radius: 6px; background: none; color: var(--text); font: inherit;
      text-align: left; cursor: pointer; }
    button:hover, button:focus-visible { background: var(--surface-hover); }
  `,
  host: { '(document:pointerdown)': 'closeIfOutside($event)' },
})
export class PointMenu {
  /** Where the point is, in viewport coordinates (a click's clientX / clientY). */
  readonly at = input.required<{ x: number; y: number }>();
  /** What was clicked, in words ("molding-machine-2 · 2025-09-21 14:00"). */
  readonly heading = input('');
  readonly items = input.required<readonly PointMenuItem[]>();
  readonly closed = output<void>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly size = signal({ width: 0, height: 0 });
  /** Focus goes back where it was when the menu closes, as for any menu. */
  private readonly returnFocusTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;

  /** Opens at the point, flipped left or up when it would leave the viewport. */
  protected readonly placed = computed(() => {
    const { x, y } = this.at();
    const { width, height } = this.size();
    const left = x + width + EDGE_MARGIN > innerWidth ? Math.max(EDGE_MARGIN, x - width) : x;
    const top = y + height + EDGE_MARGIN > innerHeight ? Math.max(EDGE_MARGIN, y - height) : y;
    return { left, top };
  });

  constructor() {
    afterNextRender(() => {
      const menu = this.menu();
      this.size.set({ width: menu.offsetWidth, height: menu.offsetHeight });
      this.buttons()[0]?.focus();
    });
  }

  private menu(): HTMLElement {
    return this.host.nativeElement.querySelector<HTMLElement>('.point-menu')!;
  }

  private buttons(): HTMLButtonElement[] {
    return [...this.host.nativeElement.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
  }

  protected choose(item: PointMenuItem): void {
    this.close();
    item.run();
  }

  /** Closes the menu; focus returns to where it was unless the user is moving it elsewhere by pointer. */
  close(returnFocus = true): void {
    this.closed.emit();
    if (returnFocus) this.returnFocusTo?.focus();
  }

  protected onKey(event: KeyboardEvent): void {
    const buttons = this.buttons();
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (index: number) => buttons[(index + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case 'Escape': this.close(); break;
      case 'Tab': this.close(); return;
      case 'ArrowDown': focus(current + 1); break;
      case 'ArrowUp': focus(current - 1); break;
      case 'Home': focus(0); break;
      case 'End': focus(buttons.length - 1); break;
      default: return;
    }
    event.preventDefault();
  }

  protected closeIfOutside(event: PointerEvent): void {
    if (!this.menu().contains(event.target as Node)) this.close(false);
  }
}
