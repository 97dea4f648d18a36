import { runEngines } from '../../app/compute-from-snapshot';
import { computeCommissionsForCycle } from '../../app/compute-commissions';
import { computeTerritoriesForCycle } from '../../app/compute-territories';
import { loadStoreSnapshot } from '../../app/load-store-snapshot';
import type { CycleReport } from '../../app/run-cycle';
import { renderCycleSummary } from '../../app/run-cycle-summary';
import { territoryWhatIf } from '../../app/territory-what-if';
import { loadCommissionPlans } from '../../config/commission-plans';
import { loadEngineConfig } from '../../config/engine-config';
import { parseEnv, type EnvConfig } from '../../config/env';
import { loadScheduleConfig } from '../../config/schedule-config';
import { loadSyncConfig } from '../../config/sync-config';
import { loadTerritoryConfig } from '../../config/territory-config';
import { loadWritebackConfig } from '../../config/writeback-config';
import { CrmApi } from '../../crm/api-client';
import type { OrgSession } from '../../crm/connection';
import { CrmCommandSource, CrmJobRecords } from '../../crm/job-commands';
import { readSnapshotFromStore } from '../../crm/snapshot-mapping';
import { PlanSchema } from '../../domain/commission/plan-schema';
import type { Snapshot } from '../../domain';
import { startServer, type RunningServer, type ServerDeps } from '../../http/server';
import type { EnginePorts } from '../../http/ports';
import type { JobContext, JobOutcome, RunJob } from '../../jobs/ports';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { SqliteSyncStore } from '../../store';
import { SqliteJobStore } from '../../store/sqlite-job-store';
import type { Output } from '../output';
import { cycleOnSession, defaultEngines, today, withOrgSession } from './run';
import { syncIntoStore } from './sync';

export interface ServeCliOptions {
  json: boolean;
  port?: string;
  host?: string;
  /** commander's `--no-schedules`. */
  schedules: boolean;
}

/**
 * `salesops serve`: the HTTP API, the schedules and the CRM command listener, against the configured
 * org (or the embedded one), until SIGTERM or SIGINT; then the running job finishes or checkpoints.
 */
export async function serveCommand(opts: ServeCliOptions, out: Output, log: Logger): Promise<void> {
  const env = parseEnv();
  if (!env.apiToken) {
    throw new AppError(
      'CONFIG_INVALID',
      'SALESOPS_API_TOKEN is required by salesops serve (a secret of 24+ characters that API clients send as a bearer token)',
      { source: 'environment', problems: ['SALESOPS_API_TOKEN is required by salesops serve'] },
    );
  }
  const apiToken = env.apiToken;
  await withOrgSession(async (session, apiVersion) => {
    const server = await serveOnSession({
      session,
      apiVersion,
      env,
      apiToken,
      log,
      port: opts.port === undefined ? env.port : parsePort(opts.port),
      host: opts.host,
      schedulesEnabled: opts.schedules,
    });
    out.result(
      { ok: true, url: server.url, owner: server.owner },
      `SalesOps Companion server listening at ${server.url}`,
    );
    await untilSignal();
    await server.close();
  });
  // Idle keep-alive sockets to the org (jsforce's agent) would hold a stopped server open.
  setTimeout(() => process.exit(), 1000).unref();
}

export interface ServeOnSessionInput {
  session: OrgSession;
  apiVersion: string;
  env: EnvConfig;
  apiToken: string;
  log: Logger;
  port: number;
  host?: string;
  schedulesEnabled?: boolean;
  /** Routers beside the API, e.g. the widget preview at /preview (the demo mounts it). */
  mounts?: ServerDeps['mounts'];
}

/**
 * The companion server on an open org session: what `salesops serve` runs and what `salesops demo`
 * can start beside the embedded org. Close it with `server.close()`.
 */
export async function serveOnSession(input: ServeOnSessionInput): Promise<RunningServer> {
  const { session, apiVersion, env, log } = input;
  const api = new CrmApi(session.conn, apiVersion);
  const store = new SqliteJobStore(env.dbFile);
  const source = new CrmCommandSource(
    session.conn,
    api,
    { get: (k) => store.getState(k), set: (k, v) => store.setState(k, v, Date.now()) },
    log,
  );
  return startServer({
    port: input.port,
    host: input.host,
    apiToken: input.apiToken,
    store,
    runJob: cycleJobs(session, apiVersion, env.dbFile),
    engines: storeEngines(env.dbFile),
    schedules: loadScheduleConfig(),
    schedulesEnabled: input.schedulesEnabled,
    commands: { source, records: new CrmJobRecords(api) },
    log,
    readinessChecks: { org: async () => void (await api.get('/limits')) },
    mounts: input.mounts,
  });
}

/**
 * Job types → the cycle. Every kind is idempotent (sync checkpoints in the store, write-back
 * upserts by external key), so a resumed attempt re-runs it from the top without duplicates.
 * Approved territory changes are applied by the cycle itself.
 */
