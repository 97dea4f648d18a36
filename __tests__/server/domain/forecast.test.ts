import fc from 'fast-check';
import { computeForecast, type ForecastResult } from '../../../server/src/domain/forecast';
import { opp, snapshot, testConfig } from './helpers/fixtures';
import { amount, findRow } from './helpers/rows';

const AS_OF = '2026-05-15';
const REVENUE_ONLY = {
  forecastTypes: [{ id: 'opportunity_revenue', source: 'opportunity', measure: 'amount', hierarchy: 'role' }],
};

/** rep1: Commit 100, Best Case 30, Pipeline 20, won 50, lost 40; rep2: Commit 10 — all in FY2026-Q2. */
const teamDeals = () => [
  opp('c1', { stageName: 'Negotiation/Review', amount: '100' }),
  opp('b1', { stageName: 'Proposal/Price Quote', amount: '30' }),
  opp('p1', { stageName: 'Prospecting', amount: '20' }),
  opp('w1', { stageName: 'Closed Won', amount: '50', closeDate: '2026-04-15' }),
  opp('l1', { stageName: 'Closed Lost', amount: '40', closeDate: '2026-04-20' }),
  opp('c2', { stageName: 'Negotiation/Review', amount: '10', ownerId: 'rep2' }),
];

describe('forecast categories and roll-ups', () => {
  const result = computeForecast(
    snapshot({ opportunities: teamDeals() }),
    testConfig({ forecast: REVENUE_ONLY }),
    AS_OF,
  );

  it.each([
    ['closed', '50.00'],
    ['commit', '150.00'],
    ['mostLikely', '150.00'],
    ['bestCase', '180.00'],
    ['openPipeline', '150.00'],
    ['commitOnly', '100.00'],
    ['bestCaseOnly', '30.00'],
    ['pipelineOnly', '20.00'],
  ])(
    'When rep1 has one deal per category, then %s is %s (lost deals are Omitted from every rollup)',
    (category, value) => {
      expect(amount(result, { node: 'user:rep1', category })).toBe(value);
    },
  );

  it.each([
    ['user:rep2', '10.00'],
    ['user:mgr1', '160.00'],
    ['user:mgr2', '0.00'],
    ['user:vp', '160.00'],
    ['org', '160.00'],
  ])('When commit rolls up the role hierarchy, then %s has %s', (node, value) => {
    expect(amount(result, { node, category: 'commit' })).toBe(value);
  });

  it('When a period has no deals, then every node still gets a zero row', () => {
    const { row } = findRow(result, { period: 'FY2026-Q3', node: 'user:rep1', category: 'commit' });
    expect([row.amountAdjusted, row.entryCount, row.periodStart, row.periodEnd]).toEqual([
      '0.00',
      0,
      '2026-07-01',
      '2026-09-30',
    ]);
  });

  it('When a row is traced, then it names its own deals, the rows below it, the rule and the version', () => {
    const { row, trace } = findRow(result, { node: 'user:mgr1', category: 'commit' });
    expect(row.parentKey).toBe('user:vp');
    expect(trace.definitionVersion).toBe('forecast-2026.1');
    expect(trace.inputs.childKeys).toEqual([
      `FS|${result.snapshotDate}|opportunity_revenue|FY2026-Q2|user:rep1|-|commit`,
      `FS|${result.snapshotDate}|opportunity_revenue|FY2026-Q2|user:rep2|-|commit`,
    ]);
    expect(trace.rule).toContain('Commit + Closed');
    expect(findRow(result, { node: 'user:rep1', category: 'commit' }).trace.inputs.opportunityIds).toEqual([
      'c1',
      'b1',
      'p1',
      'w1',
      'l1',
    ]);
  });

  it('When asOf is a Friday, then rows are keyed by the Monday lock day of that week', () => {
    expect(result.snapshotDate).toBe('2026-05-11');
  });

  it.each([
    ['2026-06-30', 'FY2026-Q2', '100.00'],
    ['2026-07-01', 'FY2026-Q3', '100.00'],
    ['2026-03-31', 'FY2026-Q2', '0.00'],
  ])('When a deal closes on %s, then %s counts %s for it (period boundaries)', (closeDate, period, value) => {
    const r = computeForecast(
      snapshot({ opportunities: [opp('x', { stageName: 'Negotiation/Review', amount: '100', closeDate })] }),
      testConfig({ forecast: REVENUE_ONLY }),
      AS_OF,
    );
    expect(amount(r, { period, node: 'user:rep1', category: 'commit' })).toBe(value);
  });

  it('When a deal has a negative amount (credit), then it lowers every rollup it belongs to', () => {
    const r = computeForecast(
      snapshot({
        opportunities: [
          opp('n', { ownerId: 'rep3', stageName: 'Negotiation/Review', amount: '-30' }),
          opp('m', { ownerId: 'rep3', stageName: 'Closed Won', amount: '20' }),
        ],
      }),
      testConfig({ forecast: REVENUE_ONLY }),
      AS_OF,
    );
    expect(amount(r, { node: 'user:rep3', category: 'commit' })).toBe('-10.00');
    expect(amount(r, { node: 'user:mgr2', category: 'closed' })).toBe('20.00');
  });

  it('When a stage is missing from config, then the open deal counts as Pipeline and a warning names the stage', () => {
    const r = computeForecast(
      snapshot({ opportunities: [opp('u', { stageName: 'Discovery' })] }),
      testConfig({ forecast: REVENUE_ONLY }),
      AS_OF,
    );
    expect(amount(r, { node: 'user:rep1', category: 'pipelineOnly' })).toBe('1000.00');
    expect(r.warnings).toContainEqual({
      code: 'FORECAST.UNMAPPED_STAGE',
      message: 'stages missing from config count as Pipeline: Discovery',
    });
  });
});

