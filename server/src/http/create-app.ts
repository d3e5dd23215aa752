// The HTTP surface: dataset metadata, the published files, the protected ingest endpoint, health,
// and the built client.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ServerConfig } from '../config.js';
import { FILES_ROUTE, type DatasetStore } from '../dataset/dataset-store.js';
import { IngestLockedError } from '../dataset/ingest-lock.js';
import { DownloadError, parseDatasetUrl } from '../ingest/download.js';
import { IngestBusyError, type IngestService } from '../ingest/ingest-service.js';
import { serveDatasetFile } from './serve-dataset-file.js';
import { QueryService } from '../query/query-service.js';
import { servePrecompressed } from './serve-precompressed.js';
import { queryRoute } from './query-route.js';

export interface AppDependencies {
  config: Pick<ServerConfig, 'ingestToken' | 'allowPrivateDatasetUrls' | 'clientDir'>;
  store: DatasetStore;
  ingest: IngestService;
}

const SET_URL_HINT = 'Set DATASET_URL and restart, run `npm run ingest -- --url <URL>`, ' +
  'or POST {"url": …} to /api/ingest with Authorization: Bearer $INGEST_TOKEN.';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:", "worker-src 'self' blob:", "connect-src 'self'", "object-src 'none'",
  "base-uri 'self'", "frame-ancestors 'none'",
].join('; ');

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createApp({ config, store, ingest }: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // JSON and the app's scripts shrink 4x; the pack and the Parquet are left alone (ranges, ETags).
  app.use(compression({ filter: (request, response) => !request.path.startsWith(FILES_ROUTE) && compression.filter(request, response) }));
  app.use((_request, response, next) => {
    response.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  app.get('/api/health', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json({ status: 'ok', dataset: await store.refresh() !== null, ingest: ingest.status().state });
  });

  // Views answered on the server while a browser's own engine starts.
  const views = new QueryService(() => store.current(), (file) => store.filePath(file));
  app.use(queryRoute(views));

  app.get('/api/dataset', async (_request, response) => {
    response.set('Cache-Control', 'no-cache');
    // Re-read when `npm run ingest` (another process) has published since: clients are offered it.
    const metadata = await store.refresh();
    const status = ingest.status();
    const lastIngestError = status.state === 'failed' ? status.error : undefined;
    if (!metadata) {
      const error = status.state === 'running' ? 'the first dataset is being ingested'
        : lastIngestError ? `no dataset: the last ingest failed: ${lastIngestError}` : 'no dataset has been ingested yet';
      response.status(404).json({ error, hint: SET_URL_HINT, ingest: status });
      return;
    }
    response.json({ ...metadata, ingest: status, ...(lastIngestError ? { lastIngestError, hint: SET_URL_HINT } : {}) });
    views.warm(); // a browser asking for the dataset asks for its first views next
  });

  app.get(`${FILES_ROUTE}/:name`, async (request: Request<{ name: string }>, response) => {
    const path = store.filePath(request.params.name);
    if (!path) {
      response.status(404).json({ error: 'no such file' });
      return;
    }
    await serveDatasetFile(request, response, path, request.params.name);
  });

  app.get('/api/ingest/status', (_request, response) => {
    response.set('Cache-Control', 'no-store').json(ingest.status());
  });

  app.post('/api/ingest', express.json({ limit: '16kb' }), async (request, response) => {
    if (!config.ingestToken) {
      response.status(403).json({ error: 'the ingest endpoint is disabled: set INGEST_TOKEN on the server to enable it' });
      return;
    }
    if (!tokenMatches(request.headers.authorization, config.ingestToken)) {
      response.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'a valid Authorization: Bearer token is required' });
      return;
    }
    const url: unknown = (request.body as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string') {
      response.status(400).json({ error: 'the body must be JSON with a "url" string' });
      return;
    }
    const otherIngest = await store.otherIngestHolder();
    if (otherIngest) {
      response.status(409).json({ error: new IngestLockedError(otherIngest).message });
      return;
    }
    try {
      parseDatasetUrl(url);
      ingest.run(url, config.allowPrivateDatasetUrls).catch(() => { /* reported by the status */ });
    } catch (error) {
      const status = error instanceof IngestBusyError ? 409 : error instanceof DownloadError ? 400 : 500;
      response.status(status).json({ error: (error as Error).message });
      return;
    }
    response.status(202).location('/api/ingest/status').json(ingest.status());
  });

  app.use('/api', (_request, response) => {
    response.status(404).json({ error: 'no such endpoint' });
  });

  serveClient(app, config.clientDir);

  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    // A response already under way cannot become an error page: Express's own handler ends it.
    if (response.headersSent) return next(error);
    const status = (error as { status?: number }).status ?? 500;
    response.status(status).json({ error: status === 500 ? 'internal error' : (error as Error).message });
    if (status === 500) console.error(error);
  });
  return app;
}

/** The built Angular app: hashed files cached for good, everything else revalidated, deep links to index.html. */
function serveClient(app: express.Express, clientDir: string): void {
  const index = join(clientDir, 'index.html');
  app.use((_request, response, next) => {
    response.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    next();
  });
  const setHeaders = (response: Response, path: string) => {
    const hashed = /[.-][0-9a-zA-Z_]{8,}\.(js|css|wasm)$/.test(path);
    response.set('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  app.use(servePrecompressed(clientDir, setHeaders));
  app.use(express.static(clientDir, { index: false, setHeaders }));
  app.get('/{*path}', (request, response) => {
    if (!existsSync(index)) {
      response.status(503).type('text').send('The client is not built: run `npm run build:client` (npm start does it for you).');
      return;
    }
    response.set('Cache-Control', 'no-cache').sendFile(index);
  });
}
