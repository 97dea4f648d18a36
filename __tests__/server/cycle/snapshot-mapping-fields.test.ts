import { describe, expect, it } from '@jest/globals';
import { mapSnapshotRecords, type SnapshotRecords } from '../../../server/src/crm/snapshot-mapping';
import { parseSnapshot } from '../../../server/src/domain';
import type { RawRecord } from '../../../server/src/store';

const raw = (id: string, fields: Record<string, unknown>): RawRecord => ({
  id,
  deleted: false,
  raw: JSON.stringify(fields),
});

describe('store → snapshot: the fields the territory and commission engines read', () => {
  it('carries account firmographics and address, opportunity type, and line product id, code and cost', async () => {
    const records: SnapshotRecords = {
      CurrencyType: [],
      DatedConversionRate: [],
      UserRole: [],
      User: [raw('005000000000001AAA', { Name: 'Ari', IsActive: true })],
      Account: [
        raw('001000000000001AAA', { Name: 'Parent', OwnerId: '005000000000001AAA' }),
        raw('001000000000002AAA', {
          Name: 'Child',
          OwnerId: '005000000000001AAA',
          ParentId: '001000000000001AAA',
          Type: 'Customer',
          Industry: 'Retail',
          BillingCountry: 'Germany',
          BillingState: 'BY',
          BillingPostalCode: '80331',
          BillingCity: 'München',
          AnnualRevenue: 12500000.5,
          NumberOfEmployees: 420,
        }),
      ],
      Product2: [raw('01t000000000001AAA', { Family: 'Software', ProductCode: 'SW-1' })],
      Sales_Quota__c: [],
      Opportunity: [
        raw('006000000000001AAA', {
          Name: 'Deal',
          AccountId: '001000000000002AAA',
          OwnerId: '005000000000001AAA',
          StageName: 'Prospecting',
          Amount: 1000,
          CloseDate: '2026-12-15',
          CreatedDate: '2026-10-01T10:00:00.000Z',
          IsClosed: false,
          IsWon: false,
          Type: 'New Business',
        }),
      ],
      OpportunityLineItem: [
        raw('00k000000000001AAA', {
          OpportunityId: '006000000000001AAA',
          Product2Id: '01t000000000001AAA',
          Quantity: 2,
          TotalPrice: 1000,
          Cost__c: 400,
        }),
      ],
      OpportunitySplit: [],
      OpportunityHistory: [],
    };
    const mapped = await mapSnapshotRecords(records, { singleCurrency: 'USD' });
    const parsed = parseSnapshot(mapped.snapshot);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const child = parsed.snapshot.accounts.find((a) => a.id === '001000000000002AAA')!;
    expect(child).toMatchObject({
      parentId: '001000000000001AAA',
      type: 'Customer',
      industry: 'Retail',
      billingCountry: 'Germany',
      billingState: 'BY',
      billingPostalCode: '80331',
      billingCity: 'München',
      annualRevenue: '12500000.5',
      numberOfEmployees: 420,
    });
    expect(parsed.snapshot.accounts.find((a) => a.id === '001000000000001AAA')).toMatchObject({
      parentId: null,
      industry: null,
      numberOfEmployees: null,
    });
    const deal = parsed.snapshot.opportunities[0]!;
    expect(deal.type).toBe('New Business');
    expect(deal.lineItems[0]).toMatchObject({
      productId: '01t000000000001AAA',
      productCode: 'SW-1',
      productFamily: 'Software',
      cost: '400',
    });
  });
});
