// Worker thread side of ParallelDiscovery, on the second core while the main thread downloads and
// hashes: splits the downloaded bytes into records, learns the columns from each (scanned, or
// parsed when the scanner leaves it to JSON.parse) and writes their values to a table for DuckDB.
import { parentPort, workerData } from 'node:worker_threads';
import { ColumnDiscovery, type DiscoveredSchema } from './column-discovery.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { ValueTable, type ValueTableFile } from './value-table.js';

export interface DiscoveryWorkerData {
  /** Where to write the records' values (see ValueTable); none are written without it. */
  valueTablePath?: string;
}

export type DiscoveryMessage = { type: 'chunk'; bytes: Uint8Array } | { type: 'finish' };

export type DiscoveryReply =
  | { type: 'ack'; records: number }
  | { type: 'schema'; schema: DiscoveredSchema; valueTable: ValueTableFile | null }
  | { type: 'error'; message: string };

const { valueTablePath } = (workerData ?? {}) as DiscoveryWorkerData;
const post = (reply: DiscoveryReply) => parentPort!.postMessage(reply);
const discovery = new ColumnDiscovery();
const table = valueTablePath ? new ValueTable(valueTablePath) : null;
const splitter = new JsonArraySplitter((bytes, scanned) => {
  const shape = discovery.addBytes(bytes, 0, bytes.length, scanned);
  table?.add(shape, bytes, discovery.scanner);
}, discovery.scanner);

parentPort!.on('message', (message: DiscoveryMessage) => {
  try {
    if (message.type === 'chunk') {
      splitter.push(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.length));
      post({ type: 'ack', records: splitter.count });
    } else {
      splitter.end();
      post({ type: 'schema', schema: discovery.finish(), valueTable: table?.finish() ?? null });
    }
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
});
