// Client benchmark in headless Chromium: page load → every default view drawn, on a first visit
// (the pack downloads to the device), later visits (results from the cache while the stored pack
// opens) and offline visits (median of three each), the median time to update a chart after an edit, and the median time
// from a dashboard filter change to four views redrawn by the device's engine, and the first press click of offline
// visits after one on which the server answered nothing (the cubes the device scanned, kept). Runs on 3,487 records (the reference size)
// and, with --large N, on N more.
import { existsSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateRecords, writeDataset } from '../../server/src/generator/generate-dataset.js';
import { serveFileOnLoopback } from '../../server/src/generator/serve-file.js';
import { freePort, startServerProcess } from '../../server/src/testing/server-process.js';
import { encodeViews } from '../../pipeline/view-url.js';
import type { ViewSpec } from '../../pipeline/view-spec.js';

const { values } = parseArgs({ options: { large: { type: 'string' }, updates: { type: 'string', default: '6' } } });
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
// Six distinct edits, none the view's own (sum): a repeated one would be answered from the result cache, not the engine.
const AGGREGATIONS = ['max', 'min', 'median', 'p95', 'stddev', 'avg'];

/** Navigation → every view card on the dashboard shows its chart. */
async function dashboardDrawn(page: Page, navigate: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await navigate();
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('[data-testid=view-card]')];
    return cards.length > 0 && cards.every((card) => card.querySelector('[data-testid=view-chart] canvas'));
  }, undefined, { timeout: 600_000, polling: 20 });
  return Date.now() - started;
}

/** The pack is stored on the device and attached from there (the data place says so): the device's engine answers from now on. */
const storedOnDevice = (page: Page) => page.waitForFunction(() => document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Stored'),
  undefined, { timeout: 600_000 });

/** Editor save → the edited chart drawn (the last card: where the bench's edited view is). */
async function chartUpdate(page: Page, aggregation: string): Promise<number> {
  const card = page.locator('[data-testid=view-card]').last();
  await card.getByRole('button', { name: 'Edit view' }).click();
  const editor = page.locator('dialog[open][data-testid=view-editor]');
  await editor.locator('[data-testid=aggregation-0]').selectOption(aggregation);
  return Math.round((await timedRedraw(page, 'dialog[open] [data-testid=save-view]', 'last')).ms);
}

/**
 * Where a visit's time went, from the app's start-up marks (ms after navigation): the engine's start
 * (download + compile), the pack's attach, and the first answer by the cache, the server or the device.
 */
async function steps(page: Page): Promise<string> {
  const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('moldlens:')).map((m) => [m.name.slice('moldlens:'.length), Math.round(m.startTime)])));
  const at = (name: string) => marks[name] as number | undefined;
  const parts = [
    at('starting') !== undefined && at('attaching') !== undefined ? `engine ${at('attaching')! - at('starting')!} ms` : null,
    at('attaching') !== undefined && at('opened') !== undefined ? `pack ${at('opened')! - at('attaching')!} ms` : null,
    ...['cache', 'server', 'device'].map((by) => (at(`first-answer-${by}`) !== undefined ? `first ${by} answer at ${at(`first-answer-${by}`)} ms` : null)),
  ];
  return parts.filter(Boolean).join(', ');
}

/** The view the chart-update edits change: its aggregation, so each edit is a new query. */
const EDITED_VIEW: ViewSpec = { title: 'Cycle time', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'sum' }],
  split: 'press', filters: {} };

/** The dashboard a filter change redraws: two time lines, a histogram and a stacked bar. */
const FILTERED_VIEWS: ViewSpec[] = [
  { title: 'Reject rate', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', filters: {} },
  { title: 'Cycle time', chart: 'line', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} },
  { title: 'Cycle time spread', chart: 'histogram', x: { kind: 'field', field: 'CycleTime' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} },
  { title: 'Rejects per defect', chart: 'bar', x: { kind: 'defect_type' }, y: [{ field: null, agg: 'count' }], split: 'press', filters: {} },
];
// Each step leaves a filter not seen before, so no view is answered from the result cache.
const FILTER_STEPS = ['[data-press=molding-machine-1]', '[data-press=molding-machine-2]', '[data-testid=time-week]', '[data-press=molding-machine-1]',
  '[data-testid=time-day]', '[data-press=molding-machine-3]', '[data-testid=time-shift]', '[data-press=molding-machine-2]', '[data-testid=time-all]'];

/** The quality views, each timed on the device's engine after a filter change (its footer says how long). */
const QUALITY_VIEWS: ViewSpec[] = [
  { title: 'p-chart', chart: 'p_chart', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'reject', agg: 'reject_rate' }], split: 'press', filters: {},
    quality: { subgroupBy: 'hour' } },
  { title: 'Pareto', chart: 'pareto', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} },
  { title: 'I-MR', chart: 'imr', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {} },
  { title: 'X-bar R', chart: 'xbar_r', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'press', filters: {},
    quality: { subgroupSize: 5 } },
  { title: 'Capability', chart: 'capability', x: { kind: 'time', bucket: 'auto' }, y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: {},
    quality: { lsl: 20, usl: 40 } },
  { title: 'Near misses', chart: 'near_miss', x: { kind: 'time', bucket: 'auto' }, y: [{ field: null, agg: 'count' }], split: 'none', filters: {} },
];

