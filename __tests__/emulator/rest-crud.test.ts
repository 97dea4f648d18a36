import type { Connection } from 'jsforce';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { dmlMetadataDir } from './dml-fixtures';

// The node project's testTimeout is not applied per project; starting an org can take seconds on a busy machine.
jest.setTimeout(30_000);

describe('single-record REST through jsforce', () => {
  let running: RunningOrg;
  let conn: Connection;
  beforeAll(async () => {
    running = await startTestOrg();
    conn = connect(running);
  });
  afterAll(() => running.close());

  it('creates, retrieves, updates and deletes an Account', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Acme', Industry: 'Banking', NumberOfEmployees: 12 });
    expect(created).toEqual({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = created.id as string;

    const record = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
    expect(Object.keys(record)[0]).toBe('attributes');
    expect(record.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v${API_VERSION}/sobjects/Account/${id}`,
    });
    expect(record).toMatchObject({
      Id: id,
      Name: 'Acme',
      Industry: 'Banking',
      NumberOfEmployees: 12,
      OwnerId: running.adminUserId,
      CreatedById: running.adminUserId,
      IsDeleted: false,
      AnnualRevenue: null,
    });
    expect(record.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);

    const updated = await conn.sobject('Account').update({ Id: id, Name: 'Acme Corp', Industry: null });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const after = (await conn
      .sobject('Account')
      .retrieve(id, { fields: ['Name', 'Industry'] })) as unknown as Record<string, unknown>;
    expect(after).toEqual({
      attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${id}` },
      Name: 'Acme Corp',
      Industry: null,
      Id: id,
    });

    expect(await conn.sobject('Account').destroy(id)).toEqual({ id, success: true, errors: [] });
    await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
      message: 'The requested resource does not exist',
    });
    await expect(conn.sobject('Account').update({ Id: id, Name: 'x' })).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
    await expect(conn.sobject('Account').destroy(id)).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
  });
});

