import type { Connection } from 'jsforce';
import { connect } from '../../helpers/org';
import { loginAs, sql, startDemoOrg, type DemoOrg } from '../sharing/viewers';

/** Response bodies are walked freely in expectations. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** `/ui-api/records` over real HTTP: the record representation, field lists, visibility, writes. */
describe('UI API records', () => {
  let demo: DemoOrg;
  let admin: Connection;
  let rep: Connection;
  let manager: Connection;
  let mine: string;
  let other: string;
  let repName: string;

  const call = async (conn: Connection, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${demo.running.instanceUrl}/services/data/v59.0/ui-api${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${conn.accessToken}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Loose };
  };

  beforeAll(async () => {
    demo = await startDemoOrg();
    const { running, viewers } = demo;
    admin = connect(running);
    rep = await loginAs(running, viewers.rep.username, viewers.rep.password);
    manager = await loginAs(running, viewers.manager.username, viewers.manager.password);
    repName = viewers.rep.name;
    const otherRep = sql<{ Id: string }>(
      running,
      `SELECT "Id" FROM "User" WHERE "Title" = 'Account Executive' AND "ManagerId" <> ? ORDER BY "Id" LIMIT 1`,
      viewers.manager.userId,
    )[0].Id;
    const make = async (owner: string, name: string, earned: number) => {
      const res = await admin.sobject('Commission_Statement__c').create({
        Name: name,
        OwnerId: owner,
        Rep__c: owner,
        Period_Key__c: 'FY2026-Q4',
        Period_Status__c: 'Open',
        Earned__c: earned,
        Attainment__c: 112.5,
        CurrencyIsoCode: 'USD',
        External_Key__c: `CS|${owner}|FY2026-Q4`,
      });
      if (!res.success) throw new Error(JSON.stringify(res));
      return res.id;
    };
    mine = await make(viewers.rep.userId, 'Mine Q4', 4800);
    other = await make(otherRep, 'Other Q4', 100);
  }, 60_000);

  afterAll(async () => {
    await demo?.running.close();
  });

  it('returns the record representation with the fields asked for and the parent nested', async () => {
    const fields = [
      'Commission_Statement__c.Name',
      'Commission_Statement__c.Earned__c',
      'Commission_Statement__c.Attainment__c',
      'Commission_Statement__c.Period_Status__c',
      'Commission_Statement__c.Rep__r.Name',
    ].join(',');
    const res = await call(
      rep,
      'GET',
      `/records/${mine}?fields=${fields}&optionalFields=Commission_Statement__c.Nope__c,Account.Name`,
    );
    expect(res.status).toBe(200);
    const rec = res.body;
    expect(rec).toMatchObject({
      apiName: 'Commission_Statement__c',
      id: mine,
      childRelationships: {},
      recordTypeId: null,
      recordTypeInfo: null,
      lastModifiedById: demo.running.adminUserId,
    });
    expect(rec.lastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(rec.weakEtag).toBe(Date.parse(rec.systemModstamp));
    expect(typeof rec.eTag).toBe('string');
    expect(Object.keys(rec.fields).sort()).toEqual([
      'Attainment__c',
      'Earned__c',
      'Name',
      'Period_Status__c',
      'Rep__r',
    ]);
    expect(rec.fields.Name).toEqual({ displayValue: null, value: 'Mine Q4' });
    expect(rec.fields.Earned__c).toEqual({ displayValue: 'USD 4,800.00', value: 4800 });
    expect(rec.fields.Attainment__c).toEqual({ displayValue: '112.5%', value: 112.5 });
    expect(rec.fields.Period_Status__c).toEqual({ displayValue: 'Open', value: 'Open' });
    expect(rec.fields.Rep__r.displayValue).toBe(repName);
    expect(rec.fields.Rep__r.value).toMatchObject({
      apiName: 'User',
      id: demo.viewers.rep.userId,
      fields: { Name: { displayValue: null, value: repName } },
    });
  });

  it("answers another rep's record with 403 INSUFFICIENT_ACCESS and an unknown one with 404", async () => {
    const denied = await call(rep, 'GET', `/records/${other}?fields=Commission_Statement__c.Name`);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual([
      {
        errorCode: 'INSUFFICIENT_ACCESS',
        message:
          "You don't have access to this record. Ask your administrator for help or to request access.",
      },
    ]);
    expect((await call(admin, 'GET', `/records/${other}?fields=Commission_Statement__c.Name`)).status).toBe(
      200,
    );
    const missing = `${other.slice(0, 9)}ZZZZZZ`;
    expect((await call(rep, 'GET', `/records/${missing}?fields=Commission_Statement__c.Name`)).status).toBe(
      404,
    );
    const quota = sql<{ Id: string }>(demo.running, 'SELECT "Id" FROM "Sales_Quota__c" LIMIT 1')[0];
    expect(quota).toBeDefined();
    expect((await call(rep, 'GET', `/records/${quota.Id}`)).status).toBe(403);
  });

  it('fails on a required field that does not exist, with INVALID_FIELD', async () => {
    const res = await call(rep, 'GET', `/records/${mine}?fields=Commission_Statement__c.Nope__c`);
    expect(res.status).toBe(400);
    expect(res.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it("creates, updates and deletes through the UI API with the user's permissions", async () => {
    const { viewers } = demo;
    const account = sql<{ Id: string }>(demo.running, 'SELECT "Id" FROM "Account" ORDER BY "Id" LIMIT 1')[0]
      .Id;
    const created = await call(rep, 'POST', '/records', {
      apiName: 'Territory_Change_Request__c',
      fields: { Account__c: account, Status__c: 'Submitted', Reason__c: 'Moved region' },
    });
    expect(created.status).toBe(201);
    expect(created.body.fields.Status__c).toEqual({ displayValue: 'Submitted', value: 'Submitted' });
    expect(created.body.fields.Account__c).toEqual({ displayValue: null, value: account });
    const approved = await call(manager, 'PATCH', `/records/${created.body.id}`, {
      fields: { Status__c: 'Approved', Approver__c: viewers.manager.userId },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.fields.Status__c.value).toBe('Approved');
    const forged = await call(rep, 'PATCH', `/records/${mine}`, { fields: { Earned__c: 1 } });
    expect(forged.status).toBe(400);
    expect(forged.body[0].errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    expect((await call(rep, 'DELETE', `/records/${created.body.id}`)).status).toBe(400);
    expect((await call(admin, 'DELETE', `/records/${created.body.id}`)).status).toBe(204);
    const after = sql<{ IsDeleted: number }>(
      demo.running,
      'SELECT "IsDeleted" FROM "Territory_Change_Request__c" WHERE "Id" = ?',
      created.body.id,
    );
    expect(after).toEqual([{ IsDeleted: 1 }]);
  });
});
