import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Connection } from 'jsforce';
import { FixedClock } from '../../../emulator/src/clock';
import { generateDemoOrg } from '../../../emulator/src/seed';
import type { RunningOrg } from '../../../emulator/src/server';
import { loadStoreSnapshot } from '../../../server/src/app/load-store-snapshot';
import { runCycle, type ComputeResults, type CycleReport } from '../../../server/src/app/run-cycle';
import { combineResults, forecastAndKpiResults } from '../../../server/src/app/run-cycle-engines';
import { renderCycleSummary } from '../../../server/src/app/run-cycle-summary';
import { loadEngineConfig } from '../../../server/src/config/engine-config';
import { CrmApi } from '../../../server/src/crm/api-client';
import { readSnapshotFromStore } from '../../../server/src/crm/snapshot-mapping';
import { SYNC_CATALOG } from '../../../server/src/crm/sync-catalog';
import { OrgJobRecorder } from '../../../server/src/crm/writeback/job-record';
import { OrgResultWriter } from '../../../server/src/crm/writeback/org-writer';
import { contentHash } from '../../../server/src/crm/writeback/plan';
import type { ResultSet } from '../../../server/src/crm/writeback/result-set';
import { SqliteSyncStore } from '../../../server/src/store';
import { AS_OF } from '../../emulator/seed-org';
import { API_VERSION, connect, startTestOrg } from '../../helpers/org';
import { syncOnce, testConfig } from '../sync-helpers';
import { expectOrgHolds, quietLog, testWritebackConfig } from '../writeback/writeback-helpers';

jest.setTimeout(240_000);

const AS_OF_DATE = new Date(AS_OF).toISOString().slice(0, 10);
const engines = forecastAndKpiResults(loadEngineConfig());

