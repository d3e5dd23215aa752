// The result cache in the browser's real IndexedDB: hits, misses, the size bound, and packs kept apart.
import { ResultCache } from './result-cache';

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
let counter = 0;

describe('ResultCache', () => {
  let cache: ResultCache;
  let name: string;

  beforeEach(() => {
    name = `moldlens-results-test-${Date.now()}-${counter++}`;
    cache = new ResultCache(name, 4000, 0);
  });
  afterEach(() => indexedDB.deleteDatabase(name));

  it('returns what was stored for the same pack, SQL and parameters, and nothing else', async () => {
    await cache.put('a.duckdb', 'SELECT ?', [1], bytes(10, 7));
    expect(await cache.get('a.duckdb', 'SELECT ?', [1])).toEqual(bytes(10, 7));
    expect(await cache.get('a.duckdb', 'SELECT ?', [2])).toBeNull();
    expect(await cache.get('a.duckdb', 'SELECT ? ', [1])).toBeNull();
  });

  it('answers a result at once, before it is written, and a later visit (a new cache) finds it written', async () => {
    const written = cache.put('a.duckdb', 'SELECT 2', [], bytes(10, 2));
    expect(cache.getRecent('a.duckdb', 'SELECT 2', [])).toEqual(bytes(10, 2));
    expect(cache.getRecent('a.duckdb', 'SELECT 3', [])).toBeNull();
    await written;
    const later = new ResultCache(name, 4000, 0);
    expect(later.getRecent('a.duckdb', 'SELECT 2', [])).toBeNull(); // nothing in its memory yet
    expect(await later.get('a.duckdb', 'SELECT 2', [])).toEqual(bytes(10, 2));
  });

  it('answers "not cached" at once while an older tab holds the previous version of the store open', async () => {
    const old = await new Promise<IDBDatabase>((resolve, reject) => {
      const opening = indexedDB.open(name, 1); // as the previous MoldLens did, and never closes
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    try {
      expect(await cache.get('a.duckdb', 'SELECT 1', []).catch(() => null)).toBeNull();
    } finally {
      old.close();
    }
  });

  it('never serves a result of another pack', async () => {
    await cache.put('a.duckdb', 'SELECT 1', [], bytes(10));
    expect(await cache.get('b.duckdb', 'SELECT 1', [])).toBeNull();
    await cache.keepOnly('b.duckdb');
    expect(await cache.get('a.duckdb', 'SELECT 1', [])).toBeNull();
  });

  it('evicts the least recently used results beyond its bound', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct use times
    for (const key of ['one', 'two', 'three']) {
      await cache.put('p', key, [], bytes(900));
      await tick();
    }
    expect(await cache.get('p', 'one', [])).not.toBeNull(); // now the most recently used
    await tick();
    await cache.put('p', 'four', [], bytes(900));
    await tick();
    await cache.put('p', 'five', [], bytes(900)); // 4500 bytes > 4000: the oldest use goes
    expect(await cache.get('p', 'two', [])).toBeNull();
    expect(await cache.get('p', 'one', [])).not.toBeNull();
    expect(await cache.get('p', 'five', [])).not.toBeNull();
  });

  it('does not keep a result too large for its bound', async () => {
    await cache.put('p', 'huge', [], bytes(3000));
    expect(await cache.get('p', 'huge', [])).toBeNull();
  });
});
