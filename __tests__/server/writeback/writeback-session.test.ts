import { describe, expect, it } from '@jest/globals';
import type { BulkOutcome, ResultWriterPort, RowResult } from '../../../server/src/app/writeback-ports';
import { combineResults } from '../../../server/src/app/run-cycle-engines';
import type { ComputeResults } from '../../../server/src/app/run-cycle';
import { startWriteback } from '../../../server/src/app/writeback-run';
import type { Snapshot } from '../../../server/src/domain';
import type { PlannedWrite } from '../../../server/src/crm/writeback/plan';
import type { ResultSet } from '../../../server/src/crm/writeback/result-set';
import { SqliteSyncStore } from '../../../server/src/store';
import { quietLog, testWritebackConfig } from './writeback-helpers';

/**
 * A writer whose Bulk jobs finish only when the test says so: the job is "queued in the org" once
 * bulkWrite has called onQueued, and its rows succeed on release().
 */
class HeldWriter implements ResultWriterPort {
  calls = 0;
  readonly events: string[] = [];
  private readonly held: Array<() => void> = [];

  usage() {
    return { calls: this.calls, used: null, limit: null };
  }
  async writeChunk(sobject: string, _m: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]> {
    this.calls++;
    this.events.push(`chunk ${sobject} ${rows.length}`);
    return rows.map((r) => ({ key: r.key, ok: true, orgId: null }));
  }
  async bulkWrite(
    sobject: string,
    _m: 'upsert' | 'update',
    rows: PlannedWrite[],
    hooks?: { onQueued?: () => void },
  ): Promise<BulkOutcome> {
    this.calls += 3;
    this.events.push(`queued ${sobject} ${rows.length}`);
    await new Promise<void>((resolve) => {
      this.held.push(resolve);
      hooks?.onQueued?.();
    });
    this.calls++;
    this.events.push(`done ${sobject}`);
    return { results: rows.map((r) => ({ key: r.key, ok: true, orgId: null })), jobs: 1 };
  }
  async deleteChunk() {
    return [];
  }
  async findIds() {
    return new Map<string, string>();
  }
  /** Lets the oldest held job finish. */
  release(): void {
    this.held.shift()?.();
  }
  get waiting(): number {
    return this.held.length;
  }
}

const rows = (prefix: string, n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({
    External_Key__c: `${prefix}|${String(i).padStart(5, '0')}`,
    ...extra(i),
  }));

const territorySets = (): ResultSet[] => [
  { sobject: 'Sales_Territory__c', records: rows('ST', 3) },
  {
    sobject: 'Territory_Assignment__c',
    records: rows('TA', 1_500, (i) => ({
      Sales_Territory__r: { External_Key__c: `ST|${String(i % 3).padStart(5, '0')}` },
    })),
  },
];

function session(writer: ResultWriterPort, store = new SqliteSyncStore(':memory:')) {
  const s = startWriteback(
    {
      writer,
      store: store.writeback(),
      config: testWritebackConfig({ bulkThreshold: 1_000, maxConcurrentObjects: 2 }),
      now: () => Date.now(),
      log: quietLog,
      sleep: async () => undefined,
    },
    { runId: 'session', dryRun: false },
  );
  return { s, store };
}

