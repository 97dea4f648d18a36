import { book, linesOf, open as openDeal, plan, run, snap, statementOf, won } from './helpers';

const AS_OF = '2026-05-20';
const Q2 = 'FY2026-Q2';
const split = (userId: string, percent: string, splitType: 'revenue' | 'overlay' = 'revenue') => ({
  userId,
  splitType,
  percent,
});

describe('crediting', () => {
  test('revenue splits share the measure and add up to it exactly', () => {
    const users = [
      { id: 'a', name: 'A', roleId: null },
      { id: 'b', name: 'B', roleId: null },
      { id: 'c', name: 'C', roleId: null },
    ];
    const r = run(
      snap({
        users,
        roles: [],
        opportunities: [
          won('o1', '100.01', '2026-05-10', {
            ownerId: 'a',
            splits: [split('a', '33.33'), split('b', '33.33'), split('c', '33.34')],
          }),
        ],
      }),
      book(plan(['a', 'b', 'c'], {})),
      AS_OF,
    );
    // running total rounding: 33.33 → 33.33, 66.66 → 66.67, 100 → 100.01
    const credited = ['a', 'b', 'c'].map((u) => linesOf(r, u, Q2, 'Commission')[0]!.creditedAmount);
    expect(credited).toEqual(['33.33', '33.34', '33.34']);
    expect(credited.reduce((x, y) => x + Math.round(Number(y) * 100), 0)).toBe(10001);
    expect(linesOf(r, 'a', Q2, 'Commission')[0]!).toMatchObject({
      creditRole: 'Revenue Split',
      splitPercent: '33.33',
    });
  });

  test('overlay splits need not total 100% and are credited on top', () => {
    const r = run(
      snap({
        users: [
          { id: 'rep1', name: 'Ari', roleId: null },
          { id: 'se1', name: 'Sam', roleId: null },
        ],
        roles: [],
        opportunities: [
          won('o1', '10000', '2026-05-10', {
            splits: [split('rep1', '100'), split('se1', '150', 'overlay')],
          }),
        ],
      }),
      book(plan(['rep1'], {}), {
        ...plan(['se1'], { crediting: { roles: ['Overlay'] }, rates: { mode: 'flat', rate: 2 } }),
        key: 'overlay',
      }),
      AS_OF,
    );
    expect(linesOf(r, 'se1', Q2, 'Commission')[0]).toMatchObject({
      creditRole: 'Overlay',
      creditedAmount: '15000.00',
      amount: '300.00',
    });
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.amount).toBe('1000.00');
  });

  test('manager roll-up: credited once per deal however many of their reps share it', () => {
    const managerPlan = {
      ...plan(['mgr'], { crediting: { roles: ['Manager'] }, rates: { mode: 'flat', rate: 2 } }),
      key: 'manager',
    };
    const r = run(
      snap({
        opportunities: [
          won('o1', '100000', '2026-05-10', { splits: [split('rep1', '50'), split('rep2', '50')] }),
        ],
      }),
      book(plan(['rep1', 'rep2'], {}), managerPlan),
      AS_OF,
    );
    const lines = linesOf(r, 'mgr', Q2, 'Commission');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ creditRole: 'Manager', creditedAmount: '100000.00', amount: '2000.00' });
    expect(r.stats.duplicateCreditsRemoved).toBeGreaterThanOrEqual(1);
  });

  test('territory roles are credited; an overlay holder is not credited again through the territory', () => {
    const sePlan = {
      ...plan(['se1', 'se2'], {
        crediting: {
          roles: ['Overlay', 'Territory'],
          territoryRoles: ['Sales Engineer'],
          territoryPercent: 50,
        },
        rates: { mode: 'flat', rate: 2 },
      }),
      key: 'se',
    };
    const s = snap({
      users: [
        { id: 'rep1', name: 'Ari', roleId: null },
        { id: 'se1', name: 'Sam', roleId: null },
        { id: 'se2', name: 'Sue', roleId: null },
      ],
      roles: [],
      territories: [{ id: 'T1', name: 'EMEA' }],
      territoryMembers: [
        { territoryId: 'T1', userId: 'se1', role: 'Sales Engineer' },
        { territoryId: 'T1', userId: 'se2', role: 'Sales Engineer', endDate: '2026-05-01' },
      ],
      opportunities: [
        won('o1', '10000', '2026-05-10', { territoryId: 'T1' }),
        won('o2', '10000', '2026-04-10', {
          territoryId: 'T1',
          splits: [split('rep1', '100'), split('se1', '100', 'overlay')],
        }),
      ],
    });
    const r = run(s, book(plan(['rep1'], {}), sePlan), AS_OF);
    expect(
      linesOf(r, 'se1', Q2, 'Commission').map((l) => [l.opportunityId, l.creditRole, l.creditedAmount]),
    ).toEqual([
      ['o2', 'Overlay', '10000.00'],
      ['o1', 'Territory', '5000.00'],
    ]);
    // se2 left the territory on 1 May: only the April deal
    expect(linesOf(r, 'se2', Q2, 'Commission').map((l) => l.opportunityId)).toEqual(['o2']);
  });

  test('credit date: booking or invoice date when the deal has one, else the close date', () => {
    const b = book(plan(['rep1'], { crediting: { creditDate: 'booking' } }));
    const r = run(
      snap({
        opportunities: [
          won('o1', '1000', '2026-03-28', { dates: { bookingDate: '2026-04-02' } }),
          won('o2', '1000', '2026-03-29'),
        ],
      }),
      b,
      AS_OF,
    );
    expect(linesOf(r, 'rep1', 'FY2026-Q2', 'Commission').map((l) => [l.opportunityId, l.creditDate])).toEqual(
      [['o1', '2026-04-02']],
    );
    expect(linesOf(r, 'rep1', 'FY2026-Q1', 'Commission').map((l) => l.opportunityId)).toEqual(['o2']);
  });
});

