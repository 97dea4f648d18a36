import type { Logger } from '../../shared/logger';
import type { Output } from '../output';
import { cycleCommand } from './run';

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
  await cycleCommand({ ...opts, sync: false }, out, log);
}
