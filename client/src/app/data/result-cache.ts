// Query results kept in IndexedDB, so a later visit draws the dashboard before the engine has
// started. A pack never changes (it is named by its hash), so a result keyed by pack + SQL +
// parameters is valid for as long as its pack: nothing shown is ever stale, and a new pack never
// meets an old result. The store is bounded: least recently used results go first.
import type { SqlParam } from './worker-protocol';

const DB_NAME = 'moldlens-results';
const STORE = 'results';
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

interface Entry {
  key: string;
  pack: string;
  ipc: Uint8Array;
  bytes: number;
  usedAt: number;
}

const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});
const done = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = tx.onabort = () => reject(tx.error);
});

export class ResultCache {
  private database: Promise<IDBDatabase> | null = null;

  constructor(private readonly name = DB_NAME, private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const opening = indexedDB.open(this.name, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'key' }).createIndex('usedAt', 'usedAt');
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    }).catch((error: unknown) => {
      this.database = null;
      throw error;
    });
    return this.database;
  }

  static key(pack: string, sql: string, params: readonly SqlParam[]): string {
    return `${pack}\n${sql}\n${JSON.stringify(params)}`;
  }

  /** The stored result, or null; a hit counts as a use for eviction. */
  async get(pack: string, sql: string, params: readonly SqlParam[]): Promise<Uint8Array | null> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const entry = await request(store.get(ResultCache.key(pack, sql, params))) as Entry | undefined;
    if (entry) store.put({ ...entry, usedAt: Date.now() });
    await done(tx);
    return entry?.ipc ?? null;
  }

  async put(pack: string, sql: string, params: readonly SqlParam[], ipc: Uint8Array): Promise<void> {
    if (ipc.byteLength > this.maxBytes / 4) return; // one huge result must not push out the dashboard
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    store.put({ key: ResultCache.key(pack, sql, params), pack, ipc, bytes: ipc.byteLength, usedAt: Date.now() } satisfies Entry);
    await done(tx);
    await this.evict();
  }

  /** Drops the least recently used results until the store fits its bound. */
  private async evict(): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const newestFirst = tx.objectStore(STORE).index('usedAt').openCursor(null, 'prev');
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      newestFirst.onerror = () => reject(newestFirst.error);
      newestFirst.onsuccess = () => {
        const cursor = newestFirst.result;
        if (!cursor) return resolve();
        total += (cursor.value as Entry).bytes;
        if (total > this.maxBytes) cursor.delete();
        cursor.continue();
      };
    });
    await done(tx);
  }

  /** Removes the results of every pack but `keep` (they can never be asked for again). */
  async keepOnly(keep: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const cursor = tx.objectStore(STORE).openCursor();
    await new Promise<void>((resolve, reject) => {
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return resolve();
        if ((c.value as Entry).pack !== keep) c.delete();
        c.continue();
      };
    });
    await done(tx);
  }
}