describe('measures', () => {
  const lines = [
    { id: 'l1', productFamily: 'Platform', totalPrice: '80000', cost: '20000' },
    { id: 'l2', productFamily: 'Services', totalPrice: '40000', cost: '30000' },
  ];

  test('margin from line cost', () => {
    const r = run(
      snap({ opportunities: [won('o1', '120000', '2026-05-10', { lineItems: lines })] }),
      book(plan(['rep1'], { measure: { base: 'margin' } })),
      AS_OF,
    );
    const [l] = linesOf(r, 'rep1', Q2, 'Commission');
    // (80,000 − 20,000) + (40,000 − 30,000) = 70,000 × 10%
    expect(l!.amount).toBe('7000.00');
    expect(l!.traceInputs.measureSteps).toEqual(['margin $70,000.00 (price $120,000.00 − cost $50,000.00)']);
  });

  test('a sale below cost floors at zero unless the plan keeps it', () => {
    const below = [{ id: 'l1', productFamily: 'Platform', totalPrice: '10000', cost: '12000' }];
    const s = snap({ opportunities: [won('o1', '10000', '2026-05-10', { lineItems: below })] });
    expect(
      linesOf(
        run(s, book(plan(['rep1'], { measure: { base: 'margin' } })), AS_OF),
        'rep1',
        Q2,
        'Commission',
      )[0]!.amount,
    ).toBe('0.00');
    expect(
      linesOf(
        run(s, book(plan(['rep1'], { measure: { base: 'margin', negativeMargin: 'keep' } })), AS_OF),
        'rep1',
        Q2,
        'Commission',
      )[0]!.amount,
    ).toBe('-200.00');
  });

  test('product family filters and multipliers', () => {
    const s = snap({ opportunities: [won('o1', '120000', '2026-05-10', { lineItems: lines })] });
    let r = run(
      s,
      book(plan(['rep1'], { measure: { productFamilies: { multipliers: { Services: 0.5 } } } })),
      AS_OF,
    );
    // 80,000 + 40,000 × 0.5 = 100,000
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.creditedAmount).toBe('100000.00');
    r = run(s, book(plan(['rep1'], { measure: { productFamilies: { include: ['Platform'] } } })), AS_OF);
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.creditedAmount).toBe('80000.00');
  });

  test('new business vs renewal: deal type filters and multipliers', () => {
    const s = snap({
      opportunities: [
        won('n1', '10000', '2026-05-10', { type: 'New Customer' }),
        won('r1', '10000', '2026-05-11', { type: 'Renewal' }),
      ],
    });
    let r = run(
      s,
      book(plan(['rep1'], { measure: { dealTypes: { multipliers: { Renewal: 0.5 } } } })),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => [l.opportunityId, l.amount])).toEqual([
      ['n1', '1000.00'],
      ['r1', '500.00'],
    ]);
    r = run(s, book(plan(['rep1'], { measure: { dealTypes: { exclude: ['Renewal'] } } })), AS_OF);
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => l.opportunityId)).toEqual(['n1']);
  });
});

