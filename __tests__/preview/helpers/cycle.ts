import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningOrg } from '../../../emulator/src/server';
import type { CycleReport } from '../../../server/src/app/run-cycle';
import { cycleOnSession, defaultEngines } from '../../../server/src/cli/commands/run';
import { loadSyncConfig } from '../../../server/src/config/sync-config';
import { loadWritebackConfig } from '../../../server/src/config/writeback-config';
import { openOrgSession } from '../../../server/src/crm/connection';
import { createLogger } from '../../../server/src/shared/logger';
import { API_VERSION } from '../../helpers/org';

/** The companion server's own store for the tests' cycles, removed by `dispose`. */
export function cycleStore(): { dbFile: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preview-cycle-'));
  return {
    dbFile: path.join(dir, 'salesops.sqlite'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One full cycle (sync, every engine, write-back) against the org, as `salesops run` does it. */
export async function runOneCycle(org: RunningOrg, dbFile: string): Promise<CycleReport> {
  const session = await openOrgSession(
    { kind: 'password', loginUrl: org.instanceUrl, username: org.username, password: org.password },
    API_VERSION,
  );
  return cycleOnSession({
    session,
    apiVersion: API_VERSION,
    dbFile,
    syncConfig: loadSyncConfig(),
    writebackConfig: loadWritebackConfig(),
    computeResults: defaultEngines(undefined, session.conn),
    asOf: new Date(org.org.now()).toISOString().slice(0, 10),
    trigger: 'CLI',
    log: createLogger('silent'),
    progress: false,
    sync: true,
  });
}
