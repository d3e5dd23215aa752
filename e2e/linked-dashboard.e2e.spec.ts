// The linked dashboard as a plant manager uses it, in Berlin time: brush a time range on one chart,
// click a press on another (the point menu), and a third view's table must match the JSON for exactly that press and range, in
// hours of Berlin's clock. Back undoes the press. Also: screenshots of the filter bar at 1366 and
// 360 px wide, light and dark, and a shared dashboard link that leaves the saved one alone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { InspectionRecord } from '../server/src/generator/generate-dataset.js';
import { encodeViews } from '../pipeline/view-url.js';
import { encodePartsState, PARTS_PARAM } from '../pipeline/quality/parts-link.js';
import type { ViewSpec } from '../pipeline/view-spec.js';
import { assertShown, readTable, SCREENSHOT_DIR, startHarness, type Harness } from './support/harness.js';

const ZONE = 'Europe/Berlin';
const PRESS = 'molding-machine-2';
/** The dashboard these tests open: two time lines, a histogram and the defect ranking. */
const VIEWS: ViewSpec[] = [
  { title: 'Reject rate per press', chart: 'line', x: { kind: 'time', bucket: 'day' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', filters: {} },
  { title: 'CycleTime over time', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} },
  { title: 'CycleTime distribution', chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} },
  { title: 'Rejected parts per defect type', chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: null, agg: 'count' }], split: 'press', filters: {} },
];
const dashboardUrl = (base: string, filter?: object) =>
  `${base}/?d=${encodeViews(VIEWS)}${filter ? `&f=${encodeURIComponent(JSON.stringify(filter))}` : ''}`;

const hourFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23',
});
/** `2025-09-21 14:00`: the Berlin hour an instant falls in. */
function berlinHour(ms: number): string {
  const p = Object.fromEntries(hourFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:00`;
}

/** Mean CycleTime per Berlin hour for one press within [from, to), straight from the JSON. */
function expectedHourlyMeans(records: InspectionRecord[], press: string, from: number, to: number): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of records) {
    const ms = (r['timestamp'] as number) * 1000;
    if (r['molding_machine_id'] !== press || ms < from || ms >= to) continue;
    const cycle = (r['molding-machine-state'] as Record<string, number | null>)['CycleTime'];
    if (cycle === null || cycle === undefined) continue;
    const entry = sums.get(berlinHour(ms)) ?? { sum: 0, n: 0 };
    entry.sum += cycle;
    entry.n++;
    sums.set(berlinHour(ms), entry);
  }
  return new Map([...sums].map(([k, v]) => [k, v.sum / v.n]));
}

const filterOf = (page: Page) => JSON.parse(new URL(page.url()).searchParams.get('f') ?? '{}') as {
  time?: { from: string; to: string; by?: string }; presses?: string[];
};

async function waitForCharts(page: Page): Promise<void> {
  await page.locator('[data-testid=view-card] [data-testid=view-chart] canvas').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid=view-card][aria-busy=true]'), undefined, { timeout: 60_000 });
  await page.locator('[data-testid=view-chart][data-interactive=true]').first().waitFor();
}

describe('Linked dashboard end to end', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  it('brushing a time range and clicking a press filters another view, whose table matches the JSON', async () => {
    const page = await harness.newPage({ viewport: { width: 1366, height: 900 }, timezoneId: ZONE });
    await page.goto(dashboardUrl(harness.appUrl));
    await waitForCharts(page);
    assert.match((await page.locator('[data-testid=dataset-summary]').textContent())!, /Europe\/Berlin/);

    const rejectRate = page.locator('[data-testid=view-card]', { hasText: 'Reject rate per press' });
    const box = (await rejectRate.locator('[data-testid=view-chart] canvas').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('f'));
    const brushed = filterOf(page).time!;
    assert.ok(brushed.by, 'the brushed range remembers the view it was drawn on');
    assert.ok(Date.parse(brushed.to) - Date.parse(brushed.from) > 26 * 3_600_000, 'a range of more than a day was brushed');

    // Click the bottom of the tallest stacked bar: its first press. The menu at the point offers the filter.
    await waitForCharts(page);
    await page.waitForTimeout(1200); // the bars' entry animation
    const defects = page.locator('[data-testid=view-card]', { hasText: 'Rejected parts per defect type' });
    await defects.scrollIntoViewIfNeeded();
    const bars = (await defects.locator('[data-testid=view-chart] canvas').first().boundingBox())!;
    const action = page.locator('[data-testid=point-menu] [data-testid=point-action-filter]');
    // Where the first bar starts depends on how long the category labels are: step right until one is hit.
    for (let at = 0.08; at < 0.3 && !(await action.count()); at += 0.02) {
      await page.mouse.click(bars.x + bars.width * at, bars.y + bars.height * 0.6);
      await page.waitForTimeout(150);
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'point-menu.png') });
    const label = (await action.textContent())!.trim();
    const press = /press (\S+)$/.exec(label)?.[1];
    assert.ok(press, `the menu offers a press: ${label}`);
    await action.click();
    await page.waitForFunction((p) => new URL(location.href).searchParams.get('f')?.includes(p), press);
    assert.deepStrictEqual(filterOf(page).presses, [press]);
    assert.equal(await page.locator('[data-testid=filter-chip]').count(), 2);
    await waitForCharts(page);

    const cycle = page.locator('[data-testid=view-card]', { hasText: 'CycleTime over time' });
    const rows = await readTable(page, cycle);
    const header = await cycle.locator('[data-testid=view-table] th').first().textContent();
    assert.equal(header, `Time (${ZONE}, per hour)`);
    const expected = expectedHourlyMeans(harness.records.a, press, Date.parse(brushed.from), Date.parse(brushed.to));
    assert.equal(rows.length, expected.size);
    for (const [hour, rowPress, mean] of rows) {
      assert.equal(rowPress, press);
      const want = expected.get(hour!);
      assert.ok(want !== undefined, `unexpected row ${hour}`);
      assertShown(mean, want, hour!);
    }

    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=filter-chip]').length === 1);
    assert.equal(filterOf(page).presses, undefined, 'back undoes the press');
    await page.context().close();
  });

  it('a device set to keep no dataset works online only: views, parts and comparison answered by the server', async () => {
    const page = await harness.newPage({ viewport: { width: 1366, height: 900 }, timezoneId: ZONE });
    const place = page.locator('[data-testid=data-place]');
    const packsStored = () => page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const packs = await root.getDirectoryHandle('packs').catch(() => null);
      const names: string[] = [];
      if (packs) for await (const name of (packs as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      return names.filter((n) => n.endsWith('.duckdb')).length;
    });
    await page.goto(dashboardUrl(harness.appUrl));
    await waitForCharts(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Stored'), undefined, { timeout: 60_000 });
    assert.equal(await packsStored(), 1);

    await page.locator('[data-testid=settings-open]').click();
    await page.locator('[data-testid=pack-size-limit]').selectOption('0');
    await page.waitForFunction(() => document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Online only'));
    assert.match((await place.textContent())!, /answered by the server \(this device is set to keep no dataset\)/);
    await page.waitForFunction(async () => {
      const packs = await (await navigator.storage.getDirectory()).getDirectoryHandle('packs').catch(() => null);
      if (!packs) return true;
      for await (const name of (packs as unknown as { keys(): AsyncIterable<string> }).keys()) if (name.endsWith('.duckdb')) return false;
      return true;
    }, undefined, { timeout: 20_000, polling: 250 });
    for (const [width, height, colorScheme] of [[1366, 900, 'light'], [360, 740, 'dark']] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await page.waitForTimeout(500); // the charts follow the new width
      await page.screenshot({ path: join(SCREENSHOT_DIR, `online-only-settings-${width}-${colorScheme}.png`) });
    }
    await page.locator('[data-testid=settings-open]').click(); // closes the settings
    for (const [width, height, colorScheme] of [[1366, 900, 'dark'], [360, 740, 'light']] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme });
      await page.waitForTimeout(500); // the charts follow the new width
      await page.screenshot({ path: join(SCREENSHOT_DIR, `online-only-${width}-${colorScheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1366, height: 900 });

    // A later visit with a press filter: nothing of it is cached, so every view asks the server.
    const parts = encodePartsState({ heading: 'Rejected parts', mode: 'parts', filters: { presses: [PRESS], reject: true }, scope: { kind: 'all' },
      fields: ['CycleTime'], sort: { field: 'timestamp', descending: false }, page: 0 });
    await page.goto(`${dashboardUrl(harness.appUrl, { presses: [PRESS] })}&${PARTS_PARAM}=${parts}`);
    await waitForCharts(page);
    assert.match((await place.textContent())!, /^Online only/);
    const rejected = harness.records.a.filter((r) => r['molding_machine_id'] === PRESS && (r['object_detection'] as { reject: boolean }).reject).length;
    await page.waitForFunction(() => document.querySelector('[data-testid=parts-count]')?.textContent?.includes('parts'));
    assert.equal(await page.locator('[data-testid=parts-count]').textContent(), `${rejected.toLocaleString('en')} parts`);
    assert.equal(await page.locator('[data-testid=parts-table] tbody tr').count(), Math.min(50, rejected));
    await page.locator('[data-testid=parts-close]').click();
    const cycle = page.locator('[data-testid=view-card]', { hasText: 'CycleTime over time' });
    assert.match((await cycle.textContent())!, /\d+ ms on the server/);
    const rows = await readTable(page, cycle);
    const expected = expectedHourlyMeans(harness.records.a, PRESS, -Infinity, Infinity);
    assert.equal(rows.length, expected.size);
    for (const [hour, rowPress, mean] of rows) {
      assert.equal(rowPress, PRESS);
      assertShown(mean, expected.get(hour!)!, hour!);
    }
    await page.locator('[data-testid=compare-dashboard]').click();
    await page.locator('[data-testid=compare-table] tbody tr').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=parts-close]').click();
    assert.equal(await packsStored(), 0, 'nothing was downloaded');

    // Offline: the views seen before still show; a new filter says it needs the network, and is
    // asked again once the network is back.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.context().setOffline(true);
    await page.reload();
    await waitForCharts(page);
    assert.match((await place.textContent())!, /^Online only/);
    await page.locator('[data-testid=filter-bar] [data-press=molding-machine-1]').click();
    const offlineNotice = page.locator('[data-testid=view-card] [role=alert]', { hasText: 'You are offline' });
    await offlineNotice.first().waitFor({ timeout: 30_000 });
    await page.context().setOffline(false);
    await page.waitForFunction(() => !document.querySelector('[data-testid=view-card] [role=alert]'), undefined, { timeout: 30_000 });
    await waitForCharts(page);
    assert.match((await cycle.textContent())!, /\d+ ms on the server/);

    // Any size again: the dataset is downloaded and kept.
    await page.locator('[data-testid=settings-open]').click();
    await page.locator('[data-testid=pack-size-limit]').selectOption('');
    await page.waitForFunction(() => document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Stored'), undefined, { timeout: 60_000 });
    assert.equal(await packsStored(), 1);
    await page.context().close();
  });

  it('filter bar screenshots at 1366 and 360 px, light and dark', async () => {
    for (const [width, height] of [[1366, 900], [360, 740]] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await harness.newPage({ viewport: { width, height }, colorScheme, timezoneId: ZONE, hasTouch: width < 600, isMobile: width < 600 });
        await page.goto(dashboardUrl(harness.appUrl, { time: { preset: 'week' }, presses: [PRESS], reject: true }));
        await waitForCharts(page);
        await page.locator('[data-testid=filter-defect]').waitFor({ state: 'attached' });
        await page.waitForTimeout(1500); // the charts' entry animation
        const name = `filter-bar-${width}-${colorScheme}`;
        await page.locator('[data-testid=filter-bar]').screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-page.png`) });
        if (width < 600) {
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'nothing scrolls sideways');
          await page.locator('[data-testid=filters-open]').click();
          await page.locator('dialog[open]').waitFor();
          await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-sheet.png`) });
          const small = await page.locator('dialog[open] button:visible').evaluateAll((buttons) =>
            buttons.filter((b) => b.getBoundingClientRect().height < 44).map((b) => b.textContent));
          assert.deepStrictEqual(small, [], 'every target in the sheet is at least 44 px high');
        }
        await page.context().close();
      }
    }
  });

  it("installs with the app's own icons: maskable ones, and screenshots for the install dialog", async () => {
    const manifest = await (await fetch(`${harness.appUrl}/manifest.webmanifest`)).json() as {
      icons: { src: string; purpose: string }[]; screenshots: { src: string; form_factor: string }[]; theme_color: string;
    };
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'));
    assert.deepStrictEqual(manifest.screenshots.map((s) => s.form_factor).sort(), ['narrow', 'wide']);
    for (const { src } of [...manifest.icons, ...manifest.screenshots]) {
      assert.equal((await fetch(`${harness.appUrl}/${src}`)).status, 200, src);
    }
  });

  it('a shared dashboard link opens as a temporary dashboard and leaves the saved one alone', async () => {
    const page = await harness.newPage({ timezoneId: ZONE });
    await page.goto(dashboardUrl(harness.appUrl));
    await waitForCharts(page);
    const mine = await page.locator('[data-testid=view-card]').count();
    const shared = new URL(page.url());
    await page.goto(`${harness.appUrl}/?d=${encodeViews([{ ...VIEWS[2]!, title: 'Shared histogram' }])}`);
    await page.locator('[data-testid=shared-banner]').waitFor();
    assert.equal(await page.locator('[data-testid=view-card]').count(), 1);
    await page.locator('[data-testid=add-shared]').click();
    await page.locator('[data-testid=view-card]', { hasText: 'Shared histogram' }).waitFor();
    assert.equal(await page.locator('[data-testid=view-card]').count(), mine + 1);
    assert.equal(await page.locator('[data-testid=shared-banner]').count(), 0);
    assert.ok(shared.searchParams.has('d'));
    await page.context().close();
  });
});
