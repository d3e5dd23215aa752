// Picks one field out of 150+: a searchable list grouped by record / machine state / defects. It
// opens as a modal sheet (full screen on a phone) so it works with touch and keyboard alike.
import { ChangeDetectionStrategy, Component, computed, ElementRef, input, output, signal, viewChild } from '@angular/core';
import type { ColumnGroup, ColumnInfo } from '../../../../pipeline/columns';

const GROUP_LABELS: Record<ColumnGroup, string> = { record: 'Record', machine_state: 'Machine state', defect: 'Defects' };

@Component({
  selector: 'ml-field-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" class="trigger" [attr.aria-label]="label() + ': ' + (value() ?? 'none')" (click)="openPicker()"
            data-testid="field-picker-open">
      <span class="trigger-label">{{ value() ?? placeholder() }}</span><span aria-hidden="true">▾</span>
    </button>
    <dialog #dialog class="sheet" [attr.aria-label]="'Choose ' + label()" (close)="query.set('')" (click)="closeOnBackdrop($event)">
      <div class="sheet-body" data-testid="field-picker">
        <header class="sheet-header">
          <h2>{{ label() }}</h2>
          <button type="button" class="icon-button" aria-label="Close" (click)="dialog.close()">✕</button>
        </header>
        <input #search type="search" class="search" placeholder="Search {{ fieldCount() }} fields" aria-label="Search fields"
               [value]="query()" (input)="query.set(search.value)" (keydown.enter)="pickFirst()">
        <div class="groups">
          @if (allowNone()) {
            <button type="button" class="option" [class.selected]="value() === null" (click)="choose(null)">{{ placeholder() }}</button>
          }
          @for (group of groups(); track group.label) {
            <section [attr.aria-label]="group.label">
              <h3>{{ group.label }} <span class="count">{{ group.columns.length }}</span></h3>
              <div class="options">
                @for (column of group.columns; track column.name) {
                  <button type="button" class="option" [class.selected]="column.name === value()" [attr.data-field]="column.name"
                          (click)="choose(column.name)">
                    <span>{{ column.name }}</span><small>{{ column.type.toLowerCase() }}</small>
                  </button>
                }
              </div>
            </section>
          } @empty {
            <p class="empty">No field matches “{{ query() }}”.</p>
          }
        </div>
      </div>
    </dialog>
  `,
  styleUrl: './field-picker.css',
})
export class FieldPicker {
  readonly columns = input.required<readonly ColumnInfo[]>();
  readonly value = input<string | null>(null);
  readonly label = input('Field');
  readonly placeholder = input('Choose a field');
  readonly allowNone = input(false);
  readonly valueChange = output<string | null>();

  protected readonly query = signal('');
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly search = viewChild.required<ElementRef<HTMLInputElement>>('search');

  protected readonly fieldCount = computed(() => this.columns().length);
  protected readonly groups = computed(() => {
    const words = this.query().toLowerCase().split(/\s+/).filter(Boolean);
    const matches = this.columns().filter((c) => words.every((w) => c.name.toLowerCase().includes(w) || (c.defectType ?? '').includes(w)));
    return (Object.keys(GROUP_LABELS) as ColumnGroup[])
      .map((group) => ({ label: GROUP_LABELS[group], columns: matches.filter((c) => c.group === group) }))
      .filter((g) => g.columns.length > 0);
  });

  openPicker(): void {
    this.dialog().nativeElement.showModal();
    this.search().nativeElement.focus();
  }

  protected choose(name: string | null): void {
    this.valueChange.emit(name);
    this.dialog().nativeElement.close();
  }

  protected pickFirst(): void {
    const first = this.groups()[0]?.columns[0];
    if (first) this.choose(first.name);
  }

  protected closeOnBackdrop(event: MouseEvent): void {
    if (event.target === this.dialog().nativeElement) this.dialog().nativeElement.close();
  }
}
