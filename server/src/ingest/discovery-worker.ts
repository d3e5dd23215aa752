// Worker thread side of ParallelDiscovery: parses record texts and learns the columns, so JSON.parse
// runs on the second core while the main thread downloads, hashes and splits.
import { parentPort } from 'node:worker_threads';
import { ColumnDiscovery } from './column-discovery.js';

export type DiscoveryMessage = { type: 'batch'; records: string[] } | { type: 'finish' };

const discovery = new ColumnDiscovery();
parentPort!.on('message', (message: DiscoveryMessage) => {
  try {
    if (message.type === 'batch') {
      for (const text of message.records) discovery.addRaw(text);
      parentPort!.postMessage({ type: 'ack' });
    } else {
      parentPort!.postMessage({ type: 'schema', schema: discovery.finish() });
    }
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: (error as Error).message });
  }
});
