// What DATA_DIR holds and how a dataset is published there: content-addressed files, then the
// metadata, each written to a temp name, fsynced and renamed, so a crash never leaves a half file
// in place of the dataset being served.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetMetadata } from '../../../pipeline/dataset-metadata.js';

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

export class DatasetStore {
  private currentMetadata: DatasetMetadata | null = null;

  constructor(readonly dataDir: string) {}

  get tempDir(): string {
    return join(this.dataDir, 'tmp');
  }

  private get filesDir(): string {
    return join(this.dataDir, 'files');
  }

  private get metadataPath(): string {
    return join(this.dataDir, 'dataset.json');
  }

  /** Creates the folders, clears what a killed ingest left behind and loads the published dataset. */
  async open(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
    await mkdir(this.tempDir, { recursive: true });
    await mkdir(this.filesDir, { recursive: true });
    try {
      this.currentMetadata = JSON.parse(await readFile(this.metadataPath, 'utf8')) as DatasetMetadata;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  current(): DatasetMetadata | null {
    return this.currentMetadata;
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
    await rename(temp, this.metadataPath);
    const previous = this.currentMetadata;
    this.currentMetadata = metadata;
    await this.prune(metadata, previous);
    return metadata;
  }

  private async moveIntoFiles(tempPath: string, extension: string): Promise<string> {
    await fsyncFile(tempPath);
    const name = `${await sha256OfFile(tempPath)}.${extension}`;
    await rename(tempPath, join(this.filesDir, name));
    return name;
  }

  /** Keeps the current files and the previous ones (clients may still be downloading them). */
  private async prune(current: DatasetMetadata, previous: DatasetMetadata | null): Promise<void> {
    const keep = new Set([current.parquetFile, current.packFile, previous?.parquetFile, previous?.packFile]);
    for (const name of await readdir(this.filesDir)) {
      if (!keep.has(name)) await rm(join(this.filesDir, name), { force: true });
    }
  }
}
