// Everything the server reads from its environment, parsed once.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export const REFERENCE_DATASET_URL = 'https://static.krevera.com/dataset.json';
const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface ServerConfig {
  port: number;
  dataDir: string;
  datasetUrl: string | null;
  ingestToken: string | null;
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  userAgent: string;
  duckdbMemoryLimit: string;
  duckdbThreads: number;
  /** Lets POST /api/ingest fetch loopback and private addresses (tests, a trusted LAN). */
  allowPrivateDatasetUrls: boolean;
  clientDir: string;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: positiveNumber(env, 'PORT', 8080),
    dataDir: resolve(env['DATA_DIR'] || './data'),
    datasetUrl: env['DATASET_URL'] || null,
    ingestToken: env['INGEST_TOKEN'] || null,
    maxDownloadBytes: positiveNumber(env, 'MAX_DOWNLOAD_BYTES', 64 * 1024 ** 3),
    downloadTimeoutMs: positiveNumber(env, 'DOWNLOAD_TIMEOUT_MS', 60_000),
    userAgent: env['USER_AGENT'] || BROWSER_USER_AGENT,
    duckdbMemoryLimit: env['DUCKDB_MEMORY_LIMIT'] || '500MB',
    duckdbThreads: positiveNumber(env, 'DUCKDB_THREADS', availableParallelism()),
    allowPrivateDatasetUrls: env['ALLOW_PRIVATE_DATASET_URLS'] === '1',
    clientDir: resolve(env['CLIENT_DIR'] || 'dist/client/browser'),
  };
}
