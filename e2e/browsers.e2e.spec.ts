// The core scenarios in every engine a plant uses — Chromium, Firefox ESR and WebKit (Safari's
// engine): a first visit, a reload, a second tab while the first is open, and a reload with the
// server stopped after one visit. Each engine gets a fresh server and browser profile. The time each
// step takes is printed for the README's browser table.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchEngine, waitUntil, type BrowserDriver, type BrowserTab, type EngineName } from './support/browser-drivers.js';
import { startAppServer, type AppServer } from './support/harness.js';

const ENGINES: EngineName[] = ['chromium', 'firefox', 'webkit'];

const dashboardDrawn = `document.querySelectorAll('[data-testid=view-card] [data-testid=view-chart] canvas').length >= 3`;
const rowCount = `(document.querySelector('[data-testid=row-count]')?.textContent ?? '').replace(/\\D/g, '')`;
const errorShown = `document.querySelector('[data-testid=dataset-error]')?.textContent ?? ''`;
const place = `document.querySelector('[data-testid=data-place]')?.textContent ?? ''`;

/** Opens or reloads, then waits for the whole default dashboard; fails at once on an error page. */
async function timeDashboard(tab: BrowserTab, navigate: () => Promise<void>, what: string): Promise<number> {
  const started = performance.now();
  await navigate();
  await waitUntil(tab, `${dashboardDrawn} || (${errorShown}).length > 0`, `the dashboard (${what})`);
  assert.equal(await tab.evaluate<string>(errorShown), '', `${what}: no error page`);
  return performance.now() - started;
}

for (const engine of ENGINES) {
  describe(`MoldLens in ${engine}`, () => {
    let app: AppServer;
    let browser: BrowserDriver;
    let first: BrowserTab;
    const figures: string[] = [];

    before(async () => {
      app = await startAppServer();
      browser = await launchEngine(engine);
    });
    after(async () => {
      await browser?.close();
      await app?.close();
      if (figures.length) process.stdout.write(`# ${engine}: ${figures.join(', ')}\n`);
    });

    it('first visit: draws the dashboard and keeps the dataset on the device', async () => {
      first = await browser.newTab();
      const ms = await timeDashboard(first, () => first.goto(app.appUrl), 'first visit');
      figures.push(`first visit ${Math.round(ms)} ms`);
      assert.equal(await first.evaluate<string>(rowCount), String(app.records.a.length));
      await waitUntil(first, `(${place}).startsWith('Stored on this device')`, 'the dataset to be stored on the device');
    });

    it('reload: opens the stored dataset', async () => {
      const ms = await timeDashboard(first, () => first.reload(), 'reload');
      figures.push(`later visit ${Math.round(ms)} ms`);
      // Cached results may draw before the engine is up; then the stored copy opens.
      await waitUntil(first, `(${place}).startsWith('Stored on this device')`, 'the stored dataset to open');
    });

    it('a second tab while the first is open reads the same stored dataset', async () => {
      const second = await browser.newTab();
      await timeDashboard(second, () => second.goto(app.appUrl), 'second tab');
      assert.equal(await second.evaluate<string>(rowCount), String(app.records.a.length));
      // Its engine starts from scratch while the first tab's holds the CPU too: allow a slow start.
      await waitUntil(second, `(${place}).startsWith('Stored on this device')`, 'the stored dataset to open in the second tab', 150_000);
      // The first tab still answers queries over its copy.
      await timeDashboard(first, () => first.reload(), 'first tab again');
      await second.close();
    });

    it('offline after one visit: with the server stopped, a reload shows the dashboard', async () => {
      await app.stopServer();
      const ms = await timeDashboard(first, () => first.reload(), 'offline reload');
      figures.push(`offline visit ${Math.round(ms)} ms`);
      await waitUntil(first, `document.querySelector('[data-testid=offline-banner]')`, 'the offline banner');
      assert.equal(await first.evaluate<string>(rowCount), String(app.records.a.length));
    });
  });
}
