import { randomUUID } from 'node:crypto';
import { runCycle, type ComputeResults, type CycleReport } from '../../app/run-cycle';
import {
  combineResults,
  commissionResults,
  forecastAndKpiResults,
  territoryResults,
} from '../../app/run-cycle-engines';
import { loadCommissionPlans } from '../../config/commission-plans';
import { loadTerritoryConfig } from '../../config/territory-config';
import { renderCycleSummary } from '../../app/run-cycle-summary';
import { loadEngineConfig } from '../../config/engine-config';
import { parseEnv } from '../../config/env';
import { loadSyncConfig, type SyncConfig } from '../../config/sync-config';
import { loadWritebackConfig, type WritebackConfig } from '../../config/writeback-config';
import { CrmApi } from '../../crm/api-client';
import { openOrgSession, type OrgSession } from '../../crm/connection';
import { readSnapshotFromStore } from '../../crm/snapshot-mapping';
import { readAppliedTerritoryChanges, territoryChangePort } from '../../crm/territory-change-requests';
import { OrgJobRecorder } from '../../crm/writeback/job-record';
import { OrgResultWriter } from '../../crm/writeback/org-writer';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { SqliteSyncStore } from '../../store';
import { fiscalYearArgs, spawnEmbeddedOrg, type EmbeddedOrgProcess } from '../embedded-org-process';
import type { Output } from '../output';
import { EMBEDDED_ORG_DB, embeddedOrgSession, syncIntoStore } from './sync';

export interface RunCliOptions {
  json: boolean;
  asOf?: string;
}

/**
 * `salesops run [--json]`: one full cycle (sync → engines → write-back) against the configured org,
 * or the embedded one when no SF_* variables are set. Progress goes to stderr; the summary table
 * (or one JSON document) to stdout. A failed cycle exits 1; rows that failed to write are listed
 * (and dead-lettered) but do not fail the command.
 */
export async function runCommand(opts: RunCliOptions, out: Output, log: Logger): Promise<void> {
  await cycleCommand({ ...opts, sync: true, dryRun: false }, out, log);
}

/**
 * `run` and `writeback` on the configured (or embedded) org. Approved territory changes are applied
 * only by a real run: a dry run must not touch the org, so it computes without the change source.
 */
export async function cycleCommand(
  opts: RunCliOptions & { sync: boolean; dryRun: boolean },
  out: Output,
  log: Logger,
): Promise<void> {
  const asOf = asOfOption(opts.asOf);
  await withOrgSession(async (session, apiVersion) => {
    const report = await cycleOnSession({
      session,
      apiVersion,
      dbFile: parseEnv().dbFile,
      syncConfig: loadSyncConfig(),
      writebackConfig: loadWritebackConfig(),
      computeResults: defaultEngines(undefined, opts.dryRun ? undefined : session.conn),
      asOf,
      trigger: 'CLI',
      log,
      progress: !opts.json,
      sync: opts.sync,
      dryRun: opts.dryRun,
    });
    finishCommand(report, out);
  });
}

/**
 * Every engine of the cycle, in the order their results are best handed to the write-back while
 * the next engine runs: the territories first (the assignments are the biggest write, and the
 * Account lookup is a parent), so the org ingests them while the forecast trains; then the
 * forecast and the KPIs; the commissions, quick to compute, last.
 */
export function defaultEngines(
  forecastAndKpis: ComputeResults = forecastAndKpiResults(loadEngineConfig()),
  conn?: OrgSession['conn'],
): ComputeResults {
  return combineResults(
    territoryResults(
      loadTerritoryConfig(),
      undefined,
      conn
        ? { port: territoryChangePort(conn), readApplied: () => readAppliedTerritoryChanges(conn) }
        : undefined,
    ),
    forecastAndKpis,
    commissionResults(loadCommissionPlans()),
  );
}

