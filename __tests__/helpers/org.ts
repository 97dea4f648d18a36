import { Connection } from 'jsforce';
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
