import type { Connection } from 'jsforce';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, closeTestOrg, openTestOrg } from '../helpers/org';

// Lookups a DML call answers once for all its rows (upsert keys, parents by external id, referenced
// records) must give exactly the answers the row-by-row queries gave: real jsforce over HTTP.

jest.setTimeout(30_000);

const BASE = `/services/data/v${API_VERSION}`;
type Row = Record<string, string>;

describe('lookups answered once per DML call', () => {
  let running: RunningOrg;
  let conn: Connection;

  beforeAll(async () => ({ running, conn } = await openTestOrg()));
  afterAll(() => closeTestOrg(running));

  const rows = <T>(sql: string, ...params: unknown[]): T[] =>
    running.org.db.prepare(sql).all(...params) as T[];

  async function createAccount(name: string): Promise<string> {
    const res = await conn.sobject('Account').create({ Name: name });
    if (!res.success) throw new Error(JSON.stringify(res));
    return res.id;
  }

  async function upsertAssignments(csv: string): Promise<{ ok: Row[]; failed: Row[] }> {
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Territory_Assignment__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Key__c',
      input: csv,
      pollInterval: 50,
      pollTimeout: 20_000,
    });
    return { ok: res.successfulResults as unknown as Row[], failed: res.failedResults as unknown as Row[] };
  }

  it('Bulk upsert: parents by (case-sensitive) external key; missing and deleted parents and references fail their own rows only', async () => {
    const north = await conn
      .sobject('Sales_Territory__c')
      .create({ Name: 'North', External_Key__c: 'LK-North', Territory_Key__c: 'N' });
    const gone = await conn
      .sobject('Sales_Territory__c')
      .create({ Name: 'Gone', External_Key__c: 'LK-Gone', Territory_Key__c: 'G' });
    if (!north.success || !gone.success) throw new Error('territories not created');
    await conn.sobject('Sales_Territory__c').destroy(gone.id);
    const account = await createAccount('Lookup Co');
    const deletedAccount = await createAccount('Deleted Co');
    await conn.sobject('Account').destroy(deletedAccount);

    const csv = [
      'External_Key__c,Account__c,Sales_Territory__r.External_Key__c,Territory_Key__c',
      `LK-A1,${account},LK-North,N`,
      `LK-A2,${account},lk-NORTH,N`,
      `LK-A3,${account},LK-Nowhere,N`,
      `LK-A4,${account},LK-Gone,G`,
      `LK-A5,${deletedAccount},LK-North,N`,
      `LK-A6,${account.slice(0, 15)},LK-North,N`,
    ].join('\n');
    const { ok, failed } = await upsertAssignments(csv + '\n');

    expect(ok.map((r) => r.External_Key__c).sort()).toEqual(['LK-A1', 'LK-A6']);
    const stored = rows<{ External_Key__c: string; Sales_Territory__c: string; Account__c: string }>(
      `SELECT External_Key__c, Sales_Territory__c, Account__c FROM Territory_Assignment__c WHERE External_Key__c LIKE 'LK-A%' ORDER BY External_Key__c`,
    );
    expect(stored).toEqual([
      { External_Key__c: 'LK-A1', Sales_Territory__c: north.id, Account__c: account },
      { External_Key__c: 'LK-A6', Sales_Territory__c: north.id, Account__c: account },
    ]);
    const errorOf = (key: string): string => failed.find((r) => r.External_Key__c === key)?.sf__Error ?? '';
    // Sales_Territory__c.External_Key__c is case-sensitive: another spelling is another key.
    expect(errorOf('LK-A2')).toBe(
      'INVALID_FIELD:Foreign key external ID: lk-NORTH not found for field External_Key__c in entity Sales_Territory__c:Sales_Territory__c --',
    );
    expect(errorOf('LK-A3')).toBe(
      'INVALID_FIELD:Foreign key external ID: LK-Nowhere not found for field External_Key__c in entity Sales_Territory__c:Sales_Territory__c --',
    );
    expect(errorOf('LK-A4')).toBe(
      'INVALID_FIELD:Foreign key external ID: LK-Gone not found for field External_Key__c in entity Sales_Territory__c:Sales_Territory__c --',
    );
    expect(errorOf('LK-A5')).toBe('INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:Account__c --');
    // Failed rows drew no auto-number: the two created rows are numbered one after the other.
    const names = rows<{ Name: string }>(
      `SELECT Name FROM Territory_Assignment__c WHERE External_Key__c LIKE 'LK-A%' ORDER BY Name`,
    ).map((r) => Number(r.Name.replace(/\D/g, '')));
    expect(names).toHaveLength(2);
    expect(names[1] - names[0]).toBe(1);
  });

  async function upsertQuotas(csv: string): Promise<{ ok: Row[]; failed: Row[] }> {
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Sales_Quota__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Key__c',
      input: csv,
      pollInterval: 50,
      pollTimeout: 20_000,
    });
    return { ok: res.successfulResults as unknown as Row[], failed: res.failedResults as unknown as Row[] };
  }

  const adminId = (): string =>
    rows<{ Id: string }>(`SELECT Id FROM User WHERE Username = ?`, running.username)[0].Id;

  it('Bulk upsert: a case-insensitive key matches in any case, a case-sensitive one does not; repeated keys fail both rows', async () => {
    const user = adminId();
    const head = 'External_Key__c,User__c,Period_Type__c,Period_Start__c,Period_End__c,Amount__c';
    const line = (key: string, amount: number) => `${key},${user},Quarter,2026-01-01,2026-03-31,${amount}`;
    const first = await upsertQuotas([head, line('LK-Q1', 1), line('LK-Q2', 2)].join('\n') + '\n');
    expect(first.failed).toEqual([]);
    const ids = new Map(first.ok.map((r) => [r.External_Key__c, r.sf__Id]));

    const second = await upsertQuotas(
      [head, line('lk-q1', 10), line('LK-Q3', 30), line('lk-Q3', 31), line('LK-Q2', 20)].join('\n') + '\n',
    );
    expect(second.ok.map((r) => [r.External_Key__c, r.sf__Id, r.sf__Created])).toEqual([
      ['lk-q1', ids.get('LK-Q1'), 'false'],
      ['LK-Q2', ids.get('LK-Q2'), 'false'],
    ]);
    expect(second.failed.map((r) => [r.External_Key__c, r.sf__Error])).toEqual([
      ['LK-Q3', 'DUPLICATE_EXTERNAL_ID:Duplicate external id specified: LK-Q3:External_Key__c --'],
      ['lk-Q3', 'DUPLICATE_EXTERNAL_ID:Duplicate external id specified: lk-Q3:External_Key__c --'],
    ]);
    expect(
      rows(
        `SELECT External_Key__c, Amount__c FROM Sales_Quota__c WHERE External_Key__c LIKE 'LK-Q%' ORDER BY 1`,
      ),
    ).toEqual([
      { External_Key__c: 'LK-Q1', Amount__c: 10 },
      { External_Key__c: 'LK-Q2', Amount__c: 20 },
    ]);

    // Territory_Assignment__c.External_Key__c is case-sensitive: another spelling creates a record.
    const made = await upsertAssignments('External_Key__c,Territory_Key__c\nLK-B1,one\n');
    const again = await upsertAssignments('External_Key__c,Territory_Key__c\nlk-b1,uno\nLK-B1,dos\n');
    expect(again.failed).toEqual([]);
    expect(again.ok.map((r) => [r.External_Key__c, r.sf__Created])).toEqual([
      ['lk-b1', 'true'],
      ['LK-B1', 'false'],
    ]);
    expect(again.ok[1].sf__Id).toBe(made.ok[0].sf__Id);
  });

  it('an upsert names every record a key matches more than once, in Id order', async () => {
    // Two live records with one key can only come from outside the API (the key is unique there).
    const user = adminId();
    const quota = (key: string) => ({
      External_Key__c: key,
      User__c: user,
      Period_Type__c: 'Quarter',
      Period_Start__c: '2026-04-01',
      Period_End__c: '2026-06-30',
      Amount__c: 5,
    });
    const made = await conn
      .sobject('Sales_Quota__c')
      .create([quota('LK-T1'), quota('LK-T2')], { allOrNone: true });
    const [a, b] = made.map((r) => (r.success ? r.id : ''));
    running.org.db
      .prepare(`UPDATE Sales_Quota__c SET External_Key__c = 'LK-Twin' WHERE Id IN (?, ?)`)
      .run(a, b);
    const res = await conn
      .sobject('Sales_Quota__c')
      .upsert([quota('lk-twin'), quota('LK-Single')], 'External_Key__c', { allOrNone: false });
    const [twin, single] = res;
    expect(twin.success).toBe(false);
    const error = (twin as unknown as { errors: Array<{ statusCode: string; message: string }> }).errors[0];
    expect(error.statusCode).toBe('DUPLICATE_EXTERNAL_ID');
    expect(error.message).toBe(
      `More than 1 record found for external id field: [${[a, b].sort().join(', ')}]`,
    );
    expect(single.success).toBe(true);
  });

  it('a parent written earlier in the same call is found by later rows (no stale answer)', async () => {
    // One upsert call: the child names a parent that the call itself creates first.
    const res = await conn.sobject('Sales_Territory__c').upsert(
      [
        { External_Key__c: 'LK-P', Name: 'Parent' },
        { External_Key__c: 'LK-C', Name: 'Child', Parent_Territory__r: { External_Key__c: 'LK-P' } },
      ],
      'External_Key__c',
      { allOrNone: true },
    );
    expect(res.map((r) => r.success)).toEqual([true, true]);
    const [parent, child] = rows<{ Id: string; Parent_Territory__c: string | null }>(
      `SELECT Id, Parent_Territory__c FROM Sales_Territory__c WHERE External_Key__c IN ('LK-P', 'LK-C') ORDER BY External_Key__c DESC`,
    );
    expect(child.Parent_Territory__c).toBe(parent.Id);

    // A collection of two object types: the assignment names the territory created just before it.
    const mixed = await conn.requestPost<Array<{ success: boolean; errors: unknown[] }>>(
      `${BASE}/composite/sobjects`,
      {
        allOrNone: true,
        records: [
          { attributes: { type: 'Sales_Territory__c' }, External_Key__c: 'LK-M', Name: 'Mixed' },
          {
            attributes: { type: 'Territory_Assignment__c' },
            External_Key__c: 'LK-MA',
            Sales_Territory__r: { External_Key__c: 'LK-M' },
          },
        ],
      },
    );
    expect(mixed.map((r) => r.success)).toEqual([true, true]);
    const [assignment] = rows<{ Sales_Territory__c: string }>(
      `SELECT Sales_Territory__c FROM Territory_Assignment__c WHERE External_Key__c = 'LK-MA'`,
    );
    const [territory] = rows<{ Id: string }>(
      `SELECT Id FROM Sales_Territory__c WHERE External_Key__c = 'LK-M'`,
    );
    expect(assignment.Sales_Territory__c).toBe(territory.Id);
  });

  it('allOrNone: one failing row rolls back rows written without a savepoint of their own', async () => {
    const account = await createAccount('Rollback Co');
    const before = rows<{ n: number }>('SELECT COUNT(*) AS n FROM Territory_Assignment__c')[0].n;
    const res = await conn.sobject('Territory_Assignment__c').create(
      [
        { External_Key__c: 'LK-R1', Account__c: account },
        { External_Key__c: 'LK-R2', Account__c: '001000000000000AAA' },
      ],
      { allOrNone: true },
    );
    expect(res.map((r) => r.success)).toEqual([false, false]);
    expect(rows<{ n: number }>('SELECT COUNT(*) AS n FROM Territory_Assignment__c')[0].n).toBe(before);
    const next = await conn
      .sobject('Territory_Assignment__c')
      .create({ External_Key__c: 'LK-R3', Account__c: account });
    expect(next.success).toBe(true);
  });
});