/**
 * Each view's engine time from its footer ("… 42 ms") after press clicks on the device's engine: the
 * first click after opening (which fills the views' cubes for the dashboard's time range), then the
 * median of four more (presses added and removed, so each filter is new and none is answered from
 * the result cache; answered from those cubes where a view has one).
 */
async function qualityQueryTimes(page: Page, url: string): Promise<string> {
  await dashboardDrawn(page, () => page.goto(`${url}/?d=${encodeViews(QUALITY_VIEWS)}`));
  await storedOnDevice(page);
  const footers = () => page.locator('[data-testid=view-card]').evaluateAll((cards) =>
    cards.map((card) => [card.querySelector('h2')?.textContent?.trim() ?? '', card.textContent?.match(/(\d+) ms\b/)?.[1] ?? '?']));
  const clicks: string[][][] = [];
  let late = 0;
  for (const press of ['molding-machine-2', 'molding-machine-3', 'molding-machine-1', 'molding-machine-3', 'molding-machine-2']) {
    const before = JSON.stringify(await footers());
    await page.locator(`[data-testid=filter-bar] [data-press=${press}]`).first().click();
    // Every view answered by the device's engine, each footer showing a new time (or, should one repeat exactly, after 20 s).
    const answered = await page.waitForFunction((previous) => {
      const cards = [...document.querySelectorAll('[data-testid=view-card]')];
      const now = cards.map((card) => [card.querySelector('h2')?.textContent?.trim() ?? '', card.textContent?.match(/(\d+) ms\b/)?.[1] ?? '?']);
      return cards.every((card) => /\d+ ms\b/.test(card.textContent ?? '') && !/on the server|cache/.test(card.textContent ?? ''))
        && now.every((footer, i) => JSON.stringify(footer) !== JSON.stringify((JSON.parse(previous) as string[][])[i]));
    }, before, { timeout: 20_000 }).then(() => true, () => false);
    if (!answered) late++;
    clicks.push(await footers());
  }
  const [first, ...next] = clicks;
  return `first press click: ${first!.map(([title, ms]) => `${title} ${ms} ms`).join(', ')}; ` +
    `median of the next ${next.length}: ${first!.map(([title], i) => `${title} ${median(next.map((footers) => Number(footers[i]![1])))} ms`).join(', ')}` +
    `${late ? ` (${late} of ${clicks.length} clicks: not every footer changed in 20 s)` : ''}`;
}

/**
 * A click on `trigger` → every card (or the last one) has gone busy, run its query again and drawn the
 * result (the next frame), timed in the page: a Playwright click would add its own actionability
 * checks and polling. With each of those cards' footer: who answered and how long its query took.
 */
async function timedRedraw(page: Page, trigger: string, cards: 'all' | 'last'): Promise<{ ms: number; views: string }> {
  return page.evaluate(async ({ trigger, cards: which }) => {
    const all = [...document.querySelectorAll('[data-testid=view-card]')];
    const cards = which === 'all' ? all : all.slice(-1);
    const wentBusy = new Set<Element>();
    const started = performance.now();
    await new Promise<void>((done) => {
      const observer = new MutationObserver(() => {
        for (const card of cards) if (card.getAttribute('aria-busy') === 'true') wentBusy.add(card);
        if (wentBusy.size === cards.length && cards.every((card) => card.getAttribute('aria-busy') === 'false')) {
          observer.disconnect();
          requestAnimationFrame(() => done());
        }
      });
      for (const card of cards) observer.observe(card, { attributes: true, attributeFilter: ['aria-busy'] });
      document.querySelector<HTMLElement>(trigger)!.click();
    });
    const views = cards.map((card) => card.querySelector('footer')?.textContent?.replace(/\s+/g, ' ').trim() ?? '?').join(' | ');
    return { ms: performance.now() - started, views };
  }, { trigger, cards });
}

/**
 * The first press click of an offline later visit after a visit on which the server answered no query
 * (its query endpoint blocked), so every cube was filled by the device's own scans: with those cubes'
 * rows kept, the offline visit loads them instead of scanning again. In a browser context of its own
 * (nothing kept from the other visits); timed 1 s after the stored pack opened, two offline visits.
 */
async function offlinePressClicks(browser: Browser, url: string): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.route('**/api/query', (route) => route.abort());
    await dashboardDrawn(page, () => page.goto(`${url}/?d=${encodeViews(FILTERED_VIEWS)}`));
    await storedOnDevice(page);
    // The cubes are filled while the engine is idle after the first answers.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=view-card]')].every((card) => card.getAttribute('aria-busy') === 'false'));
    await page.waitForTimeout(8000);
    await page.unroute('**/api/query');
    await context.setOffline(true);
    const clicks: number[] = [];
    for (const press of ['molding-machine-2', 'molding-machine-3']) {
      await dashboardDrawn(page, () => page.reload());
      await storedOnDevice(page);
      await page.waitForTimeout(1000);
      clicks.push(Math.round((await timedRedraw(page, `[data-testid=filter-bar] [data-press=${press}]`, 'all')).ms));
    }
    return clicks;
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const VISITS = 3;

