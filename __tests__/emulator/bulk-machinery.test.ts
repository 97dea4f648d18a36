import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Connection } from 'jsforce';
import { bulkServiceFor, installBulkService } from '../../emulator/src/bulk';
import { SfError } from '../../emulator/src/errors';
import { renderLine } from '../../emulator/src/bulk/csv-cells';
import { decodeLocator, encodeLocator } from '../../emulator/src/bulk/results';
import { BulkService } from '../../emulator/src/bulk/service';
import { JobStore } from '../../emulator/src/bulk/job-store';
import { checkLineEnding, readUploadRows, UploadError } from '../../emulator/src/bulk/upload-reader';
import { FixedClock } from '../../emulator/src/clock';
import { FaultInjector } from '../../emulator/src/faults/injector';
import { silentLogger } from '../../emulator/src/logger';
import { Org } from '../../emulator/src/org';
import { loadStandardObjects } from '../../emulator/src/schema/standard';
import { PROJECT_METADATA_DIR, type RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, orgFetch, startTestOrg } from '../helpers/org';
import { fakeQuery, FakeDml } from './bulk-fakes';

// The job machinery (states, CSV in and out, results, paging, background runs, faults) against
// fake DML and SOQL ports; bulk-ingest and bulk-query tests run the same routes on the real ones.

// The project-level testTimeout is not applied to projects; these tests start orgs and run jobs.
jest.setTimeout(30_000);

const BASE = `/services/data/v${API_VERSION}`;

async function rows(
  text: string,
  columnDelimiter: 'COMMA' | 'PIPE' | 'TAB',
  lineEnding: 'LF' | 'CRLF',
): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of readUploadRows(Readable.from([Buffer.from(text)]), { columnDelimiter, lineEnding }))
    out.push(r);
  return out;
}

describe('bulk CSV building blocks', () => {
  it('quotes every value, doubles quotes and leaves nulls empty', () => {
    expect(renderLine(['a;b', 'say "hi"', null, ''], ',')).toBe('"a;b","say ""hi""",,""');
    expect(renderLine(['x', 'y'], '\t')).toBe('"x"\t"y"');
  });

  it('round-trips locators and rejects ones it did not issue', () => {
    expect(decodeLocator(encodeLocator(10000))).toBe(10000);
    expect(decodeLocator('not a locator!')).toBeNull();
    expect(decodeLocator(Buffer.from('abc').toString('base64url'))).toBeNull();
  });

  it('parses uploads with the job delimiter and line ending, including multi-line quoted values', async () => {
    expect(await rows('Name|Description\r\n"A|1"|"two\r\nlines"\r\nB|\r\n', 'PIPE', 'CRLF')).toEqual([
      ['Name', 'Description'],
      ['A|1', 'two\r\nlines'],
      ['B', ''],
    ]);
    expect(await rows('Name\tNumberOfEmployees\nAcme\t3.00E+07\n', 'TAB', 'LF')).toEqual([
      ['Name', 'NumberOfEmployees'],
      ['Acme', '3.00E+07'],
    ]);
  });

  it('keeps big uploads in a temporary file and small ones in SQLite, and removes both with the job', async () => {
    const running = await startTestOrg();
    try {
      const store = new JobStore(running.org.db, 100);
      const base = {
        kind: 'ingest',
        operation: 'insert',
        object: 'Account',
        externalIdFieldName: null,
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
        state: 'Open',
        createdById: running.adminUserId,
        apiVersion: '59.0',
        query: null,
        createdDate: 0,
      } as const;
      const read = async (id: string): Promise<string> => {
        const parts: Buffer[] = [];
        for await (const part of store.openUpload(id)) parts.push(part as Buffer);
        return Buffer.concat(parts).toString();
      };
      const small = store.create({ ...base, id: 'small' });
      const big = store.create({ ...base, id: 'big' });
      store.saveUpload(small.id, Buffer.from('Name\nA\n'), 1);
      const bigData = 'Name\n' + 'x'.repeat(200) + '\n';
      store.saveUpload(big.id, Buffer.from(bigData), 1);
      const files = running.org.db
        .prepare('SELECT job_id, file IS NOT NULL AS inFile FROM _bulk_upload ORDER BY job_id')
        .all();
      expect(files).toEqual([
        { job_id: 'big', inFile: 1 },
        { job_id: 'small', inFile: 0 },
      ]);
      expect(await read('small')).toBe('Name\nA\n');
      expect(await read('big')).toBe(bigData);
      expect(store.uploadHead('big', 6).toString()).toBe('Name\nx');
      const { file } = running.org.db
        .prepare('SELECT file FROM _bulk_upload WHERE job_id = ?')
        .get('big') as { file: string };
      expect(existsSync(file)).toBe(true);
      store.delete('big');
      expect(existsSync(file)).toBe(false);
      expect(store.get('big')).toBeNull();
    } finally {
      await running.close();
    }
  });

  it('fails uploads whose header line does not end as the job says, or that do not parse', async () => {
    expect(() => checkLineEnding(Buffer.from('Name\r\nA\r\n'), 'LF')).toThrow(
      'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
    );
    expect(() => checkLineEnding(Buffer.from('Name\nA\n'), 'CRLF')).toThrow(UploadError);
    expect(() => checkLineEnding(Buffer.from('Name\r\nA\r\n'), 'CRLF')).not.toThrow();
    await expect(rows('Name,Phone\nA\n', 'COMMA', 'LF')).rejects.toThrow(
      /^InvalidBatch : Failed to parse CSV/,
    );
  });
});

