import { readdirSync } from 'node:fs';
import path from 'node:path';
import { commissionRecords } from '../../../server/src/crm/writeback/maps/commission';
import { book, open as openDeal, plan, quota, run, snap, won } from './helpers';

const OBJECTS = path.resolve(__dirname, '../../../force-app/main/default/objects');
const fieldsOf = (sobject: string): Set<string> =>
  new Set(readdirSync(path.join(OBJECTS, sobject, 'fields')).map((f) => f.replace('.field-meta.xml', '')));
const STANDARD = new Set(['Name', 'OwnerId', 'CurrencyIsoCode']);

describe('commission records for write-back', () => {
  const r = run(
    snap({
      opportunities: [
        won('o1', '120000', '2026-05-10', {
          splits: [
            { userId: 'rep1', splitType: 'revenue', percent: '50' },
            { userId: 'rep2', splitType: 'revenue', percent: '50' },
          ],
        }),
        openDeal('o2', '1000', '2026-06-10', 'Negotiation/Review'),
      ],
      quotas: [quota('rep1', '2026-04-01', '50000')],
    }),
    book(
      plan(['rep1', 'rep2'], {
        rates: {
          mode: 'retroactive',
          tiers: [
            { from: 0, to: 100, rate: 5 },
            { from: 100, to: 150, rate: 8 },
            { from: 150, rate: 10 },
          ],
        },
      }),
    ),
    '2026-05-20',
  );
  const sets = commissionRecords({ statements: r.statements, lines: r.lines });

  test('statements first, then lines; every field is one the metadata declares', () => {
    expect(sets.map((s) => s.sobject)).toEqual(['Commission_Statement__c', 'Commission_Line__c']);
    for (const set of sets) {
      const declared = fieldsOf(set.sobject);
      for (const rec of set.records)
        for (const field of Object.keys(rec)) {
          if (field.endsWith('__r')) expect(declared.has(field.replace(/__r$/, '__c'))).toBe(true);
          else expect(STANDARD.has(field) || declared.has(field)).toBe(true);
        }
    }
  });

  test('owned by the rep; lines reference their statement by external key; percents as 0-100', () => {
    const stmt = sets[0]!.records.find((s) => s.External_Key__c === 'CS|rep1|FY2026-Q2')!;
    expect(stmt).toMatchObject({
      OwnerId: 'rep1',
      Rep__c: 'rep1',
      Name: 'Ari Rep FY2026-Q2',
      CurrencyIsoCode: 'USD',
      Earned__c: '4800.00',
      Attainment__c: '120.00',
      Attainment_Basis__c: 'Period',
      Tier_Reached__c: 'tier 2: 100–150% attainment',
      Tier_Thresholds__c: '0,100,150',
      Projected_Commit__c: '80.00',
      Period_Status__c: 'Open',
      Plan_Version__c: '1',
    });
    const line = sets[1]!.records.find((l) => l.External_Key__c === 'CL|rep1|FY2026-Q2|COM|o1|0')!;
    expect(line).toMatchObject({
      OwnerId: 'rep1',
      Statement__r: { External_Key__c: 'CS|rep1|FY2026-Q2' },
      Opportunity__c: 'o1',
      Line_Type__c: 'Commission',
      Split_Percent__c: '50.00',
      Rate__c: '8.0000',
      Credited_Amount__c: '60000.00',
      Amount__c: '4800.00',
    });
    expect(String(line.Trace__c).split('\n')[0]).toBe(
      '$120,000.00 × 50% split × 8% (tier 2: 100–150% attainment) = $4,800.00',
    );
    const projected = sets[1]!.records.find((l) => l.Line_Type__c === 'Projected')!;
    expect(projected).toMatchObject({ Forecast_Category__c: 'Commit', Payable__c: '0.00' });
  });
});