describe('currency', () => {
  const eurRates = {
    currencies: [
      { code: 'USD', decimalPlaces: 2, staticRate: '1' },
      { code: 'EUR', decimalPlaces: 2, staticRate: '0.95' },
      { code: 'JPY', decimalPlaces: 0, staticRate: '150' },
    ],
    datedRates: [
      { currency: 'EUR', startDate: '2026-01-01', rate: '0.90' },
      { currency: 'EUR', startDate: '2026-05-01', rate: '0.92' },
      { currency: 'JPY', startDate: '2026-01-01', rate: '140' },
    ],
  };
  const eurPlan = () =>
    book({ ...plan([], {}), assignments: [{ users: ['rep1'], from: '2025-01-01', currency: 'EUR' }] });

  test('the plan currency per rep, converted at the dated rate of each credit date', () => {
    const r = run(
      snap({
        ...eurRates,
        opportunities: [won('o1', '100000', '2026-04-10'), won('o2', '100000', '2026-05-10')],
      }),
      eurPlan(),
      AS_OF,
    );
    const ls = linesOf(r, 'rep1', Q2, 'Commission');
    expect(ls.map((l) => [l.creditedAmount, l.amount, l.currency])).toEqual([
      ['90000.00', '9000.00', 'EUR'],
      ['92000.00', '9200.00', 'EUR'],
    ]);
    expect(ls[1]!.traceInputs.measureSteps).toEqual([
      '$100,000.00 → €92,000.00 (USD 1, EUR 0.92 per USD; dated rates on 2026-05-10)',
    ]);
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ currency: 'EUR', earned: '18200.00' });
  });

  test('a cross-currency deal is converted in one step and rounded once (JPY → EUR)', () => {
    const r = run(
      snap({ ...eurRates, opportunities: [won('o1', '1000000', '2026-05-10', { currency: 'JPY' })] }),
      eurPlan(),
      AS_OF,
    );
    // ¥1,000,000 ÷ 140 × 0.92 = €6,571.428571… → €6,571.43
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.creditedAmount).toBe('6571.43');
  });

  test('a rep whose plan currency changes: each period in the currency in force at its end', () => {
    const b = book({
      ...plan([], {}),
      assignments: [
        { users: ['rep1'], from: '2025-01-01', to: '2026-03-31', currency: 'USD' },
        { users: ['rep1'], from: '2026-04-01', currency: 'EUR' },
      ],
    });
    const r = run(
      snap({
        ...eurRates,
        opportunities: [won('o1', '1000', '2026-03-10'), won('o2', '1000', '2026-05-10')],
      }),
      b,
      AS_OF,
    );
    expect(statementOf(r, 'rep1', 'FY2026-Q1')).toMatchObject({ currency: 'USD', earned: '100.00' });
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ currency: 'EUR', earned: '92.00' });
  });
});

describe('plan assignment', () => {
  test('user beats role; a role-name pattern assigns; effective dates bound it', () => {
    const byRole = {
      key: 'by-role',
      name: 'AE',
      versions: [{ version: 1, effectiveFrom: '2025-01-01', rates: { mode: 'flat' as const, rate: 5 } }],
      assignments: [{ roleNameMatches: 'Account Executive$', from: '2025-01-01' }],
    };
    const byUser = {
      key: 'by-user',
      name: 'Special',
      versions: [{ version: 1, effectiveFrom: '2025-01-01', rates: { mode: 'flat' as const, rate: 20 } }],
      assignments: [{ users: ['rep2'], from: '2026-05-01' }],
    };
    const r = run(
      snap({
        opportunities: [
          won('a', '1000', '2026-05-10'),
          won('b', '1000', '2026-05-10', { ownerId: 'rep2' }),
          won('c', '1000', '2026-04-10', { ownerId: 'rep2' }),
        ],
      }),
      book(byRole, byUser),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]).toMatchObject({ amount: '50.00', planKey: 'by-role' });
    expect(linesOf(r, 'rep2', Q2, 'Commission').map((l) => [l.opportunityId, l.amount, l.planKey])).toEqual([
      ['c', '50.00', 'by-role'],
      ['b', '200.00', 'by-user'],
    ]);
  });

  test('a rate change mid-period: each credit at the version in force on its credit date', () => {
    const b = book({
      ...plan(['rep1'], {}),
      versions: [
        { version: 1, effectiveFrom: '2025-01-01', rates: { mode: 'flat', rate: 10 } },
        { version: 2, effectiveFrom: '2026-04-15', rates: { mode: 'flat', rate: 12 } },
      ],
    });
    const r = run(
      snap({ opportunities: [won('o1', '1000', '2026-04-10'), won('o2', '1000', '2026-04-20')] }),
      b,
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => [l.amount, l.planVersion])).toEqual([
      ['100.00', 1],
      ['120.00', 2],
    ]);
    expect(statementOf(r, 'rep1', Q2).planVersion).toBe(2);
  });
});

