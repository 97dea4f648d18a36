import { setPassword } from '../../../emulator/src/bootstrap';
import { postForm } from '../auth-helpers';
import { demoViewersOf, ensureDemoViewers, listDemoViewers } from '../../../emulator/src/seed';
import { connect } from '../../helpers/org';
import { loginAs, sql, startDemoOrg, type DemoOrg } from './viewers';

describe('demo viewers', () => {
  let demo: DemoOrg;

  beforeAll(async () => {
    demo = await startDemoOrg();
  }, 60_000);

  afterAll(async () => {
    await demo?.running.close();
  });

  it('lists the documented usernames and passwords without an org', () => {
    expect(listDemoViewers().map((v) => [v.username, v.password, v.role])).toEqual([
      ['rep@salesops.demo', 'salesops-rep-1', 'rep'],
      ['manager@salesops.demo', 'salesops-manager-1', 'manager'],
      ['ops@salesops.demo', 'salesops-ops-1', 'ops-admin'],
    ]);
  });

  it("makes the rep an Account Executive, the manager that rep's manager, the ops admin a role-less user", () => {
    const { running, viewers } = demo;
    const user = (id: string) =>
      sql<{ Title: string; ManagerId: string | null; UserRoleId: string | null; Name: string }>(
        running,
        'SELECT "Title", "ManagerId", "UserRoleId", "Name" FROM "User" WHERE "Id" = ?',
        id,
      )[0];
    expect(user(viewers.rep.userId).Title).toBe('Account Executive');
    expect(user(viewers.rep.userId).ManagerId).toBe(viewers.manager.userId);
    expect(user(viewers.manager.userId).Title).toBe('Sales Manager');
    expect(user(viewers['ops-admin'].userId)).toMatchObject({ UserRoleId: null, Name: 'Olivia Ops' });
    expect(viewers.rep.label).toBe(`Sales rep: ${user(viewers.rep.userId).Name}`);
    const sets = (id: string) =>
      sql<{ Name: string }>(
        running,
        'SELECT p."Name" FROM "PermissionSetAssignment" a JOIN "PermissionSet" p ON p."Id" = a."PermissionSetId" WHERE a."AssigneeId" = ? ORDER BY 1',
        id,
      ).map((r) => r.Name);
    expect(sets(viewers.rep.userId)).toEqual(['SalesOps_Rep']);
    expect(sets(viewers.manager.userId)).toEqual(['SalesOps_Manager']);
    expect(sets(viewers['ops-admin'].userId)).toEqual(['SalesOps_Admin']);
    expect(sets(running.integrationUserId)).toEqual(['SalesOps_Integration']);
    // Every generated seller can be viewed as: 12 reps with Rep; 3 managers, 3 VPs and the CRO with Manager.
    const counts = sql<{ Name: string; n: number }>(
      running,
      'SELECT p."Name", count(*) AS n FROM "PermissionSetAssignment" a JOIN "PermissionSet" p ON p."Id" = a."PermissionSetId" GROUP BY 1 ORDER BY 1',
    );
    expect(counts).toEqual([
      { Name: 'SalesOps_Admin', n: 2 },
      { Name: 'SalesOps_Integration', n: 1 },
      { Name: 'SalesOps_Manager', n: 7 },
      { Name: 'SalesOps_Rep', n: 12 },
    ]);
  });

  it('is idempotent: a second run adds no user and no assignment', () => {
    const { running, viewers } = demo;
    const before = sql<{ u: number; a: number }>(
      running,
      'SELECT (SELECT count(*) FROM "User") AS u, (SELECT count(*) FROM "PermissionSetAssignment") AS a',
    )[0];
    const again = ensureDemoViewers(running.org);
    expect(again.map((v) => v.userId)).toEqual([
      viewers.rep.userId,
      viewers.manager.userId,
      viewers['ops-admin'].userId,
    ]);
    expect(demoViewersOf(running.org)).toEqual(again);
    expect(
      sql(
        running,
        'SELECT (SELECT count(*) FROM "User") AS u, (SELECT count(*) FROM "PermissionSetAssignment") AS a',
      )[0],
    ).toEqual(before);
  });

  it('logs each viewer in with the OAuth password grant, and the session is theirs', async () => {
    const { running } = demo;
    for (const v of Object.values(demo.viewers)) {
      const res = await postForm(`${running.loginUrl}/services/oauth2/token`, {
        grant_type: 'password',
        client_id: running.clientId,
        client_secret: running.clientSecret,
        username: v.username,
        password: v.password,
      });
      expect(res.status).toBe(200);
      expect(String(res.body.id)).toMatch(new RegExp(`/${v.userId}$`));
    }
    const wrong = await postForm(`${running.loginUrl}/services/oauth2/token`, {
      grant_type: 'password',
      client_id: running.clientId,
      client_secret: running.clientSecret,
      username: 'rep@salesops.demo',
      password: 'salesops-demo-1',
    });
    expect(wrong.status).toBe(400);
  });

  it("lets a VP see the region's opportunities through two role levels, and keeps peers apart", async () => {
    const { running, viewers } = demo;
    const vp = sql<{ Id: string; Username: string }>(
      running,
      'SELECT v."Id", v."Username" FROM "User" v JOIN "User" m ON m."ManagerId" = v."Id" WHERE m."Id" = ?',
      viewers.manager.userId,
    )[0];
    setPassword(running.org, vp.Username, 'vp-pass-1');
    const vpConn = await loginAs(running, vp.Username, 'vp-pass-1');
    const region = sql<{ n: number }>(
      running,
      `WITH RECURSIVE team(id) AS (SELECT ? UNION SELECT u."Id" FROM "User" u JOIN team ON u."ManagerId" = team.id)
       SELECT count(*) AS n FROM "Opportunity" WHERE "IsDeleted" = 0 AND "OwnerId" IN (SELECT id FROM team)`,
      vp.Id,
    )[0].n;
    expect((await vpConn.query('SELECT COUNT() FROM Opportunity')).totalSize).toBe(region);
    const peer = sql<{ Id: string }>(
      running,
      `SELECT "Id" FROM "User" WHERE "ManagerId" = ? AND "Id" <> ? AND "Title" = 'Account Executive' LIMIT 1`,
      viewers.manager.userId,
      viewers.rep.userId,
    )[0].Id;
    const rep = await loginAs(running, viewers.rep.username, viewers.rep.password);
    const peerDeals = await rep.query(`SELECT COUNT() FROM Opportunity WHERE OwnerId = '${peer}'`);
    expect(peerDeals.totalSize).toBe(0);
    const viaAdmin = await connect(running).query(
      `SELECT COUNT() FROM Opportunity WHERE OwnerId = '${peer}'`,
    );
    expect(viaAdmin.totalSize).toBeGreaterThan(0);
  });
});
