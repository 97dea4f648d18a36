/**
 * Sync benchmarks (issue 3): an initial sync of a seeded org into a fresh store, then an
 * incremental sync after 1% of opportunities changed. Reports rows/s, API calls against the
 * cost-model minimum, and the peak RSS of the syncing process. The lead wires it into run.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { runSync, type SyncReport } from '../../server/src/app/sync-run';
import { loadSyncConfig } from '../../server/src/config/sync-config';
import { CrmApi } from '../../server/src/crm/api-client';
import { connectWithSession } from '../../server/src/crm/connection';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { SqliteSyncStore } from '../../server/src/store';

export interface SyncBenchFigures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  apiCalls: number;
  /** Of apiCalls, the describe checks at the start of the run (cached for a day). */
  describeApiCalls: number;
  minimumApiCalls: number;
  /** Reading calls over the cost-model minimum for that volume (target ≤ 1.1). */
  callRatio: number;
  /**
   * CPU seconds (user + system) of this syncing process during the sync: unlike wall time, not
   * inflated when other work shares the cores.
   */
  cpuSeconds: number;
}

export interface SyncBenchResult {
  initial: SyncBenchFigures;
  incremental: SyncBenchFigures & { changedOpportunities: number };
  /** Peak resident set of this (syncing) process, MiB; target under 1 GiB at large. */
  peakRssMb: number;
}

const API_VERSION = '59.0';

export async function benchSync(
  org: { instanceUrl: string; accessToken: string },
  opts: { dir?: string } = {},
): Promise<SyncBenchResult> {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'bench-sync-'));
  const store = new SqliteSyncStore(path.join(dir, 'sync-bench.sqlite'));
  const log = pino({ level: 'silent' });
  const config = loadSyncConfig();
  const conn = connectWithSession(org, API_VERSION);
  const once = async (): Promise<SyncBenchFigures> => {
    const cpu = process.cpuUsage();
    const report = await runSync(
      {
        source: new CrmSyncSource(new CrmApi(conn, API_VERSION), config, store, log),
        store,
        now: () => Date.now(),
        log,
      },
      { config, full: false },
    );
    const used = process.cpuUsage(cpu);
    return { ...figures(report), cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)) };
  };
  try {
    const initial = await once();
    const changed = await touchOpportunities(conn, await store.count('Opportunity'));
    const incremental = { ...(await once()), changedOpportunities: changed };
    return { initial, incremental, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    await store.close();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

function figures(r: SyncReport): Omit<SyncBenchFigures, 'cpuSeconds'> {
  return {
    rows: r.rowsRead,
    seconds: r.seconds,
    rowsPerSecond: r.seconds > 0 ? Math.round(r.rowsRead / r.seconds) : 0,
    apiCalls: r.apiCalls,
    describeApiCalls: r.describeApiCalls,
    minimumApiCalls: r.minimumApiCalls,
    callRatio:
      r.minimumApiCalls > 0 ? Number(((r.apiCalls - r.describeApiCalls) / r.minimumApiCalls).toFixed(2)) : 0,
  };
}

/** Changes 1% of opportunities (their NextStep), 200 per collection call. */
async function touchOpportunities(
  conn: ReturnType<typeof connectWithSession>,
  total: number,
): Promise<number> {
  const n = Math.max(1, Math.floor(total / 100));
  const res = await conn.query<{ Id: string }>(`SELECT Id FROM Opportunity ORDER BY Id LIMIT ${n}`, {
    autoFetch: true,
    maxFetch: n,
  });
  const ids = res.records.map((r) => r.Id);
  const stamp = new Date().toISOString();
  for (let i = 0; i < ids.length; i += 200) {
    await conn
      .sobject('Opportunity')
      .update(ids.slice(i, i + 200).map((Id) => ({ Id, NextStep: `bench ${stamp}` })));
  }
  return ids.length;
}
