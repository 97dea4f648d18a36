import type { DescribeGlobalResult, DescribeSObjectResult, Field } from 'jsforce';
import { MASTER_RECORD_TYPE_ID } from '../../emulator/src/schema/describe';
import { STAGES } from '../../emulator/src/schema/standard-objects';
import type { RunningOrg } from '../../emulator/src/server';
import { RowWriter } from '../../emulator/src/store/row-writer';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';

const base = `/services/data/v${API_VERSION}`;

describe('describe through jsforce', () => {
  let running: RunningOrg;
  let global: DescribeGlobalResult;
  let opportunity: DescribeSObjectResult;
  const fieldOf = (d: DescribeSObjectResult, name: string): Field => {
    const f = d.fields.find((x) => x.name === name);
    if (!f) throw new Error(`${d.name} has no field ${name}`);
    return f;
  };

  beforeAll(async () => {
    running = await startTestOrg();
    const conn = connect(running);
    global = await conn.describeGlobal();
    opportunity = await conn.sobject('Opportunity').describe();
  });
  afterAll(() => running.close());

  it('describeGlobal lists every object with its flags and urls but no fields', () => {
    expect(global.encoding).toBe('UTF-8');
    expect(global.maxBatchSize).toBe(200);
    const names = global.sobjects.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Account',
        'Opportunity',
        'OpportunityLineItem',
        'OpportunityHistory',
        'Period',
        'Sales_Quota__c',
        'SalesOps_Job__c',
      ]),
    );
    for (const s of global.sobjects) expect(Object.keys(s)).not.toContain('fields');
    expect(global.sobjects.find((s) => s.name === 'Account')).toMatchObject({
      label: 'Account',
      labelPlural: 'Accounts',
      keyPrefix: '001',
      custom: false,
      queryable: true,
      createable: true,
      updateable: true,
      deletable: true,
      retrieveable: true,
      searchable: true,
      replicateable: true,
      layoutable: true,
      triggerable: true,
      urls: {
        sobject: `${base}/sobjects/Account`,
        describe: `${base}/sobjects/Account/describe`,
        rowTemplate: `${base}/sobjects/Account/{ID}`,
      },
    });
    const quota = global.sobjects.find((s) => s.name === 'Sales_Quota__c');
    expect(quota).toMatchObject({ custom: true, label: 'Sales Quota', labelPlural: 'Sales Quotas' });
    expect(quota?.keyPrefix).toMatch(/^a0[0-9a-z]$/);
    expect(global.sobjects.find((s) => s.name === 'OpportunityHistory')).toMatchObject({
      createable: false,
      updateable: false,
      deletable: false,
      queryable: true,
    });
  });

  it('describes Opportunity with Salesforce field properties', () => {
    expect(opportunity).toMatchObject({
      name: 'Opportunity',
      keyPrefix: '006',
      custom: false,
      createable: true,
      undeletable: true,
    });
    expect(fieldOf(opportunity, 'Id')).toMatchObject({
      type: 'id',
      soapType: 'tns:ID',
      nillable: false,
      idLookup: true,
      createable: false,
      length: 18,
    });
    expect(fieldOf(opportunity, 'AccountId')).toMatchObject({
      type: 'reference',
      soapType: 'tns:ID',
      referenceTo: ['Account'],
      relationshipName: 'Account',
      nillable: true,
      createable: true,
      updateable: true,
      cascadeDelete: false,
    });
    expect(fieldOf(opportunity, 'OwnerId')).toMatchObject({
      relationshipName: 'Owner',
      defaultedOnCreate: true,
      nillable: false,
    });
    expect(fieldOf(opportunity, 'Amount')).toMatchObject({
      type: 'currency',
      soapType: 'xsd:double',
      precision: 18,
      scale: 2,
      length: 0,
      digits: 0,
    });
    expect(fieldOf(opportunity, 'CloseDate')).toMatchObject({
      type: 'date',
      soapType: 'xsd:date',
      nillable: false,
    });
    expect(fieldOf(opportunity, 'CreatedDate')).toMatchObject({
      type: 'datetime',
      soapType: 'xsd:dateTime',
      createable: false,
      updateable: false,
    });
    expect(fieldOf(opportunity, 'IsWon')).toMatchObject({
      type: 'boolean',
      soapType: 'xsd:boolean',
      nillable: false,
      defaultValue: false,
    });
    expect(fieldOf(opportunity, 'FiscalYear')).toMatchObject({ type: 'int', soapType: 'xsd:int', digits: 4 });
    expect(fieldOf(opportunity, 'Name')).toMatchObject({
      type: 'string',
      soapType: 'xsd:string',
      length: 120,
      byteLength: 360,
      nameField: true,
    });
    expect(fieldOf(opportunity, 'Description')).toMatchObject({
      type: 'textarea',
      filterable: false,
      sortable: false,
      extraTypeInfo: 'plaintextarea',
    });
    const stage = fieldOf(opportunity, 'StageName');
    expect(stage).toMatchObject({
      type: 'picklist',
      restrictedPicklist: false,
      nillable: false,
      defaultValue: null,
    });
    expect(stage.picklistValues?.map((p) => p.value)).toEqual(STAGES.map((s) => s.name));
    expect(stage.picklistValues?.[0]).toEqual({
      active: true,
      defaultValue: false,
      label: 'Prospecting',
      validFor: null,
      value: 'Prospecting',
    });
    expect(fieldOf(opportunity, 'CurrencyIsoCode')).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
    });
  });

  it('lists child relationships in Salesforce shape', () => {
    expect(opportunity.childRelationships).toEqual(
      expect.arrayContaining([
        {
          cascadeDelete: true,
          childSObject: 'OpportunityLineItem',
          deprecatedAndHidden: false,
          field: 'OpportunityId',
          junctionIdListNames: [],
          junctionReferenceTo: [],
          relationshipName: 'OpportunityLineItems',
          restrictedDelete: false,
        },
        expect.objectContaining({
          childSObject: 'OpportunityHistory',
          field: 'OpportunityId',
          relationshipName: 'OpportunityHistories',
        }),
        expect.objectContaining({
          childSObject: 'OpportunityFieldHistory',
          field: 'OpportunityId',
          relationshipName: 'Histories',
        }),
      ]),
    );
  });

  it('gives Account its Opportunities and Contacts children and the Master record type', async () => {
    const account = await connect(running).sobject('Account').describe();
    const rels = account.childRelationships.map((r) => `${r.relationshipName}=${r.childSObject}.${r.field}`);
    expect(rels).toEqual(
      expect.arrayContaining([
        'Opportunities=Opportunity.AccountId',
        'Contacts=Contact.AccountId',
        'ChildAccounts=Account.ParentId',
        'Territory_Change_Requests__r=Territory_Change_Request__c.Account__c',
      ]),
    );
    expect(account.recordTypeInfos).toEqual([
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: MASTER_RECORD_TYPE_ID,
        urls: { layout: `${base}/sobjects/Account/describe/layouts/${MASTER_RECORD_TYPE_ID}` },
      },
    ]);
  });

  it('describes the project custom objects from force-app', async () => {
    const quota = await connect(running).sobject('Sales_Quota__c').describe();
    expect(quota).toMatchObject({ custom: true, name: 'Sales_Quota__c', label: 'Sales Quota' });
    expect(fieldOf(quota, 'External_Key__c')).toMatchObject({
      externalId: true,
      unique: true,
      idLookup: true,
      custom: true,
      type: 'string',
      length: 255,
      soapType: 'xsd:string',
    });
    expect(fieldOf(quota, 'User__c')).toMatchObject({
      referenceTo: ['User'],
      relationshipName: 'User__r',
      custom: true,
      inlineHelpText: expect.stringContaining('rep'),
    });
    expect(fieldOf(quota, 'Name')).toMatchObject({
      autoNumber: true,
      createable: false,
      defaultedOnCreate: true,
      nameField: true,
      custom: false,
    });
    expect(fieldOf(quota, 'Quantity__c')).toMatchObject({
      type: 'double',
      soapType: 'xsd:double',
      precision: 18,
      scale: 2,
    });
    const job = await connect(running).sobject('SalesOps_Job__c').describe();
    const status = fieldOf(job, 'Status__c');
    expect(status).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(status.picklistValues?.filter((p) => p.defaultValue).map((p) => p.value)).toEqual(['Requested']);
    const user = await connect(running).sobject('User').describe();
    expect(user.childRelationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          childSObject: 'Sales_Quota__c',
          field: 'User__c',
          relationshipName: 'Sales_Quotas__r',
          cascadeDelete: false,
        }),
      ]),
    );
  });

  it('describes read-only history objects as not writable', async () => {
    const history = await connect(running).sobject('OpportunityHistory').describe();
    expect(history).toMatchObject({
      createable: false,
      updateable: false,
      deletable: false,
      undeletable: false,
      triggerable: false,
      recordTypeInfos: [],
    });
    const names = history.fields.map((f) => f.name);
    expect(names).not.toContain('LastModifiedDate');
    expect(history.fields.filter((f) => f.createable || f.updateable)).toEqual([]);
  });

  it('matches the object name case-insensitively and answers with the canonical name', async () => {
    const res = await connect(running).request<DescribeSObjectResult>(
      `${base}/sobjects/opportunitylineitem/describe`,
    );
    expect(res.name).toBe('OpportunityLineItem');
    expect(res.keyPrefix).toBe('00k');
  });

  it('answers an unknown type with 404 NOT_FOUND as JSON', async () => {
    const res = await fetch(`${running.instanceUrl}${base}/sobjects/NoSuchThing__c/describe`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await res.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
    await expect(connect(running).sobject('NoSuchThing__c').describe()).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });

  it('serves the sObject basic information resource', async () => {
    const res = await connect(running).request<{
      objectDescribe: Record<string, unknown>;
      recentItems: unknown[];
    }>(`${base}/sobjects/Account`);
    expect(res.recentItems).toEqual([]);
    expect(res.objectDescribe).toMatchObject({
      name: 'Account',
      keyPrefix: '001',
      urls: { rowTemplate: `${base}/sobjects/Account/{ID}` },
    });
    expect(Object.keys(res.objectDescribe)).not.toContain('fields');
  });

  it('lists active record types of the object before Master', async () => {
    const id = new RowWriter(running.org, 'RecordType').insert(
      { Name: 'Renewal', DeveloperName: 'Renewal', SobjectType: 'Opportunity', IsActive: true },
      running.adminUserId,
    );
    const d = await connect(running).request<DescribeSObjectResult>(`${base}/sobjects/Opportunity/describe`);
    expect(
      d.recordTypeInfos.map((r) => [r.name, r.recordTypeId, r.master, r.defaultRecordTypeMapping]),
    ).toEqual([
      ['Renewal', id, false, true],
      ['Master', MASTER_RECORD_TYPE_ID, true, false],
    ]);
  });
});
