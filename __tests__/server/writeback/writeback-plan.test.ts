import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { BulkOutcome, ResultWriterPort, RowResult } from '../../../server/src/app/writeback-ports';
import { minimumWriteCalls, runWriteback } from '../../../server/src/app/writeback-run';
import {
  ContentHasher,
  contentHash,
  planWriteback,
  type PlannedWrite,
} from '../../../server/src/crm/writeback/plan';
import {
  percent,
  atScale,
  numberOrNull,
  traceText,
  TRACE_MAX,
} from '../../../server/src/crm/writeback/maps/fields';
import { csvParts, nextPollWait, PollWaits, toCsv } from '../../../server/src/crm/writeback/org-writer';
import { SqliteSyncStore } from '../../../server/src/store';
import { kpiSet, quietLog, testWritebackConfig } from './writeback-helpers';

const statement = (k: string) => ({ External_Key__c: `CS|${k}`, Rep__c: `005${k}` });
const line = (k: string, st: string) => ({
  External_Key__c: `CL|${k}`,
  Statement__r: { External_Key__c: `CS|${st}` },
});

describe('the write-back plan', () => {
  it('When objects come in any order, then parents are planned first and lines are grouped by statement', () => {
    const plans = planWriteback({
      sets: [
        {
          sobject: 'Commission_Line__c',
          records: [line('3', 'b'), line('1', 'a'), line('2', 'b'), line('4', 'a')],
        },
        { sobject: 'Sales_KPI__c', records: [{ External_Key__c: 'K1' }] },
        { sobject: 'Commission_Statement__c', records: [statement('b'), statement('a')] },
      ],
      confirmed: new Map(),
      deadLetters: new Map(),
    });
    expect(plans.map((p) => p.sobject)).toEqual([
      'Commission_Statement__c',
      'Commission_Line__c',
      'Sales_KPI__c',
    ]);
    const lines = plans[1]!.levels.flat().map((w) => w.key);
    expect(lines).toEqual(['CL|1', 'CL|4', 'CL|2', 'CL|3']);
  });

  it('When only some hashes differ from the confirmed ones, then only those are planned, and missing keys in scope are retracted', () => {
    const records = [
      { External_Key__c: 'FS|2026-11-23|a', Amount__c: '1.00' },
      { External_Key__c: 'FS|2026-11-23|b', Amount__c: '2.00' },
    ];
    const confirmed = new Map([
      [
        'Forecast_Snapshot__c',
        new Map([
          ['FS|2026-11-23|a', { hash: contentHash(records[0]!), orgId: 'a01' }],
          ['FS|2026-11-23|b', { hash: 'old', orgId: 'a02' }],
          ['FS|2026-11-23|c', { hash: 'x', orgId: 'a03' }],
          // Last week's snapshot is history: outside the scope, never retracted.
          ['FS|2026-11-16|c', { hash: 'x', orgId: 'a04' }],
        ]),
      ],
    ]);
    const [plan] = planWriteback({
      sets: [{ sobject: 'Forecast_Snapshot__c', records, retractScope: 'FS|2026-11-23|' }],
      confirmed,
      deadLetters: new Map(),
    });
    expect(plan!.unchanged).toBe(1);
    expect(plan!.levels.flat().map((w) => w.key)).toEqual(['FS|2026-11-23|b']);
    expect(plan!.retract).toEqual([{ key: 'FS|2026-11-23|c', orgId: 'a03' }]);
  });

  it('When only As_Of__c moves, then the content hash does not', () => {
    const a = { External_Key__c: 'K', Value__c: '1.0000', As_Of__c: '2026-11-26' };
    expect(contentHash({ ...a, As_Of__c: '2026-11-27' })).toBe(contentHash(a));
    expect(contentHash({ ...a, Value__c: '1.0001' })).not.toBe(contentHash(a));
    // Key order does not matter; null and a missing field are different payloads.
    expect(contentHash({ Value__c: '1.0000', External_Key__c: 'K' })).toBe(
      contentHash({ External_Key__c: 'K', Value__c: '1.0000' }),
    );
    expect(contentHash({ External_Key__c: 'K', X__c: null })).not.toBe(contentHash({ External_Key__c: 'K' }));
  });

  it('When many rows of changing shapes are hashed, then each hash is the sha256 of its canonical JSON', () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const a = { Value__c: '1.0000', External_Key__c: 'K', As_Of__c: '2026-11-27', Flag__c: true, N__c: 3 };
    const b = {
      External_Key__c: 'L',
      Parent__r: { External_Key__c: 'P' },
      Note__c: 'say "hi"\n',
      X__c: null,
    };
    const hasher = new ContentHasher();
    // Shapes alternate, so a cached field order must never be applied to the wrong shape.
    const hashes = [a, b, a, { ...b, Extra__c: 'e' }, b].map((r) => hasher.hash(r));
    const ha = sha('{"External_Key__c":"K","Flag__c":true,"N__c":3,"Value__c":"1.0000"}');
    const hb = sha(
      '{"External_Key__c":"L","Note__c":"say \\"hi\\"\\n","Parent__r":{"External_Key__c":"P"},"X__c":null}',
    );
    const hb2 = sha(
      '{"External_Key__c":"L","Extra__c":"e","Note__c":"say \\"hi\\"\\n","Parent__r":{"External_Key__c":"P"},"X__c":null}',
    );
    expect(hashes).toEqual([ha, hb, ha, hb2, hb]);
    expect(contentHash(a)).toBe(ha);
  });

  it('When records carry an Id and no external key, then they are planned as updates and never retracted', () => {
    const [plan] = planWriteback({
      sets: [
        {
          sobject: 'Account',
          records: [{ Id: '001000000000001AAA', Sales_Territory__r: { External_Key__c: 'TERR|m|A' } }],
        },
      ],
      confirmed: new Map([['Account', new Map([['001000000000002AAA', { hash: 'h', orgId: null }]])]]),
      deadLetters: new Map(),
    });
    expect(plan!.mode).toBe('update');
    expect(plan!.retract).toEqual([]);
  });
});

