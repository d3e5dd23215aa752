// One ingest at a time per data directory, across processes (the server and `npm run ingest` may
// share DATA_DIR): a lock file created atomically by the ingesting process. A lock whose process is
// gone (killed, crashed) is stale and taken over.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
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

/** A lock written by another machine (a shared volume) cannot be checked, so it counts as held. */
const isHeld = (holder: LockHolder) => holder.host !== hostname() || isProcessAlive(holder.pid);

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Unreadable content cannot come from us (the lock appears whole, by link), so it is stale.
    return { pid: 0, host: hostname(), startedAt: '', url: '', token: 'unreadable' };
  }
}

/** The live holder of the lock at `path`, or null when it is free or stale. */
export async function lockHolder(path: string): Promise<LockHolder | null> {
  const holder = await readHolder(path);
  return holder && isHeld(holder) ? holder : null;
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
  const moved = await readHolder(aside);
  if (moved && moved.token !== stale.token) {
    await link(aside, path).catch(() => {});
    await unlink(aside);
    throw new IngestLockedError(moved);
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
        return { release: () => release(path, holder.token) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const existing = await readHolder(path);
      if (existing && isHeld(existing)) throw new IngestLockedError(existing);
      if (existing) await removeStale(path, existing);
    }
    throw new Error('could not take the ingest lock: other processes keep taking it');
  } finally {
    await unlink(draft);
  }
}

async function release(path: string, token: string): Promise<void> {
  const current = await readHolder(path);
  if (current?.token === token) await unlink(path).catch(() => {});
}

