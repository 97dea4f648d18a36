/**
 * A sync of Account over Bulk pages parsed by the page worker, run as its own process so a test
 * can SIGKILL it mid-read (sync-page-kill.test.ts): `node bin/run-ts.js <this> <instanceUrl> <token> <db>`.
 * Pages of 1,000 rows, stored in slices of 250, each with its checkpoint. Prints the run report.
 */
import { Connection } from 'jsforce';
import { runSync } from '../../server/src/app/sync-run';
import { CrmApi } from '../../server/src/crm/api-client';
import { PageParser } from '../../server/src/crm/sync-page-parser';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { SqliteSyncStore } from '../../server/src/store';
import { quietLog, testConfig } from './sync-helpers';

const API_VERSION = '59.0';

async function main(): Promise<void> {
  const [instanceUrl, accessToken, dbFile] = process.argv.slice(2);
  const conn = new Connection({ instanceUrl, accessToken, version: API_VERSION });
  const config = testConfig(['Account'], { bulkThreshold: 1000, bulkPageSize: 1000 });
  const store = new SqliteSyncStore(dbFile);
  const pages = new PageParser(quietLog, 0);
  const source = new CrmSyncSource(new CrmApi(conn, API_VERSION), config, store, quietLog, {
    pages,
    storeSlice: 250,
  });
  const report = await runSync(
    { source, store, now: () => Date.now(), log: quietLog },
    { config, full: false },
  );
  await store.close();
  process.stdout.write(`${JSON.stringify({ ...report, workerPages: pages.workerPages })}\n`);
}

void main();
