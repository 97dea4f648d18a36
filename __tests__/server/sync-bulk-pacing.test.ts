import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RunningOrg } from '../../emulator/src/server';
import { RowWriter } from '../../emulator/src/store/row-writer';
import { runSync } from '../../server/src/app/sync-run';
import { CrmApi, type ApiRequest, type ApiResponse } from '../../server/src/crm/api-client';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { SqliteSyncStore } from '../../server/src/store';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { quietLog, testConfig } from './sync-helpers';
import { expectMirror } from './sync-mirror';

jest.setTimeout(90_000);

const ROWS = 6_000;

/**
 * Two objects read over Bulk 2.0 at once (the sync's two lanes) against the embedded org, with
 * every call the real client makes written down as it answers.
 */
describe('Bulk query jobs of one sync', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
    const accounts = new RowWriter(running.org, 'Account');
    const opportunities = new RowWriter(running.org, 'Opportunity');
    running.org.db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const account = accounts.insert({ Name: `Pace ${i}` }, running.adminUserId);
        opportunities.insert(
          {
            Name: `Deal ${i}`,
            AccountId: account,
            StageName: 'Prospecting',
            CloseDate: '2026-03-01',
            Amount: i,
          },
          running.adminUserId,
        );
      }
    })();
  });
  afterAll(async () => {
    await running.close();
  });

  it('When two objects need Bulk jobs, then the org prepares one at a time: the next is created only once the one before is complete', async () => {
    const api = new CrmApi(connect(running), API_VERSION);
    const calls: string[] = [];
    const request = api.request.bind(api);
    api.request = async <T>(req: ApiRequest): Promise<ApiResponse<T>> => {
      const res = await request<T>(req);
      if (req.method === 'POST' && req.url === '/jobs/query')
        calls.push(`create ${(res.body as { id: string }).id}`);
      const status = /^\/jobs\/query\/([^/?]+)$/.exec(req.url);
      if (req.method === 'GET' && status) calls.push(`${(res.body as { state: string }).state} ${status[1]}`);
      return res;
    };
    const store = new SqliteSyncStore(':memory:');
    const config = testConfig(['Account', 'Opportunity'], { bulkThreshold: 1000, bulkPageSize: 2000 });
    const report = await runSync(
      {
        source: new CrmSyncSource(api, config, store, quietLog),
        store,
        now: () => Date.now(),
        log: quietLog,
      },
      { config, full: false },
    );

    expect(report.status).toBe('succeeded');
    expect(report.objects.Account.mode).toBe('bulk');
    expect(report.objects.Opportunity.mode).toBe('bulk');
    const created = calls.filter((c) => c.startsWith('create ')).map((c) => c.slice('create '.length));
    expect(created).toHaveLength(2);
    const secondCreated = calls.indexOf(`create ${created[1]}`);
    expect(calls.slice(0, secondCreated)).toContain(`JobComplete ${created[0]}`);
    // Every status poll of a job comes after its creation and none after it was complete.
    for (const id of created) {
      const polls = calls.filter((c) => c.endsWith(` ${id}`) && !c.startsWith('create'));
      expect(polls[polls.length - 1]).toBe(`JobComplete ${id}`);
      expect(polls.slice(0, -1).every((p) => p !== `JobComplete ${id}`)).toBe(true);
    }
    await expectMirror(running, store, 'Account');
    await expectMirror(running, store, 'Opportunity');
    await store.close();
  });
});
