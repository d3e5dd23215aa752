// A quality engineer's drill-down, end to end in Debian's Chromium against the real server: build an
// X̄-R chart of CycleTime for one press through the editor, click a subgroup drawn in the warning
// colour, choose "Show parts" in the point menu, and the Parts panel must list exactly the parts of
// that subgroup as the generated JSON has them; the subgroup's X̄ and R in the view's table must be
// theirs, and its signals column must name a rule.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { InspectionRecord } from '../server/src/generator/generate-dataset.js';
import { WARNING_COLOR } from '../pipeline/quality/chart-style.js';
import { encodeViews } from '../pipeline/view-url.js';
import { readTable, SCREENSHOT_DIR, startHarness, type Harness } from './support/harness.js';

const PRESS = 'molding-machine-1';
const SUBGROUP_SIZE = 10;
const TITLE = 'Cycle time X̄-R';
/** The browser's zone, which the dashboard shows every time in (its default setting). */
const ZONE = 'Europe/Berlin';
/** A time as the panel and the table show it in ZONE, to the second: `2025-09-20 06:13:13`. */
const zoneClock = new Intl.DateTimeFormat('sv-SE', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

/** One part as the Parts panel shows it, made from a JSON record. */
interface ExpectedPart {
  time: string;
  verdict: string;
  defects: string;
  cycleTime: number;
}

/** The parts of one press with a CycleTime, in the order the control chart numbers them: by time, ties in file order. */
function pressParts(records: InspectionRecord[], press: string): ExpectedPart[] {
  const cycleTime = (r: InspectionRecord) => (r['molding-machine-state'] as Record<string, number | null>)['CycleTime'];
  return records
    .filter((r) => r['molding_machine_id'] === press && cycleTime(r) != null)
    .sort((a, b) => (a['timestamp'] as number) - (b['timestamp'] as number))
    .map((r) => {
      const detection = r['object_detection'] as Record<string, unknown>;
      // Defect types are named as the README says: `flash_defect` in the JSON is the type `flash`.
      const flagged = Object.entries(detection)
        .filter(([, d]) => typeof d === 'object' && d !== null && (d as { reject?: unknown }).reject === true)
        .map(([name]) => name.replace(/_defect$/, '')).sort();
      return {
        // The pack keeps microseconds; the panel shows the dashboard's zone to the second.
        time: zoneClock.format(new Date(Math.floor(Math.round((r['timestamp'] as number) * 1e6) / 1000))),
        verdict: detection['reject'] ? 'rejected' : 'accepted',
        defects: flagged.join(', '),
        cycleTime: cycleTime(r)!,
      };
    });
}

/** The figures a table shows: six significant digits. */
const shown = (v: number) => String(Number(v.toPrecision(6)));

/** Builds "X̄-R of CycleTime, subgroups of 10, one press" through the editor, as a user would. */
async function buildControlChart(page: Page): Promise<void> {
  await page.locator('[data-testid=add-view]').click();
  const editor = page.locator('dialog[open][data-testid=view-editor]');
  await editor.waitFor();
  await editor.locator('input[type=text]').fill(TITLE);
  await editor.locator('[data-testid=chart-type]').selectOption('xbar_r');
  const size = editor.locator('[data-testid=subgroup-size]');
  await size.fill(String(SUBGROUP_SIZE));
  await size.dispatchEvent('change');
  await editor.locator('.presses label', { hasText: PRESS }).locator('input[type=checkbox]').check();
  await editor.locator('[data-testid=save-view]').click();
  await editor.waitFor({ state: 'detached' });
}

/**
 * Where a point drawn in the warning colour is, in page coordinates: the middle of the first such
 * symbol found on the chart's canvas (null until one is drawn). The chart's background is
 * transparent and ECharts draws scatter symbols at 80 % opacity: the pixels looked for have the
 * warning colour and are mostly opaque.
 */
async function signallingPoint(chart: Locator): Promise<{ x: number; y: number } | null> {
  return chart.evaluate((element, hex) => {
    const canvas = element.querySelector('canvas');
    if (!canvas) return null;
    const target = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const hits: [number, number][] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (data[i + 3]! >= 150 && target.every((c, k) => Math.abs(data[i + k]! - c) <= 8)) hits.push([x, y]);
      }
    }
    if (!hits.length) return null;
    // The first symbol: the pixels near the first one found, averaged.
    const [fx, fy] = hits[0]!;
    const symbol = hits.filter(([x, y]) => Math.abs(x - fx) <= 6 && y - fy <= 9);
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / rect.width;
    const mean = (k: 0 | 1) => symbol.reduce((sum, p) => sum + p[k], 0) / symbol.length / scale;
    return { x: rect.left + mean(0), y: rect.top + mean(1) };
  }, WARNING_COLOR);
}

