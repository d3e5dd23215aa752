// Post-build step: a Workbox service worker over the Angular output. It precaches the app shell and
// the DuckDB wasm and worker, so after one visit the app opens with no network; deep links fall back
// to index.html. The dataset itself lives in OPFS, not in this cache.
import { generateSW } from 'workbox-build';

const globDirectory = 'dist/client/browser';
const { count, size, warnings } = await generateSW({
  globDirectory,
  swDest: `${globDirectory}/sw.js`,
  globPatterns: ['**/*.{html,js,css,wasm,png,svg,ico,webmanifest,json}'],
  globIgnores: ['sw.js', 'workbox-*.js', 'media/duckdb-mvp-*.wasm', 'assets/duckdb/duckdb-browser-mvp.worker.js'],
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  navigateFallback: '/index.html',
  navigateFallbackDenylist: [/^\/api\//],
  // Hashed files are fetched without cache-busting, so the precache takes the engine the page already
  // downloaded from the HTTP cache instead of downloading it a second time.
  dontCacheBustURLsMatching: /-[A-Za-z0-9_]{8}\.(js|css|wasm)$/,
  cleanupOutdatedCaches: true,
  clientsClaim: false,
  skipWaiting: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
});
for (const warning of warnings) console.warn(`workbox: ${warning}`);
console.log(`service worker: ${count} files precached (${(size / 1024 / 1024).toFixed(1)} MB)`);
