/**
 * Demo-data generation benchmark: one size into a fresh org file in a temporary folder, timed,
 * with the peak resident set size sampled while it runs. The file is removed afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapOrg } from '../../emulator/src/bootstrap';
import { FixedClock } from '../../emulator/src/clock';
import { Org } from '../../emulator/src/org';
import { loadStandardObjects } from '../../emulator/src/schema/standard';
import { generateDemoOrg, type DemoSize } from '../../emulator/src/seed';
import { PROJECT_METADATA_DIR } from '../../emulator/src/server';
import { peakRssMb } from './machine';

export interface SeedBenchResult {
  size: DemoSize;
  seconds: number;
  rowsPerObject: Record<string, number>;
  peakRssMb: number;
}

/** A fixed instant, so runs on different days generate the same data. */
const BENCH_AS_OF = Date.UTC(2026, 10, 15, 12, 0, 0);
const SAMPLE_MS = 100;

/**
 * The kernel's peak RSS of this process (Linux). Sampling alone misses peaks inside long native
 * calls, such as SQLite building an index, where no timer can run.
 */
function highWaterMark(): number | null {
  const mb = peakRssMb('self');
  return mb === null ? null : mb * 1024 * 1024;
}

/** Starts the peak over, so one size's figure is not an earlier size's (Linux ≥ 4.0). */
function resetHighWaterMark(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux, or not allowed: the figure is then the peak of the whole process so far
  }
}

export async function benchSeed(size: DemoSize, dir?: string): Promise<SeedBenchResult> {
  const workDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'salesops-seed-bench-'));
  const org = new Org({
    dbFile: path.join(workDir, `seed-${String(size)}.sqlite`),
    objects: loadStandardObjects([PROJECT_METADATA_DIR]),
    clock: new FixedClock(BENCH_AS_OF),
  });
  resetHighWaterMark();
  let peak = process.memoryUsage().rss;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    bootstrapOrg(org, { adminPassword: 'bench-password-1', integrationPassword: 'bench-password-2' });
    const started = process.hrtime.bigint();
    // the generator yields between batches, so the timer keeps sampling; progress also samples
    const summary = await generateDemoOrg(org, { size, asOf: BENCH_AS_OF, onProgress: sample });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    sample();
    peak = Math.max(peak, highWaterMark() ?? 0);
    return { size, seconds, rowsPerObject: summary.counts, peakRssMb: Math.round(peak / (1024 * 1024)) };
  } finally {
    clearInterval(timer);
    org.close();
    if (!dir) rmSync(workDir, { recursive: true, force: true });
  }
}

// `node bin/run-ts.js scripts/bench/seed.ts [size]` runs it on its own
const self = process.argv.findIndex((a) => path.resolve(a) === __filename);
if (self >= 0) {
  const arg = process.argv[self + 1] ?? 'small';
  const size: DemoSize = /^\d+$/.test(arg) ? Number(arg) : (arg as DemoSize);
  benchSeed(size).then(
    (r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
