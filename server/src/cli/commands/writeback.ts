import { loadSyncConfig } from '../../config/sync-config';
import { loadWritebackConfig } from '../../config/writeback-config';
import { parseEnv } from '../../config/env';
import type { Logger } from '../../shared/logger';
import type { Output } from '../output';
import { asOfOption, cycleOnSession, defaultEngines, finishCommand, withOrgSession } from './run';

export interface WritebackCliOptions {
  dryRun: boolean;
  json: boolean;
  asOf?: string;
}

/**
 * `salesops writeback [--dry-run]`: the engines on what the store holds, and the changed results
 * written to the org (no sync first). `--dry-run` reports what would be written and retracted,
 * writing nothing, not even the job record.
 */
export async function writebackCommand(opts: WritebackCliOptions, out: Output, log: Logger): Promise<void> {
  const asOf = asOfOption(opts.asOf);
  await withOrgSession(async (session, apiVersion) => {
    const report = await cycleOnSession({
      session,
      apiVersion,
      dbFile: parseEnv().dbFile,
      syncConfig: loadSyncConfig(),
      writebackConfig: loadWritebackConfig(),
      computeResults: defaultEngines(undefined, session.conn),
      asOf,
      trigger: 'CLI',
      log,
      progress: !opts.json,
      sync: false,
      dryRun: opts.dryRun,
    });
    finishCommand(report, out);
  });
}
