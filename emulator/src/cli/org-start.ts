import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FaultPlan } from '../faults/faults';
import type { Logger } from '../logger';
import { ensureDemoViewers, generateDemoOrg, isSeeded } from '../seed';
import { startOrg, type RunningOrg } from '../server';

export type SeedSize = 'small' | 'medium' | 'large' | number;

export interface OrgStartOptions {
  port: number;
  dbFile: string;
  metadataDirs: string[];
  seed: 'demo' | 'none';
  size: SeedSize;
  token?: string;
  /** 1 = January; only used when the org file is created. */
  fiscalStartMonth?: number;
  faults?: Partial<FaultPlan>;
  logger: Logger;
  onProgress?: (p: SeedProgress) => void;
}

export interface SeedProgress {
  phase: string;
  done: number;
  total: number;
}

export interface OrgStartResult {
  running: RunningOrg;
  seeded: { size: SeedSize; counts: Record<string, number>; seconds: number } | null;
}

/** `salesops org start`: the embedded org on a port, with demo data when asked. */
export async function runOrgStart(opts: OrgStartOptions): Promise<OrgStartResult> {
  if (opts.dbFile !== ':memory:') mkdirSync(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  const running = await startOrg({
    port: opts.port,
    dbFile: opts.dbFile,
    metadataDirs: opts.metadataDirs,
    staticToken: opts.token,
    settings: opts.fiscalStartMonth ? { fiscalYearStartMonth: opts.fiscalStartMonth } : undefined,
    faults: opts.faults,
    logger: opts.logger,
  });
  let seeded: OrgStartResult['seeded'] = null;
  if (opts.seed === 'demo') {
    try {
      seeded = await seedDemo(running, opts);
      // The rep, manager and ops admin a preview can view as (seed/demo-viewers.ts); idempotent.
      ensureDemoViewers(running.org);
    } catch (err) {
      await running.close();
      throw err;
    }
  }
  return { running, seeded };
}

async function seedDemo(running: RunningOrg, opts: OrgStartOptions): Promise<OrgStartResult['seeded']> {
  const previous = isSeeded(running.org);
  if (previous) return { size: previous.size, counts: previous.counts, seconds: 0 };
  const started = Date.now();
  const summary = await generateDemoOrg(running.org, { size: opts.size, onProgress: opts.onProgress });
  return { size: opts.size, counts: summary.counts, seconds: (Date.now() - started) / 1000 };
}

/** `small|medium|large|N` → a size, or null when the text is neither. */
export function parseSeedSize(text: string): SeedSize | null {
  if (text === 'small' || text === 'medium' || text === 'large') return text;
  return /^[1-9]\d*$/.test(text) ? Number(text) : null;
}
