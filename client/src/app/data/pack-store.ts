/// <reference lib="webworker" />
// Where the dataset pack is kept on the device. A pack is immutable (named by its hash), so a
// stored copy is read as a Blob: no lock is taken, and any number of tabs, windows and reloads
// read it at once. OPFS where the browser can write it; Cache Storage where it cannot (WebKit
// without OPFS, Safari before `createWritable`). Packs in use by any tab hold a shared Web Lock,
// so pruning in one tab never removes what another still reads.
import type { PackRef, PackStorage } from './worker-protocol';
import { openCachePackStore } from './cache-pack-store';
import { openOpfsPackStore } from './opfs-pack-store';

export interface PackStore {
  readonly kind: Exclude<PackStorage, 'none'>;
  /** The complete stored pack, or null when it is not (or no longer) stored. */
  find(pack: PackRef): Promise<Blob | null>;
  /** Stores the pack from `body` atomically (never a half pack under its name) and returns it. */
  save(pack: PackRef, body: ReadableStream<Uint8Array>): Promise<Blob>;
  /** Everything stored, complete packs and interrupted downloads alike. */
  list(): Promise<StoredEntry[]>;
  remove(entry: StoredEntry): Promise<void>;
}

export interface StoredEntry {
  /** The pack's file name (a partial download is listed under the pack it belongs to). */
  file: string;
  bytes: number;
  complete: boolean;
}

/** The first store this browser supports, or null (then the pack is read over HTTP only). */
export async function openPackStore(): Promise<PackStore | null> {
  return (await openOpfsPackStore()) ?? (await openCachePackStore());
}

/** Raised when the device has no room for the pack: the app offers to work online instead. */
export class StorageFullError extends Error {
  constructor(bytes: number) {
    super(`This device has no room to keep the dataset (${Math.ceil(bytes / 1e6)} MB).`);
  }
}

/** Refuses a download that cannot fit, before it starts, rather than failing at 90 %. */
export async function checkRoom(bytes: number): Promise<void> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  if (estimate?.quota !== undefined && estimate.usage !== undefined && estimate.quota - estimate.usage < bytes) {
    throw new StorageFullError(bytes);
  }
}

export const isQuotaError = (error: unknown): boolean =>
  error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');

const lockName = (file: string) => `moldlens-pack:${file}`;

/** Holds a shared lock on `file` until `release` is called (or the worker ends). */
export function holdPack(file: string): () => void {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  void navigator.locks?.request(lockName(file), { mode: 'shared' }, () => held);
  return release;
}

/** Removes every stored pack but `keep` that no tab is reading; returns the bytes of what stays. */
export async function prunePacks(store: PackStore, keep: readonly string[]): Promise<number> {
  let kept = 0;
  for (const entry of await store.list()) {
    if (keep.includes(entry.file)) {
      if (entry.complete) kept += entry.bytes;
      continue;
    }
    if (!navigator.locks) continue; // without locks we cannot know who reads it: keep it
    // A tab reading or downloading this pack holds its lock: then the entry stays.
    await navigator.locks.request(lockName(entry.file), { mode: 'exclusive', ifAvailable: true },
      async (lock) => { if (lock) await store.remove(entry); });
  }
  return kept;
}