export function finishCommand(report: CycleReport, out: Output): void {
  if (report.status === 'failed') {
    if (!out.json) out.result(null, renderCycleSummary(report));
    throw new AppError(
      report.error?.code === 'SYNC_FAILED' ? 'SYNC_FAILED' : 'CRM_REQUEST_FAILED',
      report.error?.message ?? 'the cycle failed',
      { report },
    );
  }
  out.result({ ok: true, ...report }, renderCycleSummary(report));
}

/** Opens the configured org (or starts the embedded one) for the length of `fn`. */
export async function withOrgSession<T>(
  fn: (session: OrgSession, apiVersion: string) => Promise<T>,
): Promise<T> {
  const env = parseEnv();
  let embedded: EmbeddedOrgProcess | undefined;
  try {
    let session: OrgSession;
    if (env.org.kind === 'embedded') {
      embedded = await spawnEmbeddedOrg(['--port', '0', '--db', EMBEDDED_ORG_DB, ...fiscalYearArgs()]);
      session = await embeddedOrgSession(embedded, env.apiVersion);
    } else {
      session = await openOrgSession(env.org, env.apiVersion);
    }
    return await fn(session, env.apiVersion);
  } finally {
    await embedded?.stop();
  }
}

export interface CycleOnSessionInput {
  session: OrgSession;
  apiVersion: string;
  dbFile: string;
  syncConfig: SyncConfig;
  writebackConfig: WritebackConfig;
  computeResults: ComputeResults;
  asOf: string;
  trigger: 'CLI' | 'Schedule' | 'Manual' | 'API';
  log: Logger;
  progress: boolean;
  /** False: write back what the store holds without syncing first (`salesops writeback`). */
  sync: boolean;
  dryRun?: boolean;
  runId?: string;
}

/** One cycle (or write-back) on an open session; `run`, `writeback` and `demo` share it. */
export async function cycleOnSession(input: CycleOnSessionInput): Promise<CycleReport> {
  const store = new SqliteSyncStore(input.dbFile);
  const api = new CrmApi(input.session.conn, input.apiVersion);
  const progress = stderrProgress(input.progress);
  try {
    return await runCycle(
      {
        runSync: input.sync
          ? () =>
              syncIntoStore({
                session: input.session,
                dbFile: input.dbFile,
                apiVersion: input.apiVersion,
                config: input.syncConfig,
                full: false,
                log: input.log,
                progress: input.progress,
              })
          : undefined,
        store,
        results: store.writeback(),
        readSnapshot: (s) => readSnapshotFromStore(s),
        computeResults: input.computeResults,
        writer: new OrgResultWriter(api, {
          bulkPollMs: input.writebackConfig.bulkPollMs,
          bulkJobTimeoutSeconds: input.writebackConfig.bulkJobTimeoutSeconds,
        }),
        jobs: new OrgJobRecorder(api),
        config: input.writebackConfig,
        now: () => Date.now(),
        log: input.log,
        onPhase: progress.phase,
        onProgress: progress.rows,
      },
      {
        runId: input.runId ?? randomUUID(),
        asOf: input.asOf,
        trigger: input.trigger,
        dryRun: input.dryRun,
      },
    );
  } finally {
    progress.done();
    await store.close();
  }
}

/** Phase and per-object lines on stderr (a terminal only: logs and --json output stay clean). */
function stderrProgress(enabled: boolean) {
  const on = enabled && process.stderr.isTTY === true;
  let last = '';
  const write = (s: string) => on && process.stderr.write(s);
  return {
    phase: (p: string) => {
      if (last) write('\n');
      last = '';
      write(`${p === 'writeback' ? 'write-back' : p}…\n`);
    },
    rows: (p: { object: string; done: number; total: number }) => {
      last = `  ${p.object}: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`;
      write(`\r${last}`);
    },
    done: () => {
      if (last) write('\n');
      last = '';
    },
  };
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** `--as-of`, checked before any org is started. */
export function asOfOption(value: string | undefined): string {
  const asOf = value ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new AppError('USAGE', `--as-of must be a date like 2026-11-27, got '${asOf}'`);
  return asOf;
}
