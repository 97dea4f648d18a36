import path from 'node:path';
import type { Connection } from 'jsforce';
import { loadMetadata } from '../../emulator/src/schema/metadata-loader';
import type { RunningOrg } from '../../emulator/src/server';
import { connect, startTestOrg } from '../helpers/org';

// The embedded org reads force-app at start: what the tests run against is what would be deployed.
const FORCE_APP = path.resolve(__dirname, '..', '..', 'force-app');

const RESULT_OBJECTS = [
  'Sales_Territory__c',
  'Territory_Assignment__c',
  'Forecast_Snapshot__c',
  'Sales_KPI__c',
  'Commission_Statement__c',
  'Commission_Line__c',
];

let org: RunningOrg;
let conn: Connection;
let repId: string;
let accountId: string;
let opportunityId: string;

beforeAll(async () => {
  org = await startTestOrg();
  conn = connect(org);
  const user = await conn.query<{ Id: string }>('SELECT Id FROM User WHERE IsActive = true LIMIT 1');
  repId = user.records[0].Id;
  const acc = await conn.sobject('Account').create({ Name: 'Metadata Test GmbH' });
  accountId = (acc as { id: string }).id;
  const opp = await conn.sobject('Opportunity').create({
    Name: 'Metadata Test Deal',
    AccountId: accountId,
    StageName: 'Prospecting',
    CloseDate: '2026-06-30',
    Amount: 120000,
  });
  opportunityId = (opp as { id: string }).id;
});

afterAll(async () => {
  await org?.close();
});

describe('the metadata as the embedded org loads it', () => {
  const loaded = loadMetadata([FORCE_APP]);
  const byName = new Map(loaded.customObjects.map((o) => [o.name, o]));

  it('has every result object with the sharing model of the contract', () => {
    expect(RESULT_OBJECTS.map((n) => [n, byName.get(n)?.sharingModel])).toEqual([
      ['Sales_Territory__c', 'Read'],
      ['Territory_Assignment__c', 'Read'],
      ['Forecast_Snapshot__c', 'Read'],
      ['Sales_KPI__c', 'Read'],
      ['Commission_Statement__c', 'Private'],
      ['Commission_Line__c', 'Private'],
    ]);
  });

  it('adds the territory lookup to Account', () => {
    const field = loaded.standardObjectFields.get('Account')?.find((f) => f.name === 'Sales_Territory__c');
    expect(field).toMatchObject({
      type: 'reference',
      referenceTo: ['Sales_Territory__c'],
      relationshipName: 'Sales_Territory__r',
      childRelationshipName: 'Accounts__r',
    });
  });
});

