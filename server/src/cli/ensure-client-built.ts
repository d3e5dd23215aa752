// `npm start` builds the client when its output is missing or older than its sources, so the run
// command is all a user types. Where the sources are absent (the Docker image) the build is trusted.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestModification(join(path, entry))), info.mtimeMs);
}

export async function ensureClientBuilt(clientDir: string, sourceRoot = process.cwd()): Promise<void> {
  const sources = [join(sourceRoot, 'client'), join(sourceRoot, 'angular.json'), join(sourceRoot, 'package-lock.json')];
  if (!existsSync(sources[0]!)) return;
  const built = newestModification(join(clientDir, 'index.html'));
  if (built > Math.max(...sources.map(newestModification))) return;
  console.log('[server] building the client (it is missing or older than its sources)…');
  const result = spawnSync('npm', ['run', '-s', 'build:client'], { cwd: sourceRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the client build failed; see the output above');
}
