import {
  categoryLabel,
  parseList,
  toForecastRow,
  snapshotDates,
  currentPeriodRows,
  byCategory,
  moneyDifference,
} from 'c/forecastRows';

function row(overrides) {
  return {
    snapshotDate: '2026-11-23',
    asOf: '2026-11-23',
    periodKey: 'FY2026-Q4',
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    productFamily: null,
    category: 'commit',
    amount: 100,
    ...overrides,
  };
}

describe('c/forecastRows', () => {
  it('labels known categories and keeps unknown ones', () => {
    expect(categoryLabel('bestCase')).toBe('Best case');
    expect(categoryLabel('statistical')).toBe('Statistical forecast');
    expect(categoryLabel('customRollup')).toBe('customRollup');
  });

  it('parses comma-separated attributes', () => {
    expect(parseList(' closed, commit ,,bestCase')).toEqual(['closed', 'commit', 'bestCase']);
    expect(parseList(undefined)).toEqual([]);
  });

  it('reads a GraphQL node', () => {
    const node = {
      Id: 'a0F5g00000FsOneAAA',
      External_Key__c: { value: 'FS|2026-11-23|opportunity_revenue|FY2026-Q4|user:005A|-|commit' },
      Owner_User__r: { Name: { value: 'Dana Reyes' } },
      Category__c: { value: 'commit' },
      Amount__c: { value: 250000 },
      Product_Family__c: { value: null },
    };
    expect(toForecastRow(node)).toEqual(
      expect.objectContaining({
        id: 'a0F5g00000FsOneAAA',
        externalKey: 'FS|2026-11-23|opportunity_revenue|FY2026-Q4|user:005A|-|commit',
        ownerName: 'Dana Reyes',
        category: 'commit',
        amount: 250000,
        productFamily: null,
        quota: null,
      }),
    );
  });

  it('lists snapshot dates newest first', () => {
    const rows = [row({ snapshotDate: '2026-11-16' }), row({}), row({ snapshotDate: '2026-11-09' }), row({})];
    expect(snapshotDates(rows)).toEqual(['2026-11-23', '2026-11-16', '2026-11-09']);
  });

  it('keeps the period holding the as-of date and drops family rows and other snapshots', () => {
    const current = row({ category: 'closed' });
    const rows = [
      current,
      row({ periodKey: 'FY2027-Q1', periodStart: '2027-01-01', periodEnd: '2027-03-31' }),
      row({ productFamily: 'Hardware' }),
      row({ snapshotDate: '2026-11-16', asOf: '2026-11-16' }),
    ];
    expect(currentPeriodRows(rows, '2026-11-23')).toEqual([current]);
    // Period bounds are inclusive.
    const lastDay = row({ snapshotDate: '2026-12-31', asOf: '2026-12-31' });
    expect(currentPeriodRows([lastDay], '2026-12-31')).toEqual([lastDay]);
  });

  it('keys rows by category, first one winning', () => {
    const first = row({ category: 'commit', amount: 1 });
    const map = byCategory([first, row({ category: 'commit', amount: 2 }), row({ category: 'closed' })]);
    expect(map.get('commit')).toBe(first);
    expect([...map.keys()]).toEqual(['commit', 'closed']);
  });

  it('subtracts money in cents', () => {
    expect(moneyDifference(0.3, 0.1)).toBe(0.2);
    expect(moneyDifference(1250000.45, 1300000.5)).toBe(-50000.05);
    expect(moneyDifference(10, null)).toBeNull();
  });
});