describe('Quality views end to end', () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  it('a signalling X̄-R subgroup drills down to exactly its parts in the JSON', async () => {
    const page = await harness.newPage({ viewport: { width: 1366, height: 900 }, timezoneId: ZONE });
    await page.goto(harness.appUrl);
    await page.locator('[data-testid=view-card] [data-testid=view-chart] canvas').first().waitFor({ timeout: 60_000 });
    await buildControlChart(page);

    const card = page.locator('[data-testid=view-card]', { hasText: TITLE });
    const chart = card.locator('[data-testid=view-chart]');
    await chart.locator('canvas').waitFor({ timeout: 60_000 });
    await chart.scrollIntoViewIfNeeded();
    let point: { x: number; y: number } | null = null;
    for (let attempt = 0; attempt < 50 && !point; attempt++) {
      point = await signallingPoint(chart);
      if (!point) await page.waitForTimeout(200);
    }
    assert.ok(point, 'the chart draws at least one signalling subgroup in the warning colour');
    await page.mouse.click(point.x, point.y);

    const menu = page.locator('[data-testid=point-menu]');
    await menu.waitFor();
    const heading = (await menu.locator('.heading').textContent())!.trim();
    const match = /^(.+) · parts (\d+)–(\d+) with CycleTime$/.exec(heading);
    assert.ok(match, `the menu names the subgroup: ${heading}`);
    const [, press, first, last] = match;
    assert.equal(press, PRESS);
    assert.equal(Number(last) - Number(first) + 1, SUBGROUP_SIZE);
    assert.equal((Number(first) - 1) % SUBGROUP_SIZE, 0, 'a subgroup starts at a multiple of its size');
    // One menu at the point offers both gestures: filter the dashboard, and the parts behind it.
    assert.equal((await menu.locator('[data-testid=point-action-filter]').textContent())!.trim(), `Filter the dashboard to press ${PRESS}`);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'quality-point-menu.png') });
    await menu.locator('[data-testid=point-action-parts]').click();

    const expected = pressParts(harness.records.a, PRESS).slice(Number(first) - 1, Number(last));
    const panel = page.locator('[data-testid=parts-panel]');
    await panel.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=parts-count]')?.textContent?.includes('parts'));
    assert.equal(await panel.locator('[data-testid=parts-count]').textContent(), `${SUBGROUP_SIZE} parts`);
    assert.equal((await panel.locator('.scope').textContent())!.trim(), heading);
    const headers = await panel.locator('[data-testid=parts-table] th').evaluateAll((cells) => cells.map((c) => c.textContent!.replace(/[▲▼]/g, '').trim()));
    assert.deepStrictEqual(headers, [`timestamp (${ZONE})`, 'press', 'reject', 'defects', 'CycleTime']);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=parts-table] tbody tr').length === n, SUBGROUP_SIZE);
    const listed = await panel.locator('[data-testid=parts-table] tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'quality-parts-panel.png') });
    assert.deepStrictEqual(listed.map(([time, listedPress, verdict, defects, cycle]) => ({
      time, press: listedPress, verdict, defects: defects!.split(', ').filter(Boolean).sort().join(', '), cycleTime: Number(cycle),
    })), expected.map((p) => ({ ...p, press: PRESS, cycleTime: Number(shown(p.cycleTime)) })));

    // The subgroup's row in the view's table: its X̄ and R are those parts', and it signals.
    // Escape closes the panel, as it closes the menu (the ✕ is clicked in the linked-dashboard test).
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    const table = await readTable(page, card);
    const header = await card.locator('[data-testid=view-table] th').evaluateAll((cells) => cells.map((c) => c.textContent!.trim()));
    const row = table.find((cells) => cells[header.indexOf(`Subgroup start (${ZONE})`)] === expected[0]!.time);
    assert.ok(row, `the table has the subgroup starting ${expected[0]!.time}`);
    const values = expected.map((p) => p.cycleTime);
    assert.equal(row[header.indexOf('Parts')], String(SUBGROUP_SIZE));
    assert.equal(row[header.indexOf('X̄')], shown(values.reduce((a, b) => a + b, 0) / values.length));
    assert.equal(row[header.indexOf('R')], shown(Math.max(...values) - Math.min(...values)));
    assert.match(row[header.indexOf('signals')]!, /Rule 1/);

    // The menu's other item filters the whole dashboard to the subgroup's press.
    await card.locator('[data-testid=toggle-table]').click();
    await chart.locator('canvas').waitFor();
    let opened = false;
    for (let attempt = 0; attempt < 50 && !opened; attempt++) {
      await page.mouse.click(point.x, point.y);
      opened = await menu.waitFor({ timeout: 500 }).then(() => true, () => false);
    }
    assert.ok(opened, 'the point menu opens again on the chart');
    await menu.locator('[data-testid=point-action-filter]').click();
    await page.locator('[data-testid=filter-chip]', { hasText: `Press ${PRESS}` }).waitFor();
    await page.context().close();
  });

  it('a Pareto bar\'s point menu stays above the chart\'s tooltip, so its items can be read', async () => {
    const page = await harness.newPage({ viewport: { width: 1366, height: 900 }, timezoneId: ZONE });
    await page.goto(`${harness.appUrl}/?d=${encodeViews([{ title: 'Rejects by defect', chart: 'pareto', x: { kind: 'time', bucket: 'auto' },
      y: [{ field: null, agg: 'count' }], split: 'none', filters: {} }])}`);
    const chart = page.locator('[data-testid=view-card] [data-testid=view-chart][data-interactive=true]');
    await chart.locator('canvas').waitFor({ timeout: 60_000 });
    const box = (await chart.boundingBox())!;
    const menu = page.locator('[data-testid=point-menu]');
    // The tallest bar is the first: step right from the axis until the click lands on it. As a user
    // aims, the pointer rests on the bar first and the chart shows its tooltip there (it fades in).
    for (let x = box.x + 40; x < box.x + 160 && !(await menu.count()); x += 10) {
      await page.mouse.move(x, box.y + box.height * 0.6);
      await page.waitForTimeout(400);
      await page.mouse.click(x, box.y + box.height * 0.6);
      await page.waitForTimeout(150);
    }
    await menu.waitFor();
    // The pointer moves on, over the bar just above the menu: the chart shows its tooltip beside the
    // pointer (it fades in), where the menu is.
    const placed = (await menu.boundingBox())!;
    await page.mouse.move(placed.x + 8, placed.y - 12, { steps: 4 });
    await page.waitForTimeout(600);
    // The tooltip lets the pointer through (pointer-events: none), so hit-testing passes it by: made
    // hittable for the check, whatever of the chart is hit at an item's middle is painted over it.
    const covered = await page.evaluate(() => {
      const chart = document.querySelector('[data-testid=view-chart]')!;
      const parts = [...chart.querySelectorAll<HTMLElement>('*')];
      const before = parts.map((part) => part.style.pointerEvents);
      parts.forEach((part) => { part.style.pointerEvents = 'auto'; });
      const items = [...document.querySelectorAll('[data-testid=point-menu] button')];
      const hidden = items.filter((item) => {
        const r = item.getBoundingClientRect();
        return !item.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      }).map((item) => item.textContent!.trim());
      parts.forEach((part, i) => { part.style.pointerEvents = before[i]!; });
      return hidden;
    });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'quality-pareto-menu.png') });
    assert.deepStrictEqual(covered, [], 'no menu item is under the tooltip');
    await page.context().close();
  });
});
