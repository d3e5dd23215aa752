// MoldLens as a user meets it: the real server ingesting generated data from a loopback host, the
// built app with its service worker, in Debian's Chromium. The tests run in order; the last one
// stops the server to prove the app works offline.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { InspectionRecord } from '../server/src/generator/generate-dataset.js';
import { assertShown, INGEST_TOKEN, pickField, readTable, SCREENSHOT_DIR, startHarness, type Harness } from './support/harness.js';

/** Mean CycleTime per (UTC day, press), computed straight from the generated JSON. */
function expectedDailyMeans(records: InspectionRecord[]): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of records) {
    const day = new Date((r['timestamp'] as number) * 1000).toISOString().slice(0, 10);
    const key = `${day}|${r['molding_machine_id'] as string}`;
    const entry = sums.get(key) ?? { sum: 0, n: 0 };
    entry.sum += (r['molding-machine-state'] as Record<string, number>)['CycleTime']!;
    entry.n++;
    sums.set(key, entry);
  }
  return new Map([...sums].map(([k, v]) => [k, v.sum / v.n]));
}

const rowCount = (page: Page) => page.locator('[data-testid=row-count]').textContent();

async function waitForCharts(page: Page): Promise<void> {
  await page.locator('[data-testid=view-card] [data-testid=view-chart] canvas').first().waitFor({ timeout: 60_000 });
}

/** Builds "CycleTime, average per day, split by press" through the editor, as a user would. */
async function buildDailyCycleTimeView(page: Page, title: string): Promise<void> {
  await page.locator('[data-testid=add-view]').click();
  const editor = page.locator('dialog[open][data-testid=view-editor]');
  await editor.waitFor();
  await editor.locator('input[type=text]').fill(title);
  await editor.locator('[data-testid=chart-type]').selectOption('line');
  await editor.locator('[data-testid=x-kind]').selectOption('time');
  await editor.locator('[data-testid=time-bucket]').selectOption('day');
  await pickField(page, 'dialog[open][data-testid=view-editor] .measure', 'CycleTime');
  await editor.locator('[data-testid=aggregation-0]').selectOption('avg');
  await editor.locator('[data-testid=split]').selectOption('press');
  await editor.locator('[data-testid=save-view]').click();
}

