import type { SyncReport } from '../../app/sync-run';
import { parseEnv } from '../../config/env';
import { loadSyncConfig } from '../../config/sync-config';
import { takeCensus, type OrgCensus } from '../../crm/census';
import type { Logger } from '../../shared/logger';
import { AppError } from '../../shared/errors';
import { spawnEmbeddedOrg } from '../embedded-org-process';
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
 * Today's cycle is sync into the store plus a census of the org; compute and write-back join it as
 * their issues land.
 */
export async function demoCommand(opts: DemoOptions, out: Output, log: Logger): Promise<void> {
  const env = parseEnv();
  const syncConfig = loadSyncConfig();
  const started = Date.now();
  // A one-off cycle takes any free port; a demo left running keeps the documented one.
  const port = opts.once ? '0' : opts.orgPort;
  const org = await spawnEmbeddedOrg(['--port', port, '--db', opts.db, '--size', opts.size]);
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
      throw new AppError('SYNC_FAILED', sync.errors.map((e) => (e.object ? `${e.object}: ${e.message}` : e.message)).join('\n'), { report: sync });
    }
    const census = await takeCensus(session.conn);
    const summary = {
      ok: true,
      org: { instanceUrl: org.info.instanceUrl, username: org.info.username, password: org.info.password },
      seeded: org.info.seeded,
      store: env.dbFile,
      sync,
      census,
      seconds: (Date.now() - started) / 1000,
    };
    out.result(summary, renderSummary(summary));
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
    'Open opportunities by stage (the org, over the REST API):',
    ...s.census.openPipelineByStage.map((r) => `  ${r.stage.padEnd(22)}  ${r.opportunities.toLocaleString('en-US')}`),
    '',
    `Cycle done in ${s.seconds.toFixed(1)} s. Compute and write-back join the cycle as their issues land.`,
  ];
  return lines.join('\n');
}