describe('projections', () => {
  test('open deals by forecast category: what closing at their amount this period would add', () => {
    const r = run(
      snap({
        opportunities: [
          won('w1', '10000', '2026-04-10'),
          openDeal('c1', '50000', '2026-06-10', 'Negotiation/Review'),
          openDeal('b1', '20000', '2026-06-20', 'Proposal/Price Quote'),
          openDeal('p1', '10000', '2026-06-25', 'Prospecting'),
          openDeal('later', '99000', '2026-09-25', 'Negotiation/Review'),
        ],
      }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    const projected = linesOf(r, 'rep1', Q2, 'Projected');
    expect(projected.map((l) => [l.opportunityId, l.forecastCategory, l.amount, l.payable])).toEqual([
      ['c1', 'Commit', '5000.00', '0.00'],
      ['b1', 'BestCase', '2000.00', '0.00'],
      ['p1', 'Pipeline', '1000.00', '0.00'],
    ]);
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({
      earned: '1000.00',
      lineCount: 1,
      projectedCommit: '5000.00',
      projectedBestCase: '7000.00',
      projectedPipeline: '8000.00',
    });
  });
});

describe('periods and levels', () => {
  test('a monthly plan gives one statement per fiscal month', () => {
    const r = run(
      snap({ opportunities: [won('a', '1000', '2026-04-10'), won('b', '2000', '2026-05-10')] }),
      book(plan(['rep1'], { period: 'month' })),
      AS_OF,
    );
    expect(statementOf(r, 'rep1', 'FY2026-M04').earned).toBe('100.00');
    expect(statementOf(r, 'rep1', 'FY2026-M05').earned).toBe('200.00');
    expect(r.statements.some((s) => s.repId === 'rep1' && s.periodKey === 'FY2026-M06')).toBe(false);
  });

  test('managers above managerLevels are not credited', () => {
    const s = snap({
      users: [
        { id: 'rep1', name: 'Ari', roleId: 'AE' },
        { id: 'mgr', name: 'Max', roleId: 'MGR' },
        { id: 'vp', name: 'Vera', roleId: 'VP' },
      ],
      roles: [
        { id: 'VP', name: 'VP', forecastManagerId: 'vp' },
        { id: 'MGR', name: 'Manager', parentRoleId: 'VP', forecastManagerId: 'mgr' },
        { id: 'AE', name: 'AE', parentRoleId: 'MGR' },
      ],
      opportunities: [won('o1', '10000', '2026-05-10')],
    });
    const managers = (levels: number) => ({
      ...plan(['mgr', 'vp'], {
        crediting: { roles: ['Manager'], managerLevels: levels },
        rates: { mode: 'flat', rate: 1 },
      }),
      key: 'managers',
    });
    let r = run(s, book(plan(['rep1'], {}), managers(1)), AS_OF);
    expect(r.lines.filter((l) => l.creditRole === 'Manager').map((l) => l.repId)).toEqual(['mgr']);
    r = run(s, book(plan(['rep1'], {}), managers(2)), AS_OF);
    expect(r.lines.filter((l) => l.creditRole === 'Manager').map((l) => [l.repId, l.amount])).toEqual([
      ['mgr', '100.00'],
      ['vp', '100.00'],
    ]);
  });

  test('a hold on one deal keeps only that deal unpaid', () => {
    const r = run(
      snap({
        opportunities: [won('a', '1000', '2026-05-01'), won('b', '1000', '2026-05-02')],
        commissionHolds: [
          {
            id: 'h',
            opportunityId: 'b',
            reason: 'missing signed order form',
            from: '2026-05-01',
            until: '2026-06-30',
          },
        ],
      }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(
      linesOf(r, 'rep1', Q2, 'Commission').map((l) => [l.opportunityId, l.payable, l.holdReason]),
    ).toEqual([
      ['a', '100.00', null],
      ['b', '0.00', 'missing signed order form'],
    ]);
  });
});
