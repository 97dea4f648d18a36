import { describe, expect, it } from '@jest/globals';
import type { ReadOutcome, ReadPage, ReadSpec, SyncSource } from '../../server/src/app/sync-ports';
import { runSync } from '../../server/src/app/sync-run';
import { SqliteSyncStore, type SyncedRecord } from '../../server/src/store';
import { quietLog, testConfig } from './sync-helpers';
import { syncedRecord } from './synced-record';

const T = Date.parse('2026-01-15T10:00:00.000Z');

const rec = (object: string, n: number): SyncedRecord =>
  syncedRecord({ object, id: `${object}-${String(n).padStart(4, '0')}`, modstamp: T + n });

/**
 * An org stand-in for the use case's scheduling only (CRM behaviour is tested against the embedded
 * org elsewhere): each object is read as `pages` pages, one "API call" per page, each call going
 * through the guard as CrmApi does, and every step is logged in order.
 */
class ScriptedSource implements SyncSource {
  readonly log: string[] = [];
  calls = 0;
  used = 0;
  private guard: () => void = () => undefined;
  private inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly objects: Array<{ object: string; critical: boolean; pages: number }>,
    /** Called after each call's answer, as the org's usage header would update the meter. */
    private readonly afterCall: (source: ScriptedSource) => void = () => undefined,
  ) {}

  async prepare() {
    return this.objects.map(({ object, critical }) => ({ object, critical }));
  }

  async read(spec: ReadSpec, onPage: (page: ReadPage) => Promise<void>): Promise<ReadOutcome> {
    const { pages } = this.objects.find((o) => o.object === spec.object)!;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.log.push(`${spec.object} start`);
    try {
      for (let p = 0; p < pages; p++) {
        this.guard();
        this.calls++;
        // An answer takes a few event-loop turns, so another lane can run meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
        this.afterCall(this);
        this.log.push(`${spec.object} page ${p}`);
        const records = [rec(spec.object, p)];
        await onPage({
          records,
          last: { modstamp: T + p, id: records[0].id },
          orgStart: T + 1000,
          expected: pages,
        });
      }
      return { mode: 'rest', rows: pages, orgStart: T + 1000 };
    } finally {
      this.inFlight--;
      this.log.push(`${spec.object} end`);
    }
  }

  async readIds(): Promise<Set<string>> {
    return new Set();
  }

  async readByIds(): Promise<SyncedRecord[]> {
    return [];
  }

  usage() {
    return { calls: this.calls, used: this.used, limit: 1000 };
  }

  setGuard(guard: () => void): void {
    this.guard = guard;
  }
}

const sync = (source: ScriptedSource, objects: string[]) => {
  const store = new SqliteSyncStore(':memory:');
  return runSync(
    { source, store, now: () => T + 2000, log: quietLog },
    { config: testConfig(objects), full: false },
  ).finally(() => store.close());
};

describe('sync lanes', () => {
  it('When several objects are read, then two run side by side, each next one starting after the previous stored its first page', async () => {
    const source = new ScriptedSource([
      { object: 'A', critical: true, pages: 3 },
      { object: 'B', critical: true, pages: 3 },
      { object: 'C', critical: true, pages: 1 },
    ]);
    const report = await sync(source, ['A', 'B', 'C']);
    expect(report.status).toBe('succeeded');
    expect(source.maxInFlight).toBe(2);
    const at = (line: string) => source.log.indexOf(line);
    expect(at('B start')).toBeGreaterThan(at('A page 0'));
    expect(at('B start')).toBeLessThan(at('A end'));
    // C waits for a free lane: it starts only after A or B ended.
    expect(at('C start')).toBeGreaterThan(Math.min(at('A end'), at('B end')));
    expect(
      Object.fromEntries(Object.entries(report.objects).map(([o, s]) => [o, [s.read, s.apiCalls]])),
    ).toEqual({
      A: [3, 3],
      B: [3, 3],
      C: [1, 1],
    });
    expect(report.apiCalls).toBe(7);
  });

  it('When the budget reaches the pause level while a critical and a non-critical object are both being read, then only the non-critical one pauses', async () => {
    // From the first answer on, 85% of the allocation is used (pause at 80%, stop at 90%).
    const source = new ScriptedSource(
      [
        { object: 'Account', critical: true, pages: 4 },
        { object: 'OpportunityHistory', critical: false, pages: 4 },
      ],
      (s) => (s.used = 850),
    );
    const report = await sync(source, ['Account', 'OpportunityHistory']);
    expect(report.status).toBe('paused');
    // Account kept going after OpportunityHistory started and was refused.
    expect(source.log.indexOf('OpportunityHistory start')).toBeLessThan(source.log.indexOf('Account page 3'));
    expect(report.objects.Account).toMatchObject({ read: 4, apiCalls: 4 });
    expect(report.objects.Account.error).toBeUndefined();
    expect(report.objects.OpportunityHistory).toMatchObject({
      read: 0,
      apiCalls: 0,
      error: { code: 'BUDGET_PAUSED' },
    });
  });

  it('When the budget reaches the stop level, then no further object starts and the run is paused', async () => {
    const source = new ScriptedSource(
      [
        { object: 'A', critical: true, pages: 2 },
        { object: 'B', critical: true, pages: 2 },
        { object: 'C', critical: true, pages: 2 },
      ],
      (s) => (s.used = 950),
    );
    const report = await sync(source, ['A', 'B', 'C']);
    expect(report.status).toBe('paused');
    expect(report.note).toMatch(/stopped with its checkpoints saved/);
    expect(report.apiCalls).toBe(1);
    expect(source.log).not.toContain('C start');
  });
});