describe('adjustments', () => {
  const adj = (
    id: string,
    kind: 'owner' | 'manager',
    authorId: string,
    nodeId: string,
    value: string,
    createdAt: string,
  ) => ({
    id,
    forecastType: 'opportunity_revenue',
    periodKey: 'FY2026-Q2',
    nodeType: 'user' as const,
    nodeId,
    category: 'commit',
    kind,
    authorId,
    amount: value,
    currency: 'USD',
    reason: `${kind} call`,
    createdAt,
  });
  const result = computeForecast(
    snapshot({
      opportunities: teamDeals(),
      adjustments: [
        adj('a1', 'owner', 'rep1', 'rep1', '120', '2026-05-10T09:00:00Z'),
        adj('a2', 'manager', 'mgr1', 'rep1', '140', '2026-05-11T09:00:00Z'),
        adj('a3', 'manager', 'vp', 'rep1', '130', '2026-05-12T09:00:00Z'),
        adj('a4', 'owner', 'rep2', 'rep1', '999', '2026-05-12T09:00:00Z'),
        adj('a5', 'manager', 'mgr2', 'rep1', '999', '2026-05-12T09:00:00Z'),
      ],
    }),
    testConfig({ forecast: REVENUE_ONLY }),
    AS_OF,
  );

  it('When owner and manager adjust, then unadjusted, owner-adjusted and final values are all kept', () => {
    const { row, trace } = findRow(result, { node: 'user:rep1', category: 'commit' });
    expect([row.amountUnadjusted, row.amountOwnerAdjusted, row.amountAdjusted]).toEqual([
      '150.00',
      '120.00',
      '130.00',
    ]);
    expect(trace.inputs.adjustments).toEqual([
      {
        id: 'a1',
        kind: 'owner',
        authorId: 'rep1',
        reason: 'owner call',
        createdAt: '2026-05-10T09:00:00Z',
        amount: '120.00',
        replaced: '150.00',
        status: 'applied',
      },
      {
        id: 'a2',
        kind: 'manager',
        authorId: 'mgr1',
        reason: 'manager call',
        createdAt: '2026-05-11T09:00:00Z',
        amount: '140.00',
        replaced: '120.00',
        status: 'superseded',
      },
      {
        id: 'a3',
        kind: 'manager',
        authorId: 'vp',
        reason: 'manager call',
        createdAt: '2026-05-12T09:00:00Z',
        amount: '130.00',
        replaced: '120.00',
        status: 'applied',
      },
    ]);
  });

  it("When a manager's number rolls up, then it sums the adjusted values below but keeps the raw sum too", () => {
    const { row } = findRow(result, { node: 'user:mgr1', category: 'commit' });
    expect([row.amountUnadjusted, row.amountAdjusted]).toEqual(['160.00', '140.00']);
    expect(amount(result, { node: 'org', category: 'commit' })).toBe('140.00');
  });

  it('When someone without the right adjusts, then the adjustment is ignored and reported with its path', () => {
    expect(result.warnings.filter((w) => w.code === 'ADJUSTMENT.REJECTED').map((w) => w.path)).toEqual([
      '$.adjustments[3]',
      '$.adjustments[4]',
    ]);
  });
});

