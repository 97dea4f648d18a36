import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Connection } from 'jsforce';
import { NO_FAULTS } from '../../../emulator/src/faults/faults';
import type { RunningOrg } from '../../../emulator/src/server';
import type { WritebackConfig } from '../../../server/src/config/writeback-config';
import type { ResultWriterPort, RowResult } from '../../../server/src/app/writeback-ports';
import { runWriteback, writeObjects, type WritebackReport } from '../../../server/src/app/writeback-run';
import { CrmApi } from '../../../server/src/crm/api-client';
import { OrgResultWriter } from '../../../server/src/crm/writeback/org-writer';
import { planWriteback, type ObjectPlan, type PlannedWrite } from '../../../server/src/crm/writeback/plan';
import type { ResultSet } from '../../../server/src/crm/writeback/result-set';
import { AppError } from '../../../server/src/shared/errors';
import { SqliteSyncStore, type WritebackStore } from '../../../server/src/store';
import { API_VERSION, connect, openTestOrg } from '../../helpers/org';
import { expectOrgHolds, kpiSet, quietLog, testWritebackConfig } from './writeback-helpers';

jest.setTimeout(120_000);

type Event = { object: string; kind: 'start' | 'end' | 'confirm' };

/** Statements, lines pointing at them by key, and KPIs that depend on neither. */
function commissionSets(statements: number, linesEach: number): ResultSet[] {
  const st = Array.from({ length: statements }, (_, i) => ({
    External_Key__c: `CS|test|${String(i).padStart(4, '0')}`,
    Name: `Statement ${i}`,
    Period_Key__c: '2026-11',
  }));
  const lines = st.flatMap((s, i) =>
    Array.from({ length: linesEach }, (_, k) => ({
      External_Key__c: `CL|test|${String(i).padStart(4, '0')}|${k}`,
      Statement__r: { External_Key__c: s.External_Key__c },
      Period_Key__c: '2026-11',
    })),
  );
  // Lines first on purpose: the order of the sets must not matter.
  return [
    { sobject: 'Commission_Line__c', records: lines },
    { sobject: 'Commission_Statement__c', records: st },
  ];
}

/** Every request and checkpoint, in the order they happened. */
function recording(inner: ResultWriterPort, store: WritebackStore, events: Event[]) {
  const around = async <T>(object: string, call: () => Promise<T>): Promise<T> => {
    events.push({ object, kind: 'start' });
    try {
      return await call();
    } finally {
      events.push({ object, kind: 'end' });
    }
  };
  const writer: ResultWriterPort = {
    usage: (s) => inner.usage(s),
    writeChunk: (s, m, r) => around(s, () => inner.writeChunk(s, m, r)),
    bulkWrite: (s, m, r) => around(s, () => inner.bulkWrite(s, m, r)),
    deleteChunk: (ids) => inner.deleteChunk(ids),
    findIds: (s, k) => inner.findIds(s, k),
  };
  const recordingStore: WritebackStore = Object.create(store) as WritebackStore;
  recordingStore.confirm = async (object, rows, at, runId) => {
    events.push({ object, kind: 'confirm' });
    return store.confirm(object, rows, at, runId);
  };
  return { writer, store: recordingStore };
}

/** Whether a request of `a` was in flight while one of `b` was. */
function overlapped(events: Event[], a: string, b: string): boolean {
  const open = new Map<string, number>();
  for (const e of events) {
    if (e.kind === 'confirm') continue;
    open.set(e.object, (open.get(e.object) ?? 0) + (e.kind === 'start' ? 1 : -1));
    if ((open.get(a) ?? 0) > 0 && (open.get(b) ?? 0) > 0) return true;
  }
  return false;
}