describe('the full cycle against the embedded org: sync → engines → write-back', () => {
  let running: RunningOrg;
  let conn: Connection;
  let tmp: string;
  let dbFile: string;
  let cycles = 0;

  const cycle = async (computeResults: ComputeResults = engines): Promise<CycleReport> => {
    const store = new SqliteSyncStore(dbFile);
    const api = new CrmApi(conn, API_VERSION);
    const config = testWritebackConfig();
    try {
      return await runCycle(
        {
          runSync: () => syncOnce(conn, store, testConfig(SYNC_CATALOG.map((e) => e.object))),
          store,
          results: store.writeback(),
          readSnapshot: (s) => readSnapshotFromStore(s),
          computeResults,
          writer: new OrgResultWriter(api, { bulkPollMs: 20, bulkJobTimeoutSeconds: 120 }),
          jobs: new OrgJobRecorder(api),
          config,
          now: () => Date.now(),
          log: quietLog,
          sleep: async () => undefined,
        },
        { runId: `cycle-${++cycles}`, asOf: AS_OF_DATE, trigger: 'CLI' },
      );
    } finally {
      await store.close();
    }
  };

  /** What the engines make of the store right now (the test's own computation). */
  const expected = async (): Promise<ResultSet[]> => {
    const store = new SqliteSyncStore(dbFile);
    try {
      const { snapshot } = await loadStoreSnapshot(store, (s) => readSnapshotFromStore(s));
      return await engines(snapshot, AS_OF_DATE);
    } finally {
      await store.close();
    }
  };

  const hashes = (sets: ResultSet[]) =>
    new Map(
      sets.flatMap((s) =>
        s.records.map((r) => [`${s.sobject}|${String(r.External_Key__c)}`, contentHash(r)]),
      ),
    );

  let first: CycleReport;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-cycle-'));
    dbFile = path.join(tmp, 'store.sqlite');
    running = await startTestOrg({ clock: new FixedClock(AS_OF) });
    await generateDemoOrg(running.org, { size: 3, seed: 'cycle-e2e' });
    conn = connect(running);
    first = await cycle();
  });
  afterAll(async () => {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('When the cycle runs, then every result object in the org equals the engines’ output exactly', async () => {
    expect(first.error).toBeNull();
    expect(first.status).toBe('succeeded');
    const sets = await expected();
    expect(sets.map((s) => s.sobject).sort()).toEqual(['Forecast_Snapshot__c', 'Sales_KPI__c']);
    for (const set of sets) {
      expect(set.records.length).toBeGreaterThan(0);
      expect(first.writeback!.objects[set.sobject]!.written).toBe(set.records.length);
      await expectOrgHolds(conn, set.sobject, set.records);
    }
  });

  it('When the cycle runs, then its report says where the compute phase went, without counting any part twice', () => {
    const steps = first.compute!.steps;
    // The forecast's sets go to the write-back before the KPIs are computed: two engine steps.
    expect(steps.map((s) => s.step)).toEqual(['snapshot', 'Forecast_Snapshot__c', 'Sales_KPI__c']);
    for (const s of steps) expect(s.seconds).toBeGreaterThan(0);
    expect(first.writeback!.planSeconds).toBeGreaterThan(0);
    // Reading, engines and planning are disjoint parts of the compute phase.
    const parts = steps.reduce((n, s) => n + s.seconds, 0) + first.writeback!.planSeconds;
    expect(parts).toBeLessThanOrEqual(first.phases.compute + 0.001);
    expect(renderCycleSummary(first)).toContain(
      `Compute: snapshot ${steps[0]!.seconds.toFixed(1)} s, Forecast_Snapshot__c ${steps[1]!.seconds.toFixed(1)} s`,
    );
  });

  it('When the cycle runs, then it is recorded as a SalesOps_Job__c with its figures', async () => {
    const job = (
      await conn.query<Record<string, unknown>>(
        "SELECT Id, Type__c, Trigger__c, Status__c, Run_Id__c, Records_Read__c, Records_Written__c, Records_Failed__c, Api_Calls__c, Api_Calls_Minimum__c, Started_At__c, Finished_At__c, Summary__c FROM SalesOps_Job__c WHERE External_Key__c = 'JOB|cycle-1'",
      )
    ).records;
    expect(job).toHaveLength(1);
    expect(job[0]).toMatchObject({
      Id: first.jobRecordId,
      Type__c: 'Cycle',
      Trigger__c: 'CLI',
      Status__c: 'Succeeded',
      Run_Id__c: 'cycle-1',
      Records_Read__c: first.sync!.rowsRead,
      Records_Written__c: first.writeback!.rowsWritten,
      Records_Failed__c: 0,
      Api_Calls__c: first.apiCalls,
      Api_Calls_Minimum__c: first.minimumApiCalls,
    });
    expect(String(job[0]!.Summary__c)).toContain('Forecast_Snapshot__c');
  });

  it('When nothing changed in the org, then a second cycle writes nothing', async () => {
    const second = await cycle();
    expect(second.status).toBe('succeeded');
    expect(second.writeback!.rowsChanged).toBe(0);
    expect(second.writeback!.rowsWritten).toBe(0);
    expect(second.writeback!.apiCalls).toBe(0);
  });

  it('When one opportunity changes, then exactly the result records that depend on it are written', async () => {
    const before = hashes(await expected());
    const open = (
      await conn.query<{ Id: string; Amount: number }>(
        'SELECT Id, Amount FROM Opportunity WHERE IsClosed = false AND Amount != null ORDER BY Id LIMIT 1',
      )
    ).records[0]!;
    await conn.sobject('Opportunity').update({ Id: open.Id, Amount: open.Amount + 1000 });
    const report = await cycle();
    expect(report.status).toBe('succeeded');
    const afterSets = await expected();
    const after = hashes(afterSets);
    const dependent = [...after].filter(([k, h]) => before.get(k) !== h).length;
    const gone = [...before.keys()].filter((k) => !after.has(k)).length;
    expect(dependent).toBeGreaterThan(0);
    // Far fewer than everything: the deal's owner, its managers and the org, in its periods.
    expect(dependent).toBeLessThan(after.size / 4);
    expect(report.writeback!.rowsChanged).toBe(dependent);
    expect(report.writeback!.rowsWritten).toBe(dependent);
    expect(report.writeback!.rowsRetracted).toBe(gone);
    for (const set of afterSets) await expectOrgHolds(conn, set.sobject, set.records);
  });

  it('When an engine fails after an earlier one handed its results over, then those results are written and checkpointed, and the cycle is recorded as failed', async () => {
    const open = (
      await conn.query<{ Id: string; Amount: number }>(
        'SELECT Id, Amount FROM Opportunity WHERE IsClosed = false AND Amount != null ORDER BY Id DESC LIMIT 1',
      )
    ).records[0]!;
    await conn.sobject('Opportunity').update({ Id: open.Id, Amount: open.Amount + 500 });
    const before = hashes(await expected()); // the forecast and KPIs of the store before this cycle's sync
    const failing: ComputeResults = () => {
      throw new Error('the commission plan book is broken');
    };
    const report = await cycle(combineResults(engines, failing));
    expect(report.status).toBe('failed');
    expect(report.error?.message).toBe('the commission plan book is broken');
    const afterSets = await expected();
    const changed = [...hashes(afterSets)].filter(([k, h]) => before.get(k) !== h).length;
    expect(changed).toBeGreaterThan(0);
    // The forecast and KPI engine had handed its sets over: they were written before the failure.
    expect(report.writeback!.rowsWritten).toBe(changed);
    expect(report.writeback!.note).toContain('the engines failed');
    for (const set of afterSets) await expectOrgHolds(conn, set.sobject, set.records);
    // Confirmed as written: the next clean cycle has nothing left to send.
    const next = await cycle();
    expect(next.status).toBe('succeeded');
    expect(next.writeback!.rowsWritten).toBe(0);
  });
});