describe('quotas and attainment', () => {
  const quota = (ownerId: string, value: string, periodStart = '2026-04-01') => ({
    ownerType: 'user' as const,
    ownerId,
    periodType: 'quarter' as const,
    periodStart,
    amount: value,
    currency: 'USD',
  });
  const parts = {
    opportunities: teamDeals(),
    quotas: [quota('rep1', '400'), quota('rep2', '0'), quota('rep3', '100', '2026-04-02')],
  };

  it('When a rep has a quota, then each rollup row carries attainment = forecast ÷ quota', () => {
    const r = computeForecast(snapshot(parts), testConfig({ forecast: REVENUE_ONLY }), AS_OF);
    expect([
      findRow(r, { node: 'user:rep1', category: 'closed' }).row.attainment,
      findRow(r, { node: 'user:rep1', category: 'commit' }).row.attainment,
    ]).toEqual(['0.1250', '0.3750']);
  });

  it('When the quota is zero, then attainment is null and the trace says why', () => {
    const r = computeForecast(snapshot(parts), testConfig({ forecast: REVENUE_ONLY }), AS_OF);
    const { row, trace } = findRow(r, { node: 'user:rep2', category: 'commit' });
    expect([row.quota, row.attainment, trace.inputs.quotaNote]).toEqual([
      '0.00',
      null,
      'quota is zero: attainment is undefined',
    ]);
  });

  it('When a quota does not start on a period boundary, then it attaches to nothing and is reported', () => {
    const r = computeForecast(snapshot(parts), testConfig({ forecast: REVENUE_ONLY }), AS_OF);
    expect(findRow(r, { node: 'user:rep3', category: 'commit' }).row.quota).toBeNull();
    expect(r.warnings).toContainEqual(
      expect.objectContaining({ code: 'QUOTA.UNATTACHED', path: '$.quotas[2].periodStart' }),
    );
  });

  it.each([
    [false, null, null],
    [true, '400.00', 'derived'],
  ])(
    'When rollUpToManagers is %s, then the manager quota is %s (%s)',
    (rollUpToManagers, expected, source) => {
      const r = computeForecast(
        snapshot(parts),
        testConfig({ forecast: { ...REVENUE_ONLY, quotas: { rollUpToManagers } } }),
        AS_OF,
      );
      const { row } = findRow(r, { node: 'user:mgr1', category: 'commit' });
      expect([row.quota, row.quotaSource]).toEqual([expected, source]);
    },
  );
});

describe('a rep who moves teams mid-period', () => {
  const parts = {
    roleAssignments: [
      { userId: 'rep2', roleId: 'R_REP1', startDate: '2025-01-01' },
      { userId: 'rep2', roleId: 'R_REP2', startDate: '2026-05-01' },
    ],
    opportunities: [
      opp('early', { ownerId: 'rep2', stageName: 'Closed Won', amount: '50', closeDate: '2026-04-15' }),
      opp('late', {
        ownerId: 'rep2',
        stageName: 'Negotiation/Review',
        amount: '10',
        closeDate: '2026-05-20',
      }),
    ],
  };

  it('When history moves with the rep, then both deals roll up to the new manager', () => {
    const r = computeForecast(snapshot(parts), testConfig({ forecast: REVENUE_ONLY }), AS_OF);
    expect([
      amount(r, { node: 'user:mgr1', category: 'commit' }),
      amount(r, { node: 'user:mgr2', category: 'commit' }),
    ]).toEqual(['0.00', '60.00']);
  });

  it('When deals stay with the team of their date, then the earlier deal stays with the old manager under a placeholder', () => {
    const r = computeForecast(
      snapshot(parts),
      testConfig({ forecast: { ...REVENUE_ONLY, hierarchy: { teamAttribution: 'atDealDate' } } }),
      AS_OF,
    );
    expect([
      amount(r, { node: 'user:mgr1', category: 'commit' }),
      amount(r, { node: 'user:mgr2', category: 'commit' }),
    ]).toEqual(['50.00', '10.00']);
    const placeholder = findRow(r, { node: 'user:rep2@role:R_REP1', category: 'closed' }).row;
    expect([
      placeholder.ownerId,
      placeholder.viaRoleId,
      placeholder.parentKey,
      placeholder.amountAdjusted,
    ]).toEqual(['rep2', 'R_REP1', 'user:mgr1', '50.00']);
  });
});

