// One small driver interface over the three engines the app must work in, each driving the
// browser Debian ships: Chromium through playwright-core, Firefox ESR through puppeteer-core over
// WebDriver BiDi, and WebKit (WebKitGTK's MiniBrowser) through WebKitWebDriver's W3C protocol
// under a private Xvfb display. Scripts are plain expressions, so one scenario runs in all three.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { freePort } from '../../server/src/testing/server-process.js';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface BrowserTab {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Evaluates a JavaScript expression in the page and returns its (JSON) value. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export interface BrowserDriver {
  readonly engine: EngineName;
  /** A new tab sharing the browser's storage with the others, as a user opening the app twice. */
  newTab(): Promise<BrowserTab>;
  close(): Promise<void>;
}

/** Polls `expression` in the tab until it is truthy; the error names what never happened. */
export async function waitUntil(tab: BrowserTab, expression: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await tab.evaluate<boolean>(`!!(${expression})`)) return;
    } catch (error) {
      last = error; // the page may be navigating
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // What the page says about itself when it did not get there: where the dataset is read from, alerts, status.
  const shown = await tab.evaluate<string>(`[...document.querySelectorAll('[data-testid=data-place], [role=alert], [role=status]')]
    .map((e) => e.textContent.trim()).filter(Boolean).join(' | ')`).catch(() => '');
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}${shown ? `; the page shows: ${shown}` : ''}`);
}

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchEngine(engine: EngineName): Promise<BrowserDriver> {
  switch (engine) {
    case 'chromium': return launchChromium();
    case 'firefox': return launchFirefox();
    case 'webkit': return launchWebKit();
  }
}

async function launchChromium(): Promise<BrowserDriver> {
  const browser = await chromium.launch({ executablePath: process.env['CHROME_BIN'] || '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  return {
    engine: 'chromium',
    async newTab() {
      const page = await context.newPage();
      return {
        goto: async (url) => void (await page.goto(url)),
        reload: async () => void (await page.reload()),
        evaluate: (expression) => page.evaluate(expression),
        close: () => page.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function launchFirefox(): Promise<BrowserDriver> {
  const profile = await mkdtemp(join(tmpdir(), 'moldlens-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: process.env['FIREFOX_BIN'] || '/usr/bin/firefox-esr', headless: true,
    userDataDir: profile, defaultViewport: { width: 1280, height: 860 },
    // Keep Firefox off the closed network: no updates, telemetry or captive-portal checks.
    extraPrefsFirefox: { 'app.update.enabled': false, 'network.captive-portal-service.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false },
  });
  return {
    engine: 'firefox',
    async newTab() {
      const page = await browser.newPage();
      // The tab a user opens or reloads is the one in front (a tab behind has its timers throttled).
      return {
        goto: async (url) => { await page.bringToFront(); await page.goto(url); },
        reload: async () => { await page.bringToFront(); await page.reload(); },
        evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
        close: () => page.close(),
      };
    },
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** A private X display for the MiniBrowser window. */
async function startXvfb(): Promise<{ display: string; stop(): void }> {
  for (let display = 90 + Math.floor(Math.random() * 100); ; display++) {
    const xvfb = spawn('Xvfb', [`:${display}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const exited = await Promise.race([
      new Promise<boolean>((r) => xvfb.once('exit', () => r(true))),
      new Promise<boolean>((r) => setTimeout(() => r(false), 700)),
    ]);
    if (!exited) return { display: `:${display}`, stop: () => xvfb.kill() };
  }
}

async function launchWebKit(): Promise<BrowserDriver> {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver: ChildProcess = spawn('WebKitWebDriver', [`--port=${port}`], {
    env: { ...process.env, DISPLAY: xvfb.display }, stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json() as { value: T & { error?: string; message?: string } };
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${payload.value.error} ${payload.value.message}`);
    return payload.value;
  };
  for (let i = 0; i < 100 && !(await fetch(`${base}/status`).then((r) => r.ok, () => false)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const { sessionId } = await call<{ sessionId: string }>('POST', '/session', {
    capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
  });
  const session = `/session/${sessionId}`;
  // WebDriver acts on one window at a time: every tab switches to its own window first.
  let current = await call<string>('GET', `${session}/window`);
  let first = true;
  return {
    engine: 'webkit',
    async newTab() {
      const handle = first ? current : (await call<{ handle: string }>('POST', `${session}/window/new`, { type: 'tab' })).handle;
      first = false;
      const focus = async () => {
        if (current !== handle) await call('POST', `${session}/window`, { handle });
        current = handle;
      };
      return {
        goto: async (url) => { await focus(); await call('POST', `${session}/url`, { url }); },
        reload: async () => { await focus(); await call('POST', `${session}/refresh`, {}); },
        evaluate: async <T>(expression: string) => {
          await focus();
          return call<T>('POST', `${session}/execute/sync`, { script: `return (${expression});`, args: [] });
        },
        close: async () => { await focus(); await call('DELETE', `${session}/window`); },
      };
    },
    async close() {
      await call('DELETE', session).catch(() => {});
      driver.kill();
      xvfb.stop();
    },
  };
}