describe('single-record upsert, errors and hostile input over HTTP', () => {
  let running: RunningOrg;
  let conn: Connection;
  const base = () => `${running.instanceUrl}/services/data/v${API_VERSION}`;
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${base()}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${running.accessToken}`,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  beforeAll(async () => {
    running = await startTestOrg({ metadataDirs: [dmlMetadataDir()] });
    conn = connect(running);
  });
  afterAll(() => running.close());

  it('upserts by external id: 201 created, then 200 with the same id', async () => {
    const first = await conn
      .sobject('Dml_Test__c')
      .upsert({ External_Key__c: 'K-1', Count__c: 1 }, 'External_Key__c');
    expect(first).toEqual({ id: expect.stringMatching(/^a/), success: true, errors: [], created: true });
    const second = await conn
      .sobject('Dml_Test__c')
      .upsert({ External_Key__c: 'K-1', Count__c: 2 }, 'External_Key__c');
    expect(second).toEqual({ id: (first as { id: string }).id, success: true, errors: [], created: false });

    const res = await raw('/sobjects/Dml_Test__c/External_Key__c/K-1', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Count__c: 3 }),
    });
    expect(res.status).toBe(200);
    // Below API 46 Salesforce answers an update-by-upsert with 204 and no body.
    const old = await fetch(
      `${running.instanceUrl}/services/data/v45.0/sobjects/Dml_Test__c/External_Key__c/K-1`,
      {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${running.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ Count__c: 4 }),
      },
    );
    expect(old.status).toBe(204);
    const record = (await conn
      .sobject('Dml_Test__c')
      .retrieve((first as { id: string }).id)) as unknown as Record<string, unknown>;
    expect(record).toMatchObject({ External_Key__c: 'K-1', Count__c: 4, Flag__c: true });
  });

  it('answers 201 to a created upsert, retrieves by external id, and upserts by Id', async () => {
    const created = await raw('/sobjects/Dml_Test__c/External_Key__c/K-201', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Count__c: 5 }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string };
    expect(body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    const byExt = await raw('/sobjects/Dml_Test__c/External_Key__c/k-201?fields=Count__c');
    expect(byExt.status).toBe(200);
    expect(await byExt.json()).toEqual({
      attributes: {
        type: 'Dml_Test__c',
        url: `/services/data/v${API_VERSION}/sobjects/Dml_Test__c/${body.id}`,
      },
      Count__c: 5,
      Id: body.id,
    });
    expect((await raw('/sobjects/Dml_Test__c/External_Key__c/none')).status).toBe(404);
    const byId = await raw(`/sobjects/Dml_Test__c/Id/${body.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Count__c: 6 }),
    });
    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual({ id: body.id, success: true, errors: [], created: false });
  });

  it('answers 300 with record URLs when the external id matches several records', async () => {
    const made = await conn.sobject('Dml_Test__c').create([{ Loose_Key__c: 'dup' }, { Loose_Key__c: 'DUP' }]);
    const ids = made.map((r) => (r as { id: string }).id).sort();
    const err = await conn
      .sobject('Dml_Test__c')
      .upsert({ Loose_Key__c: 'dup', Count__c: 1 }, 'Loose_Key__c')
      .then(
        () => null,
        (e: { errorCode: string; data: unknown }) => e,
      );
    expect(err).toMatchObject({ errorCode: 'MULTIPLE_CHOICES' });
    expect(err?.data).toEqual(ids.map((id) => `/services/data/v${API_VERSION}/sobjects/Dml_Test__c/${id}`));
  });

  it('answers 404 NOT_FOUND for an unknown external id field or object', async () => {
    await expect(
      conn.sobject('Dml_Test__c').upsert({ Nope__c: 'x', Count__c: 1 }, 'Nope__c'),
    ).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(conn.sobject('No_Such__c').create({ Name: 'x' })).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('reports validation failures as REST errors with the exact code', async () => {
    await expect(conn.sobject('Account').create({ Name: 'A', Bogus__c: 1 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Bogus__c' on sobject of type Account",
    });
    const err = await conn
      .sobject('Opportunity')
      .create({ Name: 'O' })
      .then(
        () => null,
        (e: { errorCode: string; data: { fields: string[] } }) => e,
      );
    expect(err).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [StageName, CloseDate]',
    });
    expect(err?.data.fields).toEqual(['StageName', 'CloseDate']);
    await expect(conn.sobject('Account').create({ Name: 'A', AnnualRevenue: 'abc' })).rejects.toMatchObject({
      errorCode: 'JSON_PARSER_ERROR',
    });
    await expect(
      conn.sobject('OpportunityHistory').create({ StageName: 'Prospecting' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_TYPE_FOR_OPERATION' });
  });

  it('rejects a malformed JSON body and a non-JSON content type', async () => {
    const bad = await raw('/sobjects/Account', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"Name": ',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as unknown[])[0]).toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
    const form = await raw('/sobjects/Account', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'Name=x',
    });
    expect(form.status).toBe(415);
    const array = await raw('/sobjects/Account', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '[{"Name":"x"}]',
    });
    expect(array.status).toBe(400);
  });

  it('answers 405 to methods a record URL does not allow, and tracks LastViewedDate on retrieve', async () => {
    const { id } = (await conn.sobject('Dml_Test__c').create({ Count__c: 1 })) as { id: string };
    const put = await raw(`/sobjects/Dml_Test__c/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(put.status).toBe(405);
    expect(await put.json()).toEqual([
      {
        errorCode: 'METHOD_NOT_ALLOWED',
        message: "HTTP Method 'PUT' not allowed. Allowed are GET,PATCH,DELETE",
      },
    ]);
    expect(running.org.db.prepare('SELECT LastViewedDate FROM "Dml_Test__c" WHERE "Id" = ?').get(id)).toEqual(
      { LastViewedDate: null },
    );
    await conn.sobject('Dml_Test__c').retrieve(id);
    const seen = running.org.db
      .prepare('SELECT LastViewedDate, LastReferencedDate FROM "Dml_Test__c" WHERE "Id" = ?')
      .get(id) as Record<string, number>;
    expect(seen.LastViewedDate).toBeGreaterThan(0);
    expect(seen.LastReferencedDate).toBe(seen.LastViewedDate);
  });

  it('builds Contact.Name from first and last name', async () => {
    const { id } = (await conn.sobject('Contact').create({ FirstName: 'Grace', LastName: 'Hopper' })) as {
      id: string;
    };
    expect(await conn.sobject('Contact').retrieve(id, { fields: ['Name'] })).toMatchObject({
      Name: 'Grace Hopper',
    });
    await expect(conn.sobject('Contact').create({ LastName: 'X', Name: 'Forced' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
  });

  it('stores SQL-injection attempts verbatim and changes nothing else', async () => {
    const before = running.org.db.prepare('SELECT COUNT(*) AS n FROM "Account"').get();
    const evil = 'Robert\'); DROP TABLE "Account"; --';
    const { id } = (await conn.sobject('Account').create({ Name: evil, Description: "' OR '1'='1" })) as {
      id: string;
    };
    const rec = (await conn
      .sobject('Account')
      .retrieve(id, { fields: ['Name', 'Description'] })) as unknown as Record<string, unknown>;
    expect(rec).toMatchObject({ Name: evil, Description: "' OR '1'='1" });
    expect(running.org.db.prepare('SELECT COUNT(*) AS n FROM "Account"').get()).toEqual({
      n: (before as { n: number }).n + 1,
    });
    await expect(conn.sobject('Account').retrieve("001' OR '1'='1")).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    await expect(conn.sobject('Account').update({ Id: "x' OR 1=1 --", Name: 'pwned' })).rejects.toMatchObject(
      { errorCode: 'NOT_FOUND' },
    );
    const upsert = await conn
      .sobject('Dml_Test__c')
      .upsert({ External_Key__c: "k' OR '1'='1", Count__c: 9 }, 'External_Key__c');
    expect(upsert).toMatchObject({ success: true, created: true });
    const row = running.org.db
      .prepare('SELECT External_Key__c FROM "Dml_Test__c" WHERE "Id" = ?')
      .get((upsert as { id: string }).id);
    expect(row).toEqual({ External_Key__c: "k' OR '1'='1" });
    expect(
      running.org.db.prepare('SELECT COUNT(*) AS n FROM "Account" WHERE "Name" = ?').get('pwned'),
    ).toEqual({ n: 0 });
  });

  it('commits but drops the connection when the fault plan says so', async () => {
    running.faults.configure({ dropAfterCommitRate: 1 });
    try {
      await expect(conn.sobject('Account').create({ Name: 'Dropped but saved' })).rejects.toThrow();
    } finally {
      running.faults.configure({});
    }
    expect(
      running.org.db.prepare('SELECT COUNT(*) AS n FROM "Account" WHERE "Name" = ?').get('Dropped but saved'),
    ).toEqual({ n: 1 });
  });
});
