// Query results kept in IndexedDB, so a later visit draws the dashboard before the engine has
// started. A pack never changes (it is named by its hash), so a result keyed by pack + SQL +
// parameters is valid for as long as its pack: nothing shown is ever stale, and a new pack never
// meets an old result. The store is bounded: least recently used results go first.
//
// Lookups must not wait for writes: an IndexedDB read queues behind every write transaction begun
// before it, and one write per result (plus its eviction walk) made each filter change wait
// 50–200 ms for its lookups. So the results of this session are answered from memory, writes are
// batched into one transaction a moment later, and eviction walks small bookkeeping records, never
// the result bytes.
import type { SqlParam } from './worker-protocol';

const DB_NAME = 'moldlens-results';
const RESULTS = 'results';
const ENTRIES = 'entries';
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** Writes wait this long for others to batch with (a filter change answers every view within it). */
const DEFAULT_WRITE_DELAY_MS = 400;

/** What eviction needs to know of a stored result, without its bytes. */
interface Entry {
  key: string;
  pack: string;
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
/** Visits every record a cursor yields (`visit` may delete it). */
const walk = (cursor: IDBRequest<IDBCursorWithValue | null>, visit: (c: IDBCursorWithValue) => void) =>
  new Promise<void>((resolve, reject) => {
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return resolve();
      visit(c);
      c.continue();
    };
  });

export class ResultCache {
  private database: Promise<IDBDatabase> | null = null;
  /** This session's results, most recently used last, bounded to a quarter of the store's size. */
  private readonly memory = new Map<string, Uint8Array>();
  private memoryBytes = 0;
  /** Results and uses not written yet, and the write that will take them. */
  private pending = new Map<string, { entry: Entry; ipc?: Uint8Array }>();
  private write: { timer: ReturnType<typeof setTimeout>; written: Promise<void>; start(): void } | null = null;

  constructor(private readonly name = DB_NAME, private readonly maxBytes = DEFAULT_MAX_BYTES,
    private readonly writeDelayMs = DEFAULT_WRITE_DELAY_MS) {
    // A tab going away must not lose what it learnt: write now rather than after the delay.
    addEventListener('pagehide', () => this.write?.start());
  }

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const opening = indexedDB.open(this.name, 2);
      opening.onupgradeneeded = () => {
        const db = opening.result;
        // Version 1 kept bytes and bookkeeping together; its results are only a cache, so they go.
        for (const store of [...db.objectStoreNames]) db.deleteObjectStore(store);
        db.createObjectStore(RESULTS);
        db.createObjectStore(ENTRIES, { keyPath: 'key' }).createIndex('usedAt', 'usedAt');
      };
      opening.onsuccess = () => {
        // Another tab upgrading the store (a newer MoldLens) must not wait for this one to close.
        opening.result.onversionchange = () => {
          opening.result.close();
          this.database = null;
        };
        resolve(opening.result);
      };
      opening.onerror = () => reject(opening.error);
      // An older tab still holds the previous version open: answer without the cache rather than wait for it.
      opening.onblocked = () => reject(new Error('the result cache is held open by an older tab'));
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
    const key = ResultCache.key(pack, sql, params);
    return this.used(pack, key, this.recent(key) ?? await this.read(key));
  }

  /**
   * A result this session has seen, or null, at once: what a ready engine asks, as a read from the
   * store could wait for a write under way longer than the engine takes to answer.
   */
  getRecent(pack: string, sql: string, params: readonly SqlParam[]): Uint8Array | null {
    const key = ResultCache.key(pack, sql, params);
    return this.used(pack, key, this.recent(key));
  }

  private recent(key: string): Uint8Array | null {
    return this.memory.get(key) ?? this.pending.get(key)?.ipc ?? null;
  }

  private used(pack: string, key: string, ipc: Uint8Array | null): Uint8Array | null {
    if (ipc) {
      this.remember(key, ipc);
      void this.schedule(key, { entry: { key, pack, bytes: ipc.byteLength, usedAt: Date.now() } });
    }
    return ipc;
  }

  private async read(key: string): Promise<Uint8Array | null> {
    const db = await this.open();
    const ipc = await request(db.transaction(RESULTS, 'readonly').objectStore(RESULTS).get(key)) as Uint8Array | undefined;
    return ipc ?? null;
  }

  /** Keeps a result; settles once it is written (callers that draw need not wait for that). */
  put(pack: string, sql: string, params: readonly SqlParam[], ipc: Uint8Array): Promise<void> {
    if (ipc.byteLength > this.maxBytes / 4) return Promise.resolve(); // one huge result must not push out the dashboard
    const key = ResultCache.key(pack, sql, params);
    this.remember(key, ipc);
    return this.schedule(key, { entry: { key, pack, bytes: ipc.byteLength, usedAt: Date.now() }, ipc });
  }

  private remember(key: string, ipc: Uint8Array): void {
    const old = this.memory.get(key);
    if (old) this.memoryBytes -= old.byteLength;
    this.memory.delete(key);
    this.memory.set(key, ipc);
    this.memoryBytes += ipc.byteLength;
    for (const [oldest, bytes] of this.memory) {
      if (this.memoryBytes <= this.maxBytes / 4) break;
      this.memory.delete(oldest);
      this.memoryBytes -= bytes.byteLength;
    }
  }

  private schedule(key: string, change: { entry: Entry; ipc?: Uint8Array }): Promise<void> {
    const ipc = change.ipc ?? this.pending.get(key)?.ipc;
    this.pending.set(key, ipc ? { ...change, ipc } : change);
    if (!this.write) {
      let start = () => {};
      const written = new Promise<void>((resolve) => (start = resolve)).then(() => this.flush());
      this.write = { timer: setTimeout(start, this.writeDelayMs), written, start };
    }
    return this.write.written;
  }

  /** Writes what is pending in one transaction, then drops the least recently used beyond the bound. */
  private async flush(): Promise<void> {
    clearTimeout(this.write!.timer);
    this.write = null;
    const changes = [...this.pending.values()];
    this.pending = new Map();
    const db = await this.open();
    const tx = db.transaction([RESULTS, ENTRIES], 'readwrite', { durability: 'relaxed' });
    const results = tx.objectStore(RESULTS);
    const entries = tx.objectStore(ENTRIES);
    for (const { entry, ipc } of changes) {
      // A use of a result written earlier updates its record only if it is still there.
      if (ipc) results.put(ipc, entry.key);
      if (ipc || await request(entries.getKey(entry.key)) !== undefined) entries.put(entry);
    }
    let total = 0;
    await walk(entries.index('usedAt').openCursor(null, 'prev'), (cursor) => {
      const entry = cursor.value as Entry;
      total += entry.bytes;
      if (total <= this.maxBytes) return;
      results.delete(entry.key);
      cursor.delete();
    });
    await done(tx);
  }

  /** Removes the results of every pack but `keep` (they can never be asked for again). */
  async keepOnly(keep: string): Promise<void> {
    for (const [key, ipc] of this.memory) {
      if (key.startsWith(`${keep}\n`)) continue;
      this.memory.delete(key);
      this.memoryBytes -= ipc.byteLength;
    }
    await this.write?.written;
    const db = await this.open();
    const tx = db.transaction([RESULTS, ENTRIES], 'readwrite', { durability: 'relaxed' });
    const results = tx.objectStore(RESULTS);
    await walk(tx.objectStore(ENTRIES).openCursor(), (cursor) => {
      const entry = cursor.value as Entry;
      if (entry.pack === keep) return;
      results.delete(entry.key);
      cursor.delete();
    });
    await done(tx);
  }
}
