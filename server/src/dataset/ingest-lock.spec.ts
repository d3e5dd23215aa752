import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquireIngestLock, lockHolder, STALE_AFTER_MS, type LockHolder } from './ingest-lock.js';

describe('ingest lock', () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moldlens-lock-'));
    path = join(dir, 'ingest.lock');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const writeLock = (holder: Partial<LockHolder>) => writeFile(path, JSON.stringify({
    pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', url: 'http://x/old.json', token: 'old', ...holder,
  }));

  it('refuses a second holder in words and is free again once released', async () => {
    const lock = await acquireIngestLock(path, 'http://x/a.json');
    await assert.rejects(acquireIngestLock(path, 'http://x/b.json'),
      new RegExp(`another ingest is running in this data directory \\(process ${process.pid}, started .*, ingesting http://x/a.json\\)`));
    assert.equal((await lockHolder(path))!.url, 'http://x/a.json');
    await lock.release();
    assert.equal(existsSync(path), false);
    await (await acquireIngestLock(path, 'http://x/b.json')).release();
    assert.deepEqual(await readdir(dir), [], 'no drafts or moved-aside locks are left');
  });

  it('takes over the lock of a process that is gone', async () => {
    const exited = spawn(process.execPath, ['-e', '']);
    await once(exited, 'exit');
    await writeLock({ pid: exited.pid! });
    assert.equal(await lockHolder(path), null);
    await (await acquireIngestLock(path, 'http://x/a.json')).release();
  });

  it('takes over a lock an earlier process with this same pid left (pid 1 in a restarted container)', async () => {
    await writeLock({ pid: process.pid, token: 'from-an-earlier-life' });
    await (await acquireIngestLock(path, 'http://x/a.json')).release();
  });

  it('counts a lock from another machine as held while it is touched, and stale once it is not', async () => {
    await writeLock({ host: 'other-host', pid: 1 });
    await assert.rejects(acquireIngestLock(path, 'http://x/a.json'), /\(process 1 on other-host, /);
    const untouched = new Date(Date.now() - STALE_AFTER_MS - 1000);
    await utimes(path, untouched, untouched);
    await (await acquireIngestLock(path, 'http://x/a.json')).release();
  });
});
