/// <reference lib="webworker" />
// Packs in the origin private file system. Written through `createWritable` where the browser has
// it, else through a sync access handle (this runs in a dedicated worker; Safari before 26), always
// to a temp name first. Read back with `getFile()`, which takes no lock.
import type { PackRef } from './worker-protocol';
import { StorageFullError, isQuotaError, type PackStore, type StoredEntry } from './pack-store';

const PACK_DIR = 'packs';
const PARTIAL = '.partial';

type MovableHandle = FileSystemFileHandle & { move?: (name: string) => Promise<void> };

export async function openOpfsPackStore(): Promise<PackStore | null> {
  const handleProto = (self as { FileSystemFileHandle?: { prototype: object } }).FileSystemFileHandle?.prototype;
  const canWrite = !!handleProto && ('createWritable' in handleProto || 'createSyncAccessHandle' in handleProto);
  if (!canWrite) return null;
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(PACK_DIR, { create: true });
  } catch {
    return null; // private window, or storage disabled
  }
  return new OpfsPackStore(dir);
}

class OpfsPackStore implements PackStore {
  readonly kind = 'opfs' as const;

  constructor(private readonly dir: FileSystemDirectoryHandle) {}

  async find(pack: PackRef): Promise<Blob | null> {
    try {
      const file = await (await this.dir.getFileHandle(pack.file)).getFile();
      return file.size === pack.bytes ? file : null;
    } catch {
      return null;
    }
  }

  async save(pack: PackRef, body: ReadableStream<Uint8Array>): Promise<Blob> {
    const temp = `${pack.file}${PARTIAL}`;
    const handle = await this.dir.getFileHandle(temp, { create: true });
    try {
      await writeAll(handle, body);
      // Another tab may have stored the same pack meanwhile and be reading it: keep that copy
      // rather than move this one onto a file in use.
      const stored = await this.find(pack);
      if (stored) {
        await this.dir.removeEntry(temp);
        return stored;
      }
      await this.moveIntoPlace(handle, pack.file);
    } catch (error) {
      await this.dir.removeEntry(temp).catch(() => {});
      // Moving onto a copy another tab completed and is reading can fail (Firefox): that copy will do.
      const stored = isQuotaError(error) ? null : await this.find(pack);
      if (stored) return stored;
      throw isQuotaError(error) ? new StorageFullError(pack.bytes) : error;
    }
    const stored = await this.find(pack);
    if (!stored) throw new Error('the stored copy of the dataset is incomplete');
    return stored;
  }

  private async moveIntoPlace(handle: MovableHandle, name: string): Promise<void> {
    if (handle.move) return handle.move(name);
    const target = await this.dir.getFileHandle(name, { create: true });
    await writeAll(target, (await handle.getFile()).stream());
    await this.dir.removeEntry(handle.name);
  }

  async list(): Promise<StoredEntry[]> {
    const entries: StoredEntry[] = [];
    for await (const [name, entry] of this.dir as unknown as AsyncIterable<[string, FileSystemHandle]>) {
      if (entry.kind !== 'file') continue;
      const complete = !name.endsWith(PARTIAL);
      const bytes = await (entry as FileSystemFileHandle).getFile().then((f) => f.size, () => 0);
      entries.push({ file: complete ? name : name.slice(0, -PARTIAL.length), bytes, complete });
    }
    return entries;
  }

  async remove(entry: StoredEntry): Promise<void> {
    await this.dir.removeEntry(entry.complete ? entry.file : `${entry.file}${PARTIAL}`).catch(() => {});
  }
}

async function writeAll(handle: FileSystemFileHandle, body: ReadableStream<Uint8Array>): Promise<void> {
  if ('createWritable' in handle) {
    await body.pipeTo(await handle.createWritable());
    return;
  }
  const access = await (handle as FileSystemFileHandle & { createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle> })
    .createSyncAccessHandle();
  try {
    access.truncate(0);
    let at = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      at += access.write(value, { at });
    }
    access.flush();
  } finally {
    access.close();
  }
}
