import type { Connection } from 'jsforce';
import { FixedClock } from '../../emulator/src/clock';
import type { RunningOrg } from '../../emulator/src/server';
import { RowWriter } from '../../emulator/src/store/row-writer';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';

/** The query routes through the real jsforce client: paging, locators, queryAll, generated SOQL. */

const OPPORTUNITIES = 25_000;
const clock = new FixedClock(Date.parse('2024-05-15T12:00:00Z'));
let running: RunningOrg;
let conn: Connection;
const oppName = (i: number) => `Opp ${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  running = await startTestOrg({ clock });
  conn = connect(running);
  const { org, adminUserId } = running;
  org.db.transaction(() => {
    const accounts = new RowWriter(org, 'Account');
    const accountIds = ['Alpha', 'apple pie', 'Beta', 'Gamma'].map((Name) =>
      accounts.insert({ Name }, adminUserId),
    );
    const opps = new RowWriter(org, 'Opportunity');
    for (let i = 0; i < OPPORTUNITIES; i++) {
      opps.insert(
        {
          Name: oppName(i),
          AccountId: accountIds[i % 4],
          StageName: i % 10 === 0 ? 'Closed Won' : 'Prospecting',
          CloseDate: '2024-06-30',
          Amount: i,
        },
        adminUserId,
      );
    }
  })();
});

afterAll(() => running.close());

describe('paging', () => {
  it('autoFetch returns every row exactly once and in order', async () => {
    const result = await conn
      .query<{ Id: string; Name: string; Account: { Name: string } }>(
        'SELECT Id, Name, Account.Name FROM Opportunity ORDER BY Name',
      )
      .run({ autoFetch: true, maxFetch: 100_000 });
    expect(result.totalSize).toBe(OPPORTUNITIES);
    expect(result.records).toHaveLength(OPPORTUNITIES);
    const names = result.records.map((r) => r.Name);
    expect(names).toEqual(Array.from({ length: OPPORTUNITIES }, (_, i) => oppName(i)));
    expect(new Set(result.records.map((r) => r.Id)).size).toBe(OPPORTUNITIES);
    expect(result.records[1].Account.Name).toBe('apple pie');
    // Reading the last page dropped the cursor's materialised rows.
    expect(running.org.db.prepare('SELECT count(*) FROM temp._query_cursor_row').pluck().get()).toBe(0);
  });

  it('pages 2000 rows at a time and serves the next page by locator', async () => {
    const first = await conn.query<{ Name: string }>(
      'SELECT Name FROM Opportunity WHERE Amount >= 1000 ORDER BY Amount',
    );
    expect(first.totalSize).toBe(OPPORTUNITIES - 1000);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    const locator = String(first.nextRecordsUrl).split('/').pop() as string;
    expect(locator).toMatch(/^01g[0-9A-Za-z]{15}-2000$/);
    expect(first.nextRecordsUrl).toBe(
      `${running.instanceUrl}/services/data/v${API_VERSION}/query/${locator}`,
    );

    const second = await conn.queryMore<{ Name: string }>(String(first.nextRecordsUrl));
    expect(second.records.map((r) => r.Name)).toEqual(
      Array.from({ length: 2000 }, (_, i) => oppName(3000 + i)),
    );
    expect(second.done).toBe(false);
    expect(second.totalSize).toBe(OPPORTUNITIES - 1000);

    // The same locator is served under /queryAll too, and reading a page again gives the same rows.
    const again = await conn.request<{ records: Array<{ Name: string }> }>(
      `/services/data/v${API_VERSION}/queryAll/${locator}`,
    );
    expect(again.records[0].Name).toBe(oppName(3000));
  });

  it('honours Sforce-Query-Options batchSize, clamped to 200–2000', async () => {
    const soql = 'SELECT Name FROM Opportunity ORDER BY Name';
    const small = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(small.records).toHaveLength(500);
    expect(small.nextRecordsUrl).toMatch(/-500$/);
    // A later page may ask for another size: the page starts where the locator says.
    const resized = await conn.request<{ records: Array<{ Name: string }>; nextRecordsUrl: string }>({
      method: 'GET',
      url: String(small.nextRecordsUrl),
      headers: { 'Sforce-Query-Options': 'batchSize=1000' },
    });
    expect(resized.records).toHaveLength(1000);
    expect(resized.records[0].Name).toBe(oppName(500));
    expect(resized.nextRecordsUrl).toMatch(/-1500$/);
    const tiny = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    expect(tiny.records).toHaveLength(200);
    const huge = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=5000' } });
    expect(huge.records).toHaveLength(2000);

    const all = await conn
      .query<{ Name: string }>('SELECT Name FROM Opportunity WHERE Amount < 1100 ORDER BY Name', {
        headers: { 'Sforce-Query-Options': 'batchSize=250' },
      })
      .run({ autoFetch: true, maxFetch: 10_000 });
    expect(all.records.map((r) => r.Name)).toEqual(Array.from({ length: 1100 }, (_, i) => oppName(i)));
  });

  it('answers INVALID_QUERY_LOCATOR for unknown, finished and expired locators', async () => {
    await expect(conn.queryMore('01g5g0000000zzzAAA-2000')).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    });
    await expect(conn.queryMore('not-a-locator')).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    });

    const first = await conn.query('SELECT Id FROM Opportunity WHERE Amount < 2500', {
      headers: { 'Sforce-Query-Options': 'batchSize=2000' },
    });
    const last = await conn.queryMore(String(first.nextRecordsUrl));
    expect(last.done).toBe(true);
    expect(last.records).toHaveLength(500);
    expect(last.nextRecordsUrl).toBeUndefined();
    // The cursor's rows are dropped once its last page has been read.
    await expect(conn.queryMore(String(first.nextRecordsUrl))).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    });

    const idle = await conn.query('SELECT Id FROM Opportunity');
    clock.advance(14 * 60_000);
    await expect(conn.queryMore(String(idle.nextRecordsUrl))).resolves.toMatchObject({ done: false });
    clock.advance(15 * 60_000 + 1000);
    await expect(
      conn.queryMore(String(idle.nextRecordsUrl).replace(/-2000$/, '-4000')),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_LOCATOR',
    });
  });
});

describe('visibility', () => {
  it('queryAll sees soft-deleted rows and query does not', async () => {
    running.org.db
      .prepare('UPDATE "Opportunity" SET "IsDeleted" = 1 WHERE "Name" IN (?, ?)')
      .run(oppName(7), oppName(8));
    try {
      const soql = `SELECT Name, IsDeleted FROM Opportunity WHERE Name IN ('${oppName(6)}', '${oppName(7)}', '${oppName(8)}') ORDER BY Name`;
      const live = await conn.query<{ Name: string; IsDeleted: boolean }>(soql);
      expect(live.records.map((r) => [r.Name, r.IsDeleted])).toEqual([[oppName(6), false]]);
      const all = await conn.query<{ Name: string; IsDeleted: boolean }>(soql, { scanAll: true });
      expect(all.records.map((r) => [r.Name, r.IsDeleted])).toEqual([
        [oppName(6), false],
        [oppName(7), true],
        [oppName(8), true],
      ]);
      expect(await conn.sobject('Opportunity').count({ Name: { $in: [oppName(7), oppName(8)] } })).toBe(0);
    } finally {
      running.org.db
        .prepare('UPDATE "Opportunity" SET "IsDeleted" = 0 WHERE "Name" IN (?, ?)')
        .run(oppName(7), oppName(8));
    }
  });
});

describe('SOQL that jsforce generates', () => {
  it('find() with $like, sort and limit', async () => {
    const rows = await conn
      .sobject('Account')
      .find({ Name: { $like: 'A%' } }, ['Id', 'Name'])
      .sort('Name');
    expect(rows.map((r) => r.Name)).toEqual(['Alpha', 'apple pie']);
    const one = await conn
      .sobject('Account')
      .find({ Name: { $like: 'A%' } }, ['Name'])
      .sort('-Name')
      .limit(1);
    expect(one.map((r) => r.Name)).toEqual(['apple pie']);
  });

  it('find() with $or, $in, $ne, $gte and a parent field', async () => {
    const rows = await conn
      .sobject('Opportunity')
      .find(
        {
          $or: [{ Name: { $in: [oppName(1), oppName(2)] } }, { Amount: { $gte: 24_998 } }],
          StageName: { $ne: 'Closed Won' },
          'Account.Name': { $ne: null },
        },
        ['Name', 'Account.Name', 'Amount'],
      )
      .sort({ Amount: -1 });
    expect(rows.map((r) => [r.Name, (r.Account as { Name: string }).Name, r.Amount])).toEqual([
      [oppName(24_999), 'Gamma', 24_999],
      [oppName(24_998), 'Beta', 24_998],
      [oppName(2), 'Beta', 2],
      [oppName(1), 'apple pie', 1],
    ]);
  });

  it('count() and a raw count() query', async () => {
    expect(await conn.sobject('Opportunity').count({ StageName: 'Closed Won' })).toBe(OPPORTUNITIES / 10);
    const raw = await conn.query("SELECT count() FROM Opportunity WHERE Name LIKE 'Opp 0000%'");
    expect(raw).toEqual({ totalSize: 10, done: true, records: [] });
  });

  it('an aggregate query through the API', async () => {
    const res = await conn.query(
      'SELECT StageName, COUNT(Id) n, MAX(Amount) FROM Opportunity GROUP BY StageName ORDER BY StageName',
    );
    expect(res.records).toEqual([
      { attributes: { type: 'AggregateResult' }, StageName: 'Closed Won', n: 2500, expr0: 24_990 },
      { attributes: { type: 'AggregateResult' }, StageName: 'Prospecting', n: 22_500, expr0: 24_999 },
    ]);
  });
});

describe('the route itself', () => {
  const get = (path: string) =>
    fetch(`${running.instanceUrl}/services/data/v${API_VERSION}${path}`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });

  it('answers in JSON with Salesforce record URLs for the request version', async () => {
    const res = await fetch(
      `${running.instanceUrl}/services/data/v60.0/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name = 'Beta'")}`,
      {
        headers: { Authorization: `Bearer ${running.accessToken}` },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = (await res.json()) as { records: Array<{ attributes: { url: string } }> };
    expect(body.records[0].attributes.url).toMatch(
      /^\/services\/data\/v60\.0\/sobjects\/Account\/001[0-9A-Za-z]{15}$/,
    );
  });

  it('rejects a missing q with MALFORMED_QUERY and a bad query with its code', async () => {
    const missing = await get('/query');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('MALFORMED_QUERY');
    await expect(conn.query('SELECT Nope FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id FROM Nope')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });

  it('explains a query with a static plan', async () => {
    const res = await get(`/query/?explain=${encodeURIComponent('SELECT Id FROM Account')}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      plans: [
        {
          cardinality: 4,
          fields: [],
          leadingOperationType: 'TableScan',
          notes: [],
          relativeCost: 1,
          sobjectCardinality: 4,
          sobjectType: 'Account',
        },
      ],
    });
  });
});
