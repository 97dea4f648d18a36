import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { apiUsageOf } from '../../emulator/src/auth/api-usage';
import { hardDeleteRecords, undeleteRecords } from '../../emulator/src/dml';
import { NO_FAULTS } from '../../emulator/src/faults/faults';
import type { RunningOrg } from '../../emulator/src/server';
import { runSync } from '../../server/src/app/sync-run';
import { CrmApi } from '../../server/src/crm/api-client';
import { openOrgSession } from '../../server/src/crm/connection';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { SqliteSyncStore } from '../../server/src/store';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { createAccounts, orgRows, quietLog, syncOnce, testConfig } from './sync-helpers';
import { expectMirror } from './sync-mirror';

jest.setTimeout(90_000);

describe('sync under the embedded org’s faults', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
    await createAccounts(connect(running), 4500);
  });
  afterAll(async () => {
    await running.close();
  });
  beforeEach(() => {
    running.faults.configure(NO_FAULTS);
    apiUsageOf(running.org).set(0);
  });

  it.each([
    ['REST paging', 100_000],
    ['a Bulk 2.0 job after the first REST page', 1000],
  ])(
    'When 4,500 records share one SystemModstamp across page boundaries, then %s stores each exactly once',
    async (_label, bulkThreshold) => {
      const stamp = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      running.org.db.prepare('UPDATE "Account" SET "SystemModstamp" = ?').run(stamp);
      const store = new SqliteSyncStore(':memory:');
      const config = testConfig(['Account'], { bulkThreshold, bulkPageSize: 1000 });
      const report = await syncOnce(connect(running), store, config);
      expect(report.status).toBe('succeeded');
      expect(report.objects.Account.mode).toBe(bulkThreshold === 1000 ? 'bulk' : 'rest');
      expect(report.objects.Account.read).toBe(4500);
      await expectMirror(running, store, 'Account');
    },
  );

  it('When records become visible late inside the lookback, then the next incremental run picks them up; older gaps close on reconciliation', async () => {
    const conn = connect(running);
    const store = new SqliteSyncStore(':memory:');
    const config = testConfig(['Account']);
    await syncOnce(conn, store, config);
    const bookmark = (await store.cursor('Account'))!.bookmark!;
    const [late, veryLate] = await createAccounts(conn, 2, 'Late');
    // As if their transactions had stamped them before the last run and committed after it.
    running.org.db
      .prepare('UPDATE "Account" SET "SystemModstamp" = ? WHERE "Id" = ?')
      .run(bookmark - 120_000, late);
    running.org.db
      .prepare('UPDATE "Account" SET "SystemModstamp" = ? WHERE "Id" = ?')
      .run(bookmark - 3_600_000, veryLate);
    await syncOnce(conn, store, config);
    expect(await store.record('Account', late)).not.toBeNull();
    expect(await store.record('Account', veryLate)).toBeNull();
    const full = await syncOnce(conn, store, config, { full: true });
    expect(full.status).toBe('succeeded');
    expect(await store.record('Account', veryLate)).not.toBeNull();
    await expectMirror(running, store, 'Account');
  });

  it('When records are deleted, undeleted and hard deleted, then tombstones come and go and purged rows leave the store', async () => {
    const conn = connect(running);
    const store = new SqliteSyncStore(':memory:');
    const config = testConfig(['Account']);
    await syncOnce(conn, store, config);
    const [a, b, c] = await createAccounts(conn, 3, 'Doomed');
    await syncOnce(conn, store, config);
    await conn.sobject('Account').destroy([a, b, c]);
    const afterDelete = await syncOnce(conn, store, config);
    expect(afterDelete.objects.Account.deleted).toBe(3);
    expect(
      await Promise.all([a, b, c].map(async (id) => (await store.record('Account', id))?.deleted)),
    ).toEqual([true, true, true]);
    const ctx = { userId: running.adminUserId, allOrNone: true, mode: 'json' as const };
    undeleteRecords(running.org, [a], ctx);
    hardDeleteRecords(running.org, [b], ctx);
    await syncOnce(conn, store, config);
    expect((await store.record('Account', a))?.deleted).toBe(false);
    const full = await syncOnce(conn, store, config, { full: true });
    expect(full.objects.Account.purged).toBe(1);
    expect(await store.record('Account', b)).toBeNull();
    await expectMirror(running, store, 'Account');
  });

  it.each([
    ['REST paging', 100_000],
    ['a Bulk 2.0 read', 1000],
  ])(
    'When sessions expire in the middle of %s, then one login refreshes the session and nothing is lost',
    async (_label, bulkThreshold) => {
      const session = await openOrgSession(
        {
          kind: 'password',
          loginUrl: running.loginUrl,
          username: running.username,
          password: running.password,
          clientId: running.clientId,
          clientSecret: running.clientSecret,
        },
        API_VERSION,
      );
      const store = new SqliteSyncStore(':memory:');
      const config = testConfig(['Account'], { bulkThreshold, bulkPageSize: 1000 });
      let expired = 0;
      const report = await runSync(
        {
          source: new CrmSyncSource(new CrmApi(session.conn, API_VERSION), config, store, quietLog),
          store,
          now: () => Date.now(),
          log: quietLog,
          // After the first of three pages, every access token of the org ends.
          onProgress: () => {
            if (expired++ === 0) running.org.sessions.expireAllAccessTokens();
          },
        },
        { config, full: false },
      );
      expect(report.status).toBe('succeeded');
      expect(report.objects.Account.read).toBe(orgRows(running, 'Account').length);
      expect(report.objects.Account.mode).toBe(bulkThreshold === 1000 ? 'bulk' : 'rest');
      expect(session.logins()).toBe(2);
      await expectMirror(running, store, 'Account');
    },
  );

  it('When bursts of 5xx and 429 hit, then backoff with jitter gets every page through', async () => {
    running.faults.configure({ seed: 5, serverErrorRate: 0.35, rateLimitRate: 0.1 });
    const store = new SqliteSyncStore(':memory:');
    const report = await syncOnce(
      connect(running),
      store,
      testConfig(['Account'], { bulkThreshold: 1000, bulkPageSize: 1000 }),
    );
    expect(report.status).toBe('succeeded');
    const injected = running.faults.injected();
    expect(injected.serverError + injected.rateLimit).toBeGreaterThan(0);
    // Every round trip, faulted ones included, is counted by the sync's meter.
    expect(report.apiCalls).toBe(injected.requests);
    await expectMirror(running, store, 'Account');
  });

  it.each([
    ['fails', { bulkFailRate: 1 }],
    ['never finishes', { bulkStuckRate: 1 }],
  ])(
    'When the Bulk 2.0 job %s, then the read falls back to REST paging and still mirrors the org',
    async (_label, plan) => {
      running.faults.configure({ seed: 3, ...plan });
      const store = new SqliteSyncStore(':memory:');
      const report = await syncOnce(
        connect(running),
        store,
        testConfig(['Account'], { bulkThreshold: 1000, bulkPageSize: 1000, bulkJobTimeoutSeconds: 1 }),
      );
      expect(report.status).toBe('succeeded');
      expect(report.objects.Account.mode).toBe('rest');
      const counters = running.faults.injected();
      expect(counters.bulkFail + counters.bulkStuck).toBe(1);
      await expectMirror(running, store, 'Account');
    },
  );

  it('When 85% of the daily allocation is used, then critical objects sync and non-critical ones wait, saying so', async () => {
    const limit = apiUsageOf(running.org).limit();
    apiUsageOf(running.org).set(Math.floor(limit * 0.85));
    const store = new SqliteSyncStore(':memory:');
    const report = await syncOnce(connect(running), store, testConfig(['OpportunityHistory', 'Account']));
    expect(report.status).toBe('paused');
    expect(report.objects.Account.error).toBeUndefined();
    expect(report.objects.OpportunityHistory.error?.code).toBe('BUDGET_PAUSED');
    expect(report.note).toMatch(/85% of the daily allocation/);
    await expectMirror(running, store, 'Account');
  });

  it('When 90% is used, then the run stops after the call that showed it, checkpoints kept', async () => {
    const limit = apiUsageOf(running.org).limit();
    apiUsageOf(running.org).set(Math.floor(limit * 0.9));
    const store = new SqliteSyncStore(':memory:');
    const report = await syncOnce(connect(running), store, testConfig(['Account', 'User']));
    expect(report.status).toBe('paused');
    expect(report.apiCalls).toBe(1);
    expect(report.note).toMatch(/stopped with its checkpoints saved/);
  });

  it('When the org answers REQUEST_LIMIT_EXCEEDED, then the run ends cleanly after that one call', async () => {
    apiUsageOf(running.org).set(apiUsageOf(running.org).limit());
    const store = new SqliteSyncStore(':memory:');
    const report = await syncOnce(connect(running), store, testConfig(['Account', 'User']));
    expect(report.status).toBe('paused');
    expect(report.apiCalls).toBe(1);
    expect(report.note).toMatch(/daily API allocation is used up/);
    expect(await store.lastRun()).toMatchObject({ status: 'paused', apiCalls: 1 });
  });

  it('When a configured field is missing from the org, then the run fails loudly naming object, field and grant', async () => {
    const store = new SqliteSyncStore(':memory:');
    const config = testConfig(['Account']);
    config.objects.Account = { extraFields: ['Territory_Code__c'] };
    await expect(syncOnce(connect(running), store, config)).rejects.toMatchObject({
      code: 'CRM_FIELD_MISSING',
      message: expect.stringContaining('Grant Read access to Account.Territory_Code__c'),
    });
    expect(await store.lastRun()).toMatchObject({ status: 'failed' });
    expect(await store.count('Account')).toBe(0);
  });

  it('When a field disappears after describe was cached, then the query error gives the same loud message', async () => {
    const store = new SqliteSyncStore(':memory:');
    const config = testConfig(['Account']);
    await syncOnce(connect(running), store, config);
    const cached = JSON.parse((await store.meta('describe:Account'))!.value) as Array<{
      name: string;
      type: string;
    }>;
    await store.setMeta(
      'describe:Account',
      JSON.stringify([...cached, { name: 'Gone__c', type: 'string' }]),
      Date.now(),
    );
    config.objects.Account = { extraFields: ['Gone__c'] };
    const report = await syncOnce(connect(running), store, config);
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatchObject({
      object: 'Account',
      code: 'CRM_FIELD_MISSING',
      message: expect.stringContaining('Account.Gone__c'),
    });
  });
});
