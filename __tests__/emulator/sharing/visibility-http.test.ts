import type { Connection } from 'jsforce';
import { connect } from '../../helpers/org';
import { loginAs, sql, startDemoOrg, type DemoOrg } from './viewers';

/**
 * Visibility over the real API: a 12-rep org (three teams of AMER 6, EMEA 4, APAC 2 reps), the demo
 * rep, their manager and the ops admin logged in with their passwords, and commission statements
 * written by the admin for three reps: the demo rep, a teammate and a rep of another team.
 */
describe('visibility like the CRM', () => {
  let demo: DemoOrg;
  let admin: Connection;
  let rep: Connection;
  let manager: Connection;
  let ops: Connection;
  let teammateId: string;
  let otherRepId: string;
  const statements: Record<'mine' | 'teammate' | 'other', string> = { mine: '', teammate: '', other: '' };

  beforeAll(async () => {
    demo = await startDemoOrg();
    const { running, viewers } = demo;
    admin = connect(running);
    rep = await loginAs(running, viewers.rep.username, viewers.rep.password);
    manager = await loginAs(running, viewers.manager.username, viewers.manager.password);
    ops = await loginAs(running, viewers['ops-admin'].username, viewers['ops-admin'].password);
    const [repRow] = sql<{ ManagerId: string }>(
      running,
      'SELECT "ManagerId" FROM "User" WHERE "Id" = ?',
      viewers.rep.userId,
    );
    teammateId = sql<{ Id: string }>(
      running,
      `SELECT "Id" FROM "User" WHERE "ManagerId" = ? AND "Id" <> ? AND "Title" = 'Account Executive' ORDER BY "Id" LIMIT 1`,
      repRow.ManagerId,
      viewers.rep.userId,
    )[0].Id;
    otherRepId = sql<{ Id: string }>(
      running,
      `SELECT "Id" FROM "User" WHERE "ManagerId" <> ? AND "Title" = 'Account Executive' ORDER BY "Id" LIMIT 1`,
      repRow.ManagerId,
    )[0].Id;
    const owners = { mine: viewers.rep.userId, teammate: teammateId, other: otherRepId };
    for (const [key, owner] of Object.entries(owners) as Array<[keyof typeof statements, string]>) {
      const res = await admin.sobject('Commission_Statement__c').create({
        Name: `Statement ${key}`,
        OwnerId: owner,
        Rep__c: owner,
        Period_Key__c: 'FY2026-Q4',
        External_Key__c: `CS|${owner}|FY2026-Q4`,
        Earned__c: 1000,
      });
      if (!res.success) throw new Error(JSON.stringify(res));
      statements[key] = res.id;
    }
  }, 60_000);

  afterAll(async () => {
    await demo?.running.close();
  });

  const namesOf = async (conn: Connection, soql: string): Promise<string[]> =>
    (await conn.query<{ Name: string }>(soql)).records.map((r) => r.Name).sort();

  it('shows a rep only their own commission statement', async () => {
    expect(await namesOf(rep, 'SELECT Name FROM Commission_Statement__c')).toEqual(['Statement mine']);
    const count = await rep.query('SELECT COUNT() FROM Commission_Statement__c');
    expect(count.totalSize).toBe(1);
    const agg = await rep.query<{ n: number }>('SELECT COUNT(Id) n FROM Commission_Statement__c');
    expect(agg.records[0].n).toBe(1);
  });

  it("shows the manager the team's statements, not another team's", async () => {
    expect(await namesOf(manager, 'SELECT Name FROM Commission_Statement__c')).toEqual([
      'Statement mine',
      'Statement teammate',
    ]);
  });

  it('shows the ops admin (View All on results) and the admin every statement', async () => {
    const all = ['Statement mine', 'Statement other', 'Statement teammate'];
    expect(await namesOf(ops, 'SELECT Name FROM Commission_Statement__c')).toEqual(all);
    expect(await namesOf(admin, 'SELECT Name FROM Commission_Statement__c')).toEqual(all);
  });

  it("answers a rep's direct read of another rep's statement as if it did not exist", async () => {
    const status = async (id: string) => {
      const res = await fetch(
        `${demo.running.instanceUrl}/services/data/v59.0/sobjects/Commission_Statement__c/${id}`,
        { headers: { Authorization: `Bearer ${rep.accessToken}` } },
      );
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const other = await status(statements.other);
    expect(other.status).toBe(404);
    expect(other.body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
    expect((await status(statements.mine)).status).toBe(200);
    const byFilter = await rep.query(
      `SELECT Id FROM Commission_Statement__c WHERE Id = '${statements.other}'`,
    );
    expect(byFilter.totalSize).toBe(0);
  });

  it('applies the same visibility to Bulk 2.0 queries, by the job creator', async () => {
    const rows = async (conn: Connection) =>
      (await conn.bulk2.query('SELECT Name FROM Commission_Statement__c')).toArray();
    expect((await rows(rep)).map((r) => r.Name)).toEqual(['Statement mine']);
    expect((await rows(admin)).length).toBe(3);
  });

  it('keeps private opportunities to their owner and the roles above', async () => {
    const { running, viewers } = demo;
    const owned = (ids: string[]) =>
      sql<{ n: number }>(
        running,
        'SELECT count(*) AS n FROM "Opportunity" WHERE "IsDeleted" = 0 AND "OwnerId" IN (SELECT value FROM json_each(?))',
        JSON.stringify(ids),
      )[0].n;
    const team = sql<{ Id: string }>(
      running,
      'SELECT "Id" FROM "User" WHERE "ManagerId" = ?',
      viewers.manager.userId,
    ).map((u) => u.Id);
    const repCount = (await rep.query('SELECT COUNT() FROM Opportunity')).totalSize;
    expect(repCount).toBe(owned([viewers.rep.userId]));
    expect(repCount).toBeGreaterThan(0);
    expect((await manager.query('SELECT COUNT() FROM Opportunity')).totalSize).toBe(
      owned([viewers.manager.userId, ...team]),
    );
    const all = sql<{ n: number }>(
      running,
      'SELECT count(*) AS n FROM "Opportunity" WHERE "IsDeleted" = 0',
    )[0].n;
    expect((await admin.query('SELECT COUNT() FROM Opportunity')).totalSize).toBe(all);
    expect(owned([viewers.manager.userId, ...team])).toBeLessThan(all);
  });

  it("filters line items by their opportunity's sharing, in subqueries too", async () => {
    const { running, viewers } = demo;
    const expected = sql<{ n: number }>(
      running,
      `SELECT count(*) AS n FROM "OpportunityLineItem" l JOIN "Opportunity" o ON o."Id" = l."OpportunityId"
       WHERE l."IsDeleted" = 0 AND o."OwnerId" = ?`,
      viewers.rep.userId,
    )[0].n;
    expect((await rep.query('SELECT COUNT() FROM OpportunityLineItem')).totalSize).toBe(expected);
    const foreign = sql<{ Id: string }>(
      running,
      'SELECT "Id" FROM "Opportunity" WHERE "OwnerId" <> ? AND "HasOpportunityLineItem" = 1 LIMIT 1',
      viewers.rep.userId,
    )[0].Id;
    const viaAdmin = await admin.query<{ OpportunityLineItems: { totalSize: number } | null }>(
      `SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${foreign}'`,
    );
    expect(viaAdmin.records[0].OpportunityLineItems?.totalSize).toBeGreaterThan(0);
    expect((await rep.query(`SELECT Id FROM Opportunity WHERE Id = '${foreign}'`)).totalSize).toBe(0);
  });

  it('hides an object the user has no Read on, as Salesforce does (INVALID_TYPE)', async () => {
    await expect(rep.query('SELECT Id FROM Sales_Quota__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    await expect(rep.query('SELECT Id FROM SalesOps_Job__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    expect((await ops.query('SELECT COUNT() FROM SalesOps_Job__c')).totalSize).toBe(0);
  });

  it('refuses writes without the object permission or record access', async () => {
    await expect(
      rep.sobject('Commission_Statement__c').create({ Name: 'Forged', External_Key__c: 'CS|forged' }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    // In a collection the refusal is the row's error, the other rows are rolled back with it.
    const rows = await rep
      .sobject('Commission_Statement__c')
      .create([{ Name: 'Forged 1' }, { Name: 'Forged 2' }], { allOrNone: false });
    expect(
      rows.map((r) => (r.success ? 'ok' : (r.errors[0] as unknown as { statusCode: string }).statusCode)),
    ).toEqual(['INSUFFICIENT_ACCESS_OR_READONLY', 'INSUFFICIENT_ACCESS_OR_READONLY']);
    expect(sql(demo.running, `SELECT 1 FROM "Commission_Statement__c" WHERE "Name" LIKE 'Forged%'`)).toEqual(
      [],
    );
    await expect(
      rep.sobject('Commission_Statement__c').update({ Id: statements.mine, Earned__c: 99999 }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    const after = await admin.sobject('Commission_Statement__c').retrieve(statements.mine);
    expect(after.Earned__c).toBe(1000);
  });

  it('lets a rep submit a territory change and their manager approve it; other reps cannot delete it', async () => {
    const { viewers } = demo;
    const [account] = (await rep.query<{ Id: string }>('SELECT Id FROM Account ORDER BY Name LIMIT 1'))
      .records;
    const made = await rep.sobject('Territory_Change_Request__c').create({
      Account__c: account.Id,
      Status__c: 'Submitted',
      Reason__c: 'I cover this region now',
    });
    if (!made.success) throw new Error(JSON.stringify(made));
    const approved = await manager
      .sobject('Territory_Change_Request__c')
      .update({ Id: made.id, Status__c: 'Approved', Approver__c: viewers.manager.userId });
    expect(approved.success).toBe(true);
    // Reps and managers have no Delete on change requests.
    await expect(rep.sobject('Territory_Change_Request__c').destroy(made.id)).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
    });
    const row = await admin.sobject('Territory_Change_Request__c').retrieve(made.id);
    expect(row.Status__c).toBe('Approved');
  });

  it('applies a permission set assigned through the API at once', async () => {
    const { viewers } = demo;
    const [ps] = (
      await admin.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'SalesOps_Admin'")
    ).records;
    // A rep cannot grant themselves more.
    await expect(
      rep
        .sobject('PermissionSetAssignment')
        .create({ AssigneeId: viewers.rep.userId, PermissionSetId: ps.Id }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    expect((await rep.query('SELECT COUNT() FROM Commission_Statement__c')).totalSize).toBe(1);
    const assignment = await admin
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: viewers.rep.userId, PermissionSetId: ps.Id });
    expect(assignment.success).toBe(true);
    try {
      expect((await rep.query('SELECT COUNT() FROM Commission_Statement__c')).totalSize).toBe(3);
    } finally {
      await admin.sobject('PermissionSetAssignment').destroy(assignment.id as string);
    }
    expect((await rep.query('SELECT COUNT() FROM Commission_Statement__c')).totalSize).toBe(1);
  });
});
