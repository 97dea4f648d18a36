import type { Connection } from 'jsforce';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, bulkIdle, closeTestOrg, connect, openTestOrg, startTestOrg } from '../helpers/org';

// Bulk API 2.0 ingest end to end: the real jsforce client, the real routes, DML layer and SQLite.

// The project-level testTimeout is not applied to projects; these tests start orgs and run jobs.
jest.setTimeout(30_000);

const BASE = `/services/data/v${API_VERSION}`;
type Row = Record<string, string>;

describe('Bulk 2.0 ingest (real DML)', () => {
  let running: RunningOrg;
  let conn: Connection;

  beforeAll(async () => ({ running, conn } = await openTestOrg()));
  afterAll(() => closeTestOrg(running));

  const count = (sql: string, ...params: unknown[]): number =>
    (running.org.db.prepare(sql).get(...params) as { n: number }).n;

  it('inserts 50,000 rows in the background, failing exactly the rows without a Name', async () => {
    const lines = ['Name,NumberOfEmployees,Description'];
    for (let i = 0; i < 50_000; i++) {
      const name = i % 1000 === 7 ? '' : `Bulk ${i}`;
      lines.push(`${name},${i},"line one\nline ""two"", ${i}"`);
    }
    const started = Date.now();
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: lines.join('\n') + '\n',
      pollInterval: 50,
      pollTimeout: 60_000,
    });
    const elapsed = Date.now() - started;
    const failed = res.failedResults as unknown as Row[];
    const succeeded = res.successfulResults as unknown as Row[];
    expect(failed).toHaveLength(50);
    expect(succeeded).toHaveLength(49_950);
    expect(res.unprocessedRecords).toEqual([]);
    expect(failed.map((f) => Number(f.NumberOfEmployees) % 1000)).toEqual(Array(50).fill(7));
    for (const f of failed) {
      expect(f).toEqual({
        sf__Id: '',
        sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
        Name: '',
        NumberOfEmployees: expect.stringMatching(/^\d*7$/),
        Description: `line one\nline "two", ${f.NumberOfEmployees}`,
      });
    }
    expect(succeeded[0]).toEqual({
      sf__Id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/),
      sf__Created: 'true',
      Name: 'Bulk 0',
      NumberOfEmployees: '0',
      Description: 'line one\nline "two", 0',
    });
    expect(count(`SELECT COUNT(*) AS n FROM "Account" WHERE "Name" LIKE 'Bulk %'`)).toBe(49_950);
    const stored = running.org.db
      .prepare('SELECT "Name", "NumberOfEmployees", "CreatedById" FROM "Account" WHERE "Id" = ?')
      .get(succeeded.find((r) => r.Name === 'Bulk 123')?.sf__Id);
    expect(stored).toEqual({ Name: 'Bulk 123', NumberOfEmployees: 123, CreatedById: running.adminUserId });
    const jobs = (await conn.request<{ records: Array<{ id: string }> }>(`${BASE}/jobs/ingest`)).records;
    const info = await conn.request<Record<string, unknown>>(
      `${BASE}/jobs/ingest/${jobs[jobs.length - 1].id}`,
    );
    expect(info).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 50_000,
      numberRecordsFailed: 50,
      jobType: 'V2Ingest',
    });
    expect(elapsed).toBeLessThan(60_000);
  }, 90_000);

  it('updates by Id, reporting bad ids with the id and Salesforce error', async () => {
    const ids = (
      running.org.db
        .prepare(`SELECT "Id" FROM "Account" WHERE "Name" IN ('Bulk 1', 'Bulk 2') ORDER BY "Name"`)
        .all() as Array<{ Id: string }>
    ).map((r) => r.Id);
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: [
        { Id: ids[0], Name: 'Renamed 1', Phone: '555-0101' },
        { Id: ids[1], Name: 'Renamed 2', Phone: null },
        { Id: '001000000000000', Name: 'Ghost', Phone: '1' },
      ],
      pollInterval: 50,
    });
    expect(res.successfulResults).toEqual([
      { sf__Id: ids[0], sf__Created: 'false', Id: ids[0], Name: 'Renamed 1', Phone: '555-0101' },
      { sf__Id: ids[1], sf__Created: 'false', Id: ids[1], Name: 'Renamed 2', Phone: '#N/A' },
    ]);
    expect(res.failedResults).toHaveLength(1);
    const failed = res.failedResults[0] as unknown as Row;
    expect(failed.sf__Id).toMatch(/^001000000000000/);
    expect(failed.sf__Error).toMatch(/^[A-Z_]+:.+:.* --$/);
    expect(failed.Name).toBe('Ghost');
    const rows = running.org.db
      .prepare('SELECT "Name", "Phone" FROM "Account" WHERE "Id" IN (?, ?) ORDER BY "Name"')
      .all(...ids);
    expect(rows).toEqual([
      { Name: 'Renamed 1', Phone: '555-0101' },
      { Name: 'Renamed 2', Phone: null },
    ]);
  }, 20_000);

  it('upserts by an external id: creates new keys, updates known ones', async () => {
    const first = await conn.bulk2.loadAndWaitForResults({
      object: 'SalesOps_Job__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Key__c',
      input: 'External_Key__c,Type__c,Records_Read__c\nK-1,Sync,1\nK-2,Sync,2\n',
      pollInterval: 50,
    });
    expect((first.successfulResults as unknown as Row[]).map((r) => r.sf__Created)).toEqual(['true', 'true']);
    const second = await conn.bulk2.loadAndWaitForResults({
      object: 'SalesOps_Job__c',
      operation: 'upsert',
      externalIdFieldName: 'external_key__c',
      input: 'EXTERNAL_KEY__C,Records_Read__c\nK-2,20\nK-3,3\n',
      pollInterval: 50,
    });
    expect(second.failedResults).toEqual([]);
    const ok = second.successfulResults as unknown as Row[];
    expect(ok.map((r) => [r.EXTERNAL_KEY__C, r.sf__Created])).toEqual([
      ['K-2', 'false'],
      ['K-3', 'true'],
    ]);
    expect(ok[0].sf__Id).toBe((first.successfulResults as unknown as Row[])[1].sf__Id);
    const rows = running.org.db
      .prepare('SELECT "External_Key__c" AS k, "Records_Read__c" AS n FROM "SalesOps_Job__c" ORDER BY k')
      .all();
    expect(rows).toEqual([
      { k: 'K-1', n: 1 },
      { k: 'K-2', n: 20 },
      { k: 'K-3', n: 3 },
    ]);
  }, 20_000);

  it('gives back every uploaded cell in successfulResults, whether or not its chunk had a failure', async () => {
    // Chunks are 2,000 rows: only the second holds a failing row (no Name); the first and the third
    // succeed in full, and their result lines are rebuilt from the upload when downloaded.
    const description = (i: number) => `say "hi" | ${i}\nsecond, line`;
    const name = (i: number) => (i === 2500 ? '' : `Lazy ${i}`);
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const lines = ['Name|Description'];
    for (let i = 0; i < 4500; i++) lines.push(`${name(i)}|${quote(description(i))}`);
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert', columnDelimiter: 'PIPE' });
    await job.open();
    await job.uploadData(lines.join('\n') + '\n');
    await job.close();
    await job.poll(50, 60_000);
    const id = job.id as string;
    const ids = new Map(
      (
        running.org.db.prepare(`SELECT Id, Name FROM Account WHERE Name LIKE 'Lazy %'`).all() as Array<{
          Id: string;
          Name: string;
        }>
      ).map((r) => [r.Name, r.Id]),
    );
    expect(ids.size).toBe(4499);
    // Both ways of storing success lines are in play (else this test would not cover the rebuild).
    expect(
      running.org.db
        .prepare('SELECT kind, seq FROM _bulk_result_chunk WHERE job_id = ? ORDER BY kind, seq')
        .all(id),
    ).toEqual([
      { kind: 'failed', seq: 1 },
      { kind: 'success', seq: 1 },
      { kind: 'success-ids', seq: 0 },
      { kind: 'success-ids', seq: 2 },
    ]);
    const expected = ['"sf__Id"|"sf__Created"|"Name"|"Description"'];
    for (let i = 0; i < 4500; i++) {
      if (i === 2500) continue;
      expected.push(`"${ids.get(name(i))}"|"true"|"${name(i)}"|${quote(description(i))}`);
    }
    const res = await fetch(`${running.instanceUrl}${BASE}/jobs/ingest/${id}/successfulResults`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(expected.join('\n') + '\n');
    const failed = await fetch(`${running.instanceUrl}${BASE}/jobs/ingest/${id}/failedResults`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(await failed.text()).toBe(
      '"sf__Id"|"sf__Error"|"Name"|"Description"\n' +
        `""|"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"|""|${quote(description(2500))}\n`,
    );
  }, 30_000);

  it('soft-deletes to the recycle bin and hard-deletes for good', async () => {
    const ids = (
      running.org.db
        .prepare(`SELECT "Id" FROM "Account" WHERE "Name" IN ('Bulk 3', 'Bulk 4') ORDER BY "Name"`)
        .all() as Array<{ Id: string }>
    ).map((r) => r.Id);
    const soft = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'delete',
      input: [{ Id: ids[0] }],
      pollInterval: 50,
    });
    expect(soft.successfulResults).toEqual([{ sf__Id: ids[0], sf__Created: 'false', Id: ids[0] }]);
    expect(running.org.db.prepare('SELECT "IsDeleted" FROM "Account" WHERE "Id" = ?').get(ids[0])).toEqual({
      IsDeleted: 1,
    });

    const hard = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'hardDelete',
      input: `Id\n${ids[1]}\n${ids[0].slice(0, 3)}nonsense\n`,
      pollInterval: 50,
    });
    expect(hard.successfulResults).toEqual([{ sf__Id: ids[1], sf__Created: 'false', Id: ids[1] }]);
    expect(hard.failedResults).toHaveLength(1);
    expect(count('SELECT COUNT(*) AS n FROM "Account" WHERE "Id" = ?', ids[1])).toBe(0);
  }, 20_000);

  it('fails rows with UNABLE_TO_LOCK_ROW when the injector locks them', async () => {
    const locking = await startTestOrg({ faults: { seed: 42, lockRowRate: 0.5 } });
    try {
      const input = Array.from({ length: 200 }, (_, i) => ({ Name: `Lock ${i}` }));
      const res = await connect(locking).bulk2.loadAndWaitForResults({
        object: 'Account',
        operation: 'insert',
        input,
        pollInterval: 50,
      });
      const failed = res.failedResults as unknown as Row[];
      expect(failed.length).toBeGreaterThan(50);
      expect(failed.length).toBeLessThan(150);
      expect(res.successfulResults.length + failed.length).toBe(200);
      expect(failed[0].sf__Error).toMatch(/^UNABLE_TO_LOCK_ROW:.+: --$/);
    } finally {
      await bulkIdle(locking);
      await locking.close();
    }
  }, 20_000);
});
