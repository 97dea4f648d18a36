import { randomBytes } from 'node:crypto';
import type { CycleReport } from '../../app/run-cycle';
import { forecastAndKpiResults } from '../../app/run-cycle-engines';
import { renderCycleSummary } from '../../app/run-cycle-summary';
import { loadEngineConfig } from '../../config/engine-config';
import { parseEnv, type EnvConfig } from '../../config/env';
import { loadSyncConfig } from '../../config/sync-config';
import { loadWritebackConfig } from '../../config/writeback-config';
import { takeCensus, type OrgCensus } from '../../crm/census';
import type { Logger } from '../../shared/logger';
import { AppError } from '../../shared/errors';
import type { OrgSession } from '../../crm/connection';
import type { RunningServer } from '../../http/server';
import { createPreviewRouter, ensurePreviewBuilt, PREVIEW_PATH, previewViewers } from '../../preview';
import { fiscalYearArgs, spawnEmbeddedOrg, type EmbeddedOrgProcess } from '../embedded-org-process';
import type { Output } from '../output';
import { cycleOnSession, defaultEngines, today } from './run';
import { serveOnSession } from './serve';
import { embeddedOrgSession } from './sync';

export interface DemoOptions {
  once: boolean;
  /** Port of the companion server (API and preview); defaults to PORT or 8080. */
  serverPort?: string;
  size: string;
  orgPort: string;
  db: string;
  json: boolean;
}

/**
 * `npm start`: the embedded org with demo data, one full cycle against it over the real API (sync,
 * the engines, write-back of the results, the run recorded as a SalesOps_Job__c), a summary, then
 * the org keeps running for the user to explore (until Ctrl-C) unless `--once`. A second start with
 * unchanged data writes nothing: only results whose content changed are sent.
 */
export async function demoCommand(opts: DemoOptions, out: Output, log: Logger): Promise<void> {
  const env = parseEnv();
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
    let engines: ComputeSummary | null = null;
    const asOf = today();
    const cycle = await cycleOnSession({
      session,
      apiVersion: env.apiVersion,
      dbFile: env.dbFile,
      syncConfig: loadSyncConfig(),
      writebackConfig: loadWritebackConfig(),
      computeResults: defaultEngines(
        forecastAndKpiResults(loadEngineConfig(), (result) => {
          const summary = result.forecast?.statistical?.backtest.summary;
          engines = {
            asOf,
            forecastRows: result.forecast?.rows.length ?? 0,
            forecastWarnings: result.forecast?.warnings.length ?? 0,
            kpiRows: result.kpis?.rows.length ?? 0,
            kpiWarnings: result.kpis?.warnings.length ?? 0,
            backtest: summary
              ? { brierStatistical: summary.brierStatistical, brierNaive: summary.brierNaive }
              : null,
          };
        }),
        session.conn,
      ),
      asOf,
      trigger: 'CLI',
      log,
      progress: !opts.json,
      sync: true,
    });
    if (cycle.status === 'failed') {
      if (!out.json) out.result(null, renderCycleSummary(cycle));
      throw new AppError(
        cycle.error?.code === 'SYNC_FAILED' ? 'SYNC_FAILED' : 'CRM_REQUEST_FAILED',
        cycle.error?.message ?? 'the cycle failed',
        { report: cycle },
      );
    }
    const census = await takeCensus(session.conn);
    const summary = {
      ok: true,
      org: { instanceUrl: org.info.instanceUrl, username: org.info.username, password: org.info.password },
      seeded: org.info.seeded,
      store: env.dbFile,
      cycle,
      sync: cycle.sync,
      compute: engines,
      census,
      seconds: (Date.now() - started) / 1000,
    };
    const human = renderSummary(summary);
    if (opts.once) {
      out.result(summary, human);
      return;
    }
    const served = await serveDemo({ org, session, env, log, port: opts.serverPort });
    out.result(
      { ...summary, server: { url: served.server.url, preview: served.previewUrl } },
      [
        human,
        '',
        `Widgets preview  ${served.previewUrl}  (view as a rep, their manager or an ops admin)`,
        `Server API       ${served.server.url}/api/jobs  (Authorization: Bearer ${served.tokenShown})`,
        `The org keeps running at ${org.info.instanceUrl}; press Ctrl-C to stop both.`,
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await served.server.close();
  } finally {
    await org.stop();
  }
}

function renderSummary(s: {
  org: { instanceUrl: string; username: string; password: string };
  store: string;
  cycle: CycleReport;
  compute: ComputeSummary | null;
  census: OrgCensus;
  seconds: number;
}): string {
  const c = s.compute;
  const lines = [
    'SalesOps Companion demo',
    '',
    `Embedded org   ${s.org.instanceUrl}`,
    `Log in as      ${s.org.username} / ${s.org.password}`,
    `Store          ${s.store}`,
    '',
    renderCycleSummary(s.cycle),
    '',
    ...(c
      ? [
          `Engines on the store, as of ${c.asOf}:`,
          `  forecast  ${c.forecastRows.toLocaleString('en-US')} rows (${c.forecastWarnings} warnings)`,
          `  kpis      ${c.kpiRows.toLocaleString('en-US')} rows (${c.kpiWarnings} warnings)`,
          ...(c.backtest
            ? [
                `  statistical forecast backtest: Brier ${c.backtest.brierStatistical} vs ${c.backtest.brierNaive} for stage probabilities (lower is better)`,
              ]
            : []),
          '',
        ]
      : []),
    'Open opportunities by stage (the org, over the REST API):',
    ...s.census.openPipelineByStage.map(
      (r) => `  ${r.stage.padEnd(22)}  ${r.opportunities.toLocaleString('en-US')}`,
    ),
    '',
    'Where to look: log in to the org above; the results are the Forecast_Snapshot__c and Sales_KPI__c',
    'records (REST: /services/data/v62.0/query?q=SELECT+COUNT()+FROM+Sales_KPI__c), and this run is a',
    'SalesOps_Job__c record.',
    '',
    `Cycle done in ${s.seconds.toFixed(1)} s.`,
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

/**
 * The companion server beside the embedded org, with the widget preview mounted at /preview. The
 * preview is built first when missing or stale (seconds when nothing changed). Without
 * SALESOPS_API_TOKEN a random token is made for this run and shown once, since the API never runs
 * without auth.
 */
async function serveDemo(input: {
  org: EmbeddedOrgProcess;
  session: OrgSession;
  env: EnvConfig;
  log: Logger;
  port?: string;
}): Promise<{ server: RunningServer; previewUrl: string; tokenShown: string }> {
  const { org, session, env, log } = input;
  try {
    const state = await ensurePreviewBuilt();
    log.info({ status: state.status, seconds: state.seconds }, 'widget preview ready');
  } catch (err) {
    // The API still serves; the preview page names the build error until a rebuild succeeds.
    log.warn({ err }, 'the widget preview could not be built');
  }
  const apiToken = env.apiToken ?? randomBytes(24).toString('base64url');
  const server = await serveOnSession({
    session,
    apiVersion: env.apiVersion,
    env,
    apiToken,
    log,
    port: input.port === undefined ? env.port : Number(input.port),
    mounts: [
      {
        path: PREVIEW_PATH,
        router: createPreviewRouter({
          instanceUrl: org.info.instanceUrl,
          apiVersion: env.apiVersion,
          viewers: previewViewers(org.info.viewers ?? []),
          log,
        }),
      },
    ],
  });
  return {
    server,
    previewUrl: `${server.url}${PREVIEW_PATH}/`,
    tokenShown: env.apiToken ? '$SALESOPS_API_TOKEN' : apiToken,
  };
}
