import { createHash } from 'node:crypto';
import os from 'node:os';

/** What the figures were measured on, for the header of BENCHMARKS.md. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Peak resident set size of a process (or this one) in MiB, from /proc (VmHWM), or null where unavailable. */
export function peakRssMb(pid: number | 'self' = 'self'): number | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const status: string = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Milliseconds for a fixed CPU workload (hashing and allocation). This VM's speed moves by tens of
 * percent within an hour, so BENCHMARKS.md gives the check taken before and after each run: a
 * figure is comparable with another only when their checks are alike.
 */
export function cpuCheckMs(): number {
  const started = process.hrtime.bigint();
  let text = 'x'.repeat(1000);
  for (let i = 0; i < 300_000; i++) text = createHash('sha256').update(text).digest('hex') + text.slice(64);
  const objects: Array<{ i: number; s: string }> = [];
  for (let i = 0; i < 2_000_000; i++) objects.push({ i, s: String(i) });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Both results are used, so neither loop can be optimised away.
  return text.length + objects.length > 0 ? ms : -1;
}
