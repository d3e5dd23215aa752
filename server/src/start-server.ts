// Wires the store, the ingest service and the HTTP app, and implements the start-up contract:
// ingest DATASET_URL (or the reference dataset when nothing is published) once, in the
// background, while the server already answers.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REFERENCE_DATASET_URL, type ServerConfig } from './config.js';
import { DatasetStore } from './dataset/dataset-store.js';
import { createApp } from './http/create-app.js';
import { IngestService } from './ingest/ingest-service.js';

export interface RunningServer {
  url: string;
  store: DatasetStore;
  ingest: IngestService;
  /** Settles when the start-up ingest (if any) has ended. */
  startupIngest: Promise<void>;
  close(): Promise<void>;
}

/** The URL to ingest at start-up, or null when the published dataset already comes from it. */
export function startupDatasetUrl(configured: string | null, publishedSource: string | null): string | null {
  if (configured) return configured === publishedSource ? null : configured;
  return publishedSource ? null : REFERENCE_DATASET_URL;
}

export async function startServer(config: ServerConfig, host = '0.0.0.0'): Promise<RunningServer> {
  const store = new DatasetStore(config.dataDir);
  await store.open();
  const ingest = new IngestService(store, config);
  const app = createApp({ config, store, ingest });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.port, host, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  console.log(`[server] MoldLens listening on ${url}`);

  const datasetUrl = startupDatasetUrl(config.datasetUrl, store.current()?.sourceUrl ?? null);
  const startupIngest = datasetUrl
    ? ingest.run(datasetUrl, true).then(() => {}, () => {
      console.log(`[server] ${store.current() ? 'serving the previous dataset' : 'no dataset yet'}; see GET /api/dataset`);
    })
    : Promise.resolve();

  return {
    url, store, ingest, startupIngest,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      await store.close();
    },
  };
}
