import type { Connection } from 'jsforce';
import { deleteRecords } from '../../emulator/src/dml';
import type { RunningOrg } from '../../emulator/src/server';
import { RowWriter } from '../../emulator/src/store/row-writer';
import { closeTestOrg, connect, orgFetch, startTestOrg } from '../helpers/org';

// Bulk API 2.0 query end to end: the real jsforce client, routes, SOQL engine and SQLite.

// The project-level testTimeout is not applied to projects; these tests start orgs and run jobs.
jest.setTimeout(30_000);

const ROWS = 2_500;
const CREATED = Date.UTC(2024, 0, 15, 10, 0, 0);
const SOQL =
  "SELECT Id, Name, Owner.Name, CreatedDate, NumberOfEmployees FROM Account WHERE Name LIKE 'Q %' ORDER BY Name";

describe('Bulk 2.0 query (real SOQL)', () => {
  let running: RunningOrg;
  let conn: Connection;
  let ids: string[];
  let adminName: string;

  beforeAll(async () => {
    running = await startTestOrg();
    conn = connect(running);
    const writer = new RowWriter(running.org, 'Account');
    running.org.db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        writer.insert(
          { Name: `Q ${String(i).padStart(5, '0')}`, NumberOfEmployees: i % 10 === 0 ? null : i },
          running.adminUserId,
          CREATED,
        );
      }
    })();
    ids = (
      running.org.db
        .prepare(`SELECT "Id" FROM "Account" WHERE "Name" LIKE 'Q %' ORDER BY "Name"`)
        .all() as Array<{ Id: string }>
    ).map((r) => r.Id);
    adminName = (
      running.org.db.prepare('SELECT "Name" FROM "User" WHERE "Id" = ?').get(running.adminUserId) as {
        Name: string;
      }
    ).Name;
  });
  afterAll(() => closeTestOrg(running));

  const raw = (path: string, init?: RequestInit): Promise<Response> => orgFetch(running, path, init);

  const expectedLine = (i: number): string =>
    `"${ids[i]}","Q ${String(i).padStart(5, '0')}","${adminName}","2024-01-15T10:00:00.000Z",${i % 10 === 0 ? '' : `"${i}"`}`;

  async function createAndWait(body: Record<string, unknown>): Promise<string> {
    const res = await raw('/jobs/query', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(res.headers.get('sforce-locator')).toBeNull();
    const { id, state } = (await res.json()) as { id: string; state: string };
    expect(state).toBe('UploadComplete');
    for (let i = 0; i < 200; i++) {
      const status = await raw(`/jobs/query/${id}`);
      expect(status.headers.get('sforce-locator')).toBeNull();
      const info = (await status.json()) as { state: string };
      if (info.state === 'JobComplete') return id;
      expect(['UploadComplete', 'InProgress']).toContain(info.state);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`query job ${id} did not complete`);
  }

  it('pages results by maxRecords with opaque locators and the literal null on the last page', async () => {
    const id = await createAndWait({ operation: 'query', query: SOQL });
    const pages: string[][] = [];
    const locators: string[] = [];
    let locator = '';
    do {
      const res = await raw(
        `/jobs/query/${id}/results?maxRecords=1000${locator ? `&locator=${locator}` : ''}`,
        { headers: { Accept: 'text/csv' } },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv');
      const lines = (await res.text()).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines[0]).toBe('"Id","Name","Owner.Name","CreatedDate","NumberOfEmployees"');
      expect(res.headers.get('sforce-numberofrecords')).toBe(String(lines.length - 1));
      pages.push(lines.slice(1));
      locator = res.headers.get('sforce-locator') ?? 'missing';
      locators.push(locator);
    } while (locator !== 'null');
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(locators[2]).toBe('null');
    expect(locators[0]).not.toMatch(/^\d+$/);
    expect(pages.flat()).toEqual(ids.map((_, i) => expectedLine(i)));

    // A locator can be asked again and gives the same page: results are materialised.
    running.org.db.prepare(`UPDATE "Account" SET "Name" = 'changed' WHERE "Id" = ?`).run(ids[1500]);
    const again = await raw(`/jobs/query/${id}/results?maxRecords=1000&locator=${locators[0]}`);
    expect((await again.text()).split('\n').slice(1, -1)).toEqual(pages[1]);
    running.org.db.prepare(`UPDATE "Account" SET "Name" = ? WHERE "Id" = ?`).run('Q 01500', ids[1500]);

    const info = (await (await raw(`/jobs/query/${id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      id,
      operation: 'query',
      object: 'Account',
      state: 'JobComplete',
      jobType: 'V2Query',
      numberRecordsProcessed: ROWS,
      retries: 0,
    });
  });

  it('returns every row in one page through conn.bulk2.query', async () => {
    const stream = await conn.bulk2.query(SOQL, { pollInterval: 50 });
    const records: Array<Record<string, string>> = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (r: Record<string, string>) => records.push(r));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(records).toHaveLength(ROWS);
    expect(records[1]).toEqual({
      Id: ids[1],
      Name: 'Q 00001',
      'Owner.Name': adminName,
      CreatedDate: '2024-01-15T10:00:00.000Z',
      NumberOfEmployees: '1',
    });
    expect(records[10].NumberOfEmployees).toBe('');

    const none = await conn.bulk2.query("SELECT Id FROM Account WHERE Name = 'nobody'", { pollInterval: 50 });
    const empty: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      none.on('record', (r: unknown) => empty.push(r));
      none.on('end', () => resolve());
      none.on('error', reject);
    });
    expect(empty).toEqual([]);
  });

  it('includes soft-deleted rows with queryAll only', async () => {
    const deleted = ids.slice(0, 25);
    const results = deleteRecords(running.org, deleted, {
      userId: running.adminUserId,
      allOrNone: true,
      mode: 'json',
    });
    expect(results.every((r) => r.success)).toBe(true);
    const collect = async (scanAll: boolean): Promise<string[]> => {
      const stream = await conn.bulk2.query("SELECT Id, IsDeleted FROM Account WHERE Name LIKE 'Q %'", {
        scanAll,
        pollInterval: 50,
      });
      const out: string[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.on('record', (r: { Id: string; IsDeleted: string }) => out.push(`${r.Id}:${r.IsDeleted}`));
        stream.on('end', () => resolve());
        stream.on('error', reject);
      });
      return out.sort();
    };
    const live = await collect(false);
    const all = await collect(true);
    expect(live).toHaveLength(ROWS - 25);
    expect(all).toHaveLength(ROWS);
    expect(all.filter((r) => r.endsWith(':true')).sort()).toEqual(deleted.map((id) => `${id}:true`).sort());
    const jobs = (await (await raw('/jobs/query')).json()) as {
      records: Array<{ operation: string; jobType: string }>;
    };
    expect(jobs.records.map((j) => j.operation)).toContain('queryAll');
    expect(jobs.records.every((j) => j.jobType === 'V2Query')).toBe(true);
  });

  it('rejects bad SOQL and Bulk-unsupported queries at job creation', async () => {
    const before = (await (await raw('/jobs/query')).json()) as { records: unknown[] };
    const cases: Array<[string, string]> = [
      ['SELECT Id, NoSuchField__c FROM Account', 'INVALID_FIELD'],
      ['SELECT Id FROM NoSuchObject__c', 'INVALID_TYPE'],
      ['SELECT Name, COUNT(Id) FROM Account GROUP BY Name', 'INVALIDJOB'],
      ['SELECT Id FROM Account LIMIT 5 OFFSET 2', 'INVALIDJOB'],
      ['SELECT Id, (SELECT Id FROM Opportunities) FROM Account', 'INVALIDJOB'],
      ['SELEKT Id FROM Account', 'MALFORMED_QUERY'],
    ];
    for (const [query, errorCode] of cases) {
      const res = await raw('/jobs/query', {
        method: 'POST',
        body: JSON.stringify({ operation: 'query', query }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as Array<Record<string, unknown>>;
      expect(body).toEqual([{ errorCode, message: expect.any(String) }]);
    }
    const missing = await raw('/jobs/query', {
      method: 'POST',
      body: JSON.stringify({ operation: 'search', query: 'SELECT Id FROM Account' }),
    });
    expect(await missing.json()).toEqual([
      {
        errorCode: 'INVALIDJOB',
        message: 'InvalidJob : Invalid operation: search. Valid values are query, queryAll',
      },
    ]);
    const after = (await (await raw('/jobs/query')).json()) as { records: unknown[] };
    expect(after.records).toHaveLength(before.records.length);
  });

  it('honours columnDelimiter and lineEnding in results', async () => {
    const id = await createAndWait({
      operation: 'query',
      query: `SELECT Id, Name FROM Account WHERE Id = '${ids[30]}'`,
      columnDelimiter: 'SEMICOLON',
      lineEnding: 'CRLF',
    });
    const res = await raw(`/jobs/query/${id}/results`);
    expect(await res.text()).toBe(`"Id";"Name"\r\n"${ids[30]}";"Q 00030"\r\n`);
    expect(res.headers.get('sforce-locator')).toBe('null');
    expect(res.headers.get('sforce-numberofrecords')).toBe('1');
  });
});
