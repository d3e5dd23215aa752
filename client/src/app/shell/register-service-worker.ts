/** Registers the Workbox service worker built next to the app (production builds only have it). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || location.hostname === '' || !isSecureContext) return;
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* dev server: no service worker */ });
  });
}
