// Which parts the Parts panel shows, kept in the URL (`parts=`) so the panel can be linked; opening
// it from a chart point replaces what it showed.
import { Injectable, signal } from '@angular/core';
import { decodePartsState, encodePartsState, PARTS_PARAM, type PartsPanelState } from '../../../../pipeline/quality/parts-link';
import { writeUrl } from '../shared/url-writer';

@Injectable({ providedIn: 'root' })
export class PartsPanelService {
  private readonly stateSignal = signal<PartsPanelState | null>(this.readUrl());
  readonly state = this.stateSignal.asReadonly();

  private readUrl(): PartsPanelState | null {
    const encoded = new URLSearchParams(location.search).get(PARTS_PARAM);
    if (!encoded) return null;
    try {
      return decodePartsState(encoded);
    } catch {
      return null;
    }
  }

  open(state: PartsPanelState): void {
    this.stateSignal.set(state);
    this.keepInUrl();
  }

  update(change: Partial<PartsPanelState>): void {
    const current = this.stateSignal();
    if (current) this.open({ ...current, ...change });
  }

  close(): void {
    this.stateSignal.set(null);
    this.keepInUrl();
  }

  private keepInUrl(): void {
    const state = this.stateSignal();
    writeUrl((url) => {
      if (state) url.searchParams.set(PARTS_PARAM, encodePartsState(state));
      else url.searchParams.delete(PARTS_PARAM);
    });
  }
}