describe('field values', () => {
  it('converts ratios to percent and rounds half-even at the field scale', () => {
    expect(percent('1.1250')).toBe('112.50');
    expect(percent('0.00005', 2)).toBe('0.00');
    expect(atScale('2.345', 2)).toBe('2.34');
    expect(atScale('2.355', 2)).toBe('2.36');
    expect(atScale('-7', 2)).toBe('-7.00');
    expect(numberOrNull('24 deals × 12/85', 4)).toBeNull();
    expect(numberOrNull('3.14159', 4)).toBe('3.1416');
  });

  it('keeps the summary line of an over-long trace and says it was cut', () => {
    const t = traceText('Summary.', { ids: Array.from({ length: 5000 }, (_, i) => `0060000000000${i}AAA`) });
    expect(t.length).toBe(TRACE_MAX);
    expect(t.startsWith('Summary.\n')).toBe(true);
    expect(t.endsWith('(trace cut to fit the field)')).toBe(true);
  });

  it('writes Bulk CSV with references as relationship columns and null as #N/A', () => {
    const csv = toCsv([
      { External_Key__c: 'A', Parent__r: { External_Key__c: 'P' }, Note__c: null, Flag__c: true },
      {
        External_Key__c: 'B, "quoted"',
        Parent__r: { External_Key__c: 'P' },
        Note__c: 'x\ny',
        Flag__c: false,
      },
    ]);
    expect(csv).toBe(
      '"External_Key__c","Parent__r.External_Key__c","Note__c","Flag__c"\n"A","P","#N/A","true"\n"B, ""quoted""","P","x\ny","false"\n',
    );
  });

  it('When the rows exceed one upload, then they are packed in order into as few files as fit, each with the header', () => {
    const records = Array.from({ length: 10 }, (_, i) => ({
      External_Key__c: `K${i}`,
      Note__c: 'x'.repeat(91),
    }));
    // The header is 28 bytes and each line 99 ("K0" quoted, a comma, 91 quoted x's, the newline): three a file.
    const parts = [...csvParts(records, 330)];
    expect(parts.map((p) => [p.from, p.to])).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [9, 10],
    ]);
    for (const p of parts) {
      expect(p.body.length).toBeLessThanOrEqual(330);
      expect(p.body.toString().startsWith('"External_Key__c","Note__c"\n')).toBe(true);
    }
    const body = (csv: string) => csv.split('\n').slice(1, -1);
    expect(parts.flatMap((p) => body(p.body.toString()))).toEqual(body(toCsv(records)));
    // A row larger than the limit still goes, alone.
    expect([...csvParts(records.slice(0, 2), 50)].map((p) => [p.from, p.to])).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('When values are not ASCII, then the file is their UTF-8 and the limit counts bytes', () => {
    // "é" is 2 bytes and "€" 3 in UTF-8: the header is 14 bytes, each line 4 + 1 + (2 + 2×30 + 3×30) + 1 = 158.
    const records = Array.from({ length: 4 }, (_, i) => ({
      K__c: `k${i}`,
      T__c: 'é'.repeat(30) + '€'.repeat(30),
    }));
    const parts = [...csvParts(records, 14 + 2 * 158)];
    expect(parts.map((p) => [p.from, p.to])).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(parts.map((p) => p.body.length)).toEqual([14 + 2 * 158, 14 + 2 * 158]);
    expect(parts[0]!.body.toString('utf8')).toBe(
      `"K__c","T__c"\n"k0","${'é'.repeat(30)}${'€'.repeat(30)}"\n"k1","${'é'.repeat(30)}${'€'.repeat(30)}"\n`,
    );
  });

  it('When a file holds thousands of rows, then every row is in it once, in order', () => {
    const records = Array.from({ length: 3000 }, (_, i) => ({ K__c: `k${i}` }));
    const lines = records.map((r) => `"${r.K__c}"\n`);
    expect(toCsv(records)).toBe(`"K__c"\n${lines.join('')}`);
    const parts = [...csvParts(records, 10_000)];
    expect(parts.map((p) => p.body.toString().slice('"K__c"\n'.length)).join('')).toBe(lines.join(''));
    expect(parts.every((p) => p.body.length <= 10_000)).toBe(true);
  });

  it('writes a cell left out of a record as empty (unchanged) and a null as #N/A, with columns in first-seen order', () => {
    expect(toCsv([{ A__c: 'a' }, { B__c: null, A__c: '' }, { C__r: { External_Key__c: 'k' } }])).toBe(
      '"A__c","B__c","C__r.External_Key__c"\n"a",,\n,"#N/A",\n,,"k"\n',
    );
  });
});

