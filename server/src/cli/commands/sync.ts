import cliProgress from 'cli-progress';
import { runSync, type SyncReport } from '../../app/sync-run';
import { parseEnv } from '../../config/env';
import { loadSyncConfig, type SyncConfig } from '../../config/sync-config';
import { CrmApi } from '../../crm/api-client';
import { openOrgSession, type OrgSession } from '../../crm/connection';
import { CrmSyncSource } from '../../crm/sync-source';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { SqliteSyncStore } from '../../store';
import { fiscalYearArgs, spawnEmbeddedOrg, type EmbeddedOrgProcess } from '../embedded-org-process';
import type { Output } from '../output';

export interface SyncCliOptions {
  full: boolean;
  json: boolean;
  objects?: string;
  config?: string;
}

/** The embedded org `npm start`, `salesops org start` and `salesops sync` share when no SF_* variables are set. */
export const EMBEDDED_ORG_DB = '.data/demo-org.sqlite';

/**
 * `salesops sync [--full] [--objects a,b] [--json]`: one sync run into the store, a progress bar
 * per object on stderr, and a closing summary. A run stopped by the API budget or the daily limit
 * exits 0 with status `paused` (it resumes next run); failures exit 1.
 */
export async function syncCommand(opts: SyncCliOptions, out: Output, log: Logger): Promise<void> {
  const env = parseEnv();
  const config = loadSyncConfig(opts.config);
  const objects = opts.objects ? parseObjects(opts.objects, Object.keys(config.objects)) : undefined;
  let embedded: EmbeddedOrgProcess | undefined;
  let session: OrgSession;
  if (env.org.kind === 'embedded') {
    embedded = await spawnEmbeddedOrg(['--port', '0', '--db', EMBEDDED_ORG_DB, ...fiscalYearArgs()]);
    session = await embeddedOrgSession(embedded, env.apiVersion);
  } else {
    session = await openOrgSession(env.org, env.apiVersion);
  }
  try {
    const report = await syncIntoStore({
      session,
      dbFile: env.dbFile,
      apiVersion: env.apiVersion,
      config,
      full: opts.full,
      objects,
      log,
      progress: !opts.json,
    });
    if (report.status !== 'failed') {
      out.result({ ok: true, ...report }, renderSyncSummary(report));
      return;
    }
    // With --json the failure document (exit 1) carries the report; people also get the table.
    if (!out.json) out.result(null, renderSyncSummary(report));
    const message = report.errors.map((e) => (e.object ? `${e.object}: ${e.message}` : e.message)).join('\n');
    throw new AppError('SYNC_FAILED', message, { report });
  } finally {
    await embedded?.stop();
  }
}

/** A password session on an embedded org started by this process. */
export function embeddedOrgSession(embedded: EmbeddedOrgProcess, apiVersion: string): Promise<OrgSession> {
  const info = embedded.info;
  return openOrgSession(
    { kind: 'password', loginUrl: info.instanceUrl, username: info.username, password: info.password },
    apiVersion,
    info,
  );
}

export interface SyncIntoStoreInput {
  session: OrgSession;
  dbFile: string;
  apiVersion: string;
  config: SyncConfig;
  full: boolean;
  objects?: string[];
  log: Logger;
  /** Progress bars on stderr (only on a terminal). */
  progress: boolean;
}

/** One sync run from an open org session into the store file; `salesops sync` and the demo cycle share it. */
export async function syncIntoStore(input: SyncIntoStoreInput): Promise<SyncReport> {
  const store = new SqliteSyncStore(input.dbFile);
  const bars = progressBars(input.progress);
  try {
    const source = new CrmSyncSource(
      new CrmApi(input.session.conn, input.apiVersion),
      input.config,
      store,
      input.log,
    );
    return await runSync(
      {
        source,
        store,
        now: () => Date.now(),
        log: input.log,
        onProgress: (p) => bars.update(p.object, p.phase, p.done, p.total),
      },
      { config: input.config, full: input.full, objects: input.objects },
    );
  } finally {
    bars.stop();
    await store.close();
  }
}

function parseObjects(list: string, known: string[]): string[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const unknown = names.filter((n) => !byLower.has(n.toLowerCase()));
  if (unknown.length > 0 || names.length === 0) {
    throw new AppError(
      'USAGE',
      `--objects: ${unknown.length ? `unknown ${unknown.join(', ')}; ` : ''}choose from ${known.join(', ')}`,
    );
  }
  return names.map((n) => byLower.get(n.toLowerCase()) as string);
}

/** One bar per object on stderr, only on a terminal (logs and --json stay clean). */
function progressBars(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const multi = new cliProgress.MultiBar(
    {
      format: '{object} {phase} [{bar}] {value}/{total}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let stopped = false;
  return {
    update(object: string, phase: string, done: number, total: number | null) {
      if (stopped) return;
      const payload = { object: object.padEnd(28), phase: phase.padEnd(9) };
      const bar = bars.get(object) ?? multi.create(Math.max(total ?? done, done, 1), done, payload);
      bars.set(object, bar);
      bar.setTotal(Math.max(total ?? done, done, 1));
      bar.update(done, payload);
    },
    stop() {
      if (!stopped) multi.stop();
      stopped = true;
    },
  };
}

export function renderSyncSummary(r: SyncReport): string {
  const width = Math.max(10, ...Object.keys(r.objects).map((k) => k.length));
  const lines = [
    `Sync ${r.status}${r.full ? ' (full)' : ''} in ${r.seconds.toFixed(1)} s`,
    '',
    `  ${'object'.padEnd(width)}  ${'read'.padStart(9)}  ${'deleted'.padStart(7)}  ${'purged'.padStart(6)}  ${'calls'.padStart(5)}  ${'min'.padStart(5)}  mode`,
    ...Object.entries(r.objects).map(
      ([k, s]) =>
        `  ${k.padEnd(width)}  ${s.read.toLocaleString('en-US').padStart(9)}  ${String(s.deleted).padStart(7)}  ${String(s.purged).padStart(6)}  ${String(s.apiCalls).padStart(5)}  ${String(s.minimumApiCalls).padStart(5)}  ${s.mode}${s.error ? `  ${s.error.code}` : ''}`,
    ),
    '',
    `Rows read ${r.rowsRead.toLocaleString('en-US')}, deleted ${r.rowsDeleted.toLocaleString('en-US')}.`,
    `API calls ${r.apiCalls}: ${r.describeApiCalls} for describe checks, ${r.apiCalls - r.describeApiCalls} for reading, against a minimum of ${r.minimumApiCalls} for that volume.`,
  ];
  if (r.note) lines.push(r.note);
  return lines.join('\n');
}