describe('bulk job machinery over HTTP (fake DML and SOQL)', () => {
  let running: RunningOrg;
  let conn: Connection;
  let dml: FakeDml;
  let service: BulkService;
  const queryRows = Array.from({ length: 25 }, (_, i) => [
    `001${String(i).padStart(15, '0')}`,
    i % 5 === 0 ? null : `Name, "${i}"`,
  ]);

  beforeAll(async () => {
    running = await startTestOrg();
    conn = connect(running);
    dml = new FakeDml(running.org);
    service = new BulkService(
      running.org,
      running.faults,
      { dml, query: fakeQuery(['Id', 'Name'], queryRows) },
      silentLogger,
    );
    installBulkService(running.org, service);
  });
  afterAll(async () => {
    await service.idle();
    await running.close();
  });

  const raw = (path: string, init?: RequestInit): Promise<Response> => orgFetch(running, path, init);

  const createJob = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await raw('/jobs/ingest', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  it('creates an ingest job with exactly the JobInfo fields Salesforce returns', async () => {
    const job = await createJob({ object: 'account', operation: 'insert' });
    expect(Object.keys(job)).toEqual([
      'id',
      'operation',
      'object',
      'createdById',
      'createdDate',
      'systemModstamp',
      'state',
      'concurrencyMode',
      'contentType',
      'apiVersion',
      'contentUrl',
      'lineEnding',
      'columnDelimiter',
    ]);
    expect(job).toMatchObject({
      operation: 'insert',
      object: 'Account',
      createdById: running.adminUserId,
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 59,
      contentUrl: `services/data/v59.0/jobs/ingest/${String(job.id)}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    expect(job.id).toMatch(/^7505g0[A-Za-z0-9]{12}$/);
    expect(job.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
  });

  it('rejects bad job definitions with INVALIDJOB in the Bulk error dialect', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { object: 'NoSuchThing__c', operation: 'insert' },
        'InvalidJob : Unable to find object: NoSuchThing__c',
      ],
      [
        { object: 'Account', operation: 'merge' },
        'InvalidJob : Invalid operation: merge. Valid values are insert, update, upsert, delete, hardDelete',
      ],
      [
        { object: 'Account', operation: 'upsert' },
        'InvalidJob : External ID was blank for Account. An External ID must be specified for upsert.',
      ],
      [
        { object: 'Account', operation: 'upsert', externalIdFieldName: 'Nope__c' },
        'InvalidJob : Field name not found : Nope__c',
      ],
      [
        { object: 'Account', operation: 'insert', columnDelimiter: 'COLON' },
        'InvalidJob : Invalid columnDelimiter: COLON. Valid values are BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON, TAB',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await raw('/jobs/ingest', { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(await res.json()).toEqual([{ errorCode: 'INVALIDJOB', message }]);
    }
  });

  it('loads records through jsforce and returns exact successful and failed results', async () => {
    const before = dml.calls.length;
    const input = [
      { Name: 'Acme; "Inc"', Phone: '555|1' },
      { Name: '', Phone: '555-2' },
      { Name: 'Globex', Phone: null },
    ];
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input,
      pollInterval: 50,
    });
    expect(dml.calls.slice(before)).toEqual([{ op: 'insert', rows: 3 }]);
    const ids = [...dml.records.keys()];
    expect(res.successfulResults).toEqual([
      { sf__Id: ids[ids.length - 2], sf__Created: 'true', Name: 'Acme; "Inc"', Phone: '555|1' },
      { sf__Id: ids[ids.length - 1], sf__Created: 'true', Name: 'Globex', Phone: '#N/A' },
    ]);
    expect(res.failedResults).toEqual([
      {
        sf__Id: '',
        sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
        Name: '',
        Phone: '555-2',
      },
    ]);
    expect(res.unprocessedRecords).toEqual([]);
    expect(dml.records.get(ids[ids.length - 1])).toMatchObject({ Name: 'Globex', Phone: '#N/A' });
  });

  it('matches headers case-insensitively and honours PIPE and CRLF, echoing the header as uploaded', async () => {
    const input = 'NAME|phone\r\n"Multi\r\nLine"|1\r\nPlain|2\r\n';
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input,
      columnDelimiter: 'PIPE',
      lineEnding: 'CRLF',
      pollInterval: 50,
    });
    const results = res.successfulResults as unknown as Array<Record<string, string>>;
    expect(results.map((r) => [r.NAME, r.phone])).toEqual([
      ['Multi\r\nLine', '1'],
      ['Plain', '2'],
    ]);
    const stored = [...dml.records.values()].slice(-2);
    expect(stored.map((r) => [r.Name, r.Phone])).toEqual([
      ['Multi\r\nLine', '1'],
      ['Plain', '2'],
    ]);
    const job = service.list('ingest').slice(-1)[0];
    const text = await (await raw(`/jobs/ingest/${job.id}/successfulResults`)).text();
    expect(text.split('\r\n')[0]).toBe('"sf__Id"|"sf__Created"|"NAME"|"phone"');
  });

  it('completes an empty upload with zero records and three empty results', async () => {
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [],
      pollInterval: 50,
    });
    expect(res).toEqual({ successfulResults: [], failedResults: [], unprocessedRecords: [] });
    const job = service.list('ingest').slice(-1)[0];
    expect(job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 0, numberRecordsFailed: 0 });
  });

  it('fails a job whose header names an unknown field, with the reason in errorMessage', async () => {
    await expect(
      conn.bulk2.loadAndWaitForResults({
        object: 'Account',
        operation: 'insert',
        input: 'Name,Bogus__c\nA,1\n',
        pollInterval: 50,
      }),
    ).rejects.toThrow('Ingest job failed to complete due to: InvalidBatch : Field name not found : Bogus__c');
  });

  it('fails the job with the reason when the DML layer refuses a whole call', async () => {
    dml.refuseUpdate = new SfError(400, 'INVALID_FIELD', 'No such column on Account');
    try {
      await expect(
        conn.bulk2.loadAndWaitForResults({
          object: 'Account',
          operation: 'update',
          input: 'Id,Name\n001000000000001,A\n',
          pollInterval: 50,
        }),
      ).rejects.toThrow('Ingest job failed to complete due to: INVALID_FIELD : No such column on Account');
    } finally {
      dml.refuseUpdate = null;
    }
  });

  it('allows one upload per Open job and answers state errors in the Bulk dialect', async () => {
    const job = await createJob({ object: 'Account', operation: 'insert' });
    const put = (body: string) =>
      raw(`/jobs/ingest/${String(job.id)}/batches`, {
        method: 'PUT',
        body,
        headers: { 'Content-Type': 'text/csv' },
      });
    const first = await put('Name\nA\n');
    expect(first.status).toBe(201);
    expect(await first.text()).toBe('');
    const second = await put('Name\nB\n');
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual([
      {
        errorCode: 'BULK_API_ERROR',
        message: `Found multiple contents for job: <${String(job.id)}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
      },
    ]);
    const bogus = await raw(`/jobs/ingest/${String(job.id)}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'JobComplete' }),
    });
    expect(bogus.status).toBe(400);
    expect(((await bogus.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALIDJOB');
    const close = await raw(`/jobs/ingest/${String(job.id)}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    expect(close.status).toBe(200);
    expect(((await close.json()) as { state: string }).state).toBe('UploadComplete');
    const late = await put('Name\nC\n');
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual([
      {
        errorCode: 'INVALIDJOBSTATE',
        message: `Job ${String(job.id)} is not in Open state; data can be uploaded only to an Open job`,
      },
    ]);
    const again = await raw(`/jobs/ingest/${String(job.id)}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    expect(again.status).toBe(409);
  });

  it('answers a bad session with 401 INVALID_SESSION_ID, which makes jsforce refresh', async () => {
    for (const path of ['/jobs/ingest', '/jobs/query/750000000000000AAA/results']) {
      const res = await fetch(`${running.instanceUrl}${BASE}${path}`, {
        headers: { Authorization: 'Bearer expired' },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('sforce-locator')).toBeNull();
      expect(await res.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_SESSION_ID' })]);
    }
  });

  it('answers unknown jobs with 404 NOT_FOUND, including DELETE of "undefined"', async () => {
    for (const [method, path] of [
      ['GET', '/jobs/ingest/750000000000000AAA'],
      ['DELETE', '/jobs/ingest/undefined'],
      ['GET', '/jobs/ingest/undefined/failedResults'],
      ['GET', '/jobs/query/undefined'],
      ['GET', '/jobs/query/750000000000000AAA/results'],
    ]) {
      const res = await raw(path, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    }
    // An ingest job is not a query job.
    const job = await createJob({ object: 'Account', operation: 'insert' });
    expect((await raw(`/jobs/query/${String(job.id)}`)).status).toBe(404);
  });

  it('lists jobs, reports full job info, and deletes finished jobs', async () => {
    const res = await raw('/jobs/ingest');
    const list = (await res.json()) as {
      done: boolean;
      records: Array<Record<string, unknown>>;
      nextRecordsUrl: null;
    };
    expect(list.done).toBe(true);
    expect(list.nextRecordsUrl).toBeNull();
    expect(list.records.length).toBe(service.list('ingest').length);
    expect(list.records[0]).toMatchObject({ jobType: 'V2Ingest', state: expect.any(String) });
    const done = service
      .list('ingest')
      .find((j) => j.state === 'JobComplete' && j.numberRecordsProcessed === 3);
    const info = (await (await raw(`/jobs/ingest/${done?.id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Ingest',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 1,
      retries: 0,
      totalProcessingTime: expect.any(Number),
      apiActiveProcessingTime: expect.any(Number),
      apexProcessingTime: 0,
    });
    expect(info).not.toHaveProperty('errorMessage');
    const open = service.list('ingest').find((j) => j.state === 'Open');
    expect((await raw(`/jobs/ingest/${open?.id}`, { method: 'DELETE' })).status).toBe(409);
    const del = await raw(`/jobs/ingest/${done?.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await raw(`/jobs/ingest/${done?.id}`)).status).toBe(404);
  });

  it('processes big jobs in the background while the server keeps answering, and aborts between chunks', async () => {
    dml.delayPerCallMs = 100;
    try {
      const job = await createJob({ object: 'Account', operation: 'insert' });
      const csv = 'Name\n' + Array.from({ length: 20_000 }, (_, i) => `Row ${i}`).join('\n') + '\n';
      expect(
        (
          await raw(`/jobs/ingest/${String(job.id)}/batches`, {
            method: 'PUT',
            body: csv,
            headers: { 'Content-Type': 'text/csv' },
          })
        ).status,
      ).toBe(201);
      const close = await raw(`/jobs/ingest/${String(job.id)}`, {
        method: 'PATCH',
        body: JSON.stringify({ state: 'UploadComplete' }),
      });
      expect(((await close.json()) as { state: string }).state).toBe('UploadComplete');
      const seen = new Set<string>();
      let info: { state: string; numberRecordsProcessed: number } = { state: '', numberRecordsProcessed: 0 };
      for (let i = 0; i < 100; i++) {
        const t0 = Date.now();
        info = (await (await raw(`/jobs/ingest/${String(job.id)}`)).json()) as typeof info;
        expect(Date.now() - t0).toBeLessThan(1500);
        seen.add(info.state);
        if (info.numberRecordsProcessed >= 4000) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen.has('InProgress')).toBe(true);
      const abort = await raw(`/jobs/ingest/${String(job.id)}`, {
        method: 'PATCH',
        body: JSON.stringify({ state: 'Aborted' }),
      });
      expect(((await abort.json()) as { state: string }).state).toBe('Aborted');
      await service.idle();
      const final = service.job('ingest', String(job.id));
      expect(final.state).toBe('Aborted');
      expect(final.numberRecordsProcessed % 2000).toBe(0);
      expect(final.numberRecordsProcessed).toBeLessThan(20_000);
      const unprocessed = await (await raw(`/jobs/ingest/${String(job.id)}/unprocessedrecords`)).text();
      const lines = unprocessed.trim().split('\n');
      expect(lines[0]).toBe('"Name"');
      expect(lines.length - 1).toBe(20_000 - final.numberRecordsProcessed);
      expect(lines[1]).toBe(`"Row ${final.numberRecordsProcessed}"`);
    } finally {
      dml.delayPerCallMs = 0;
    }
  });

  it('runs query jobs: no Sforce-Locator on create or status, pages by maxRecords, one page otherwise', async () => {
    const created = await raw('/jobs/query', {
      method: 'POST',
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name FROM Account' }),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('sforce-locator')).toBeNull();
    const job = (await created.json()) as Record<string, unknown>;
    expect(Object.keys(job)).toEqual([
      'id',
      'operation',
      'object',
      'createdById',
      'createdDate',
      'systemModstamp',
      'state',
      'concurrencyMode',
      'contentType',
      'apiVersion',
      'lineEnding',
      'columnDelimiter',
    ]);
    expect(job).toMatchObject({ operation: 'query', object: 'Account', state: 'UploadComplete' });
    await service.idle();
    const status = await raw(`/jobs/query/${String(job.id)}`);
    expect(status.headers.get('sforce-locator')).toBeNull();
    expect(await status.json()).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Query',
      numberRecordsProcessed: 25,
      retries: 0,
    });

    const pages: string[][] = [];
    let locator: string | null = null;
    do {
      const res = await raw(
        `/jobs/query/${String(job.id)}/results?maxRecords=10${locator ? `&locator=${locator}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv');
      const lines = (await res.text()).split('\n').filter(Boolean);
      expect(lines[0]).toBe('"Id","Name"');
      expect(res.headers.get('sforce-numberofrecords')).toBe(String(lines.length - 1));
      pages.push(lines.slice(1));
      locator = res.headers.get('sforce-locator');
      expect(locator).not.toBeNull();
    } while (locator !== 'null');
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(
      queryRows.map(([id, name]) => `"${id}",${name === null ? '' : `"${name.replace(/"/g, '""')}"`}`),
    );

    const all = await raw(`/jobs/query/${String(job.id)}/results`);
    expect(all.headers.get('sforce-locator')).toBe('null');
    expect(all.headers.get('sforce-numberofrecords')).toBe('25');
    const bad = await raw(`/jobs/query/${String(job.id)}/results?locator=zzz`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('sforce-locator')).toBeNull();
  });

  it('returns every row through conn.bulk2.query and rejects bad SOQL at creation', async () => {
    const stream = await conn.bulk2.query('SELECT Id, Name FROM Account', { pollInterval: 50 });
    const records: Array<Record<string, string>> = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (r: Record<string, string>) => records.push(r));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(records).toHaveLength(25);
    expect(records[1]).toEqual({ Id: queryRows[1][0], Name: 'Name, "1"' });
    expect(records[0].Name).toBe('');

    const before = service.list('query').length;
    const res = await raw('/jobs/query', {
      method: 'POST',
      body: JSON.stringify({ operation: 'query', query: 'SELECT Name FROM Account GROUP BY Name' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([
      { errorCode: 'MALFORMED_QUERY', message: 'GROUP BY is not supported by Bulk API 2.0' },
    ]);
    expect(service.list('query')).toHaveLength(before);
  });

  it('refuses to abort a finished query job, and deletes it', async () => {
    const job = service.createQueryJob(
      { operation: 'query', query: 'SELECT Id FROM Account', lineEnding: 'LF', columnDelimiter: 'COMMA' },
      running.adminUserId,
      '59.0',
    );
    await service.idle();
    const abort = await raw(`/jobs/query/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(abort.status).toBe(409);
    expect(await abort.json()).toEqual([
      { errorCode: 'INVALIDJOBSTATE', message: `Job ${job.id} is already JobComplete and cannot be aborted` },
    ]);
    expect((await raw(`/jobs/query/${job.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await raw(`/jobs/query/${job.id}`)).status).toBe(404);
  });
});

describe('bulk job retention', () => {
  it('deletes finished jobs seven days after they last changed, keeping unfinished ones', async () => {
    const clock = new FixedClock(Date.UTC(2024, 0, 1));
    const running = await startTestOrg({ clock });
    try {
      const service = new BulkService(
        running.org,
        running.faults,
        { dml: new FakeDml(running.org), query: fakeQuery(['Id'], []) },
        silentLogger,
      );
      const request = {
        object: 'Account',
        operation: 'insert',
        externalIdFieldName: null,
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
      } as const;
      const done = service.createIngestJob(request, running.adminUserId, '59.0');
      service.upload(done.id, Buffer.from('Name\nA\n'));
      service.changeState('ingest', done.id, 'UploadComplete');
      await service.idle();
      const open = service.createIngestJob(request, running.adminUserId, '59.0');
      clock.advance(7 * 24 * 3600 * 1000 - 1000);
      service.createIngestJob(request, running.adminUserId, '59.0');
      expect(service.store.get(done.id)?.state).toBe('JobComplete');
      clock.advance(2000);
      service.createIngestJob(request, running.adminUserId, '59.0');
      expect(service.store.get(done.id)).toBeNull();
      expect(service.store.get(open.id)?.state).toBe('Open');
    } finally {
      await running.close();
    }
  });
});

describe('bulk jobs across an org restart', () => {
  it('runs queued jobs and fails half-done ones when the org file is reopened', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bulk-restart-'));
    const dbFile = path.join(dir, 'org.db');
    const objects = loadStandardObjects([PROJECT_METADATA_DIR]);
    try {
      const first = new Org({ dbFile, objects });
      const store = new JobStore(first.db);
      const base = {
        kind: 'ingest',
        operation: 'insert',
        object: 'Account',
        externalIdFieldName: null,
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
        createdById: '005000000000001AAA',
        apiVersion: '59.0',
        query: null,
        createdDate: 0,
      } as const;
      store.create({ ...base, id: 'queued', state: 'UploadComplete' });
      store.saveUpload('queued', Buffer.from('Name\nA\nB\n'), 0);
      store.create({ ...base, id: 'halfway', state: 'InProgress' });
      first.close();

      const second = new Org({ dbFile, objects });
      const dml = new FakeDml(second);
      const service = new BulkService(
        second,
        new FaultInjector(),
        { dml, query: fakeQuery(['Id'], []) },
        silentLogger,
      );
      await service.idle();
      expect(service.job('ingest', 'queued')).toMatchObject({
        state: 'JobComplete',
        numberRecordsProcessed: 2,
      });
      expect(service.job('ingest', 'halfway')).toMatchObject({
        state: 'Failed',
        errorMessage: 'InternalServerError : the embedded org restarted while this job was in progress',
      });
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bulk fault outcomes', () => {
  const serviceOf = (running: RunningOrg): BulkService =>
    bulkServiceFor({ org: running.org, faults: running.faults, adminToken: running.adminToken });

  it('ends jobs Failed with an errorMessage when the injector says fail', async () => {
    const running = await startTestOrg({ faults: { seed: 7, bulkFailRate: 1 } });
    const service = serviceOf(running);
    try {
      const conn = connect(running);
      const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
      await job.open();
      await job.uploadData([{ Name: 'A' }, { Name: 'B' }]);
      await job.close();
      await expect(job.poll(50, 5000)).rejects.toThrow(
        /^Ingest job failed to complete due to: InternalServerError : /,
      );
      expect(await job.getUnprocessedRecords()).toEqual([{ Name: 'A' }, { Name: 'B' }]);
      expect(await job.getSuccessfulResults()).toEqual([]);
      await expect(conn.bulk2.query('SELECT Id FROM Account', { pollInterval: 50 })).rejects.toThrow(
        'Query job failed to complete',
      );
      // jsforce deletes the failed job on its own; wait for it so its DELETE does not outlive the org.
      for (let i = 0; i < 100 && service.list('query').length > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(service.list('query')).toEqual([]);
    } finally {
      await service.idle();
      await running.close();
    }
  });

  it('leaves jobs InProgress for ever when the injector says stuck', async () => {
    const running = await startTestOrg({ faults: { seed: 7, bulkStuckRate: 1 } });
    const service = serviceOf(running);
    try {
      const conn = connect(running);
      await expect(
        conn.bulk2.loadAndWaitForResults({
          object: 'Account',
          operation: 'insert',
          input: [{ Name: 'A' }],
          pollInterval: 50,
          pollTimeout: 400,
        }),
      ).rejects.toMatchObject({ name: 'JobPollingTimeout' });
      const job = service.list('ingest')[0];
      expect(job.state).toBe('InProgress');
      expect(job.numberRecordsProcessed).toBe(0);
      expect(running.org.db.prepare('SELECT COUNT(*) AS n FROM "Account"').get()).toEqual({ n: 0 });
      const abort = await conn.request<{ state: string }>({
        method: 'PATCH',
        url: `${BASE}/jobs/ingest/${job.id}`,
        body: JSON.stringify({ state: 'Aborted' }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(abort.state).toBe('Aborted');

      const query = await conn.request<{ id: string }>({
        method: 'POST',
        url: `${BASE}/jobs/query`,
        body: JSON.stringify({ operation: 'query', query: 'SELECT Id FROM Account' }),
        headers: { 'Content-Type': 'application/json' },
      });
      await service.idle();
      expect(service.job('query', query.id).state).toBe('InProgress');
      const aborted = await conn.request<{ state: string }>({
        method: 'PATCH',
        url: `${BASE}/jobs/query/${query.id}`,
        body: JSON.stringify({ state: 'Aborted' }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(aborted.state).toBe('Aborted');
      await expect(conn.request(`${BASE}/jobs/query/${query.id}/results`)).rejects.toMatchObject({
        errorCode: 'INVALIDJOBSTATE',
      });
    } finally {
      await service.idle();
      await running.close();
    }
  });
});
