// Worker thread side of ParallelDiscovery, on the second core while the main thread downloads and
// hashes: splits the downloaded bytes into records and learns the columns from each (scanned, or
// parsed when the scanner leaves it to JSON.parse).
import { parentPort } from 'node:worker_threads';
import { ColumnDiscovery, type DiscoveredSchema } from './column-discovery.js';
import { JsonArraySplitter } from './json-array-splitter.js';

export type DiscoveryMessage = { type: 'chunk'; bytes: Uint8Array } | { type: 'finish' };

export type DiscoveryReply =
  | { type: 'ack'; records: number }
  | { type: 'schema'; schema: DiscoveredSchema }
  | { type: 'error'; message: string };

const post = (reply: DiscoveryReply) => parentPort!.postMessage(reply);
const discovery = new ColumnDiscovery();
const splitter = new JsonArraySplitter((bytes, scanned) => discovery.addBytes(bytes, 0, bytes.length, scanned), discovery.scanner);

parentPort!.on('message', (message: DiscoveryMessage) => {
  try {
    if (message.type === 'chunk') {
      splitter.push(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.length));
      post({ type: 'ack', records: splitter.count });
    } else {
      splitter.end();
      post({ type: 'schema', schema: discovery.finish() });
    }
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
});