describe('objects written side by side', () => {
  let running: RunningOrg;
  let conn: Connection;

  beforeAll(async () => ({ running, conn } = await openTestOrg()));
  afterAll(async () => {
    await running.close();
  });
  beforeEach(() => {
    running.faults.configure(NO_FAULTS);
    running.org.db.exec(
      'DELETE FROM "Sales_KPI__c"; DELETE FROM "Commission_Line__c"; DELETE FROM "Commission_Statement__c"',
    );
  });

  const write = async (
    sets: ResultSet[],
    overrides: Partial<WritebackConfig>,
    events: Event[],
  ): Promise<WritebackReport> => {
    const store = new SqliteSyncStore(':memory:');
    const config = testWritebackConfig(overrides);
    const inner = new OrgResultWriter(new CrmApi(connect(running), API_VERSION), {
      bulkPollMs: config.bulkPollMs,
      bulkJobTimeoutSeconds: 60,
    });
    const rec = recording(inner, store.writeback(), events);
    return runWriteback(
      {
        writer: rec.writer,
        store: rec.store,
        config,
        now: () => Date.now(),
        log: quietLog,
        sleep: async () => undefined,
      },
      { runId: `concurrency-${Date.now()}`, sets, dryRun: false },
    );
  };

  it.each([
    ['sObject Collections', 100_000],
    ['Bulk 2.0 jobs', 100],
  ])(
    'When statements, their lines and KPIs are written by %s, then KPIs overlap the statements and no line is sent before every statement is confirmed',
    async (_label, bulkThreshold) => {
      const sets = [...commissionSets(150, 3), kpiSet(450)];
      const events: Event[] = [];
      const report = await write(sets, { bulkThreshold, maxConcurrentObjects: 2 }, events);
      expect(report.status).toBe('succeeded');
      expect(report.rowsWritten).toBe(150 + 450 + 450);
      // Each object counts its own calls, though they ran at the same time.
      const perObject = Object.values(report.objects).map((o) => o.apiCalls);
      expect(perObject.every((n) => n > 0)).toBe(true);
      expect(perObject.reduce((a, b) => a + b, 0)).toBe(report.apiCalls);

      const firstLine = events.findIndex((e) => e.object === 'Commission_Line__c' && e.kind === 'start');
      const lastStatement = events.map((e) => e.object).lastIndexOf('Commission_Statement__c');
      expect(events[lastStatement]!.kind).toBe('confirm');
      expect(firstLine).toBeGreaterThan(lastStatement);
      // Independent objects did share the org's time.
      expect(overlapped(events, 'Sales_KPI__c', 'Commission_Statement__c')).toBe(true);
      expect(overlapped(events, 'Commission_Line__c', 'Commission_Statement__c')).toBe(false);
      for (const set of sets) await expectOrgHolds(conn, set.sobject, set.records);
    },
  );

  it('When only one object may be written at a time, then no two objects overlap', async () => {
    const sets = [...commissionSets(20, 2), kpiSet(300)];
    const events: Event[] = [];
    const report = await write(sets, { maxConcurrentObjects: 1, chunkSize: 50 }, events);
    expect(report.rowsWritten).toBe(20 + 40 + 300);
    const objects = ['Sales_KPI__c', 'Commission_Statement__c', 'Commission_Line__c'];
    for (const a of objects)
      for (const b of objects) if (a !== b) expect(overlapped(events, a, b)).toBe(false);
  });
});

/** Plans of a full cycle's objects (one row each: only their dependencies and locks matter here). */
function cyclePlans(): ObjectPlan[] {
  const one = (sobject: string, record: Record<string, unknown>): ResultSet => ({
    sobject,
    records: [record],
  });
  return planWriteback({
    sets: [
      one('Sales_KPI__c', { External_Key__c: 'K' }),
      one('Forecast_Snapshot__c', { External_Key__c: 'F' }),
      one('Commission_Line__c', { External_Key__c: 'L', Statement__r: { External_Key__c: 'S' } }),
      one('Commission_Statement__c', { External_Key__c: 'S' }),
      one('Account', { Id: '001000000000001AAA', Sales_Territory__r: { External_Key__c: 'T' } }),
      one('Territory_Assignment__c', { External_Key__c: 'A', Sales_Territory__r: { External_Key__c: 'T' } }),
      one('Sales_Territory__c', { External_Key__c: 'T' }),
      one('Custom_Result__c', { External_Key__c: 'C' }),
    ],
    confirmed: new Map(),
    deadLetters: new Map(),
  });
}