describe('a write-back fed while the engines run', () => {
  it('When an engine hands over its sets, then add() returns once its Bulk job waits on the org, and the rows are confirmed when the job ends', async () => {
    const writer = new HeldWriter();
    const { s, store } = session(writer);
    await s.add(territorySets());
    // The territories went by collections (under the threshold), the assignments' job is queued and
    // nothing of it is confirmed yet: the caller is free to compute.
    expect(writer.events).toEqual(['chunk Sales_Territory__c 3', 'queued Territory_Assignment__c 1500']);
    expect(writer.waiting).toBe(1);
    expect((await store.writeback().confirmed('Territory_Assignment__c')).size).toBe(0);

    // The next engine's object does not depend on the assignments: it is queued beside them.
    await s.add([{ sobject: 'Sales_KPI__c', records: rows('K', 1_200) }]);
    expect(writer.events.slice(2)).toEqual(['queued Sales_KPI__c 1200']);
    expect(writer.waiting).toBe(2);

    writer.release();
    writer.release();
    const report = await s.finish();
    expect(report.status).toBe('succeeded');
    expect(report.rowsWritten).toBe(3 + 1_500 + 1_200);
    expect((await store.writeback().confirmed('Territory_Assignment__c')).size).toBe(1_500);
    expect((await store.writeback().confirmed('Sales_KPI__c')).size).toBe(1_200);
  });

  it('When the next object must wait for one in flight, then add() does not wait for it, and it starts once its parent is confirmed', async () => {
    const writer = new HeldWriter();
    const { s } = session(writer);
    await s.add([{ sobject: 'Sales_Territory__c', records: rows('ST', 1_100) }]);
    expect(writer.events).toEqual(['queued Sales_Territory__c 1100']);
    // Assignments point at territories: they may not start before the territories are confirmed.
    await s.add([
      {
        sobject: 'Territory_Assignment__c',
        records: rows('TA', 10, () => ({ Sales_Territory__r: { External_Key__c: 'ST|00000' } })),
      },
    ]);
    expect(writer.events).toEqual(['queued Sales_Territory__c 1100']);
    writer.release();
    const report = await s.finish();
    expect(writer.events).toEqual([
      'queued Sales_Territory__c 1100',
      'done Sales_Territory__c',
      'chunk Territory_Assignment__c 10',
    ]);
    expect(report.rowsWritten).toBe(1_110);
  });

  it('When an object comes in two parts, or after an object that depends on it, then the session refuses it', async () => {
    const writer = new HeldWriter();
    const { s } = session(writer);
    await s.add([{ sobject: 'Sales_KPI__c', records: rows('K', 2) }]);
    await expect(s.add([{ sobject: 'Sales_KPI__c', records: rows('K2', 2) }])).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    await s.add([{ sobject: 'Commission_Line__c', records: rows('CL', 2) }]);
    await expect(s.add([{ sobject: 'Commission_Statement__c', records: rows('CS', 2) }])).rejects.toThrow(
      /Commission_Statement__c came after Commission_Line__c/,
    );
    await s.finish();
    await expect(s.add([{ sobject: 'Account', records: [] }])).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('When the engines fail after handing over some sets, then the writes in flight end and are confirmed, and nothing else starts', async () => {
    const writer = new HeldWriter();
    const { s, store } = session(writer);
    await s.add([
      ...territorySets(),
      // The Account lookup waits for the assignments, so it has not started when the engines fail.
      {
        sobject: 'Account',
        records: [{ Id: '001000000000001AAA', Sales_Territory__r: { External_Key__c: 'ST|00000' } }],
      },
    ]);
    expect(writer.waiting).toBe(1);
    const aborted = s.abort('the engines failed: boom');
    writer.release();
    const report = await aborted;
    expect(report.status).toBe('failed');
    expect(report.note).toBe('the engines failed: boom');
    expect(report.rowsWritten).toBe(3 + 1_500);
    expect(writer.events).toEqual([
      'chunk Sales_Territory__c 3',
      'queued Territory_Assignment__c 1500',
      'done Territory_Assignment__c',
    ]);
    expect((await store.writeback().confirmed('Territory_Assignment__c')).size).toBe(1_500);
    expect((await store.writeback().confirmed('Account')).size).toBe(0);
  });

  it('When an object this module does not order comes early, then it is still written after every other object', async () => {
    const writer = new HeldWriter();
    const { s } = session(writer);
    await s.add([{ sobject: 'Custom_Result__c', records: rows('X', 2) }]);
    expect(writer.events).toEqual([]);
    await s.add([{ sobject: 'Sales_KPI__c', records: rows('K', 2) }]);
    await s.finish();
    expect(writer.events).toEqual(['chunk Sales_KPI__c 2', 'chunk Custom_Result__c 2']);
  });
});

describe('engines combined for a cycle', () => {
  it('When the cycle takes sets as they come, then each engine hands over its own sets in turn and nothing is returned twice', async () => {
    const order: string[] = [];
    const part =
      (sobject: string): ComputeResults =>
      () => {
        order.push(`compute ${sobject}`);
        return [{ sobject, records: rows(sobject, 1) }];
      };
    const engines = combineResults(part('Sales_Territory__c'), part('Sales_KPI__c'));
    const store = new SqliteSyncStore(':memory:');
    const returned = await engines({} as Snapshot, '2026-11-27', {
      store,
      emit: async (sets) => {
        order.push(`emit ${sets.map((s) => s.sobject).join(',')}`);
      },
    });
    expect(order).toEqual([
      'compute Sales_Territory__c',
      'emit Sales_Territory__c',
      'compute Sales_KPI__c',
      'emit Sales_KPI__c',
    ]);
    expect(returned).toEqual([]);
    // Without a taker, everything is returned at the end, in engine order.
    const all = await engines({} as Snapshot, '2026-11-27', { store });
    expect(all.map((s) => s.sobject)).toEqual(['Sales_Territory__c', 'Sales_KPI__c']);
  });
});
