// Contract between the widgets (force-app/main/default/lwc) and the embedded org's UI API GraphQL:
// every query a widget sends runs without errors and returns the rows it asks for, in the shape the
// widgets read ({ value, displayValue }, one parent level). Queries are read from the bundles'
// gql`…` literals, so a widget edit that leaves the contract's subset fails here.
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'jsforce';
import { startTestOrg, connect } from '../helpers/org';

const LWC = path.join(__dirname, '..', '..', 'force-app', 'main', 'default', 'lwc');

interface WidgetQuery {
  bundle: string;
  operation: string;
  text: string;
}

function widgetQueries(): WidgetQuery[] {
  const out: WidgetQuery[] = [];
  for (const bundle of fs.readdirSync(LWC)) {
    const file = path.join(LWC, bundle, `${bundle}.js`);
    if (!fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/gql`([\s\S]*?)`/g)) {
      const operation = /query\s+(\w+)/.exec(m[1])?.[1] ?? '?';
      out.push({ bundle, operation, text: m[1] });
    }
  }
  return out;
}

describe('widget GraphQL queries against the embedded org', () => {
  let org: Awaited<ReturnType<typeof startTestOrg>>;
  let conn: Connection;
  let ids: Record<string, string>;

  beforeAll(async () => {
    org = await startTestOrg();
    conn = connect(org);
    const user = (await conn.identity()).user_id;
    const create = async (sobject: string, fields: Record<string, unknown>) =>
      ((await conn.sobject(sobject).create(fields)) as { id: string }).id;
    const territory = await create('Sales_Territory__c', {
      Name: 'DACH',
      External_Key__c: 'TERR|m|EMEA-DACH',
      Territory_Key__c: 'EMEA-DACH',
      Owner_User__c: user,
      Model_State__c: 'Active',
    });
    const statement = await create('Commission_Statement__c', {
      Name: 'Admin FY2026-Q4',
      External_Key__c: `CS|${user}|FY2026-Q4`,
      Rep__c: user,
      Period_Start__c: '2026-10-01',
    });
    const account = await create('Account', { Name: 'Acme', Sales_Territory__c: territory });
    const opportunity = await create('Opportunity', {
      Name: 'Acme renewal',
      StageName: 'Negotiation/Review',
      CloseDate: '2026-12-01',
      AccountId: account,
    });
    await create('Commission_Line__c', {
      External_Key__c: 'CL|1',
      Statement__c: statement,
      Rep__c: user,
      Opportunity__c: opportunity,
      Line_Type__c: 'Projected',
      Amount__c: 3200,
      Credit_Date__c: '2026-12-01',
    });
    await create('SalesOps_Job__c', {
      Type__c: 'Sync',
      Status__c: 'Requested',
      Trigger__c: 'Manual',
      Requested_By__c: user,
    });
    await create('Territory_Change_Request__c', {
      Account__c: account,
      Status__c: 'Submitted',
      From_Territory__c: territory,
      To_Territory_Key__c: 'EMEA-DACH-ENT',
      Effective_Date__c: '2026-12-01',
    });
    await create('Territory_Assignment__c', {
      External_Key__c: 'TA|1',
      Account__c: account,
      Sales_Territory__c: territory,
      Is_Current__c: true,
      Decided_By__c: 'Rule',
      Effective_Start__c: '2026-01-01',
    });
    await create('Forecast_Snapshot__c', {
      External_Key__c: 'FS|2026-11-23|opportunity_revenue|FY2026-Q4|user:mgr|-|commit',
      Owner_Type__c: 'user',
      Owner_User__c: user,
      Forecast_Type__c: 'opportunity_revenue',
      Period_Type__c: 'quarter',
      Category__c: 'commit',
      Amount__c: 5,
      Snapshot_Date__c: '2026-11-23',
      Parent_Key__c: 'FS|parent',
    });
    await create('Sales_KPI__c', {
      Name: 'Quota attainment',
      External_Key__c: 'KPI|1',
      KPI_Id__c: 'quota_attainment',
      Scope_Type__c: 'rep',
      Scope_Key__c: user,
      Scope_User__c: user,
      Period_Type__c: 'quarter',
      Value__c: 0.5,
    });
    ids = { user, territory, statement, account, opportunity };
  });

  afterAll(async () => {
    await org.close();
  });

  function variablesFor(q: WidgetQuery): Record<string, unknown> {
    const all: Record<string, unknown> = {
      first: 20,
      userId: ids.user,
      repId: ids.user,
      recordId: q.operation === 'commissionStatements' ? ids.statement : ids.opportunity,
      statementId: ids.statement,
      territoryId: ids.territory,
      accountId: ids.account,
      forecastType: 'opportunity_revenue',
      periodType: 'quarter',
      parentKeys: ['FS|parent'],
      scopeType: 'rep',
      scopeKey: ids.user,
      kpiIds: ['quota_attainment'],
    };
    return Object.fromEntries(Object.entries(all).filter(([name]) => q.text.includes(`$${name}`)));
  }

  const queries = widgetQueries();

  it('finds the widget queries', () => {
    expect(queries.length).toBeGreaterThanOrEqual(14);
  });

  it.each(queries.map((q) => [`${q.bundle} ${q.operation}`, q] as const))(
    '%s returns its row',
    async (_name, q) => {
      const res = (await conn.request({
        method: 'POST',
        url: '/graphql',
        body: JSON.stringify({ query: q.text, variables: variablesFor(q), operationName: q.operation }),
        headers: { 'content-type': 'application/json' },
      })) as { data: { uiapi: { query: Record<string, { edges: unknown[] }> } }; errors?: unknown[] };
      expect(res.errors ?? []).toEqual([]);
      const [connection] = Object.values(res.data.uiapi.query);
      expect(connection.edges).toHaveLength(1);
    },
  );
});
