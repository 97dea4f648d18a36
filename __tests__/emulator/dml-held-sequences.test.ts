import { insertRecords, upsertRecords } from '../../emulator/src/dml';
import { makeId } from '../../emulator/src/ids';
import { makeDmlOrg, type DmlTestOrg } from './dml-fixtures';

// Rows that fail only before their first write draw ids from memory; the sequence is stored once
// per call. The ids and the stored sequence must be exactly what drawing row by row gave.

describe('ids drawn in memory during a DML call', () => {
  let t: DmlTestOrg;
  beforeEach(() => {
    t = makeDmlOrg();
  });
  afterEach(() => t.close());

  const sequence = (): number =>
    (
      t.org.db.prepare(`SELECT last FROM _id_sequence WHERE prefix = '001'`).get() as
        { last: number } | undefined
    )?.last ?? 0;
  const account = (n: number): string => makeId('001', n);

  it('numbers rows one after another around a locked row, whose id is the next one and is not used up', () => {
    const start = sequence();
    const answers = [false, true, false, false];
    let asked = 0;
    const results = insertRecords(
      t.org,
      'Account',
      [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }, { Name: 'd' }],
      { ...t.json, faults: { lockRow: () => answers[asked++] } },
    );
    expect(results.map((r) => r.success)).toEqual([true, false, true, true]);
    expect(results.map((r) => r.id)).toEqual([
      account(start + 1),
      null,
      account(start + 2),
      account(start + 3),
    ]);
    // The locked row named the id it would have had: the one the next row then got.
    expect(results[1].errors[0].message).toBe(
      `unable to obtain exclusive access to this record or 1 records: ${results[2].id}`,
    );
    expect(sequence()).toBe(start + 3);
    const [next] = insertRecords(t.org, 'Account', [{ Name: 'e' }], t.json);
    expect(next.id).toBe(account(start + 4));
  });

  it('allOrNone: a rolled-back call leaves the sequence where it was', () => {
    const start = sequence();
    const results = insertRecords(t.org, 'Account', [{ Name: 'ok' }, { Name: '' }], {
      ...t.json,
      allOrNone: true,
    });
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect(sequence()).toBe(start);
    const [next] = insertRecords(t.org, 'Account', [{ Name: 'after' }], t.json);
    expect(next.id).toBe(account(start + 1));
  });

  it('stores the sequence before the call commits, so every later call continues it', () => {
    const start = sequence();
    const first = upsertRecords(
      t.org,
      'Account',
      'Id',
      [{ Name: 'x1' }, { Name: 'x2' }, { Name: 'x3' }],
      t.json,
    );
    expect(first.map((r) => r.id)).toEqual([account(start + 1), account(start + 2), account(start + 3)]);
    expect(sequence()).toBe(start + 3);
    const ids = new Set(
      (t.org.db.prepare(`SELECT Id FROM Account`).all() as Array<{ Id: string }>).map((r) => r.Id),
    );
    expect(ids.size).toBe((t.org.db.prepare(`SELECT COUNT(*) AS n FROM Account`).get() as { n: number }).n);
  });
});
