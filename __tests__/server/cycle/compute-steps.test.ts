import { describe, expect, it } from '@jest/globals';
import { runCycle, type ComputeResults } from '../../../server/src/app/run-cycle';
import { renderCycleSummary } from '../../../server/src/app/run-cycle-summary';
import type { ResultWriterPort } from '../../../server/src/app/writeback-ports';
import type { PlannedWrite } from '../../../server/src/crm/writeback/plan';
import type { SnapshotInput } from '../../../server/src/domain';
import { SqliteSyncStore, type WritebackStore } from '../../../server/src/store';
import { syncedRecord } from '../synced-record';
import { quietLog, testWritebackConfig } from '../writeback/writeback-helpers';

/**
 * Where the compute phase's time goes, on a clock only the fakes move: reading the snapshot takes
 * 4 s, the first engine 3 s before it hands its sets over, the second 2 s; the write-back's planning
 * reads confirmed hashes for 0.5 s per object, and the org takes 10 s per write request.
 */
describe('runCycle: the compute breakdown', () => {
  it('When engines hand sets over while the write-back plans and writes them, then each part is counted once, in its own step', async () => {
    let t = 0;
    const store = new SqliteSyncStore(':memory:');
    const runId = await store.startRun({ startedAt: 0, full: false });
    await store.applyPage('User', [syncedRecord({ object: 'User', id: '005A' })], (c) => c);
    await store.finishRun({
      id: runId,
      finishedAt: 1,
      status: 'succeeded',
      full: false,
      apiCalls: 0,
      objects: {},
      errors: [],
      note: null,
    });
    const snapshot: SnapshotInput = {
      version: 1,
      corporateCurrency: 'USD',
      currencies: [],
      datedRates: [],
      roles: [],
      users: [{ id: '005A', name: 'A', roleId: null, isActive: true }],
      accounts: [],
      opportunities: [],
      history: [],
      quotas: [],
    };
    const engines: ComputeResults = async (_snapshot, _asOf, env) => {
      t += 3000;
      await env!.emit!([
        { sobject: 'Forecast_Snapshot__c', records: [{ External_Key__c: 'F1', Value__c: 1 }] },
      ]);
      t += 2000;
      return [{ sobject: 'Sales_KPI__c', records: [{ External_Key__c: 'K1', Value__c: 2 }] }];
    };
    const results = store.writeback();
    const timedResults: WritebackStore = Object.create(results);
    timedResults.confirmed = async (object) => {
      t += 500;
      return results.confirmed(object);
    };
    const writer: ResultWriterPort = {
      writeChunk: async (_sobject, _mode, rows: PlannedWrite[]) => {
        t += 10_000;
        return rows.map((r) => ({ key: r.key, ok: true, orgId: `a00${r.key}` }));
      },
      bulkWrite: async () => {
        throw new Error('not used: two rows go by collections');
      },
      deleteChunk: async () => [],
      findIds: async () => new Map(),
      usage: () => ({ calls: 0, used: null, limit: null }),
    };

    const report = await runCycle(
      {
        store,
        results: timedResults,
        readSnapshot: async () => {
          t += 4000;
          return { snapshot, notes: [] };
        },
        computeResults: engines,
        writer,
        jobs: null,
        config: testWritebackConfig(),
        now: () => t,
        log: quietLog,
      },
      { runId: 'steps', asOf: '2026-11-27', trigger: 'CLI' },
    );

    expect(report.error).toBeNull();
    expect(report.compute!.steps).toEqual([
      { step: 'snapshot', seconds: 4 },
      { step: 'Forecast_Snapshot__c', seconds: 3 },
      { step: 'Sales_KPI__c', seconds: 2 },
    ]);
    expect(report.writeback!.planSeconds).toBe(1);
    expect(report.writeback!.rowsWritten).toBe(2);
    // The two write requests went out while the engines ran: the rest of the compute phase.
    expect(report.phases.compute).toBe(30);
    expect(renderCycleSummary(report)).toContain(
      'Compute: snapshot 4.0 s, Forecast_Snapshot__c 3.0 s, Sales_KPI__c 2.0 s, planning what to write 1.0 s, starting the writes 20.0 s.',
    );
    await store.close();
  });
});
