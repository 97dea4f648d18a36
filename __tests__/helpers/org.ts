import { Connection } from 'jsforce';
import { bulkServiceFor } from '../../emulator/src/bulk';
import { silentLogger } from '../../emulator/src/logger';
import { startOrg, type RunningOrg, type StartOrgOptions } from '../../emulator/src/server';

export const API_VERSION = '59.0';

/** Starts an embedded org on port 0 with logs silenced. Close it in afterAll. */
export function startTestOrg(opts: StartOrgOptions = {}): Promise<RunningOrg> {
  return startOrg({ logger: silentLogger, ...opts });
}

/** A real jsforce Connection on the org's static development token. */
export function connect(running: RunningOrg, accessToken = running.accessToken): Connection {
  return new Connection({ instanceUrl: running.instanceUrl, accessToken, version: API_VERSION });
}

/** A raw request to the org's versioned REST API with its token, JSON unless `init` says otherwise. */
export function orgFetch(running: RunningOrg, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${running.instanceUrl}/services/data/v${API_VERSION}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${running.accessToken}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
}

/** An embedded org and a jsforce connection to it, for a test file's beforeAll. */
export async function openTestOrg(
  opts: StartOrgOptions = {},
): Promise<{ running: RunningOrg; conn: Connection }> {
  const running = await startTestOrg(opts);
  return { running, conn: connect(running) };
}

/** Resolves once the org's Bulk jobs have finished (they run in the background of their requests). */
export function bulkIdle(running: Pick<RunningOrg, 'org' | 'faults'>): Promise<void> {
  return bulkServiceFor({ org: running.org, faults: running.faults, adminToken: '' }).idle();
}

/** Closes the org once its Bulk jobs are done: a job cut off by its database closing logs a crash. */
export async function closeTestOrg(running: RunningOrg): Promise<void> {
  await bulkIdle(running);
  await running.close();
}
