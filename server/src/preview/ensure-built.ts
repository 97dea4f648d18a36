import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { AppError } from '../shared/errors';
import type { BuildResult, Bundle } from './build';
import { defaultPreviewPaths, REPO_ROOT, type PreviewPaths } from './paths';

export interface PreviewBuildState {
  /** `built` when this call compiled; `fresh` when the stamp matched the sources. */
  status: 'built' | 'fresh';
  reason: string;
  seconds: number;
  bundles: Bundle[];
  warnings: string[];
}

interface Stamp {
  fingerprint: string;
  builtAt: string;
  seconds: number;
  bundles: Bundle[];
}

const STAMP_FILE = 'stamp.json';
const BUILD_MODULE = path.join(__dirname, `build${path.extname(__filename)}`);

/**
 * A fingerprint of every source file the build reads (path, size, mtime) plus the compiler's
 * version: an edit, an added or a deleted bundle, or an upgraded `lwc` changes it. Cheaper than
 * hashing contents, and an mtime that moves without an edit only costs one rebuild.
 */
export function sourceFingerprint(paths: PreviewPaths): string {
  const hash = createHash('sha256');
  hash.update(`lwc ${lwcVersion()}\n`);
  // The build's own options live next to this file: changing them must rebuild too.
  hash.update(`${statSync(BUILD_MODULE).mtimeMs}\n`);
  for (const root of [...paths.componentDirs, paths.flexipageDir, paths.previewDir]) {
    for (const file of walk(root)) {
      const st = statSync(file);
      hash.update(`${file}\0${st.size}\0${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Bundle tests and their fixtures are not part of what the browser loads.
    if (entry.name === '__tests__' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

function lwcVersion(): string {
  try {
    const main = require.resolve('lwc');
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(main), 'package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'missing';
  }
}

function readStamp(outDir: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(path.join(outDir, STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return null;
  }
}

const inFlight = new Map<string, Promise<PreviewBuildState>>();

/**
 * Builds the preview when the build is missing or older than its sources, else returns at once.
 * Concurrent callers for one output folder share a single build.
 */
export function ensurePreviewBuilt(
  overrides: Partial<PreviewPaths> = {},
  build: (paths: PreviewPaths) => Promise<BuildResult> = buildInWorker,
): Promise<PreviewBuildState> {
  const paths = defaultPreviewPaths(overrides);
  const running = inFlight.get(paths.outDir);
  if (running) return running;
  const job = checkAndBuild(paths, build).finally(() => inFlight.delete(paths.outDir));
  inFlight.set(paths.outDir, job);
  return job;
}

async function checkAndBuild(
  paths: PreviewPaths,
  build: (paths: PreviewPaths) => Promise<BuildResult>,
): Promise<PreviewBuildState> {
  const fresh = freshState(paths);
  if (fresh.state) return fresh.state;
  // Another process (a second server, a parallel test file) may be building the same folder.
  return withBuildLock(paths.outDir, async () => {
    const again = freshState(paths);
    if (again.state) return again.state;
    const result = await build(paths);
    // Fingerprint taken before the build: an edit during it makes the next check rebuild.
    const next: Stamp = {
      fingerprint: again.fingerprint,
      builtAt: new Date().toISOString(),
      seconds: result.seconds,
      bundles: result.bundles,
    };
    writeFileSync(path.join(paths.outDir, STAMP_FILE), JSON.stringify(next, null, 2));
    return { status: 'built', reason: again.reason, ...result };
  });
}

function freshState(paths: PreviewPaths): { state?: PreviewBuildState; fingerprint: string; reason: string } {
  const fingerprint = sourceFingerprint(paths);
  const stamp = readStamp(paths.outDir);
  const bootExists = existsSync(path.join(paths.outDir, 'build', 'boot.js'));
  if (stamp && bootExists && stamp.fingerprint === fingerprint) {
    return {
      fingerprint,
      reason: 'up to date',
      state: { status: 'fresh', reason: 'up to date', seconds: 0, bundles: stamp.bundles, warnings: [] },
    };
  }
  return {
    fingerprint,
    reason: !stamp || !bootExists ? 'no build yet' : 'sources changed since the last build',
  };
}

/** A lock file holding the builder's pid; a lock left by a process that died is taken over. */
async function withBuildLock<T>(outDir: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(outDir, { recursive: true });
  const lock = path.join(outDir, 'build.lock');
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSafe(lock));
      if (!holder || !isAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const RUN_TS = path.join(REPO_ROOT, 'bin', 'run-ts.js');
// Next to this file: build-worker.ts in the sources, build-worker.js in a compiled dist/.
const WORKER = path.join(__dirname, `build-worker${path.extname(__filename)}`);

/** The build runs in a child process; its one JSON line of output is the result. */
function buildInWorker(paths: PreviewPaths): Promise<BuildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_TS, WORKER, JSON.stringify(paths)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', (e) => reject(new AppError('PREVIEW_BUILD_FAILED', e.message, {}, { cause: e })));
    child.once('close', (code) => {
      let parsed: (BuildResult & { error?: string }) | undefined;
      try {
        parsed = JSON.parse(out.trim().split('\n').pop() ?? '') as BuildResult & { error?: string };
      } catch {
        parsed = undefined;
      }
      if (code === 0 && parsed && !parsed.error) resolve(parsed);
      else
        reject(
          new AppError(
            'PREVIEW_BUILD_FAILED',
            parsed?.error ?? `The preview build exited with code ${code}: ${err.trim().slice(-2000)}`,
          ),
        );
    });
  });
}
