import { takeCensus } from '../../crm/census';
import { connectWithSession } from '../../crm/connection';
import { parseEnv } from '../../config/env';
import type { Logger } from '../../shared/logger';
import { spawnEmbeddedOrg } from '../embedded-org-process';
import type { Output } from '../output';

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
 * Today's cycle is the census; sync, compute and write-back join it as their issues land.
 */
export async function demoCommand(opts: DemoOptions, out: Output, log: Logger): Promise<void> {
  const env = parseEnv();
  const started = Date.now();
  // A one-off cycle takes any free port; a demo left running keeps the documented one.
  const port = opts.once ? '0' : opts.orgPort;
  const org = await spawnEmbeddedOrg(['--port', port, '--db', opts.db, '--size', opts.size]);
  try {
    log.debug({ instanceUrl: org.info.instanceUrl }, 'embedded org ready');
    const conn = connectWithSession(org.info, env.apiVersion);
    const census = await takeCensus(conn);
    const summary = {
      ok: true,
      org: { instanceUrl: org.info.instanceUrl, username: org.info.username, password: org.info.password },
      seeded: org.info.seeded,
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
  census: Awaited<ReturnType<typeof takeCensus>>;
  seconds: number;
}): string {
  const width = Math.max(...Object.keys(s.census.counts).map((k) => k.length), 10);
  const lines = [
    'SalesOps Companion demo',
    '',
    `Embedded org   ${s.org.instanceUrl}`,
    `Log in as      ${s.org.username} / ${s.org.password}`,
    '',
    'Records in the org:',
    ...Object.entries(s.census.counts).map(([k, v]) => `  ${k.padEnd(width)}  ${v.toLocaleString('en-US')}`),
    '',
    'Open opportunities by stage:',
    ...s.census.openPipelineByStage.map((r) => `  ${r.stage.padEnd(22)}  ${r.opportunities.toLocaleString('en-US')}`),
    '',
    `Cycle: census done in ${s.seconds.toFixed(1)} s with ${s.census.apiCalls} API calls.`,
    'Sync, compute and write-back join the cycle as their issues land.',
  ];
  return lines.join('\n');
}