describe('MoldLens end to end', () => {
  let harness: Harness;
  let firstPage: Page;
  let viewLink = '';

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  it('first visit: shows the row count, builds a custom view whose table matches the JSON', async () => {
    firstPage = await harness.newPage();
    await firstPage.goto(harness.appUrl);
    await waitForCharts(firstPage);
    assert.equal(await rowCount(firstPage), '3,000');
    await buildDailyCycleTimeView(firstPage, 'Daily cycle time');
    const card = firstPage.locator('[data-testid=view-card]', { hasText: 'Daily cycle time' });
    await card.locator('[data-testid=view-chart] canvas').waitFor();
    const rows = await readTable(firstPage, card);
    const expected = expectedDailyMeans(harness.records.a);
    assert.equal(rows.length, expected.size);
    for (const [day, press, mean] of rows) {
      const want = expected.get(`${day}|${press}`);
      assert.ok(want !== undefined, `unexpected row ${day} ${press}`);
      assertShown(mean, want, `${day} ${press}`);
    }
    viewLink = (await card.locator('[data-testid=view-link]').getAttribute('href'))!;
    await firstPage.screenshot({ path: join(SCREENSHOT_DIR, 'desktop-light.png') });
  });

  it("a view's link opened in a new context shows the same view", async () => {
    const page = await harness.newPage();
    await page.goto(viewLink);
    const card = page.locator('[data-testid=view-card]', { hasText: 'Daily cycle time' });
    await card.locator('[data-testid=view-chart] canvas').waitFor({ timeout: 60_000 });
    const original = await readTable(firstPage, firstPage.locator('[data-testid=view-card]', { hasText: 'Daily cycle time' }));
    assert.deepEqual(await readTable(page, card), original);
    await page.context().close();
  });

  it('is installable: a valid manifest is linked and a service worker controls the page', async () => {
    const page = firstPage;
    const manifestHref = await page.locator('link[rel=manifest]').getAttribute('href');
    assert.ok(manifestHref);
    const manifest = await (await fetch(new URL(manifestHref, harness.appUrl))).json() as {
      name: string; start_url: string; display: string; icons: { sizes: string }[];
    };
    assert.ok(manifest.name && manifest.start_url);
    assert.equal(manifest.display, 'standalone');
    for (const size of ['192x192', '512x512']) assert.ok(manifest.icons.some((i) => i.sizes === size), size);
    // The service worker registers once the engine has started (so its precache reuses the engine the
    // page downloaded); the page loaded after it is active is the one it controls.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await waitForCharts(page);
  });

  it('works on a phone: 360×640 with touch, a view can be built, nothing scrolls sideways', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await harness.newPage({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, colorScheme });
      await page.goto(harness.appUrl);
      await waitForCharts(page);
      await buildDailyCycleTimeView(page, `Phone view ${colorScheme}`);
      const card = page.locator('[data-testid=view-card]', { hasText: `Phone view ${colorScheme}` });
      await card.locator('[data-testid=view-chart] canvas').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page is ${width}px wide`);
      // The header's data range wraps between its dates, never inside one at a hyphen.
      const dateLines = await page.locator('[data-testid=dataset-summary] .date').evaluateAll((dates) => dates.map((d) => d.getClientRects().length));
      assert.deepStrictEqual(dateLines, [1, 1]);
      const small = await page.locator('button:visible, summary:visible, select:visible').evaluateAll((elements) =>
        elements.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length);
      assert.equal(small, 0, 'every touch target is at least 44 px');
      await page.screenshot({ path: join(SCREENSHOT_DIR, `phone-${colorScheme}.png`) });
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOT_DIR, `phone-${colorScheme}-view.png`) });
      // A tap on the plot opens the point menu at the tap (a touch has no clientX to place it by). The
      // page is made tall enough to tap without scrolling: Chromium's touch emulation on a scrolled
      // page gives ECharts coordinates it cannot hit anything with.
      await page.setViewportSize({ width: 360, height: 3000 });
      await page.evaluate(() => scrollTo(0, 0));
      await card.locator('[data-testid=view-chart][data-interactive=true]').waitFor();
      const chart = await card.locator('[data-testid=view-chart]').boundingBox();
      assert.ok(chart && chart.y + chart.height < 3000, 'the chart is on screen without scrolling');
      const tap = { x: chart.x + chart.width / 2, y: chart.y + chart.height / 2 };
      await page.touchscreen.tap(tap.x, tap.y);
      await page.locator('[data-testid=point-menu]').waitFor({ timeout: 10_000 });
      const menu = (await page.locator('[data-testid=point-menu]').boundingBox())!;
      assert.ok(Math.abs(menu.x - tap.x) < 2 || Math.abs(menu.x + menu.width - tap.x) < 2 || menu.x === 8, `the menu opens at the tap (${tap.x}): ${menu.x}`);
      assert.ok(Math.abs(menu.y - tap.y) < 2 || Math.abs(menu.y + menu.height - tap.y) < 2, `the menu opens at the tap (${tap.y}): ${menu.y}`);
      await page.keyboard.press('Escape');
      await page.context().close();
    }
  });

  it('offers a newly ingested dataset to an open client, which switches when asked', async () => {
    const response = await fetch(`${harness.appUrl}/api/ingest`, {
      method: 'POST', body: JSON.stringify({ url: harness.host.url('/b.json') }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    });
    assert.equal(response.status, 202);
    for (let i = 0; i < 300; i++) {
      const status = await (await fetch(`${harness.appUrl}/api/ingest/status`)).json() as { state: string };
      if (status.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await firstPage.evaluate(() => window.dispatchEvent(new Event('focus')));
    await firstPage.locator('[data-testid=update-banner]').waitFor({ timeout: 30_000 });
    assert.equal(await rowCount(firstPage), '3,000', 'the open dataset stays until the user chooses');
    await firstPage.locator('[data-testid=apply-update]').click();
    await firstPage.waitForFunction(() => document.querySelector('[data-testid=row-count]')?.textContent === '1,800', undefined, { timeout: 60_000 });
    await waitForCharts(firstPage);
  });

  it('works offline after one visit: the dashboard and a new query, with the offline banner', async () => {
    const page = firstPage;
    // After one visit: the dataset switched to in the previous test is on the device.
    await page.waitForFunction(() => document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Stored'), undefined, { timeout: 60_000 });
    await harness.stopServer();
    await page.context().setOffline(true);
    await page.reload();
    await page.locator('[data-testid=offline-banner]').waitFor({ timeout: 30_000 });
    // When the stored data was ingested, in the dashboard's zone (the browser's here), named.
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.match((await page.locator('[data-testid=offline-banner]').textContent())!,
      new RegExp(`as of \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(${zone.replace('/', '\\/')}\\)`));
    await waitForCharts(page);
    assert.equal(await rowCount(page), '1,800');
    await buildDailyCycleTimeView(page, 'Offline view');
    const card = page.locator('[data-testid=view-card]', { hasText: 'Offline view' });
    const rows = await readTable(page, card);
    assert.equal(rows.length, expectedDailyMeans(harness.records.b).size);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'desktop-offline.png') });
  });
});