describe('describe over the REST API', () => {
  it.each(RESULT_OBJECTS)('%s has a unique, case-sensitive external-id External_Key__c', async (name) => {
    const d = await conn.sobject(name).describe();
    const key = d.fields.find((f) => f.name === 'External_Key__c');
    expect(key).toMatchObject({
      type: 'string',
      length: 255,
      externalId: true,
      unique: true,
      caseSensitive: true,
      idLookup: true,
    });
    // Owned objects: the write-back sets OwnerId on commission records.
    expect(d.fields.some((f) => f.name === 'OwnerId')).toBe(true);
    expect(d.fields.some((f) => f.name === 'CurrencyIsoCode')).toBe(true);
  });

  it('describes typed fields the way a real org would', async () => {
    const st = await conn.sobject('Sales_Territory__c').describe();
    const f = (n: string) => st.fields.find((x) => x.name === n);
    expect(f('Open_Pipeline__c')).toMatchObject({ type: 'currency', precision: 18, scale: 2 });
    expect(f('Coverage_Ratio__c')).toMatchObject({ type: 'double', precision: 8, scale: 2 });
    expect(f('Parent_Territory__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Sales_Territory__c'],
      relationshipName: 'Parent_Territory__r',
    });
    expect(f('Model_State__c')?.picklistValues?.map((v) => v.value)).toEqual([
      'Planning',
      'Active',
      'Archived',
    ]);
    expect(st.childRelationships.map((c) => c.relationshipName)).toEqual(
      expect.arrayContaining(['Child_Territories__r', 'Assignments__r', 'Accounts__r']),
    );
    const line = await conn.sobject('Commission_Line__c').describe();
    expect(line.fields.find((x) => x.name === 'Rate__c')).toMatchObject({
      type: 'percent',
      precision: 8,
      scale: 4,
    });
    expect(line.fields.find((x) => x.name === 'Name')).toMatchObject({ autoNumber: true });
  });

  it('has the new picklist values on the existing objects', async () => {
    const job = await conn.sobject('SalesOps_Job__c').describe();
    const values = (obj: typeof job, n: string) =>
      obj.fields.find((x) => x.name === n)?.picklistValues?.map((v) => v.value);
    expect(values(job, 'Status__c')).toEqual([
      'Requested',
      'Queued',
      'Running',
      'Succeeded',
      'Failed',
      'Cancelled',
    ]);
    expect(values(job, 'Trigger__c')).toEqual(['Manual', 'Schedule', 'CLI', 'API']);
    const tcr = await conn.sobject('Territory_Change_Request__c').describe();
    expect(values(tcr, 'Status__c')).toEqual([
      'Draft',
      'Submitted',
      'Approved',
      'Rejected',
      'Applied',
      'Failed',
      'Invalid',
    ]);
    expect(values(tcr, 'Source__c')).toEqual(['Balancing', 'Rep', 'Manager', 'Ops']);
  });
});