describe('polling a Bulk job', () => {
  it('waits for the rows left at the rate the job has shown, with a 10% margin, plus its last step', () => {
    // 2,000 of 10,000 rows in 1 s: 8,000 rows to go at 2 rows/ms is 4 s, 4.4 s with the margin,
    // and a twentieth of the time so far (50 ms) for writing its results.
    expect(nextPollWait(10_000, 2_000, 1_000, 100)).toBeCloseTo(4_450);
  });
  it('waits as long again while the job shows no progress', () => {
    expect(nextPollWait(10_000, 0, 1_500, 100)).toBe(1_500);
    expect(nextPollWait(10_000, 0, 20, 100)).toBe(100);
  });
  it('waits a moment when every row is processed and the job is only closing', () => {
    expect(nextPollWait(10_000, 10_000, 80_000, 100)).toBe(4_000);
    expect(nextPollWait(10_000, 10_000, 1_000, 100)).toBe(100);
  });
  it('times the next poll by the rate since the last poll, not since closing (a queued start runs slow)', () => {
    // Queued 3 s, then 2,000 rows in 1 s, then 4,000 more in the next second: 4,000 rows left at
    // 4 rows/ms is 1 s, 1.1 s with the margin, + 250 ms for the last step. Since closing the rate
    // would say 6,000 in 5 s.
    expect(nextPollWait(10_000, 6_000, 5_000, 100, { processed: 2_000, elapsedMs: 4_000 })).toBeCloseTo(
      1_350,
    );
    expect(nextPollWait(10_000, 6_000, 5_000, 100)).toBeCloseTo((4_000 * 5_000 * 1.1) / 6_000 + 250);
    // No progress since the last poll: the rate since closing still holds.
    expect(nextPollWait(10_000, 2_000, 2_000, 100, { processed: 2_000, elapsedMs: 1_000 })).toBeCloseTo(
      8_900,
    );
  });
});

