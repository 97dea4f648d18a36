/**
 * Full-cycle benchmarks (issue 7): sync → every engine → write-back into a fresh store against a
 * seeded org (everything is new, so every result is written), then the same after 1% of the
 * opportunities changed amount. Reports seconds per phase, API calls against the minimum and rows
 * written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { runCycle, type CycleReport } from '../../server/src/app/run-cycle';
import { computeBreakdown } from '../../server/src/app/run-cycle-summary';
import { defaultEngines } from '../../server/src/cli/commands/run';
import { runSync } from '../../server/src/app/sync-run';
import { loadSyncConfig } from '../../server/src/config/sync-config';
import { loadWritebackConfig } from '../../server/src/config/writeback-config';
import { CrmApi } from '../../server/src/crm/api-client';
import { connectWithSession } from '../../server/src/crm/connection';
import { readSnapshotFromStore } from '../../server/src/crm/snapshot-mapping';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { OrgJobRecorder } from '../../server/src/crm/writeback/job-record';
import { OrgResultWriter } from '../../server/src/crm/writeback/org-writer';
import { SqliteSyncStore } from '../../server/src/store';

const API_VERSION = '59.0';

export interface CycleFigures {
  seconds: number;
  phases: { sync: number; compute: number; writeback: number };
  rowsRead: number;
  resultRows: number;
  rowsWritten: number;
  rowsFailed: number;
  apiCalls: number;
  minimumApiCalls: number;
  /** Calls over the minimum (target ≤ 1.1). */
  callRatio: number;
  status: string;
  /** Where the compute phase went (the summary's Compute line). */
  computeBreakdown: string | null;
}

export interface CycleBenchResult {
  full: CycleFigures;
  incremental: CycleFigures & { changedOpportunities: number };
  peakRssMb: number;
}

export async function benchCycle(
  org: { instanceUrl: string; accessToken: string },
  opts: { dir?: string; asOf?: string } = {},
): Promise<CycleBenchResult> {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'bench-cycle-'));
  const dbFile = path.join(dir, `cycle-bench-${Date.now()}.sqlite`);
  const log = pino({ level: 'silent' });
  const syncConfig = loadSyncConfig();
  const writebackConfig = loadWritebackConfig();
  const conn = connectWithSession(org, API_VERSION);
  // The CLI's engines in the CLI's order (no territory change requests: the seed has none).
  const engines = defaultEngines();
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  let runs = 0;
  const once = async (): Promise<CycleReport> => {
    const store = new SqliteSyncStore(dbFile);
    const api = new CrmApi(conn, API_VERSION);
    try {
      return await runCycle(
        {
          runSync: () =>
            runSync(
              {
                source: new CrmSyncSource(new CrmApi(conn, API_VERSION), syncConfig, store, log),
                store,
                now: () => Date.now(),
                log,
              },
              { config: syncConfig, full: false },
            ),
          store,
          results: store.writeback(),
          readSnapshot: (s) => readSnapshotFromStore(s),
          computeResults: engines,
          writer: new OrgResultWriter(api, {
            bulkPollMs: writebackConfig.bulkPollMs,
            bulkJobTimeoutSeconds: writebackConfig.bulkJobTimeoutSeconds,
          }),
          jobs: new OrgJobRecorder(api),
          config: writebackConfig,
          now: () => Date.now(),
          log,
        },
        { runId: `bench-${Date.now()}-${++runs}`, asOf, trigger: 'CLI' },
      );
    } finally {
      await store.close();
    }
  };
  try {
    const full = figures(await once());
    const changed = await changeAmounts(conn);
    const incremental = { ...figures(await once()), changedOpportunities: changed };
    return { full, incremental, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    else rmSync(dbFile, { force: true });
  }
}

function figures(r: CycleReport): CycleFigures {
  // The sync's describe checks are cached for a day; they are not part of the volume's minimum.
  const calls = r.apiCalls - (r.sync?.describeApiCalls ?? 0);
  return {
    seconds: r.seconds,
    phases: r.phases,
    rowsRead: r.sync?.rowsRead ?? 0,
    resultRows: Object.values(r.compute?.rows ?? {}).reduce((a, b) => a + b, 0),
    rowsWritten: r.writeback?.rowsWritten ?? 0,
    rowsFailed: r.writeback?.rowsFailed ?? 0,
    apiCalls: r.apiCalls,
    minimumApiCalls: r.minimumApiCalls,
    callRatio: r.minimumApiCalls > 0 ? Number((calls / r.minimumApiCalls).toFixed(2)) : 0,
    status: r.error ? `${r.status}: ${r.error.message}` : r.status,
    computeBreakdown: computeBreakdown(r),
  };
}

/** Raises the amount of 1% of the open opportunities by 1%, 200 per collection call. */
async function changeAmounts(conn: ReturnType<typeof connectWithSession>): Promise<number> {
  const total = (await conn.query('SELECT COUNT() FROM Opportunity')).totalSize;
  const n = Math.max(1, Math.floor(total / 100));
  const res = await conn.query<{ Id: string; Amount: number }>(
    `SELECT Id, Amount FROM Opportunity WHERE IsClosed = false AND Amount != null ORDER BY Id LIMIT ${n}`,
    { autoFetch: true, maxFetch: n },
  );
  const rows = res.records.map((r) => ({ Id: r.Id, Amount: Math.round(r.Amount * 101) / 100 }));
  for (let i = 0; i < rows.length; i += 200) await conn.sobject('Opportunity').update(rows.slice(i, i + 200));
  return rows.length;
}
