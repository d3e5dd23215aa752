/**
 * Registers the Workbox service worker built next to the app (production builds only have it) once
 * `settled` resolves: after the engine has started, its precache finds the 34 MB engine in the HTTP
 * cache (hashed, immutable) instead of downloading it a second time alongside the page.
 */
export function registerServiceWorker(settled: Promise<unknown>): void {
  if (!('serviceWorker' in navigator) || location.hostname === '' || !isSecureContext) return;
  void settled.finally(() => {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* dev server: no service worker */ });
  });
}
