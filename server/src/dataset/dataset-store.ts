// What DATA_DIR holds and how a dataset is published there: content-addressed files, then the
// metadata, each written to a temp name, fsynced and renamed, so a crash never leaves a half file
// in place of the dataset being served. Several processes may share DATA_DIR (the server and
// `npm run ingest`): each keeps its temp files in a folder named by its host and pid, ingests under the
// ingest lock, and re-reads the metadata when another process has published.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';
import { acquireIngestLock, lockHolder, type IngestLock, type LockHolder } from './ingest-lock.js';
import { isProcessAlive } from './process-liveness.js';

export const FILE_NAME_PATTERN = /^[0-9a-f]{64}\.(parquet|duckdb)$/;
export const FILES_ROUTE = '/api/files';

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type PublishInput = Omit<DatasetMetadata, 'parquetUrl' | 'packUrl' | 'parquetFile' | 'packFile'>;

/**
 * `<host>-<pid>-<random>`: who owns a temp folder. Outside the ingest lock only folders whose owner
 * is surely gone are removed: a dead process on this host, or this pid in an earlier life.
 */
const TEMP_FOLDER_PATTERN = /^(.*)-(\d+)-[0-9a-f]{8}$/;

/** Temp folders of the stores open in this process. */
const liveTempDirs = new Set<string>();

function isAbandonedTempFolder(name: string, path: string): boolean {
  const owner = TEMP_FOLDER_PATTERN.exec(name);
  if (!owner) return true; // loose files from before temp folders had owners
  const [, host, pid] = owner;
  if (host !== hostname()) return false;
  return Number(pid) === process.pid ? !liveTempDirs.has(path) : !isProcessAlive(Number(pid));
}

/** The metadata file as last read: a change of any of these means another process published. */
type FileVersion = { mtimeMs: number; size: number; ino: number };

export class DatasetStore {
  private currentMetadata: DatasetMetadata | null = null;
  private loadedVersion: FileVersion | null = null;
  /** This store's own temp folder, inside the shared tmp/. */
  readonly tempDir: string;

  constructor(readonly dataDir: string) {
    this.tempDir = join(this.tempRoot, `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`);
    liveTempDirs.add(this.tempDir);
  }

  private get tempRoot(): string {
    return join(this.dataDir, 'tmp');
  }

  private get lockPath(): string {
    return join(this.dataDir, 'ingest.lock');
  }

  private get filesDir(): string {
    return join(this.dataDir, 'files');
  }

  private get metadataPath(): string {
    return join(this.dataDir, 'dataset.json');
  }

  /** Creates the folders, clears what killed processes left behind and loads the published dataset. */
  async open(): Promise<void> {
    await mkdir(this.filesDir, { recursive: true });
    await mkdir(this.tempRoot, { recursive: true });
    await this.removeTemp((name, path) => isAbandonedTempFolder(name, path));
    await mkdir(this.tempDir, { recursive: true });
    await this.refresh();
  }

  /** Removes this store's temp folder; its process is done with the data directory. */
  async close(): Promise<void> {
    liveTempDirs.delete(this.tempDir);
    await rm(this.tempDir, { recursive: true, force: true });
  }

  private async removeTemp(abandoned: (name: string, path: string) => boolean): Promise<void> {
    for (const name of await readdir(this.tempRoot)) {
      const path = join(this.tempRoot, name);
      if (path !== this.tempDir && abandoned(name, path)) await rm(path, { recursive: true, force: true });
    }
  }

  /** The dataset as this process last read it; refresh() picks up one another process published. */
  current(): DatasetMetadata | null {
    return this.currentMetadata;
  }

  /** Re-reads the metadata file when it changed since it was last read (another process published). */
  async refresh(): Promise<DatasetMetadata | null> {
    const version = await stat(this.metadataPath).then(
      ({ mtimeMs, size, ino }) => ({ mtimeMs, size, ino }),
      (error: NodeJS.ErrnoException) => { if (error.code === 'ENOENT') return null; throw error; });
    const loaded = this.loadedVersion;
    if (version && loaded && version.mtimeMs === loaded.mtimeMs && version.size === loaded.size && version.ino === loaded.ino) {
      return this.currentMetadata;
    }
    // Renamed into place whole, so a read never sees half a file.
    this.currentMetadata = version ? JSON.parse(await readFile(this.metadataPath, 'utf8')) as DatasetMetadata : null;
    this.loadedVersion = version;
    return this.currentMetadata;
  }

  /**
   * Takes the data directory's ingest lock (throws IngestLockedError while another process holds
   * it) and brings the metadata up to date, since the last holder may have published.
   */
  async lockForIngest(url: string): Promise<IngestLock> {
    const lock = await acquireIngestLock(this.lockPath, url);
    try {
      // Temp files are only written under the lock, so whatever is in tmp/ now is left from an
      // ingest that ended badly — on any host.
      await this.removeTemp(() => true);
      await mkdir(this.tempDir, { recursive: true });
      await this.refresh();
      return lock;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The process ingesting into this directory right now, if it is not this one. */
  otherIngestHolder(): Promise<LockHolder | null> {
    return lockHolder(this.lockPath).then((holder) => (holder?.pid === process.pid ? null : holder));
  }

  /** The path of a published file, or null for any name that is not one of ours. */
  filePath(name: string): string | null {
    return FILE_NAME_PATTERN.test(name) ? join(this.filesDir, name) : null;
  }

  tempPath(suffix: string): string {
    return join(this.tempDir, `${randomUUID()}${suffix}`);
  }

  async publish(input: PublishInput, parquetTemp: string, packTemp: string): Promise<DatasetMetadata> {
    const parquetFile = await this.moveIntoFiles(parquetTemp, 'parquet');
    const packFile = await this.moveIntoFiles(packTemp, 'duckdb');
    return this.publishMetadata({
      ...input, parquetFile, packFile,
      parquetUrl: `${FILES_ROUTE}/${parquetFile}`, packUrl: `${FILES_ROUTE}/${packFile}`,
    });
  }

  async publishMetadata(metadata: DatasetMetadata): Promise<DatasetMetadata> {
    const temp = this.tempPath('.json');
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(metadata, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    const announced = this.currentMetadata;
    // Under the ingest lock: what is on disk now is what every process serves until this rename.
    const previous = await this.refresh();
    await rename(temp, this.metadataPath);
    await this.refresh();
    await this.prune([metadata, previous, announced]);
    return metadata;
  }

  private async moveIntoFiles(tempPath: string, extension: string): Promise<string> {
    await fsyncFile(tempPath);
    const name = `${await sha256OfFile(tempPath)}.${extension}`;
    await rename(tempPath, join(this.filesDir, name));
    return name;
  }

  /**
   * Keeps the files of the new dataset, of the one published before it (by any process: clients may
   * still be downloading them) and of the one this process was announcing.
   */
  private async prune(referenced: (DatasetMetadata | null)[]): Promise<void> {
    const keep = new Set(referenced.flatMap((m) => (m ? [m.parquetFile, m.packFile] : [])));
    for (const name of await readdir(this.filesDir)) {
      if (!keep.has(name)) await rm(join(this.filesDir, name), { force: true });
    }
  }
}
