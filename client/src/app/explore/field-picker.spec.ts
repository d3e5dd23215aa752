import { TestBed } from '@angular/core/testing';
import { FieldPicker } from './field-picker';
import { SAMPLE_COLUMNS } from '../../../../pipeline/testing/sample-columns';

describe('FieldPicker', () => {
  function create() {
    const fixture = TestBed.createComponent(FieldPicker);
    fixture.componentRef.setInput('columns', SAMPLE_COLUMNS);
    fixture.componentRef.setInput('label', 'X field');
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    return { fixture, element, options: () => [...element.querySelectorAll<HTMLButtonElement>('[data-field]')].map((b) => b.dataset['field']) };
  }

  it('lists every field grouped as record, machine state and defects', async () => {
    const { element, options } = create();
    (element.querySelector('[data-testid=field-picker-open]') as HTMLButtonElement).click();
    expect(element.querySelector('dialog')!.open).toBeTrue();
    expect(options().length).toBe(SAMPLE_COLUMNS.length);
    expect([...element.querySelectorAll('h3')].map((h) => h.textContent!.replace(/\d+/, '').trim())).toEqual(['Record', 'Machine state', 'Defects']);
  });

  it('filters by search and emits the chosen field', async () => {
    const { fixture, element, options } = create();
    let chosen: string | null | undefined;
    fixture.componentInstance.valueChange.subscribe((v) => (chosen = v));
    (element.querySelector('[data-testid=field-picker-open]') as HTMLButtonElement).click();
    const search = element.querySelector('input[type=search]') as HTMLInputElement;
    search.value = 'cycle';
    search.dispatchEvent(new Event('input'));
    fixture.detectChanges();
    expect(options()).toEqual(['CycleTime']);
    (element.querySelector('[data-field=CycleTime]') as HTMLButtonElement).click();
    expect(chosen).toBe('CycleTime');
    expect(element.querySelector('dialog')!.open).toBeFalse();
  });
});
