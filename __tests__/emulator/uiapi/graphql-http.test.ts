import type { Connection } from 'jsforce';
import { connect } from '../../helpers/org';
import { loginAs, sql, startDemoOrg, type DemoOrg } from '../sharing/viewers';

/** Response bodies are walked freely in expectations. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/**
 * The UI API GraphQL subset of shared-contracts.md over real HTTP, as the widgets' queries run it:
 * response shapes, filters, ordering, paging, totalCount, variables, errors, and the caller's
 * visibility. Statements are written by the admin with known values so expectations are by hand.
 */
describe('POST /services/data/vXX.X/graphql', () => {
  let demo: DemoOrg;
  let admin: Connection;
  let rep: Connection;
  let manager: Connection;
  let otherRepId: string;
  let repName: string;
  const ids: Record<string, string> = {};

  const gql = async (
    conn: Connection,
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ) => {
    const res = await fetch(`${demo.running.instanceUrl}/services/data/v59.0/graphql`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query, variables, operationName }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    return (await res.json()) as {
      data: Loose;
      errors: Array<{ message: string; extensions: { ErrorType: string } }>;
    };
  };

  beforeAll(async () => {
    demo = await startDemoOrg();
    const { running, viewers } = demo;
    admin = connect(running);
    rep = await loginAs(running, viewers.rep.username, viewers.rep.password);
    manager = await loginAs(running, viewers.manager.username, viewers.manager.password);
    repName = viewers.rep.name;
    otherRepId = sql<{ Id: string }>(
      running,
      `SELECT "Id" FROM "User" WHERE "Title" = 'Account Executive' AND "ManagerId" <> ? ORDER BY "Id" LIMIT 1`,
      viewers.manager.userId,
    )[0].Id;
    const rows = [
      {
        key: 'q1',
        owner: viewers.rep.userId,
        period: 'FY2026-Q1',
        earned: 1200.5,
        start: '2026-01-01',
        status: 'Closed',
      },
      {
        key: 'q2',
        owner: viewers.rep.userId,
        period: 'FY2026-Q2',
        earned: 800,
        start: '2026-04-01',
        status: 'Closed',
      },
      {
        key: 'q3',
        owner: viewers.rep.userId,
        period: 'FY2026-Q3',
        earned: 2500.25,
        start: '2026-07-01',
        status: 'Closed',
      },
      {
        key: 'q4',
        owner: viewers.rep.userId,
        period: 'FY2026-Q4',
        earned: null,
        start: '2026-10-01',
        status: 'Open',
      },
      {
        key: 'other',
        owner: otherRepId,
        period: 'FY2026-Q4',
        earned: 999,
        start: '2026-10-01',
        status: 'Open',
      },
    ];
    for (const r of rows) {
      const res = await admin.sobject('Commission_Statement__c').create({
        Name: `${r.key} statement`,
        OwnerId: r.owner,
        Rep__c: r.owner,
        Period_Key__c: r.period,
        Period_Start__c: r.start,
        Period_Status__c: r.status,
        Earned__c: r.earned,
        CurrencyIsoCode: 'EUR',
        External_Key__c: `CS|${r.owner}|${r.period}`,
      });
      if (!res.success) throw new Error(JSON.stringify(res));
      ids[r.key] = res.id;
    }
  }, 60_000);

  afterAll(async () => {
    await demo?.running.close();
  });

  it('answers the contract shape: edges, nodes with value/displayValue, one parent level, totalCount, pageInfo', async () => {
    const body = await gql(
      rep,
      `query statements($status: Picklist) {
        uiapi { query { Commission_Statement__c(where: { Period_Status__c: { eq: $status } }, orderBy: { Period_Key__c: { order: DESC } }, first: 2) {
          edges { cursor node { Id Name { value } Earned__c { value displayValue } Period_Start__c { value displayValue }
                                 Rep__r { Name { value } } } }
          totalCount
          pageInfo { hasNextPage endCursor }
        } } }
      }`,
      { status: 'Closed' },
    );
    expect(body.errors).toEqual([]);
    const conn = body.data.uiapi.query.Commission_Statement__c;
    expect(conn.totalCount).toBe(3);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    expect(conn.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        Id: ids.q3,
        Name: { value: 'q3 statement' },
        Earned__c: { value: 2500.25, displayValue: 'EUR 2,500.25' },
        Period_Start__c: { value: '2026-07-01', displayValue: '7/1/2026' },
        Rep__r: { Name: { value: repName } },
      },
      {
        Id: ids.q2,
        Name: { value: 'q2 statement' },
        Earned__c: { value: 800, displayValue: 'EUR 800.00' },
        Period_Start__c: { value: '2026-04-01', displayValue: '4/1/2026' },
        Rep__r: { Name: { value: repName } },
      },
    ]);
    expect(conn.pageInfo.endCursor).toBe(conn.edges[1].cursor);
  });

  it('pages on with after: endCursor until hasNextPage is false', async () => {
    const page = async (after: string | null) =>
      (
        await gql(
          rep,
          `query p($after: String) { uiapi { query { Commission_Statement__c(first: 3, after: $after, orderBy: { Period_Key__c: { order: ASC } }) {
            edges { node { Period_Key__c { value } } } pageInfo { hasNextPage hasPreviousPage endCursor } } } } }`,
          { after },
        )
      ).data.uiapi.query.Commission_Statement__c;
    const one = await page(null);
    expect(
      one.edges.map((e: { node: { Period_Key__c: { value: string } } }) => e.node.Period_Key__c.value),
    ).toEqual(['FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3']);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const two = await page(one.pageInfo.endCursor);
    expect(
      two.edges.map((e: { node: { Period_Key__c: { value: string } } }) => e.node.Period_Key__c.value),
    ).toEqual(['FY2026-Q4']);
    expect(two.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('filters with and / or / not, in, nin, like, ranges, nulls and a parent field', async () => {
    const keys = async (where: string) => {
      const body = await gql(
        rep,
        `{ uiapi { query { Commission_Statement__c(where: ${where}, orderBy: { Period_Key__c: { order: ASC } }) { edges { node { Period_Key__c { value } } } } } } }`,
      );
      expect(body.errors).toEqual([]);
      return body.data.uiapi.query.Commission_Statement__c.edges.map(
        (e: { node: { Period_Key__c: { value: string } } }) => e.node.Period_Key__c.value,
      );
    };
    expect(await keys('{ Earned__c: { gte: 800, lt: 2500.25 } }')).toEqual(['FY2026-Q1', 'FY2026-Q2']);
    expect(
      await keys('{ or: [{ Period_Key__c: { eq: "FY2026-Q1" } }, { Earned__c: { eq: null } }] }'),
    ).toEqual(['FY2026-Q1', 'FY2026-Q4']);
    expect(await keys('{ not: { Period_Key__c: { in: ["FY2026-Q1", "FY2026-Q2"] } } }')).toEqual([
      'FY2026-Q3',
      'FY2026-Q4',
    ]);
    expect(await keys('{ Period_Key__c: { nin: ["FY2026-Q1"] }, Name: { like: "q_ stat%" } }')).toEqual([
      'FY2026-Q2',
      'FY2026-Q3',
      'FY2026-Q4',
    ]);
    expect(await keys('{ Period_Start__c: { gt: { value: "2026-04-01" } } }')).toEqual([
      'FY2026-Q3',
      'FY2026-Q4',
    ]);
    expect(await keys(`{ Rep__r: { Name: { eq: "${repName}" } }, Period_Key__c: { in: [] } }`)).toEqual([]);
    expect(await keys('{ and: [{ Earned__c: { ne: null } }, { Earned__c: { gt: 1000 } }] }')).toEqual([
      'FY2026-Q1',
      'FY2026-Q3',
    ]);
  });

  it('keeps a value that tries to break out of its literal inside it', async () => {
    const body = await gql(
      rep,
      `query q($name: String) { uiapi { query { Commission_Statement__c(where: { Name: { eq: $name } }) { totalCount } } } }`,
      { name: "x' OR Name != 'y" },
    );
    expect(body.errors).toEqual([]);
    expect(body.data.uiapi.query.Commission_Statement__c.totalCount).toBe(0);
  });

  it("honours the caller's visibility: the rep sees 4 statements, the manager 4, the admin 5", async () => {
    const count = async (conn: Connection) =>
      (await gql(conn, '{ uiapi { query { Commission_Statement__c { totalCount } } } }')).data.uiapi.query
        .Commission_Statement__c.totalCount;
    expect(await count(rep)).toBe(4);
    expect(await count(manager)).toBe(4);
    expect(await count(admin)).toBe(5);
    const other = await gql(
      rep,
      'query one($recordId: ID) { uiapi { query { Commission_Statement__c(where: { Id: { eq: $recordId } }) { edges { node { Id } } } } } }',
      { recordId: ids.other },
    );
    expect(other.data.uiapi.query.Commission_Statement__c.edges).toEqual([]);
  });

  it('answers an object the user cannot read as undefined in their schema', async () => {
    const body = await gql(rep, '{ uiapi { query { Sales_Quota__c { edges { node { Id } } } } } }');
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toContain("Field 'Sales_Quota__c' in type 'RecordQuery' is undefined");
    expect(body.errors[0].extensions.ErrorType).toBe('ValidationError');
    const adminBody = await gql(
      admin,
      '{ uiapi { query { Sales_Quota__c(first: 1) { edges { node { Id } } } } } }',
    );
    expect(adminBody.errors).toEqual([]);
  });

  it('reports syntax errors, unknown fields and child relationships in errors[]', async () => {
    const syntax = await gql(rep, '{ uiapi { query { Account { edges { node { Id } } }');
    expect(syntax.data).toBeNull();
    expect(syntax.errors[0].extensions.ErrorType).toBe('InvalidSyntax');
    const unknown = await gql(
      rep,
      '{ uiapi { query { Account { edges { node { Nope__c { value } } } } } } }',
    );
    expect(unknown.errors[0].message).toContain("Field 'Nope__c' in type 'Account' is undefined");
    const scalar = await gql(rep, '{ uiapi { query { Account { edges { node { Name } } } } } }');
    expect(scalar.errors[0].message).toContain('Sub selection required');
    const child = await gql(
      rep,
      '{ uiapi { query { Account { edges { node { Opportunities { edges { node { Id } } } } } } } } }',
    );
    expect(child.errors[0].message).toContain('child relationships are not supported');
    const badFilter = await gql(
      rep,
      '{ uiapi { query { Account(where: { NumberOfEmployees: { eq: "ten" } }) { totalCount } } } }',
    );
    expect(badFilter.errors[0].message).toContain('NumberOfEmployees takes a number');
    const mutation = await gql(rep, 'mutation { uiapi { x } }');
    expect(mutation.errors[0].extensions.ErrorType).toBe('OperationNotSupported');
  });

  it('supports aliases, fragments, __typename, @include and an operation picked by name', async () => {
    const body = await gql(
      rep,
      `fragment S on Commission_Statement__c { Period_Key__c { v: value } }
       query other { uiapi { query { Account(first: 1) { totalCount } } } }
       query mine($withName: Boolean = false) { uiapi { __typename query {
         open: Commission_Statement__c(where: { Period_Status__c: { eq: "Open" } }) { __typename edges { node { __typename ...S Name @include(if: $withName) { value } } } }
       } } }`,
      {},
      'mine',
    );
    expect(body.errors).toEqual([]);
    expect(body.data).toEqual({
      uiapi: {
        __typename: 'UIAPI',
        query: {
          open: {
            __typename: 'Commission_Statement__cConnection',
            edges: [{ node: { __typename: 'Commission_Statement__c', Period_Key__c: { v: 'FY2026-Q4' } } }],
          },
        },
      },
    });
  });

  it("shows datetimes in the viewer's time zone (the ops admin's is America/Los_Angeles)", async () => {
    const { running, viewers } = demo;
    const ops = await loginAs(running, viewers['ops-admin'].username, viewers['ops-admin'].password);
    const job = await admin.sobject('SalesOps_Job__c').create({
      Type__c: 'Sync',
      Status__c: 'Succeeded',
      Started_At__c: '2026-11-12T15:30:00.000Z',
    });
    if (!job.success) throw new Error(JSON.stringify(job));
    const body = await gql(
      ops,
      'query j($id: ID) { uiapi { query { SalesOps_Job__c(where: { Id: { eq: $id } }) { edges { node { Started_At__c { value displayValue } Type__c { displayValue } } } } } } }',
      { id: job.id },
    );
    expect(body.errors).toEqual([]);
    expect(body.data.uiapi.query.SalesOps_Job__c.edges).toEqual([
      {
        node: {
          Started_At__c: { value: '2026-11-12T15:30:00.000Z', displayValue: '11/12/2026, 7:30 AM' },
          Type__c: { displayValue: 'Sync' },
        },
      },
    ]);
  });

  it("orders by a parent's field and formats picklists, dates and datetimes", async () => {
    const { running, viewers } = demo;
    const expected = sql<{ Name: string }>(
      running,
      `SELECT o."Name" FROM "Opportunity" o JOIN "Account" a ON a."Id" = o."AccountId"
       WHERE o."OwnerId" = ? AND o."IsDeleted" = 0 ORDER BY a."Name" DESC, o."Amount" DESC, o.rowid LIMIT 3`,
      viewers.rep.userId,
    ).map((r) => r.Name);
    const body = await gql(
      rep,
      `{ uiapi { query { Opportunity(first: 3, orderBy: [{ Account: { Name: { order: DESC } } }, { Amount: { order: DESC } }]) {
         edges { node { Name { value } StageName { value displayValue } CreatedDate { value displayValue } } } } } } }`,
    );
    expect(body.errors).toEqual([]);
    const nodes = body.data.uiapi.query.Opportunity.edges.map(
      (e: {
        node: {
          Name: { value: string };
          StageName: { value: string; displayValue: string };
          CreatedDate: { value: string };
        };
      }) => e.node,
    );
    expect(nodes.map((n: { Name: { value: string } }) => n.Name.value)).toEqual(expected);
    for (const n of nodes) {
      expect(n.StageName.displayValue).toBe(n.StageName.value);
      expect(n.CreatedDate.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    }
  });
});
