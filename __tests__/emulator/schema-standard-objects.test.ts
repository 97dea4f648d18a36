import { Schema } from '../../emulator/src/schema/registry';
import { loadStandardObjects, STANDARD_OBJECTS } from '../../emulator/src/schema/standard';
import type { ObjectDef } from '../../emulator/src/schema/types';

const schema = new Schema(loadStandardObjects([]));
const fieldNames = (obj: ObjectDef) => obj.fields.map((f) => f.name);

describe('standard objects', () => {
  it('uses Salesforce key prefixes, each once', () => {
    const prefixes = Object.fromEntries(STANDARD_OBJECTS.map((o) => [o.name, o.keyPrefix]));
    expect(prefixes).toEqual({
      Organization: '00D',
      Profile: '00e',
      UserRole: '00E',
      User: '005',
      Account: '001',
      Opportunity: '006',
      OpportunityStage: '01J',
      Contact: '003',
      Campaign: '701',
      Product2: '01t',
      Pricebook2: '01s',
      PricebookEntry: '01u',
      OpportunityLineItem: '00k',
      OpportunityHistory: '008',
      OpportunityFieldHistory: '017',
      OpportunitySplitType: '14A',
      OpportunitySplit: '149',
      CurrencyType: '02N',
      DatedConversionRate: '04w',
      FiscalYearSettings: '022',
      Period: '026',
      RecordType: '012',
      PermissionSet: '0PS',
      ObjectPermissions: '110',
      PermissionSetAssignment: '0Pa',
    });
    expect(new Set(Object.values(prefixes)).size).toBe(STANDARD_OBJECTS.length);
  });

  it('gives every object Id first, IsDeleted and CreatedDate', () => {
    for (const obj of STANDARD_OBJECTS) {
      expect([obj.name, obj.fields[0].name]).toEqual([obj.name, 'Id']);
      expect(fieldNames(obj)).toEqual(expect.arrayContaining(['IsDeleted', 'CreatedDate', 'CreatedById']));
      expect(new Set(fieldNames(obj).map((n) => n.toLowerCase())).size).toBe(obj.fields.length);
    }
  });

  it('navigates the child relationships the sync engine reads, with Salesforce names', () => {
    const children = (parent: string) =>
      schema
        .childRelationships(parent)
        .filter((r) => r.relationshipName)
        .map((r) => `${r.relationshipName}=${r.childSObject}.${r.field}${r.cascadeDelete ? ' cascade' : ''}`);
    expect(children('Account')).toEqual(
      expect.arrayContaining([
        'ChildAccounts=Account.ParentId',
        'Opportunities=Opportunity.AccountId',
        'Contacts=Contact.AccountId',
      ]),
    );
    expect(children('Opportunity').sort()).toEqual([
      'Histories=OpportunityFieldHistory.OpportunityId cascade',
      'OpportunityHistories=OpportunityHistory.OpportunityId cascade',
      'OpportunityLineItems=OpportunityLineItem.OpportunityId cascade',
      'OpportunitySplits=OpportunitySplit.OpportunityId cascade',
    ]);
    expect(children('Pricebook2').sort()).toEqual([
      'Opportunities=Opportunity.Pricebook2Id',
      'PricebookEntries=PricebookEntry.Pricebook2Id cascade',
    ]);
    expect(children('Product2')).toEqual(['PricebookEntries=PricebookEntry.Product2Id cascade']);
    expect(children('PricebookEntry')).toEqual(['OpportunityLineItems=OpportunityLineItem.PricebookEntryId']);
    expect(children('FiscalYearSettings')).toEqual(['Periods=Period.FiscalYearSettingsId']);
    expect(children('Campaign').sort()).toEqual([
      'ChildCampaigns=Campaign.ParentId',
      'Opportunities=Opportunity.CampaignId',
    ]);
  });

  it('resolves parent relationships by their Salesforce names', () => {
    expect(schema.parentRelationship('OpportunityLineItem', 'PricebookEntry')?.name).toBe('PricebookEntryId');
    expect(schema.parentRelationship('opportunitysplit', 'splitowner')?.referenceTo).toEqual(['User']);
    expect(schema.parentRelationship('Contact', 'ReportsTo')?.name).toBe('ReportsToId');
    expect(schema.parentRelationship('Period', 'FiscalYearSettings')?.name).toBe('FiscalYearSettingsId');
  });

  it('keeps history objects read-only and without the audit fields Salesforce leaves off', () => {
    for (const name of [
      'OpportunityHistory',
      'OpportunityFieldHistory',
      'Period',
      'FiscalYearSettings',
      'Organization',
    ]) {
      const obj = schema.get(name);
      expect({
        name,
        createable: obj.createable,
        updateable: obj.updateable,
        deletable: obj.deletable,
      }).toEqual({
        name,
        createable: false,
        updateable: false,
        deletable: false,
      });
    }
    const history = fieldNames(schema.get('OpportunityHistory'));
    expect(history).not.toContain('LastModifiedDate');
    expect(history).not.toContain('LastModifiedById');
    expect(history).toEqual(
      expect.arrayContaining([
        'OpportunityId',
        'StageName',
        'Amount',
        'ExpectedRevenue',
        'CloseDate',
        'Probability',
        'ForecastCategory',
        'SystemModstamp',
      ]),
    );
    expect(
      schema
        .get('OpportunityHistory')
        .fields.filter((f) => f.createable !== false || f.updateable !== false)
        .map((f) => f.name),
    ).toEqual([]);
    const fieldHistory = fieldNames(schema.get('OpportunityFieldHistory'));
    expect(fieldHistory).toEqual([
      'Id',
      'IsDeleted',
      'OpportunityId',
      'Field',
      'DataType',
      'OldValue',
      'NewValue',
      'CreatedDate',
      'CreatedById',
    ]);
    expect(schema.field('OpportunityFieldHistory', 'OldValue')?.type).toBe('string');
  });

  it('declares the price book and line item fields with Salesforce types', () => {
    const f = (obj: string, field: string) => {
      const def = schema.field(obj, field);
      return (
        def && {
          type: def.type,
          createable: def.createable !== false,
          updateable: def.updateable !== false,
          required: Boolean(def.required),
        }
      );
    };
    expect(f('OpportunityLineItem', 'OpportunityId')).toEqual({
      type: 'reference',
      createable: true,
      updateable: false,
      required: true,
    });
    expect(f('OpportunityLineItem', 'TotalPrice')).toEqual({
      type: 'currency',
      createable: true,
      updateable: true,
      required: false,
    });
    expect(f('OpportunityLineItem', 'ListPrice')).toEqual({
      type: 'currency',
      createable: false,
      updateable: false,
      required: false,
    });
    expect(f('OpportunityLineItem', 'Quantity')).toEqual({
      type: 'double',
      createable: true,
      updateable: true,
      required: true,
    });
    expect(f('PricebookEntry', 'UnitPrice')).toEqual({
      type: 'currency',
      createable: true,
      updateable: true,
      required: true,
    });
    expect(f('PricebookEntry', 'Product2Id')).toEqual({
      type: 'reference',
      createable: true,
      updateable: false,
      required: true,
    });
    expect(f('Pricebook2', 'IsStandard')).toEqual({
      type: 'boolean',
      createable: false,
      updateable: false,
      required: false,
    });
    expect(f('Period', 'Type')?.type).toBe('picklist');
    expect(schema.field('Period', 'Type')?.picklistValues?.map((p) => p.value)).toEqual([
      'Month',
      'Quarter',
      'Week',
      'Year',
    ]);
    expect(schema.get('OpportunityLineItem').hasOwner).toBe(false);
    expect(schema.get('Contact').hasOwner).toBe(true);
  });

  it('is multi-currency: money-bearing objects carry CurrencyIsoCode', () => {
    for (const name of [
      'Account',
      'Opportunity',
      'Contact',
      'Product2',
      'PricebookEntry',
      'OpportunityLineItem',
      'OpportunityHistory',
      'OpportunitySplit',
      'Campaign',
      'User',
    ]) {
      expect([name, schema.field(name, 'CurrencyIsoCode')?.type]).toEqual([name, 'picklist']);
    }
  });
});