describe('multi-currency', () => {
  const parts = {
    datedRates: [
      { currency: 'EUR', startDate: '2026-04-01', rate: '0.9' },
      { currency: 'EUR', startDate: '2026-05-16', rate: '0.8' },
    ],
    opportunities: [
      opp('e1', { stageName: 'Negotiation/Review', amount: '90', currency: 'EUR', closeDate: '2026-05-10' }),
      opp('e2', { stageName: 'Negotiation/Review', amount: '80', currency: 'EUR', closeDate: '2026-06-10' }),
      opp('j1', {
        stageName: 'Negotiation/Review',
        amount: '1500',
        currency: 'JPY',
        closeDate: '2026-06-10',
      }),
    ],
  };

  it('When the rate changes mid-quarter, then each deal converts at the rate of its close date and the trace states both', () => {
    const r = computeForecast(snapshot(parts), testConfig({ forecast: REVENUE_ONLY }), AS_OF);
    const { row, trace } = findRow(r, { node: 'user:rep1', category: 'commit' });
    expect(row.amountAdjusted).toBe('210.00');
    expect(trace.inputs.ratesUsed).toEqual([
      'EUR 0.8 (dated from 2026-05-16)',
      'EUR 0.9 (dated from 2026-04-01)',
      'JPY 150 (static)',
    ]);
  });

  it('When the rule is the asOf rate, then every deal converts at the rate in force on asOf', () => {
    const r = computeForecast(
      snapshot(parts),
      testConfig({ forecast: { ...REVENUE_ONLY, currency: { rateDate: 'asOf' } } }),
      AS_OF,
    );
    // 90/0.9 = 100.00; 80/0.9 = 88.888… → 88.89; 1500 JPY / 150 = 10.00
    expect(amount(r, { node: 'user:rep1', category: 'commit' })).toBe('198.89');
  });
});

