import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { ScheduleConfig } from '../../../server/src/config/schedule-config';
import type { JobContext, JobOutcome } from '../../../server/src/jobs/ports';

export const silent = pino({ level: 'silent' });

export const NO_SCHEDULES: ScheduleConfig = { timezone: 'UTC', commandPollSeconds: 60, schedules: {} };

/** A temp folder removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls until `check` returns a truthy value (10 s at most). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  what = 'condition',
  ms = 10_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A job body the test releases by hand: `gate.open()` lets every waiting job finish. */
export function gatedJob(outcome: JobOutcome = { status: 'succeeded', counts: { read: 3, written: 2 } }) {
  const calls: JobContext[] = [];
  let release!: () => void;
  let opened = new Promise<void>((r) => (release = r));
  return {
    calls,
    run: async (_type: string, ctx: JobContext): Promise<JobOutcome> => {
      calls.push(ctx);
      await opened;
      return outcome;
    },
    open: () => release(),
    reset: () => {
      opened = new Promise<void>((r) => (release = r));
    },
  };
}
