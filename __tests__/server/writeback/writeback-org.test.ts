import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Connection } from 'jsforce';
import { apiUsageOf } from '../../../emulator/src/auth/api-usage';
import { NO_FAULTS, type FaultCounters, type FaultPlan } from '../../../emulator/src/faults/faults';
import type { RunningOrg } from '../../../emulator/src/server';
import type { WritebackConfig } from '../../../server/src/config/writeback-config';
import type { ResultSet } from '../../../server/src/crm/writeback/result-set';
import { SqliteSyncStore } from '../../../server/src/store';
import { openTestOrg } from '../../helpers/org';
import { expectOrgHolds, kpiSet, liveCount, territorySet, writebackOnce } from './writeback-helpers';

jest.setTimeout(120_000);

describe('write-back to the embedded org', () => {
  let running: RunningOrg;
  let conn: Connection;

  beforeAll(async () => ({ running, conn } = await openTestOrg()));
  afterAll(async () => {
    await running.close();
  });
  beforeEach(() => {
    running.faults.configure(NO_FAULTS);
    apiUsageOf(running.org).set(0);
    running.org.db.exec('DELETE FROM "Sales_KPI__c"; DELETE FROM "Sales_Territory__c"');
  });

  it('When results are written twice, then the org holds exactly them and the second run sends nothing', async () => {
    const store = new SqliteSyncStore(':memory:');
    const sets = [kpiSet(450, 0, running.adminUserId)];
    const first = await writebackOnce(running, store, sets);
    expect(first.status).toBe('succeeded');
    expect(first.objects.Sales_KPI__c).toMatchObject({
      total: 450,
      changed: 450,
      written: 450,
      failed: 0,
      mode: 'collections',
    });
    // 450 rows in chunks of 200: 3 calls, which is the minimum for that volume.
    expect(first.apiCalls).toBe(3);
    expect(first.minimumApiCalls).toBe(3);
    await expectOrgHolds(conn, 'Sales_KPI__c', sets[0]!.records);

    const second = await writebackOnce(running, store, [kpiSet(450, 0, running.adminUserId)]);
    expect(second.objects.Sales_KPI__c).toMatchObject({ changed: 0, unchanged: 450, written: 0 });
    expect(second.apiCalls).toBe(0);
  });

  it('When one record changes and one disappears, then exactly that one is written and the other deleted', async () => {
    const store = new SqliteSyncStore(':memory:');
    const set = kpiSet(30);
    await writebackOnce(running, store, [set]);
    const next = kpiSet(30);
    next.records[7] = { ...next.records[7], Value__c: '42.4242' };
    const gone = next.records.splice(12, 1)[0]!;
    const report = await writebackOnce(running, store, [next]);
    expect(report.objects.Sales_KPI__c).toMatchObject({
      changed: 1,
      written: 1,
      unchanged: 28,
      retracted: 1,
    });
    // One upsert and one delete.
    expect(report.apiCalls).toBe(2);
    await expectOrgHolds(conn, 'Sales_KPI__c', next.records);
    const deleted = running.org.db
      .prepare('SELECT "IsDeleted" FROM "Sales_KPI__c" WHERE "External_Key__c" = ?')
      .get(gone.External_Key__c) as { IsDeleted: number } | undefined;
    expect(deleted?.IsDeleted ?? 1).toBe(1);
  });

  it('When a territory tree is given children first, then parents are written first and every lookup resolves', async () => {
    const store = new SqliteSyncStore(':memory:');
    const set = territorySet(3, 4);
    const report = await writebackOnce(running, store, [set], { chunkSize: 5 });
    expect(report.status).toBe('succeeded');
    expect(report.objects.Sales_Territory__c!.written).toBe(16);
    await expectOrgHolds(conn, 'Sales_Territory__c', set.records);
  });

  it.each([
    ['sObject Collections', 1000],
    ['a Bulk 2.0 update job', 3],
  ])(
    'When Account lookups are results (update by Id), then %s sets them through the territory key',
    async (_l, bulkThreshold) => {
      const store = new SqliteSyncStore(':memory:');
      const ids = (await conn.sobject('Account').create([1, 2, 3, 4].map((i) => ({ Name: `WB ${i}` })))).map(
        (r) => {
          if (!r.success) throw new Error(JSON.stringify(r));
          return r.id;
        },
      );
      const territories = territorySet(1, 2);
      const accounts: ResultSet = {
        sobject: 'Account',
        records: ids.map((Id, i) => ({ Id, Sales_Territory__r: { External_Key__c: `TERR|m1|R0-${i % 2}` } })),
      };
      const report = await writebackOnce(running, store, [accounts, territories], { bulkThreshold });
      expect(report.rowsFailed).toBe(0);
      expect(report.objects.Account).toMatchObject({
        written: 4,
        mode: bulkThreshold === 3 ? 'bulk' : 'collections',
      });
      const got = await conn.query<{ Id: string; Sales_Territory__r: { External_Key__c: string } }>(
        `SELECT Id, Sales_Territory__r.External_Key__c FROM Account WHERE Id IN ('${ids.join("','")}') ORDER BY Id`,
      );
      expect(got.records.map((r) => r.Sales_Territory__r.External_Key__c)).toEqual(
        [...ids].sort().map((id) => `TERR|m1|R0-${ids.indexOf(id) % 2}`),
      );
    },
  );

  it('When one row is refused by the org, then the rest are written, it is dead-lettered with payload and reason, and the same payload is not resent', async () => {
    const store = new SqliteSyncStore(':memory:');
    const set = kpiSet(20);
    set.records[3] = { ...set.records[3], Scope_Type__c: 'galaxy' }; // not a value of the restricted picklist
    const report = await writebackOnce(running, store, [set]);
    expect(report.status).toBe('partial');
    expect(report.objects.Sales_KPI__c).toMatchObject({ written: 19, failed: 1 });
    const letters = await store.writeback().deadLettersOfRun(report.runId);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ externalKey: set.records[3]!.External_Key__c, operation: 'upsert' });
    expect(letters[0]!.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(JSON.parse(letters[0]!.payload)).toMatchObject({ Scope_Type__c: 'galaxy' });
    expect(report.deadLetters).toEqual({ INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 1 });

    const again = await writebackOnce(running, store, [set]);
    expect(again.objects.Sales_KPI__c).toMatchObject({ changed: 0, skippedDeadLetters: 1 });
    expect(again.apiCalls).toBe(0);
    // A fixed payload is sent, and its dead letter resolved.
    set.records[3] = { ...set.records[3], Scope_Type__c: 'rep' };
    const fixed = await writebackOnce(running, store, [set]);
    expect(fixed.objects.Sales_KPI__c).toMatchObject({ written: 1, failed: 0 });
    expect((await store.writeback().openDeadLetters('Sales_KPI__c')).size).toBe(0);
    await expectOrgHolds(conn, 'Sales_KPI__c', set.records);
  });

  it('When --dry-run, then the plan is reported and nothing is sent', async () => {
    const store = new SqliteSyncStore(':memory:');
    const report = await writebackOnce(running, store, [kpiSet(10)], {}, { dryRun: true });
    expect(report.objects.Sales_KPI__c).toMatchObject({ changed: 10, written: 0 });
    expect(report.apiCalls).toBe(0);
    expect(liveCount(running, 'Sales_KPI__c')).toBe(0);
  });

  describe('faults end in the same org state as a clean run, without duplicates', () => {
    const sets = (): ResultSet[] => [territorySet(2, 30), kpiSet(700)];

    const cases: Array<[string, Partial<FaultPlan>, Partial<WritebackConfig>, keyof FaultCounters]> = [
      ['UNABLE_TO_LOCK_ROW on 30% of rows', { lockRowRate: 0.3, seed: 11 }, {}, 'lockRow'],
      ['503 on 30% of requests', { serverErrorRate: 0.3, seed: 12 }, {}, 'serverError'],
      [
        'the connection dropped after the commit on half the writes',
        { dropAfterCommitRate: 0.5, seed: 13 },
        {},
        'dropAfterCommit',
      ],
      ['row locks inside a Bulk 2.0 job', { lockRowRate: 0.2, seed: 14 }, { bulkThreshold: 100 }, 'lockRow'],
      ['a Bulk 2.0 job that fails', { bulkFailRate: 1, seed: 15 }, { bulkThreshold: 100 }, 'bulkFail'],
    ];
    it.each(cases)('%s', async (_label, plan, overrides, counter) => {
      const store = new SqliteSyncStore(':memory:');
      running.faults.configure(plan);
      const report = await writebackOnce(running, store, sets(), overrides);
      const injected = running.faults.injected();
      running.faults.configure(NO_FAULTS);
      // The fault really happened, and the write-back still finished clean.
      expect(injected[counter]).toBeGreaterThan(0);
      expect(report.rowsFailed).toBe(0);
      expect(report.status).toBe('succeeded');
      for (const set of sets()) await expectOrgHolds(conn, set.sobject, set.records);
      // Every confirmation reached the store: nothing is resent.
      const again = await writebackOnce(running, store, sets(), overrides);
      expect(again.rowsChanged).toBe(0);
      expect(again.apiCalls).toBe(0);
    });
  });

  it('When the store loses every checkpoint after the org committed, then the rerun updates the same records (no duplicates)', async () => {
    const committed = new SqliteSyncStore(':memory:');
    await writebackOnce(running, committed, [kpiSet(250)]);
    // A fresh store: as if the process died between the org's commit and the local checkpoint.
    const fresh = new SqliteSyncStore(':memory:');
    const rerun = await writebackOnce(running, fresh, [kpiSet(250)]);
    expect(rerun.objects.Sales_KPI__c).toMatchObject({ written: 250, failed: 0 });
    expect(liveCount(running, 'Sales_KPI__c')).toBe(250);
    await expectOrgHolds(conn, 'Sales_KPI__c', kpiSet(250).records);
  });

  it('When a Bulk upload would exceed the size limit, then the rows go as several jobs and all arrive', async () => {
    const store = new SqliteSyncStore(':memory:');
    const set = kpiSet(400);
    // The whole file is well over 30 KB, so it is split into several jobs of at most that size.
    const report = await writebackOnce(
      running,
      store,
      [set],
      { bulkThreshold: 100 },
      { maxUploadBytes: 30_000 },
    );
    expect(report.objects.Sales_KPI__c).toMatchObject({ written: 400, failed: 0, mode: 'bulk' });
    expect(report.apiCalls).toBeGreaterThanOrEqual(16);
    await expectOrgHolds(conn, 'Sales_KPI__c', set.records);
  });

  it('When rows are written by Bulk 2.0 and later retracted, then their Ids are looked up and they are deleted', async () => {
    const store = new SqliteSyncStore(':memory:');
    const set = kpiSet(300);
    const first = await writebackOnce(running, store, [set], { bulkThreshold: 100 });
    expect(first.objects.Sales_KPI__c!.mode).toBe('bulk');
    await expectOrgHolds(conn, 'Sales_KPI__c', set.records);
    const smaller = kpiSet(300);
    smaller.records.splice(0, 120);
    const report = await writebackOnce(running, store, [smaller], { bulkThreshold: 100 });
    expect(report.objects.Sales_KPI__c).toMatchObject({ changed: 0, retracted: 120 });
    // Two id lookups (100 keys each) and one delete.
    expect(report.apiCalls).toBe(3);
    await expectOrgHolds(conn, 'Sales_KPI__c', smaller.records);
  });
});
