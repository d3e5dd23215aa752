// Engine start on flaky Wi-Fi: a proxy in front of the real server cuts the first download of the
// DuckDB engine midway and leaves the connection hanging. The worker must notice the stall, drop
// that attempt, download the engine again and open the dataset, with no reload and no blank page.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './support/harness.js';

const ENGINE = /^\/media\/duckdb-eh-[A-Za-z0-9_]+\.wasm$/;
const CUT_AFTER_BYTES = 512 * 1024;

describe('engine start that never stalls', () => {
  let harness: Harness;
  let proxy: Server;
  let proxyUrl = '';
  let engineRequests = 0;

  before(async () => {
    harness = await startHarness();
    const target = new URL(harness.appUrl);
    proxy = createServer((incoming, outgoing) => {
      const cut = ENGINE.test(incoming.url ?? '') && ++engineRequests === 1;
      const upstream = request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method,
        headers: incoming.headers }, (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        if (!cut) return void response.pipe(outgoing);
        let sent = 0;
        response.on('data', (chunk: Buffer) => {
          if (sent < CUT_AFTER_BYTES) outgoing.write(chunk);
          sent += chunk.length;
          if (sent >= CUT_AFTER_BYTES) response.pause(); // and never another byte: a stalled download
        });
      });
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxy?.closeAllConnections();
    proxy?.close();
    await harness?.close();
  });

  it('drops the stalled engine download, fetches it again and opens the dataset', async () => {
    const page = await harness.newPage();
    await page.goto(proxyUrl);
    // The server's answers draw the dashboard while the engine is stuck…
    await page.locator('[data-testid=view-card] [data-testid=view-chart] canvas').first().waitFor({ timeout: 30_000 });
    // …and the engine still gets there, on its second try.
    await page.waitForFunction(() => document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Stored on this device')
      || document.querySelector('[data-testid=data-place]')?.textContent?.startsWith('Reading from the server'), undefined, { timeout: 90_000 });
    assert.ok(engineRequests >= 2, 'the engine was downloaded again after the stall');
    assert.equal(await page.locator('[data-testid=dataset-error]').count(), 0);
    await page.context().close();
  });
});
