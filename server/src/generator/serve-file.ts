// A loopback HTTP server for one generated file (the demo, tests and benchmarks download from it).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';

export interface ServedFile {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveFileOnLoopback(path: string, port = 0): Promise<ServedFile> {
  const { size } = await stat(path);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': size });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/${basename(path)}`,
    server,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
