// Light or dark: follows the system until the user picks one, which is remembered.
import { Injectable, computed, effect, signal } from '@angular/core';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'moldlens.theme';

@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly systemDark = matchMedia('(prefers-color-scheme: dark)');
  private readonly systemState = signal<Theme>(this.systemDark.matches ? 'dark' : 'light');
  private readonly choiceState = signal<Theme | null>(localStorage.getItem(STORAGE_KEY) as Theme | null);

  readonly theme = computed<Theme>(() => this.choiceState() ?? this.systemState());

  constructor() {
    this.systemDark.addEventListener('change', (e) => this.systemState.set(e.matches ? 'dark' : 'light'));
    effect(() => {
      document.documentElement.dataset['theme'] = this.theme();
      document.querySelector('meta[name="theme-color"]')?.setAttribute('content', this.theme() === 'dark' ? '#121820' : '#1f4e79');
    });
  }

  toggle(): void {
    const next: Theme = this.theme() === 'dark' ? 'light' : 'dark';
    this.choiceState.set(next);
    localStorage.setItem(STORAGE_KEY, next);
  }
}
