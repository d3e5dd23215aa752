// Runs the built server as a child process (so a test or benchmark can stop it like a crash would)
// and waits until it publishes a dataset.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startServerProcess(options: {
  port: number; dataDir: string; datasetUrl: string; env?: Record<string, string>; readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(process.execPath, ['dist/server/src/cli/start.js'], {
    env: { ...process.env, PORT: String(options.port), DATA_DIR: options.dataDir, DATASET_URL: options.datasetUrl,
      CLIENT_DIR: resolve('dist/client/browser'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => process.env['VERBOSE'] && process.stderr.write(d));
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (await fetch(`${url}/api/dataset`).then((r) => r.ok, () => false)) return { url, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('the server did not publish a dataset in time');
}
