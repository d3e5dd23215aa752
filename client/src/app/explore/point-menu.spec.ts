import { TestBed } from '@angular/core/testing';
import { PointMenu, type PointMenuItem } from './point-menu';

describe('PointMenu', () => {
  async function create(ran: string[]) {
    const fixture = TestBed.createComponent(PointMenu);
    const items: PointMenuItem[] = ['filter', 'parts'].map((id) => ({ id, label: `Do ${id}`, run: () => ran.push(id) }));
    fixture.componentRef.setInput('at', { x: 100, y: 80 });
    fixture.componentRef.setInput('heading', 'molding-machine-2');
    fixture.componentRef.setInput('items', items);
    let closed = 0;
    fixture.componentInstance.closed.subscribe(() => closed++);
    fixture.detectChanges();
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const key = (k: string) => element.querySelector('[role=menu]')!.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    return { fixture, element, key, closed: () => closed };
  }

  it('opens at the point with the first action focused, and runs the chosen one', async () => {
    const ran: string[] = [];
    const { element, key, closed } = await create(ran);
    const menu = element.querySelector<HTMLElement>('[role=menu]')!;
    expect(menu.style.left).toBe('100px');
    expect(document.activeElement?.textContent?.trim()).toBe('Do filter');
    key('ArrowDown');
    expect(document.activeElement?.textContent?.trim()).toBe('Do parts');
    key('ArrowDown');
    expect(document.activeElement?.textContent?.trim()).toBe('Do filter');
    key('End');
    (document.activeElement as HTMLButtonElement).click();
    expect(ran).toEqual(['parts']);
    expect(closed()).toBe(1);
  });

  it('closes on Escape and on a press outside, running nothing', async () => {
    const ran: string[] = [];
    const first = await create(ran);
    first.key('Escape');
    expect(first.closed()).toBe(1);
    const second = await create(ran);
    second.element.querySelector('[role=menuitem]')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(second.closed()).toBe(0);
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(second.closed()).toBe(1);
    expect(ran).toEqual([]);
  });
});
