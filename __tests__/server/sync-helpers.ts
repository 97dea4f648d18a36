import type { Connection } from 'jsforce';
import pino from 'pino';
import { runSync, type SyncReport } from '../../server/src/app/sync-run';
import { parseSyncConfig, type SyncConfig } from '../../server/src/config/sync-config';
import { CrmApi } from '../../server/src/crm/api-client';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { SqliteSyncStore } from '../../server/src/store';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION } from '../helpers/org';

export const quietLog = pino({ level: 'silent' });

/** The sync config of config/sync.yaml's shape, with test-sized numbers and the given objects. */
export function testConfig(objects: string[], overrides: Partial<SyncConfig> = {}): SyncConfig {
  const yaml = [
    'retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 40 }',
    'objects:',
    ...objects.map((o) => `  ${o}: {}`),
  ].join('\n');
  return { ...parseSyncConfig(yaml, 'test.yaml'), ...overrides };
}

export async function syncOnce(
  conn: Connection,
  store: SqliteSyncStore,
  config: SyncConfig,
  opts: { full?: boolean; objects?: string[] } = {},
): Promise<SyncReport> {
  const api = new CrmApi(conn, API_VERSION);
  const source = new CrmSyncSource(api, config, store, quietLog);
  return runSync(
    { source, store, now: () => Date.now(), log: quietLog },
    { config, full: opts.full ?? false, objects: opts.objects },
  );
}

/** Every row of an object in the org, straight from its database (the test's view, not the sync's). */
export function orgRows(
  running: RunningOrg,
  object: string,
): Array<{ Id: string; IsDeleted: number; SystemModstamp: number }> {
  return running.org.db
    .prepare(`SELECT "Id", "IsDeleted", "SystemModstamp" FROM "${object}" ORDER BY "Id"`)
    .all() as Array<{
    Id: string;
    IsDeleted: number;
    SystemModstamp: number;
  }>;
}

export async function createAccounts(conn: Connection, n: number, prefix = 'Acct'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 200) {
    const batch = Array.from({ length: Math.min(200, n - i) }, (_, k) => ({ Name: `${prefix} ${i + k}` }));
    const res = await conn.sobject('Account').create(batch);
    for (const r of res) {
      if (!r.success) throw new Error(JSON.stringify(r));
      ids.push(r.id);
    }
  }
  return ids;
}