describe('the order objects are written in', () => {
  /** A writer whose objects finish when the test says so, recording what ran at the same time. */
  function controlledWriter() {
    const active = new Set<string>();
    const finished: string[] = [];
    const together: Array<[string, string]> = [];
    const release = new Map<string, () => void>();
    let peak = 0;
    return {
      active,
      finished,
      together,
      peak: () => peak,
      started: () => [...release.keys()],
      finish(sobject: string) {
        release.get(sobject)!();
      },
      writer: {
        stop: () => undefined,
        write: async (plan: ObjectPlan) => {
          for (const other of active) together.push([other, plan.sobject]);
          active.add(plan.sobject);
          peak = Math.max(peak, active.size);
          await new Promise<void>((resolve) => release.set(plan.sobject, resolve));
          active.delete(plan.sobject);
          finished.push(plan.sobject);
        },
      },
    };
  }
  const tick = () => new Promise((r) => setImmediate(r));

  it('When a full cycle is written two objects at a time, then parents finish before children start and objects that lock the same records never overlap', async () => {
    const c = controlledWriter();
    const done = writeObjects(cyclePlans(), c.writer, 2);
    await tick();
    // Territories first; statements need nothing, so they start beside them.
    expect([...c.active]).toEqual(['Sales_Territory__c', 'Commission_Statement__c']);
    c.finish('Commission_Statement__c');
    await tick();
    // Lines may follow their statements now: nothing running locks opportunities.
    expect([...c.active]).toEqual(['Sales_Territory__c', 'Commission_Line__c']);
    c.finish('Sales_Territory__c');
    await tick();
    // The assignments lock opportunities like the lines: they wait; the forecast does not.
    expect([...c.active]).toEqual(['Commission_Line__c', 'Forecast_Snapshot__c']);
    c.finish('Commission_Line__c');
    await tick();
    expect([...c.active]).toEqual(['Forecast_Snapshot__c', 'Territory_Assignment__c']);
    c.finish('Territory_Assignment__c');
    await tick();
    expect([...c.active]).toEqual(['Forecast_Snapshot__c', 'Account']);
    c.finish('Forecast_Snapshot__c');
    await tick();
    expect([...c.active]).toEqual(['Account', 'Sales_KPI__c']);
    c.finish('Account');
    c.finish('Sales_KPI__c');
    await tick();
    // An object write-back does not know waits for everything before it, and runs alone.
    expect([...c.active]).toEqual(['Custom_Result__c']);
    c.finish('Custom_Result__c');
    await done;
    expect(c.peak()).toBe(2);
    expect(c.finished).toHaveLength(8);
    const never = [
      ['Commission_Statement__c', 'Commission_Line__c'],
      ['Territory_Assignment__c', 'Commission_Line__c'],
      ['Territory_Assignment__c', 'Account'],
      ['Sales_Territory__c', 'Territory_Assignment__c'],
    ];
    for (const [a, b] of never) {
      expect(c.together).not.toContainEqual([a, b]);
      expect(c.together).not.toContainEqual([b, a]);
    }
  });

  it('When one object at a time is allowed, then the plan order is kept', async () => {
    const c = controlledWriter();
    const done = writeObjects(cyclePlans(), c.writer, 1);
    for (let i = 0; i < 8; i++) {
      await tick();
      expect(c.active.size).toBe(1);
      c.finish([...c.active][0]!);
    }
    await done;
    expect(c.finished).toEqual([
      'Sales_Territory__c',
      'Territory_Assignment__c',
      'Account',
      'Commission_Statement__c',
      'Commission_Line__c',
      'Forecast_Snapshot__c',
      'Sales_KPI__c',
      'Custom_Result__c',
    ]);
  });
});

/** An org that answers every collection, but runs out of daily API calls on the KPI object. */
class LimitedWriter implements ResultWriterPort {
  calls = 0;
  sent = new Map<string, number>();
  usage() {
    return { calls: this.calls, used: null, limit: null };
  }
  async writeChunk(sobject: string, _m: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]> {
    this.calls++;
    await new Promise((r) => setImmediate(r));
    if (sobject === 'Sales_KPI__c')
      throw new AppError('CRM_LIMIT_EXCEEDED', 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
    this.sent.set(sobject, (this.sent.get(sobject) ?? 0) + rows.length);
    return rows.map((r) => ({ key: r.key, ok: true, orgId: null }));
  }
  async bulkWrite(): Promise<never> {
    throw new Error('not used');
  }
  async deleteChunk() {
    return [];
  }
  async findIds() {
    return new Map<string, string>();
  }
}

describe('a halt while several objects are in flight', () => {
  it('When the daily limit is hit on one object, then the object beside it stops at its next request and the run is paused', async () => {
    const store = new SqliteSyncStore(':memory:');
    const writer = new LimitedWriter();
    const statements = commissionSets(2000, 0)[1]!;
    const report = await runWriteback(
      {
        writer,
        store: store.writeback(),
        config: testWritebackConfig({ bulkThreshold: 100_000, maxConcurrentObjects: 2 }),
        now: () => Date.now(),
        log: quietLog,
        sleep: async () => undefined,
      },
      { runId: 'halt', sets: [statements, kpiSet(50)], dryRun: false },
    );
    expect(report.status).toBe('paused');
    // Ten chunks of statements were planned; the halt stopped them after the first.
    const sent = writer.sent.get('Commission_Statement__c') ?? 0;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(2000);
    expect(report.objects.Commission_Statement__c!.written).toBe(sent);
    expect((await store.writeback().confirmed('Commission_Statement__c')).size).toBe(sent);
    expect(report.objects.Sales_KPI__c!.written).toBe(0);
  });
});
