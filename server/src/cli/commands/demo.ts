import { computeFromStore } from '../../app/compute-from-store';
import type { SyncReport } from '../../app/sync-run';
import { loadEngineConfig } from '../../config/engine-config';
import { parseEnv } from '../../config/env';
import { loadSyncConfig } from '../../config/sync-config';
import { takeCensus, type OrgCensus } from '../../crm/census';
import { readSnapshotFromStore } from '../../crm/snapshot-mapping';
import { SqliteSyncStore } from '../../store';
import type { Logger } from '../../shared/logger';
import { AppError } from '../../shared/errors';
import { fiscalYearArgs, spawnEmbeddedOrg } from '../embedded-org-process';
import type { Output } from '../output';
import { embeddedOrgSession, renderSyncSummary, syncIntoStore } from './sync';

export interface DemoOptions {
  once: boolean;
  size: string;
  orgPort: string;
  db: string;
  json: boolean;
}

/**
 * `npm start`: the embedded org with demo data, one cycle against it over the real API, a summary,
 * then the org keeps running for the user to explore (until Ctrl-C) unless `--once`.
 * Today's cycle is sync into the store, the forecast and KPI engines on it, and a census of the org;
 * write-back joins it with its issue.
 */
export async function demoCommand(opts: DemoOptions, out: Output, log: Logger): Promise<void> {
  const env = parseEnv();
  const syncConfig = loadSyncConfig();
  const started = Date.now();
  // A one-off cycle takes any free port; a demo left running keeps the documented one.
  const port = opts.once ? '0' : opts.orgPort;
  const org = await spawnEmbeddedOrg([
    '--port',
    port,
    '--db',
    opts.db,
    '--size',
    opts.size,
    ...fiscalYearArgs(),
  ]);
  try {
    const session = await embeddedOrgSession(org, env.apiVersion);
    const sync = await syncIntoStore({
      session,
      dbFile: env.dbFile,
      apiVersion: env.apiVersion,
      config: syncConfig,
      full: false,
      log,
      progress: !opts.json,
    });
    if (sync.status === 'failed') {
      throw new AppError(
        'SYNC_FAILED',
        sync.errors.map((e) => (e.object ? `${e.object}: ${e.message}` : e.message)).join('\n'),
        { report: sync },
      );
    }
    const compute = await computeOnStore(env.dbFile, today());
    const census = await takeCensus(session.conn);
    const summary = {
      ok: true,
      org: { instanceUrl: org.info.instanceUrl, username: org.info.username, password: org.info.password },
      seeded: org.info.seeded,
      store: env.dbFile,
      sync,
      compute,
      census,
      seconds: (Date.now() - started) / 1000,
    };
    const human = renderSummary(summary);
    out.result(
      summary,
      opts.once
        ? human
        : `${human}\nThe org keeps running at ${org.info.instanceUrl}; press Ctrl-C to stop it.`,
    );
    if (opts.once) return;
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  } finally {
    await org.stop();
  }
}

function renderSummary(s: {
  org: { instanceUrl: string; username: string; password: string };
  store: string;
  sync: SyncReport;
  compute: ComputeSummary;
  census: OrgCensus;
  seconds: number;
}): string {
  const lines = [
    'SalesOps Companion demo',
    '',
    `Embedded org   ${s.org.instanceUrl}`,
    `Log in as      ${s.org.username} / ${s.org.password}`,
    `Store          ${s.store}`,
    '',
    renderSyncSummary(s.sync),
    '',
    `Engines on the store, as of ${s.compute.asOf}:`,
    `  forecast  ${s.compute.forecastRows.toLocaleString('en-US')} rows (${s.compute.forecastWarnings} warnings)`,
    `  kpis      ${s.compute.kpiRows.toLocaleString('en-US')} rows (${s.compute.kpiWarnings} warnings)`,
    ...(s.compute.backtest
      ? [
          `  statistical forecast backtest: Brier ${s.compute.backtest.brierStatistical} vs ${s.compute.backtest.brierNaive} for stage probabilities (lower is better)`,
        ]
      : []),
    '',
    'Open opportunities by stage (the org, over the REST API):',
    ...s.census.openPipelineByStage.map(
      (r) => `  ${r.stage.padEnd(22)}  ${r.opportunities.toLocaleString('en-US')}`,
    ),
    '',
    `Cycle done in ${s.seconds.toFixed(1)} s. Write-back joins the cycle with its issue.`,
  ];
  return lines.join('\n');
}

interface ComputeSummary {
  asOf: string;
  forecastRows: number;
  forecastWarnings: number;
  kpiRows: number;
  kpiWarnings: number;
  backtest: { brierStatistical: string | null; brierNaive: string | null } | null;
}

/** The forecast and KPI engines on the freshly synced store; the summary keeps counts, not rows. */
async function computeOnStore(dbFile: string, asOf: string): Promise<ComputeSummary> {
  const store = new SqliteSyncStore(dbFile);
  try {
    const result = await computeFromStore(
      { store, readSnapshot: (s) => readSnapshotFromStore(s) },
      { engines: ['forecast', 'kpis'], config: loadEngineConfig(), asOf },
    );
    const summary = result.forecast?.statistical?.backtest.summary;
    return {
      asOf,
      forecastRows: result.forecast?.rows.length ?? 0,
      forecastWarnings: result.forecast?.warnings.length ?? 0,
      kpiRows: result.kpis?.rows.length ?? 0,
      kpiWarnings: result.kpis?.warnings.length ?? 0,
      backtest: summary
        ? { brierStatistical: summary.brierStatistical, brierNaive: summary.brierNaive }
        : null,
    };
  } finally {
    await store.close();
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
