// `npm start [-- --url <dataset URL>]`: builds the client when it is missing or stale, then serves.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { startServer } from '../start-server.js';
import { ensureClientBuilt } from './ensure-client-built.js';

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const config = loadConfig();
if (values.url) config.datasetUrl = values.url;
await ensureClientBuilt(config.clientDir);
await startServer(config);
