// The dashboard: an ordered list of views, kept in localStorage and mirrored in the URL so a copied
// link opens the same thing. A link to a dashboard other than the saved one opens as a temporary
// dashboard: shown, never saved over the user's own until they choose to save or merge it.
import { Injectable, computed, signal } from '@angular/core';
import { DASHBOARD_PARAM, decodeView, decodeViews, encodeViews, VIEW_PARAM } from '../../../../pipeline/view-url';
import { defaultViews, parseViewSpec, type DefaultViewsSource, type ViewSpec } from '../../../../pipeline/view-spec';
import { writeUrl } from '../shared/url-writer';

export interface DashboardView {
  id: string;
  spec: ViewSpec;
}

const STORAGE_KEY = 'moldlens.dashboard';
const sameSpec = (a: ViewSpec, b: ViewSpec) => JSON.stringify(a) === JSON.stringify(b);

@Injectable({ providedIn: 'root' })
export class DashboardService {
  private readonly viewsState = signal<DashboardView[] | null>(null);
  private readonly linkErrorState = signal<string>('');
  /** The user's saved dashboard while a shared one is shown; null when the shown one is theirs. */
  private readonly savedState = signal<ViewSpec[] | null>(null);
  private counter = 0;

  /** Null until the dashboard is known (it may wait for the dataset's columns for its defaults). */
  readonly views = this.viewsState.asReadonly();
  readonly linkError = this.linkErrorState.asReadonly();
  readonly count = computed(() => this.viewsState()?.length ?? 0);
  /** True while a shared dashboard from a link is shown in place of the saved one. */
  readonly temporary = computed(() => this.savedState() !== null);

  constructor() {
    const fromUrl = this.readUrl();
    const stored = this.readStorage();
    // A link (to a dashboard, or to one view: a dashboard of that view) never changes the saved one by
    // itself: what differs from it is shown as a temporary dashboard.
    if (fromUrl) {
      if (stored?.length && JSON.stringify(stored) !== JSON.stringify(fromUrl)) this.savedState.set(stored);
      this.set(fromUrl);
    } else if (stored) this.set(stored);
    // Back and forward step through filter changes; the URL keeps naming the dashboard as it is now.
    addEventListener('popstate', () => this.persist());
    // Another tab saved a change: shown here too, so this tab's next change keeps it instead of writing over it.
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY || this.temporary()) return;
      const stored = this.readStorage();
      if (stored && JSON.stringify(stored) !== JSON.stringify((this.viewsState() ?? []).map((v) => v.spec))) this.set(stored);
    });
  }

  /** Keeps the shared dashboard as the user's own, replacing what they had saved. */
  saveAsMine(): void {
    this.savedState.set(null);
    this.persist();
  }

  /** Appends the shared dashboard's views to the saved one (skipping views it already has) and shows that. */
  addToMine(): void {
    const saved = this.savedState() ?? [];
    const shared = (this.viewsState() ?? []).map((v) => v.spec);
    this.savedState.set(null);
    this.set(shared.reduce((all, view) => this.withView(all, view), saved));
  }

  /** Leaves the shared dashboard and goes back to the saved one. */
  discardShared(): void {
    const saved = this.savedState();
    if (!saved) return;
    this.savedState.set(null);
    this.set(saved);
  }

  /** Gives a first visit its default views once the dataset's columns and presses are known. */
  ensureDefaults(dataset: DefaultViewsSource): void {
    if (this.viewsState() === null) this.set(defaultViews(dataset));
  }

  private newId(): string {
    return `v${Date.now().toString(36)}${(this.counter++).toString(36)}`;
  }

  private withView(specs: ViewSpec[], view: ViewSpec): ViewSpec[] {
    return specs.some((s) => sameSpec(s, view)) ? specs : [...specs, view];
  }

  private readUrl(): ViewSpec[] | null {
    const params = new URLSearchParams(location.search);
    try {
      const view = params.get(VIEW_PARAM);
      if (view) return [decodeView(view)];
      const dashboard = params.get(DASHBOARD_PARAM);
      if (dashboard) return decodeViews(dashboard);
    } catch (error) {
      this.linkErrorState.set(`This link could not be opened: ${(error as Error).message}.`);
    }
    return null;
  }

  private readStorage(): ViewSpec[] | null {
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
      return Array.isArray(stored) ? stored.map(parseViewSpec) : null;
    } catch {
      return null;
    }
  }

  private set(specs: ViewSpec[]): void {
    const previous = this.viewsState() ?? [];
    this.viewsState.set(specs.map((spec, i) => ({ id: previous[i] && sameSpec(previous[i].spec, spec) ? previous[i].id : this.newId(), spec })));
    this.persist();
  }

  private update(change: (views: DashboardView[]) => DashboardView[]): void {
    this.viewsState.set(change([...(this.viewsState() ?? [])]));
    this.persist();
  }

  private persist(): void {
    const specs = (this.viewsState() ?? []).map((v) => v.spec);
    if (!this.temporary()) localStorage.setItem(STORAGE_KEY, JSON.stringify(specs));
    const dashboard = encodeViews(specs);
    writeUrl((url) => {
      url.searchParams.delete(VIEW_PARAM);
      url.searchParams.set(DASHBOARD_PARAM, dashboard);
    });
  }

  add(spec: ViewSpec): string {
    const id = this.newId();
    this.update((views) => [...views, { id, spec }]);
    return id;
  }

  replace(id: string, spec: ViewSpec): void {
    this.update((views) => views.map((v) => (v.id === id ? { id, spec } : v)));
  }

  duplicate(id: string): void {
    this.update((views) => {
      const index = views.findIndex((v) => v.id === id);
      if (index === -1) return views;
      const copy = { id: this.newId(), spec: { ...structuredClone(views[index]!.spec), title: `${views[index]!.spec.title} (copy)` } };
      views.splice(index + 1, 0, copy);
      return views;
    });
  }

  remove(id: string): void {
    this.update((views) => views.filter((v) => v.id !== id));
  }

  move(id: string, delta: -1 | 1): void {
    this.update((views) => {
      const from = views.findIndex((v) => v.id === id);
      const to = from + delta;
      if (from === -1 || to < 0 || to >= views.length) return views;
      [views[from], views[to]] = [views[to]!, views[from]!];
      return views;
    });
  }

  resetToDefaults(dataset: DefaultViewsSource): void {
    this.set(defaultViews(dataset));
  }
}
