// `npm run ingest -- --url <URL> [--force]`: ingests once and exits 0, or exits 1 with one line saying why.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { DatasetStore } from '../dataset/dataset-store.js';
import { ingestDataset } from '../ingest/ingest-dataset.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const url = values.url ?? config.datasetUrl;
  if (!url) {
    console.error('error: give the dataset URL: npm run ingest -- --url <URL> (or set DATASET_URL)');
    return 2;
  }
  const store = new DatasetStore(config.dataDir);
  await store.open();
  try {
    if (!values.force && store.current()?.sourceUrl === url) {
      console.log(`already ingested from ${url} (${store.current()!.rows} rows); use --force to download it again and rebuild its files`);
      return 0;
    }
    const metadata = await ingestDataset(store, config, { url, allowPrivateNetwork: true, rebuild: values.force, log: (line) => console.log(line) });
    console.log(`ok: ${metadata.rows} rows, ${metadata.columns.length} columns in ${config.dataDir}`);
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
