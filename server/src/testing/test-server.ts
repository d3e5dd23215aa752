// An in-process server on loopback for tests, on its own data directory, with the ingest endpoint on.
import { join } from 'node:path';
import { loadConfig, type ServerConfig } from '../config.js';
import { startServer, type RunningServer } from '../start-server.js';

export const TEST_INGEST_TOKEN = 'test-token-0123456789';

/** Starts a server whose DATA_DIR is `dir`/data and waits for its start-up ingest, if any. */
export async function startTestServer(dir: string, settings: Partial<ServerConfig>): Promise<RunningServer> {
  const server = await startServer({
    ...loadConfig({}), port: 0, dataDir: join(dir, 'data'), datasetUrl: null, ingestToken: TEST_INGEST_TOKEN,
    allowPrivateDatasetUrls: true, clientDir: join(dir, 'no-client'), ...settings,
  }, '127.0.0.1');
  await server.startupIngest;
  return server;
}

export function postIngest(server: RunningServer, body: unknown, token: string | null = TEST_INGEST_TOKEN): Promise<Response> {
  return fetch(`${server.url}/api/ingest`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

export async function waitForIngest(server: RunningServer): Promise<void> {
  while (server.ingest.status().state === 'running') await new Promise((r) => setTimeout(r, 20));
}
