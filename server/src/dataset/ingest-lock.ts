// One ingest at a time per data directory, across processes (the server and `npm run ingest` may
// share DATA_DIR): a lock file created atomically by the ingesting process, which touches it while
// it works. A lock is stale, and taken over, when its process is gone (killed, crashed) or when
// it has not been touched for a while — the only sign left when it was written by another
// container or machine sharing the volume, whose processes cannot be seen from here.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { isProcessAlive } from './process-liveness.js';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** What the holder is ingesting, for the message a second ingest gets. */
  url: string;
  /** Tells this holder's lock from a later one of a process that reused the pid. */
  token: string;
}

export class IngestLockedError extends Error {
  constructor(readonly holder: LockHolder) {
    super(`another ingest is running in this data directory (process ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, ` +
      `started ${holder.startedAt}, ingesting ${holder.url}); try again when it has finished`);
  }
}

export interface IngestLock {
  release(): Promise<void>;
}

const HEARTBEAT_MS = 15_000;
/** Eight missed heartbeats: far beyond any pause of a working process's event loop. */
export const STALE_AFTER_MS = 8 * HEARTBEAT_MS;

/** Tokens of the locks this process holds: its own pid in a lock is not enough (pid 1 in every container). */
const heldHere = new Set<string>();

interface LockFile { holder: LockHolder; touchedAt: number }

function isHeld({ holder, touchedAt }: LockFile): boolean {
  if (Date.now() - touchedAt > STALE_AFTER_MS) return false;
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(holder.token);
  return isProcessAlive(holder.pid);
}

async function readLock(path: string): Promise<LockFile | null> {
  try {
    const [text, { mtimeMs }] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { holder: JSON.parse(text) as LockHolder, touchedAt: mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Unreadable content cannot come from us (the lock appears whole, by link), so it is stale.
    return { holder: { pid: 0, host: hostname(), startedAt: '', url: '', token: 'unreadable' }, touchedAt: 0 };
  }
}

/** The live holder of the lock at `path`, or null when it is free or stale. */
export async function lockHolder(path: string): Promise<LockHolder | null> {
  const lock = await readLock(path);
  return lock && isHeld(lock) ? lock.holder : null;
}

/**
 * Moves a stale lock aside. Another process may have replaced it in between: then the lock moved
 * is not the stale one, so it is put back and that process holds the lock.
 */
async function removeStale(path: string, stale: LockHolder): Promise<void> {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readLock(aside);
  if (moved && moved.holder.token !== stale.token) {
    await link(aside, path).catch(() => {});
    await unlink(aside);
    throw new IngestLockedError(moved.holder);
  }
  await unlink(aside);
}

export async function acquireIngestLock(path: string, url: string): Promise<IngestLock> {
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), url, token: randomUUID() };
  // Written whole under a private name, then linked into place: link fails if a lock exists, and
  // no reader ever sees a half-written lock.
  const draft = `${path}.${holder.token}`;
  await writeFile(draft, JSON.stringify(holder), { flush: true });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, path);
        return hold(path, holder.token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const existing = await readLock(path);
      if (existing && isHeld(existing)) throw new IngestLockedError(existing.holder);
      if (existing) await removeStale(path, existing.holder);
    }
    throw new Error('could not take the ingest lock: other processes keep taking it');
  } finally {
    await unlink(draft);
  }
}

function hold(path: string, token: string): IngestLock {
  heldHere.add(token);
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    release: async () => {
      clearInterval(heartbeat);
      heldHere.delete(token);
      const current = await readLock(path);
      if (current?.holder.token === token) await unlink(path).catch(() => {});
    },
  };
}