describe('writing and reading a record of each object', () => {
  it('upserts a territory hierarchy by external key and points an account at it', async () => {
    const parent = {
      Name: 'EMEA',
      External_Key__c: 'TERR|FY26|EMEA',
      Territory_Key__c: 'EMEA',
      Model__c: 'FY26',
      Model_State__c: 'Active',
      Type_Priority__c: 10,
      Open_Pipeline__c: 1000000.5,
      CurrencyIsoCode: 'EUR',
    };
    const r1 = await conn.sobject('Sales_Territory__c').upsert(parent, 'External_Key__c');
    expect(r1.success).toBe(true);
    const r2 = await conn.sobject('Sales_Territory__c').upsert(
      {
        Name: 'DACH',
        External_Key__c: 'TERR|FY26|EMEA-DACH',
        Territory_Key__c: 'EMEA-DACH',
        Parent_Territory__r: { External_Key__c: 'TERR|FY26|EMEA' },
        Owner_User__c: repId,
        Coverage_Ratio__c: 3.25,
        Effective_Start__c: '2026-02-01',
      },
      'External_Key__c',
    );
    expect(r2.success).toBe(true);
    const child = await conn.query<{
      Parent_Territory__r: { Territory_Key__c: string };
      Coverage_Ratio__c: number;
    }>(
      "SELECT Parent_Territory__r.Territory_Key__c, Coverage_Ratio__c FROM Sales_Territory__c WHERE External_Key__c = 'TERR|FY26|EMEA-DACH'",
    );
    expect(child.records[0].Parent_Territory__r.Territory_Key__c).toBe('EMEA');
    expect(child.records[0].Coverage_Ratio__c).toBe(3.25);

    const dach = await conn.query<{ Id: string }>(
      "SELECT Id FROM Sales_Territory__c WHERE Territory_Key__c = 'EMEA-DACH'",
    );
    await conn.sobject('Account').update({ Id: accountId, Sales_Territory__c: dach.records[0].Id });
    const acc = await conn.query<{ Sales_Territory__r: { Name: string } }>(
      `SELECT Sales_Territory__r.Name FROM Account WHERE Id = '${accountId}'`,
    );
    expect(acc.records[0].Sales_Territory__r.Name).toBe('DACH');
  });

  it('sets the account territory through the territory external key, as the write-back does', async () => {
    const res = (await conn.requestPatch(`/services/data/v59.0/composite/sobjects`, {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Account' },
          Id: accountId,
          Sales_Territory__r: { External_Key__c: 'TERR|FY26|EMEA' },
        },
      ],
    })) as { success: boolean; errors: unknown[] }[];
    expect(res).toEqual([expect.objectContaining({ success: true })]);
    const acc = await conn.query<{ Sales_Territory__r: { Territory_Key__c: string } }>(
      `SELECT Sales_Territory__r.Territory_Key__c FROM Account WHERE Id = '${accountId}'`,
    );
    expect(acc.records[0].Sales_Territory__r.Territory_Key__c).toBe('EMEA');
  });

  it('keys differing only in case are different records (case-sensitive unique key)', async () => {
    await conn
      .sobject('Sales_Territory__c')
      .upsert(
        { Name: 'emea lower', External_Key__c: 'TERR|FY26|emea', Territory_Key__c: 'emea' },
        'External_Key__c',
      );
    const both = await conn.query<{ Territory_Key__c: string }>(
      "SELECT Territory_Key__c FROM Sales_Territory__c WHERE External_Key__c LIKE 'TERR|FY26|%'",
    );
    expect(both.records.map((r) => r.Territory_Key__c).sort()).toEqual(['EMEA', 'EMEA-DACH', 'emea']);
  });

  it('writes a territory assignment with lookups to account, opportunity and territory', async () => {
    const res = await conn.sobject('Territory_Assignment__c').upsert(
      {
        External_Key__c: `TA|FY26|${accountId}|EMEA-DACH|2026-02-01`,
        Assignment_Type__c: 'Account',
        Account__c: accountId,
        Opportunity__c: opportunityId,
        Sales_Territory__r: { External_Key__c: 'TERR|FY26|EMEA-DACH' },
        Territory_Key__c: 'EMEA-DACH',
        Effective_Start__c: '2026-02-01',
        Is_Current__c: true,
        Decided_By__c: 'Tie-Break',
        Trace__c: 'Matched 2 rules; the tie-break decided.\n{"rules":["r1","r2"]}',
      },
      'External_Key__c',
    );
    expect(res.success).toBe(true);
    const q = await conn.query<{
      Name: string;
      Sales_Territory__r: { Name: string };
      Is_Current__c: boolean;
    }>('SELECT Name, Sales_Territory__r.Name, Is_Current__c FROM Territory_Assignment__c');
    expect(q.records).toHaveLength(1);
    expect(q.records[0].Name).toMatch(/^TA-\d{7}$/);
    expect(q.records[0].Sales_Territory__r.Name).toBe('DACH');
    expect(q.records[0].Is_Current__c).toBe(true);
  });

  it('writes a forecast snapshot and a KPI', async () => {
    const fs = await conn.sobject('Forecast_Snapshot__c').create({
      External_Key__c: 'FC|rev|FY2026-Q2|user:x|commit',
      Snapshot_Date__c: '2026-04-06',
      As_Of__c: '2026-04-08',
      Period_Type__c: 'quarter',
      Period_Key__c: 'FY2026-Q2',
      Owner_Type__c: 'user',
      Owner_User__c: repId,
      Category__c: 'commit',
      Unit__c: 'currency',
      Amount__c: 250000,
      Quota__c: 200000,
      Attainment__c: 125,
    });
    expect(fs.success).toBe(true);
    const kpi = await conn.sobject('Sales_KPI__c').create({
      Name: 'Win rate',
      External_Key__c: 'KPI|winRate|v1|FY2026-Q2|rep:x|-',
      KPI_Id__c: 'winRate',
      KPI_Version__c: 1,
      Unit__c: 'ratio',
      Period_Type__c: 'quarter',
      Period_Complete__c: false,
      Scope_Type__c: 'rep',
      Scope_User__c: repId,
      Value__c: 0.3333,
      Numerator__c: 1,
      Denominator__c: 3,
    });
    expect(kpi.success).toBe(true);
    const f = await conn.query<{ Attainment__c: number; Owner_User__r: { Id: string } }>(
      'SELECT Attainment__c, Owner_User__r.Id FROM Forecast_Snapshot__c',
    );
    expect(f.records[0].Attainment__c).toBe(125);
    const k = await conn.query<{ Value__c: number; Scope_Type__c: string }>(
      'SELECT Value__c, Scope_Type__c FROM Sales_KPI__c',
    );
    expect(k.records[0]).toMatchObject({ Value__c: 0.3333, Scope_Type__c: 'rep' });
  });

  it('rejects a value outside a restricted picklist', async () => {
    await expect(
      conn.sobject('Sales_KPI__c').create({ Name: 'x', Unit__c: 'furlongs' }),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });
  });

  it('writes a commission statement owned by the rep and a line under it', async () => {
    const st = await conn.sobject('Commission_Statement__c').upsert(
      {
        Name: 'Rep FY2026-Q2',
        External_Key__c: `CS|${repId}|FY2026-Q2`,
        OwnerId: repId,
        Rep__c: repId,
        Period_Key__c: 'FY2026-Q2',
        Period_Status__c: 'Open',
        Earned__c: 4800,
        Attainment__c: 112.5,
        Attainment_Basis__c: 'Year to date',
        CurrencyIsoCode: 'USD',
      },
      'External_Key__c',
    );
    expect(st.success).toBe(true);
    const line = await conn.sobject('Commission_Line__c').upsert(
      {
        External_Key__c: `CL|${repId}|FY2026-Q2|deal|${opportunityId}|1`,
        OwnerId: repId,
        Statement__r: { External_Key__c: `CS|${repId}|FY2026-Q2` },
        Rep__c: repId,
        Opportunity__c: opportunityId,
        Line_Type__c: 'Commission',
        Split_Percent__c: 50,
        Credited_Amount__c: 60000,
        Rate__c: 8,
        Amount__c: 4800,
      },
      'External_Key__c',
    );
    expect(line.success).toBe(true);
    const q = await conn.query<{
      Name: string;
      OwnerId: string;
      Statement__r: { Earned__c: number };
      Rate__c: number;
    }>('SELECT Name, OwnerId, Statement__r.Earned__c, Rate__c FROM Commission_Line__c');
    expect(q.records[0]).toMatchObject({ OwnerId: repId, Rate__c: 8, Statement__r: { Earned__c: 4800 } });
    expect(q.records[0].Name).toMatch(/^CL-\d{8}$/);
  });

  it('writes the new change-request and job fields', async () => {
    const tcr = await conn.sobject('Territory_Change_Request__c').create({
      Account__c: accountId,
      From_Territory_Key__c: 'EMEA-DACH',
      To_Territory_Key__c: 'EMEA',
      Status__c: 'Invalid',
      Source__c: 'Balancing',
      Accounts_Moved__c: 3,
      Pipeline_Moved__c: 42000.25,
      Impact_Summary__c: 'EMEA-DACH −3 accounts',
    });
    expect(tcr.success).toBe(true);
    const job = await conn.sobject('SalesOps_Job__c').create({
      Type__c: 'Cycle',
      Status__c: 'Queued',
      Trigger__c: 'CLI',
      Records_Failed__c: 2,
      Api_Calls_Minimum__c: 12,
      Api_Budget_Used__c: 1.5,
      Run_Id__c: 'run-2026-11-27-0001',
    });
    expect(job.success).toBe(true);
    const j = await conn.query<{ Status__c: string; Api_Budget_Used__c: number }>(
      "SELECT Status__c, Api_Budget_Used__c FROM SalesOps_Job__c WHERE Run_Id__c = 'run-2026-11-27-0001'",
    );
    expect(j.records[0]).toMatchObject({ Status__c: 'Queued', Api_Budget_Used__c: 1.5 });
  });
});
