// A loopback HTTP host for tests: each path answers the way a real (or broken) dataset host would.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

export const routes = {
  file: (path: string): Route => (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    createReadStream(path).pipe(response);
  },
  body: (body: string | Buffer, status = 200, contentType = 'application/json'): Route => (_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  },
  /** Sends the start of a body, then nothing more. */
  stall: (start: string): Route => (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write(start);
  },
  redirect: (location: string): Route => (_request, response) => {
    response.writeHead(302, { location });
    response.end();
  },
};

export interface FakeDatasetHost {
  url(path: string): string;
  requests: { path: string; userAgent: string | undefined }[];
  close(): Promise<void>;
}

export async function startFakeDatasetHost(table: Record<string, Route>): Promise<FakeDatasetHost> {
  const requests: FakeDatasetHost['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', userAgent: request.headers['user-agent'] });
    const route = table[request.url ?? ''];
    if (route) route(request, response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
