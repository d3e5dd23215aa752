// End-to-end harness: generated datasets on a loopback host, the real server as a child process
// (so a test can stop it), and Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { generateRecords, writeDataset, type InspectionRecord } from '../../server/src/generator/generate-dataset.js';
import { routes, startFakeDatasetHost, type FakeDatasetHost } from '../../server/src/testing/fake-dataset-host.js';
import { freePort, startServerProcess, type ServerProcess } from '../../server/src/testing/server-process.js';
import { CHROMIUM_FLAGS } from './browser-drivers.js';

export const INGEST_TOKEN = 'e2e-token-0123456789';
export const SCREENSHOT_DIR = resolve('e2e/out');

/** Generated datasets `a` (served first) and `b` on a loopback host, and the real server on them. */
export interface AppServer {
  records: { a: InspectionRecord[]; b: InspectionRecord[] };
  host: FakeDatasetHost;
  appUrl: string;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

export interface Harness extends AppServer {
  browser: Browser;
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

export async function startAppServer(): Promise<AppServer> {
  const work = await mkdtemp(join(tmpdir(), 'moldlens-e2e-'));
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const a = [...generateRecords({ records: 3000, seed: 21, days: 10 })];
  const b = [...generateRecords({ records: 1800, seed: 22, days: 10 })];
  await writeDataset(join(work, 'a.json'), a);
  await writeDataset(join(work, 'b.json'), b);
  const host = await startFakeDatasetHost({ '/a.json': routes.file(join(work, 'a.json')), '/b.json': routes.file(join(work, 'b.json')) });
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  let server: ServerProcess | null = null;
  const app: AppServer = {
    records: { a, b }, host, appUrl,
    async startServer() {
      server = await startServerProcess({ port, dataDir: join(work, 'data'), datasetUrl: host.url('/a.json'),
        env: { INGEST_TOKEN, ALLOW_PRIVATE_DATASET_URLS: '1' } });
    },
    async stopServer() {
      await server?.stop();
      server = null;
    },
    async close() {
      await app.stopServer();
      await host.close();
      await rm(work, { recursive: true, force: true });
    },
  };
  await app.startServer();
  return app;
}

export async function startHarness(): Promise<Harness> {
  const app = await startAppServer();
  const browser = await chromium.launch({ executablePath: process.env['CHROME_BIN'] || '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  return {
    ...app,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
      const page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
      return page;
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** Opens the field picker inside `scope` and picks `field` by searching for it. */
export async function pickField(page: Page, scope: string, field: string): Promise<void> {
  await page.locator(`${scope} [data-testid=field-picker-open]`).first().click();
  const picker = page.locator('dialog[open] [data-testid=field-picker]');
  await picker.locator('input[type=search]').fill(field);
  await picker.locator(`[data-field="${field}"]`).click();
}

/** Reads a view card's table (after switching it to the table). */
export async function readTable(page: Page, card: ReturnType<Page['locator']>): Promise<string[][]> {
  if (!(await card.locator('[data-testid=view-table]').count())) await card.locator('[data-testid=toggle-table]').click();
  const table = card.locator('[data-testid=view-table]');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
}

/**
 * Asserts that a table shows `value` to six significant digits, as the app formats numbers. Either
 * neighbour is accepted when `value` lies within a billionth of a rounding tie: the same mean summed
 * in another order (per group, then over groups) differs in its last bits.
 */
export function assertShown(shown: string | undefined, value: number, what: string): void {
  const roundings = [value * (1 - 1e-9), value, value * (1 + 1e-9)].map((v) => Number(v.toPrecision(6)));
  assert.ok(roundings.includes(Number(shown)), `${what}: shows ${shown}, expected ${Number(value.toPrecision(6))}`);
}