async function measure(records: number): Promise<string> {
  const out = resolve('bench/out');
  await mkdir(out, { recursive: true });
  const file = join(out, `records-${records}.json`);
  if (!existsSync(file)) await writeDataset(file, generateRecords({ records, seed: 42 }));
  const source = await serveFileOnLoopback(file);
  const dataDir = join(out, `client-bench-${records}`);
  await rm(dataDir, { recursive: true, force: true });
  const server = await startServerProcess({ port: await freePort(), dataDir, datasetUrl: source.url, readyTimeoutMs: 1_800_000 });
  const browser = await chromium.launch({ executablePath: process.env['CHROME_BIN'] || '/usr/bin/chromium', args: FLAGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    const first = await dashboardDrawn(page, () => page.goto(server.url));
    // The stored copy must be complete before a later visit means anything.
    await storedOnDevice(page);
    console.error(`${records}: first visit ${first} ms (${await steps(page)})`);
    // A later visit comes later: after the service worker has installed (its precache copies the
    // 34 MB engine into Cache Storage, which would otherwise compete with the visit measured).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Three of each, the median reported: single visits on this machine differ by up to a second.
    const visits = async (what: string, visit: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < VISITS; i++) {
        await page.waitForTimeout(2000);
        times.push(await dashboardDrawn(page, visit));
        console.error(`${records}: ${what} visit ${times.at(-1)} ms (${await steps(page)})`);
      }
      return median(times);
    };
    const later = await visits('later', () => page.goto(server.url));
    await context.setOffline(true);
    const offline = await visits('offline', () => page.reload());
    await context.setOffline(false);
    await storedOnDevice(page);
    // Edits that change what the chart shows: the aggregation of a line of CycleTime per press (the
    // default dashboard's last view, an I-MR chart, draws individual values whatever the aggregation).
    await dashboardDrawn(page, () => page.goto(`${server.url}/?d=${encodeViews([EDITED_VIEW])}`));
    await storedOnDevice(page);
    const updates: number[] = [];
    // At most one edit per aggregation: a repeated one would come from the result cache without the card going busy.
    for (let i = 0; i < Math.min(Number(values.updates), AGGREGATIONS.length); i++) {
      updates.push(await chartUpdate(page, AGGREGATIONS[i]!));
      const footer = await page.locator('[data-testid=view-card]').last().locator('footer').textContent();
      console.error(`${records}: chart update to ${AGGREGATIONS[i]} ${updates.at(-1)} ms (${footer?.replace(/\s+/g, ' ').trim()})`);
    }
    await dashboardDrawn(page, () => page.goto(`${server.url}/?d=${encodeViews(FILTERED_VIEWS)}`));
    // On the device's engine: until it has started (1.5–3 s after a page opens) the server answers.
    await storedOnDevice(page);
    const redraws: number[] = [];
    for (const control of FILTER_STEPS) {
      const { ms, views } = await timedRedraw(page, `[data-testid=filter-bar] ${control}`, 'all');
      redraws.push(ms);
      console.error(`${records}: filter change ${control} ${ms.toFixed(0)} ms (${views})`);
    }
    console.error(`${records}: filter changes ${redraws.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    console.error(`${records}: quality views on the device after a filter change: ${await qualityQueryTimes(page, server.url)}`);
    console.error(`${records}: offline visits after one the server answered nothing, first press click: ` +
      `${(await offlinePressClicks(browser, server.url)).join(', ')} ms`);
    const info = await (await fetch(`${server.url}/api/dataset`)).json() as { packBytes: number };
    return `${String(records).padStart(9)} records  pack ${(info.packBytes / 1e6).toFixed(1).padStart(6)} MB  ` +
      `first visit ${(first / 1000).toFixed(2)} s  later visit ${(later / 1000).toFixed(2)} s  offline visit ${(offline / 1000).toFixed(2)} s  ` +
      `median chart update ${median(updates)} ms (${updates.length} edits)  ` +
      `median filter change ${median(redraws).toFixed(0)} ms (4 views, ${redraws.length} changes)  JSON ${(statSync(file).size / 1e6).toFixed(0)} MB`;
  } finally {
    await browser.close();
    await server.stop();
    await source.close();
  }
}

const sizes = [3487, ...(values.large ? [Number(values.large)] : [])];
const lines: string[] = [];
for (const size of sizes) lines.push(await measure(size));
console.log('\nClient benchmark (navigation → every default view drawn; chart update = editor save → chart drawn; ' +
  'filter change = filter bar click → all four views queried and drawn):');
for (const line of lines) console.log(line);