describe('forecast types', () => {
  const deal = opp('d', {
    stageName: 'Negotiation/Review',
    amount: '100.01',
    quantity: '2.5',
    accountId: 'acc',
    dates: { bookingDate: '2026-07-02' },
    amounts: { arr: '1200' },
    lineItems: [
      { id: 'li1', productFamily: 'Hardware', quantity: '1', totalPrice: '60' },
      { id: 'li2', productFamily: 'Software', quantity: '3', totalPrice: '40.01' },
      { id: 'li3', productFamily: null, quantity: '1', totalPrice: '0' },
    ],
    splits: [
      { userId: 'rep1', splitType: 'revenue', percent: '33.33' },
      { userId: 'rep2', splitType: 'revenue', percent: '33.33' },
      { userId: 'rep3', splitType: 'revenue', percent: '33.34' },
      { userId: 'mgr2', splitType: 'overlay', percent: '50' },
    ],
  });
  const parts = {
    territories: [
      { id: 'WEST', name: 'West' },
      { id: 'CA', name: 'California', parentId: 'WEST' },
    ],
    accounts: [{ id: 'acc', name: 'Acme', territoryId: 'CA' }],
    opportunities: [deal, opp('loose', { stageName: 'Negotiation/Review', amount: '5' })],
    quotas: [
      {
        ownerType: 'territory' as const,
        ownerId: 'CA',
        periodType: 'quarter' as const,
        periodStart: '2026-04-01',
        amount: '200',
        currency: 'USD',
      },
      {
        ownerType: 'user' as const,
        ownerId: 'rep1',
        periodType: 'quarter' as const,
        periodStart: '2026-04-01',
        productFamily: 'Hardware',
        amount: '120',
        currency: 'USD',
      },
    ],
  };
  const result = computeForecast(
    snapshot(parts),
    testConfig({
      forecast: {
        forecastTypes: [
          { id: 'opportunity_revenue', source: 'opportunity' },
          { id: 'quantity', source: 'opportunity', measure: 'quantity' },
          { id: 'arr', source: 'opportunity', measure: { field: 'arr' } },
          { id: 'booking', source: 'opportunity', dateField: 'bookingDate' },
          { id: 'family', source: 'productFamily' },
          { id: 'splits', source: 'split', splitTypes: ['revenue'] },
          { id: 'overlay', source: 'split', splitTypes: ['overlay'] },
          { id: 'territory', source: 'opportunity', hierarchy: 'territory' },
        ],
      },
    }),
    AS_OF,
  );

  it.each([
    ['quantity', 'FY2026-Q2', 'user:rep1', '-', '2.50'],
    ['arr', 'FY2026-Q2', 'user:rep1', '-', '1200.00'],
    ['booking', 'FY2026-Q3', 'user:rep1', '-', '100.01'],
    ['family', 'FY2026-Q2', 'user:rep1', 'Hardware', '60.00'],
    ['family', 'FY2026-Q2', 'user:mgr1', 'Software', '40.01'],
    ['family', 'FY2026-Q2', 'user:rep1', '(none)', '0.00'],
    ['splits', 'FY2026-Q2', 'user:rep1', '-', '38.33'],
    ['splits', 'FY2026-Q2', 'user:rep2', '-', '33.33'],
    ['splits', 'FY2026-Q2', 'user:rep3', '-', '33.35'],
    ['splits', 'FY2026-Q2', 'org', '-', '105.01'],
    // 100.01 × 50% = 50.005 → half-even → 50.00
    ['overlay', 'FY2026-Q2', 'user:mgr2', '-', '50.00'],
    ['territory', 'FY2026-Q2', 'territory:CA', '-', '100.01'],
    ['territory', 'FY2026-Q2', 'territory:WEST', '-', '100.01'],
    ['territory', 'FY2026-Q2', 'territory:UNASSIGNED', '-', '5.00'],
    ['territory', 'FY2026-Q2', 'org', '-', '105.01'],
  ])('When the %s type is computed, then %s %s (%s) commit is %s', (type, period, node, family, value) => {
    expect(
      amount(result, { type, period, node, category: 'commit', family: family === '-' ? undefined : family }),
    ).toBe(value);
  });

  it('When a split forecast rounds shares, then the last revenue share takes the remainder so they sum to the deal', () => {
    // 100.01 × 33.33% = 33.333… → 33.33 twice; the last share is 100.01 − 66.66 = 33.35 (rep1 also owns the 5.00 deal).
    const shares = ['user:rep1', 'user:rep2', 'user:rep3'].map(
      (node) => findRow(result, { type: 'splits', node, category: 'commit' }).row.amountAdjusted,
    );
    expect(shares).toEqual(['38.33', '33.33', '33.35']);
  });

  it('When quotas are set per territory and per product family, then attainment uses the matching quota', () => {
    // 100.01 ÷ 200 = 0.50005 → half-even at 4 places → 0.5000
    expect(
      findRow(result, { type: 'territory', node: 'territory:CA', category: 'commit' }).row.attainment,
    ).toBe('0.5000');
    expect(
      findRow(result, { type: 'territory', node: 'territory:WEST', category: 'commit' }).row.quota,
    ).toBeNull();
    expect(
      findRow(result, { type: 'family', node: 'user:rep1', category: 'commit', family: 'Hardware' }).row
        .attainment,
    ).toBe('0.5000');
    expect(
      findRow(result, { type: 'family', node: 'user:rep1', category: 'commit', family: 'Software' }).row
        .quota,
    ).toBeNull();
  });

  it('When a quantity type is written, then it has no currency and no attainment', () => {
    const { row } = findRow(result, { type: 'quantity', node: 'user:rep1', category: 'commit' });
    expect([row.unit, row.currency, row.attainment]).toEqual(['quantity', null, null]);
  });

  it('When a deal lacks the configured date, then it is left out and counted in a warning', () => {
    expect(result.warnings).toContainEqual({
      code: 'FORECAST.MISSING_DATE',
      message: 'booking: 1 deals have no bookingDate and are left out',
    });
  });
});

describe('determinism and invariants', () => {
  it('When the same input is computed twice, then the output is identical', () => {
    const run = (): ForecastResult =>
      computeForecast(snapshot({ opportunities: teamDeals() }), testConfig(), AS_OF);
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
  });

  it('When amounts are not negative, then cumulative categories never decrease at any node (property)', () => {
    const stages = ['Prospecting', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
    const owners = ['rep1', 'rep2', 'rep3', 'mgr1', 'vp'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            stage: fc.constantFrom(...stages),
            owner: fc.constantFrom(...owners),
            cents: fc.nat(10_000_000),
            day: fc.integer({ min: 1, max: 28 }),
          }),
          { maxLength: 30 },
        ),
        (deals) => {
          const r = computeForecast(
            snapshot({
              opportunities: deals.map((d, i) =>
                opp(`o${i}`, {
                  stageName: d.stage,
                  ownerId: d.owner,
                  amount: (d.cents / 100).toFixed(2),
                  closeDate: `2026-05-${String(d.day).padStart(2, '0')}`,
                }),
              ),
            }),
            testConfig({ forecast: REVENUE_ONLY }),
            AS_OF,
          );
          const chain = ['closed', 'commit', 'mostLikely', 'bestCase'];
          return ['user:rep1', 'user:mgr1', 'user:vp', 'org'].every((node) => {
            const values = chain.map((category) => Number(amount(r, { node, category })));
            return values.every((v, i) => i === 0 || v >= values[i - 1]!);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