function cycleJobs(session: OrgSession, apiVersion: string, dbFile: string): RunJob {
  return async (type: string, ctx: JobContext): Promise<JobOutcome> => {
    if (ctx.signal.aborted) return { status: 'interrupted' };
    await ctx.progress(5, type);
    if (type === 'Sync' || type === 'FullSync') {
      const report = await syncIntoStore({
        session,
        dbFile,
        apiVersion,
        config: loadSyncConfig(),
        full: type === 'FullSync',
        log: ctx.log,
        progress: false,
      });
      return {
        status: report.status === 'failed' ? 'failed' : 'succeeded',
        counts: { read: report.rowsRead, apiCalls: report.apiCalls, apiCallsMinimum: report.minimumApiCalls },
        summary: `sync ${report.status}: ${report.rowsRead} rows read`,
        error:
          report.status === 'failed'
            ? { code: 'SYNC_FAILED', message: report.errors.map((e) => e.message).join('\n') }
            : undefined,
      };
    }
    const report = await cycleOnSession({
      session,
      apiVersion,
      dbFile,
      syncConfig: loadSyncConfig(),
      writebackConfig: loadWritebackConfig(),
      computeResults: defaultEngines(undefined, session.conn),
      asOf: today(),
      trigger: ctx.job.trigger,
      log: ctx.log,
      progress: false,
      // Recompute and Writeback work on what the store holds; Cycle and the territory applier sync first.
      sync: type === 'Cycle' || type === 'ApplyTerritoryChanges',
      runId: ctx.job.runId,
    });
    return cycleOutcome(report);
  };
}

function cycleOutcome(r: CycleReport): JobOutcome {
  return {
    status: r.status === 'failed' ? 'failed' : 'succeeded',
    summary: renderCycleSummary(r),
    counts: {
      read: r.sync?.rowsRead ?? 0,
      written: r.writeback?.rowsWritten ?? 0,
      failed: r.writeback?.rowsFailed ?? 0,
      apiCalls: r.apiCalls,
      apiCallsMinimum: r.minimumApiCalls,
    },
    result: { runId: r.runId, status: r.status, jobRecordId: r.jobRecordId },
    error: r.error ?? undefined,
  };
}

/** The engines the API calls, on the latest synced store (nothing is written). */
function storeEngines(dbFile: string): EnginePorts {
  const withSnapshot = async <T>(fn: (s: Snapshot) => T): Promise<T> => {
    const store = new SqliteSyncStore(dbFile);
    try {
      return fn((await loadStoreSnapshot(store, readSnapshotFromStore)).snapshot);
    } finally {
      await store.close();
    }
  };
  return {
    latestResults: async (engine) => {
      const asOf = today();
      try {
        return await withSnapshot((snapshot) => {
          switch (engine) {
            case 'forecast':
            case 'kpis': {
              const r = runEngines(snapshot, { engines: [engine], config: loadEngineConfig(), asOf });
              return { asOf, ...(engine === 'forecast' ? { forecast: r.forecast } : { kpis: r.kpis }) };
            }
            case 'territories':
              return computeTerritoriesForCycle(snapshot, loadTerritoryConfig(), asOf).result;
            case 'commissions': {
              const { result, summary } = computeCommissionsForCycle(snapshot, loadCommissionPlans(), asOf);
              return {
                asOf,
                summary,
                statements: result.statements,
                warnings: result.warnings,
                stats: result.stats,
              };
            }
          }
        });
      } catch (err) {
        if (err instanceof AppError && err.details.reason === 'store-empty') return null;
        throw err;
      }
    },
    territoryDryRun: async (input) => {
      const asOf = input.asOf ?? today();
      return withSnapshot((snapshot) => {
        const r = territoryWhatIf({
          snapshot,
          config: loadTerritoryConfig(),
          asOf,
          moves: input.changes.map((c, i) => ({
            id: `api-${i + 1}`,
            accountId: c.accountId,
            toTerritoryKey: c.toTerritoryKey,
            effectiveDate: c.effectiveDate ?? asOf,
          })),
        });
        return { asOf, baseModel: r.baseModel, proposedModel: r.proposedModel, diff: r.diff };
      });
    },
    commissionSimulate: async (input) => {
      const parsed = PlanSchema.safeParse(input.plan);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({
          path: ['body', 'plan', ...i.path.map(String)].join('.'),
          message: i.message,
        }));
        throw new AppError('INPUT_INVALID', 'the plan is not a valid commission plan', { issues });
      }
      const plan = parsed.data;
      const asOf = input.asOf ?? today();
      const book = loadCommissionPlans();
      const tried = { ...book, plans: [...book.plans.filter((p) => p.key !== plan.key), plan] };
      return withSnapshot((snapshot) => {
        const { result } = computeCommissionsForCycle(snapshot, tried, asOf);
        const reps = input.repIds ? new Set(input.repIds) : null;
        const statements = result.statements.filter(
          (s) => s.planKey === plan.key && (!reps || reps.has(s.repId)),
        );
        return { asOf, plan: plan.key, statements, warnings: result.warnings };
      });
    },
  };
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new AppError('USAGE', `--port must be a port number, got ${text}`);
  return n;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
