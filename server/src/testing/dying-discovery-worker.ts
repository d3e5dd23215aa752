// Stands in for the discovery worker and exits as soon as records reach it, the way a crash or an
// out-of-memory kill would end the real one mid-ingest.
import { parentPort } from 'node:worker_threads';

parentPort!.on('message', () => process.exit(70));
