// `npm run demo [-- --records N]`: generates N realistic records, serves them on loopback and starts
// MoldLens on them, so anyone can try it (and its scale) with no dataset at hand.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { generateRecords, writeDataset } from '../generator/generate-dataset.js';
import { serveFileOnLoopback } from '../generator/serve-file.js';
import { startServer } from '../start-server.js';
import { ensureClientBuilt } from './ensure-client-built.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' } } });
const records = Number(values.records);
if (!Number.isInteger(records) || records <= 0) throw new Error('--records must be a positive whole number');
const config = loadConfig();
const demoDir = join(config.dataDir, 'demo');
await mkdir(demoDir, { recursive: true });
const file = join(demoDir, `demo-${records}-seed${values.seed}.json`);
if (!existsSync(file)) {
  console.log(`[demo] generating ${records} records…`);
  await writeDataset(file, generateRecords({ records, seed: Number(values.seed) }));
}
const source = await serveFileOnLoopback(file, 18_090);
config.datasetUrl = source.url;
console.log(`[demo] serving ${file} at ${source.url}`);
await ensureClientBuilt(config.clientDir);
await startServer(config);
