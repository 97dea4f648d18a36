import { Connection } from 'jsforce';
import { ensureDemoViewers, generateDemoOrg, type DemoViewerUser } from '../../../emulator/src/seed';
import type { RunningOrg } from '../../../emulator/src/server';
import { API_VERSION, startTestOrg } from '../../helpers/org';

/** A fixed "now" for the generator, so the org chart is the same on every run. */
export const AS_OF = Date.UTC(2026, 10, 12, 15, 30, 0);

export interface DemoOrg {
  running: RunningOrg;
  viewers: Record<'rep' | 'manager' | 'ops-admin', DemoViewerUser>;
}

/** An embedded org with a 12-rep sales organisation (three teams) and the demo viewers. */
export async function startDemoOrg(): Promise<DemoOrg> {
  const running = await startTestOrg();
  await generateDemoOrg(running.org, { size: 12, asOf: AS_OF, seed: 'sharing-tests' });
  const list = ensureDemoViewers(running.org);
  const viewers = Object.fromEntries(list.map((v) => [v.role, v])) as DemoOrg['viewers'];
  return { running, viewers };
}

/** Logs in through the org's SOAP login, as jsforce does with username and password. */
export async function loginAs(running: RunningOrg, username: string, password: string): Promise<Connection> {
  const conn = new Connection({ loginUrl: running.loginUrl, version: API_VERSION });
  await conn.login(username, password);
  return conn;
}

/** Rows straight from the org's database, for expectations computed without the API. */
export function sql<T>(running: RunningOrg, text: string, ...params: unknown[]): T[] {
  return running.org.db.prepare(text).all(...params) as T[];
}
