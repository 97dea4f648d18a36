import { computeModel } from '../../../server/src/domain/territory';
import { account, engineConfig, snapshot, TYPES } from './helpers';

const AS_OF = '2026-11-27';

describe('territory assignment rules', () => {
  it('smoke: demo-like model assigns by rules', () => {
    const config = engineConfig({
      types: TYPES,
      models: [
        {
          key: 'M',
          name: 'M',
          state: 'Active',
          activatedOn: '2026-01-01',
          territories: [
            { key: 'ROOT', name: 'Root', type: 'Root' },
            {
              key: 'US',
              name: 'US',
              type: 'Region',
              parent: 'ROOT',
              rules: [{ inherit: true, items: [{ field: 'billingCountry', op: 'equals', value: 'United States' }] }],
            },
            {
              key: 'US-ENT',
              name: 'US ENT',
              type: 'Segment',
              parent: 'US',
              rules: [{ items: [{ field: 'numberOfEmployees', op: 'greaterOrEqual', value: 2000 }] }],
            },
          ],
        },
      ],
    });
    const snap = snapshot({
      accounts: [
        account('A1', { billingCountry: 'United States', numberOfEmployees: 5000 }),
        account('A2', { billingCountry: 'united states', numberOfEmployees: 50 }),
        account('A3', { billingCountry: 'Canada', numberOfEmployees: 5000 }),
      ],
    });
    const r = computeModel(snap, config, 'M', AS_OF);
    expect(r.accounts.map((d) => [d.accountId, d.territoryKey, d.decidedBy])).toEqual([
      ['A1', 'US-ENT', 'Priority'],
      ['A2', 'US', 'Rule'],
      ['A3', null, null],
    ]);
  });
});