describe('waits between polls of jobs that share the org', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it("When one of two jobs ends, then the other job's pending wait shrinks to half of what was left", async () => {
    jest.useFakeTimers();
    const waits = new PollWaits();
    waits.started('a');
    waits.started('b');
    let woke = false;
    const pending = waits.sleep('b', 10_000).then(() => {
      woke = true;
    });
    jest.advanceTimersByTime(4_000);
    // 6 s were left; alone in the org, b's rows take half as long.
    waits.ended('a');
    jest.advanceTimersByTime(2_999);
    await Promise.resolve();
    expect(woke).toBe(false);
    jest.advanceTimersByTime(1);
    await pending;
    expect(woke).toBe(true);
  });

  it('When jobs end, then each says how many jobs shared the org on average while it ran', () => {
    jest.useFakeTimers();
    const waits = new PollWaits();
    waits.started('a');
    waits.started('b');
    jest.advanceTimersByTime(4_000);
    // a ran 4 s, all of it beside b.
    expect(waits.ended('a')).toBe(2);
    jest.advanceTimersByTime(6_000);
    // b ran 10 s: 4 s shared by two, 6 s alone.
    expect(waits.ended('b')).toBeCloseTo(1.4);
    waits.started('c');
    jest.advanceTimersByTime(1_000);
    expect(waits.ended('c')).toBe(1);
  });

  it('When the only job ends, then nothing else is rescheduled', async () => {
    jest.useFakeTimers();
    const waits = new PollWaits();
    waits.started('a');
    let woke = false;
    const pending = waits.sleep('x', 1_000).then(() => {
      woke = true;
    });
    waits.ended('a');
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    jest.advanceTimersByTime(1);
    await pending;
    expect(woke).toBe(true);
  });
});

/** A writer whose org refuses chunks above `limit` rows with a governor-limit error on every row. */
class GovernedWriter implements ResultWriterPort {
  calls = 0;
  sizes: number[] = [];
  constructor(private readonly limit: number) {}
  usage() {
    return { calls: this.calls, used: null, limit: null };
  }
  async writeChunk(_s: string, _m: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]> {
    this.calls++;
    this.sizes.push(rows.length);
    return rows.map((r) =>
      rows.length > this.limit
        ? {
            key: r.key,
            ok: false,
            orgId: null,
            failure: {
              kind: 'governor' as const,
              code: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
              message: 'Apex CPU time limit exceeded',
            },
          }
        : { key: r.key, ok: true, orgId: null },
    );
  }
  async bulkWrite(): Promise<BulkOutcome> {
    throw new Error('not used');
  }
  async deleteChunk() {
    return [];
  }
  async findIds() {
    return new Map<string, string>();
  }
}

describe('adaptive chunk size', () => {
  it('When automation hits a governor limit above 60 rows a transaction, then chunks halve until they pass and every row is written once', async () => {
    const store = new SqliteSyncStore(':memory:');
    const writer = new GovernedWriter(60);
    const report = await runWriteback(
      {
        writer,
        store: store.writeback(),
        config: testWritebackConfig(),
        now: () => Date.now(),
        log: quietLog,
        sleep: async () => undefined,
      },
      { runId: 'gov', sets: [kpiSet(500)], dryRun: false },
    );
    expect(report.objects.Sales_KPI__c).toMatchObject({ written: 500, failed: 0 });
    // 200 fails, 100 fails, then 50-row chunks pass; after five clean chunks it tries 100 again.
    expect(writer.sizes.slice(0, 8)).toEqual([200, 100, 50, 50, 50, 50, 50, 100]);
    // The chunks that passed (all at or under the limit) hold every row exactly once.
    expect(writer.sizes.filter((n) => n <= 60).reduce((a, b) => a + b, 0)).toBe(500);
    expect((await store.writeback().confirmed('Sales_KPI__c')).size).toBe(500);
  });

  it('counts the minimum calls of the cheaper write path', () => {
    expect(minimumWriteCalls(0)).toBe(0);
    expect(minimumWriteCalls(200)).toBe(1);
    expect(minimumWriteCalls(601)).toBe(4);
    expect(minimumWriteCalls(50_000)).toBe(4);
    // Rows that need three uploads need three jobs.
    expect(minimumWriteCalls(50_000, 200, 3)).toBe(12);
    expect(minimumWriteCalls(1_000, 200, 3)).toBe(5);
  });
});
