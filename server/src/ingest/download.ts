// Streams a dataset URL to disk while hashing it and handing each chunk to the parser, with a size
// cap, a stall timeout, a browser-like User-Agent and (for URLs from the public endpoint) a guard
// that refuses private and loopback addresses at connect time, redirects included.
import { createHash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export class DownloadError extends Error {}

export interface DownloadOptions {
  url: string;
  targetPath: string;
  userAgent: string;
  maxBytes: number;
  /** Abort when the server sends nothing for this long. */
  idleTimeoutMs: number;
  /** False for URLs given through the public endpoint: no loopback, private or link-local targets. */
  allowPrivateNetwork: boolean;
  /** Sees every chunk in order; the download waits for a returned promise (backpressure). */
  onChunk?: (chunk: Buffer) => void | Promise<void>;
  onProgress?: (bytes: number, totalBytes: number | null) => void;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

const MAX_REDIRECTS = 5;
/** The stall error of a request, so the body reader reports it rather than a bare "aborted". */
const stallErrors = new WeakMap<http.ClientRequest, DownloadError>();

const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3],
] as const) privateRanges.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  return family === 0 || privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      return callback(new DownloadError(`${hostname} resolves to a private address (${blocked.address}); refused`), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export function parseDatasetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadError(`not a valid URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadError(`only http and https URLs can be ingested, not ${url.protocol}`);
  }
  return url;
}

function describeNetworkError(error: NodeJS.ErrnoException, url: URL): string {
  switch (error.code) {
    case 'ENOTFOUND': return `host not found: ${url.hostname}`;
    case 'ECONNREFUSED': return `connection refused by ${url.host}`;
    case 'ECONNRESET': return `the connection to ${url.host} was reset`;
    default: return `download failed: ${error.message}`;
  }
}

function get(url: URL, options: DownloadOptions): Promise<IncomingMessage> {
  // IP literals skip the DNS lookup, so the connect-time guard never sees them: check them here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateNetwork && isIP(literal) && isPrivateAddress(literal)) {
    return Promise.reject(new DownloadError(`${url.hostname} is a private address; refused`));
  }
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, {
      headers: { 'user-agent': options.userAgent, accept: 'application/json, */*;q=0.8' },
      ...(options.allowPrivateNetwork ? {} : { lookup: publicOnlyLookup }),
    });
    request.setTimeout(options.idleTimeoutMs, () => {
      const error = new DownloadError(`${url.host} stopped sending data for ${options.idleTimeoutMs / 1000} s (timeout)`);
      stallErrors.set(request, error);
      request.destroy(error);
    });
    request.on('response', resolve);
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(error instanceof DownloadError ? error : new DownloadError(describeNetworkError(error, url))));
  });
}

export async function download(options: DownloadOptions): Promise<DownloadResult> {
  let url = parseDatasetUrl(options.url);
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, options);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS) throw new DownloadError(`too many redirects from ${options.url}`);
      url = parseDatasetUrl(new URL(response.headers.location, url).href);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new DownloadError(`the dataset URL answered HTTP ${status} ${response.statusMessage ?? ''}`.trim());
    }
    return save(response, url, options);
  }
}

async function save(response: IncomingMessage, url: URL, options: DownloadOptions): Promise<DownloadResult> {
  const declared = Number(response.headers['content-length']);
  const totalBytes = Number.isFinite(declared) && declared >= 0 ? declared : null;
  const tooLarge = () => new DownloadError(`the download is larger than MAX_DOWNLOAD_BYTES (${options.maxBytes} bytes)`);
  if (totalBytes !== null && totalBytes > options.maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const hash = createHash('sha256');
  const file = createWriteStream(options.targetPath, { highWaterMark: 8 << 20 });
  let writeError: Error | null = null;
  file.on('error', (error) => { writeError ??= error; });
  let bytes = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (writeError) throw new DownloadError(`could not write the download to disk: ${(writeError as Error).message}`);
      bytes += chunk.length;
      if (bytes > options.maxBytes) throw tooLarge();
      hash.update(chunk);
      if (!file.write(chunk)) await once(file, 'drain');
      await options.onChunk?.(chunk);
      options.onProgress?.(bytes, totalBytes);
    }
    if (totalBytes !== null && bytes < totalBytes) {
      throw new DownloadError(`the download ended early: ${bytes} of ${totalBytes} bytes`);
    }
  } catch (error) {
    response.destroy();
    // Wait for the close so no late open() recreates the file after the caller has removed it.
    if (!file.closed) await new Promise<void>((resolve) => file.destroy().once('close', () => resolve()));
    // Node sets `req` on client responses; its types leave it out.
    const stall = stallErrors.get((response as IncomingMessage & { req: http.ClientRequest }).req);
    if (stall) throw stall;
    if (error instanceof Error && !(error instanceof DownloadError) && 'code' in error) {
      throw new DownloadError(describeNetworkError(error as NodeJS.ErrnoException, url));
    }
    throw error;
  }
  file.end();
  await once(file, 'finish');
  if (writeError) throw new DownloadError(`could not write the download to disk: ${(writeError as Error).message}`);
  return { bytes, sha256: hash.digest('hex') };
}
