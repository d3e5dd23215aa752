/// <reference lib="webworker" />
// Packs in Cache Storage, for browsers without writable OPFS (WebKit). `cache.put` stores a response
// only once its whole body arrived, so a cut download never leaves a half pack behind.
import type { PackRef } from './worker-protocol';
import { StorageFullError, isQuotaError, type PackStore, type StoredEntry } from './pack-store';

const CACHE_NAME = 'moldlens-packs';
/** Packs are cached under a path nothing serves, so the service worker and the server never see it. */
const keyOf = (file: string) => new Request(new URL(`/moldlens-packs/${encodeURIComponent(file)}`, self.location.origin).href);

export async function openCachePackStore(): Promise<PackStore | null> {
  try {
    return self.caches ? new CachePackStore(await self.caches.open(CACHE_NAME)) : null;
  } catch {
    return null;
  }
}

class CachePackStore implements PackStore {
  readonly kind = 'cache' as const;

  constructor(private readonly cache: Cache) {}

  async find(pack: PackRef): Promise<Blob | null> {
    const response = await this.cache.match(keyOf(pack.file));
    const blob = await response?.blob();
    return blob && blob.size === pack.bytes ? blob : null;
  }

  async save(pack: PackRef, body: ReadableStream<Uint8Array>): Promise<Blob> {
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(pack.bytes) };
    try {
      await this.cache.put(keyOf(pack.file), new Response(body, { headers }));
    } catch (error) {
      throw isQuotaError(error) ? new StorageFullError(pack.bytes) : error;
    }
    const stored = await this.find(pack);
    if (!stored) throw new Error('the stored copy of the dataset is incomplete');
    return stored;
  }

  async list(): Promise<StoredEntry[]> {
    const entries: StoredEntry[] = [];
    for (const request of await this.cache.keys()) {
      const file = decodeURIComponent(new URL(request.url).pathname.split('/').pop() ?? '');
      const bytes = Number((await this.cache.match(request))?.headers.get('Content-Length') ?? 0);
      entries.push({ file, bytes, complete: true });
    }
    return entries;
  }

  async remove(entry: StoredEntry): Promise<void> {
    await this.cache.delete(keyOf(entry.file));
  }
}
