import { book, linesOf, plan, quota, run, snap, statementOf, won } from './helpers';

// Calendar-year fiscal year: FY2026-Q2 is April–June 2026. asOf inside Q2.
const AS_OF = '2026-05-20';
const Q2 = 'FY2026-Q2';

const tiers = [
  { from: 0, to: 100, rate: 5 },
  { from: 100, to: 150, rate: 8 },
  { from: 150, rate: 12 },
];

function expectTotalsAddUp(r: ReturnType<typeof run>): void {
  for (const s of r.statements) {
    const lines = r.lines.filter((l) => l.statementKey === s.externalKey && l.lineType !== 'Projected');
    const cents = lines.reduce((a, l) => a + Math.round(Number(l.amount) * 100), 0);
    expect(Math.round(Number(s.earned) * 100)).toBe(cents);
  }
}

describe('flat rates', () => {
  test('the owner earns amount × rate, with a readable trace', () => {
    const r = run(
      snap({ opportunities: [won('o1', '120000', '2026-05-10')] }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    const [line] = linesOf(r, 'rep1', Q2, 'Commission');
    expect(line).toMatchObject({
      amount: '12000.00',
      creditedAmount: '120000.00',
      ratePercent: '10.0000',
      creditRole: 'Owner',
    });
    expect(line!.trace).toBe('$120,000.00 × 10% = $12,000.00');
    expect(line!.externalKey).toBe('CL|rep1|FY2026-Q2|COM|o1|0');
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({
      earned: '12000.00',
      payable: '12000.00',
      externalKey: 'CS|rep1|FY2026-Q2',
    });
  });

  test('a refund (negative won amount) produces a negative line, never a positive one', () => {
    const r = run(
      snap({ opportunities: [won('o1', '50000', '2026-04-10'), won('r1', '-10000', '2026-05-02')] }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => [l.opportunityId, l.amount])).toEqual([
      ['o1', '5000.00'],
      ['r1', '-1000.00'],
    ]);
    expect(statementOf(r, 'rep1', Q2).earned).toBe('4000.00');
  });
});

describe('tiers', () => {
  const tiered = (mode: 'retroactive' | 'marginal') => book(plan(['rep1'], { rates: { mode, tiers } }));
  const withQuota = (opps: ReturnType<typeof won>[]) =>
    snap({ opportunities: opps, quotas: [quota('rep1', '2026-04-01', '100000')] });

  test('retroactive: every credit of the period pays the tier reached; bands are half-open', () => {
    // exactly 100% is tier 2 (100–150 includes 100)
    let r = run(withQuota([won('o1', '100000', '2026-05-10')]), tiered('retroactive'), AS_OF);
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]).toMatchObject({
      amount: '8000.00',
      tier: 'tier 2: 100–150% attainment',
    });
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({
      attainment: '1.0000',
      tierReached: 'tier 2: 100–150% attainment',
      tierThresholds: '0,100,150',
    });
    // one cent below 100% stays in tier 1: 99,999.99 × 5% = 4,999.9995 → 5,000.00
    r = run(withQuota([won('o1', '99999.99', '2026-05-10')]), tiered('retroactive'), AS_OF);
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]).toMatchObject({
      amount: '5000.00',
      tier: 'tier 1: 0–100% attainment',
    });
    // crossing into tier 2 lifts the earlier deal of the period too: (60k + 60k) × 8%
    r = run(
      withQuota([won('o1', '60000', '2026-04-10'), won('o2', '60000', '2026-05-10')]),
      tiered('retroactive'),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => l.amount)).toEqual(['4800.00', '4800.00']);
  });

  test('marginal: each slice of attainment pays its own band, and the trace shows the slices', () => {
    let r = run(withQuota([won('o1', '120000', '2026-05-10')]), tiered('marginal'), AS_OF);
    const [line] = linesOf(r, 'rep1', Q2, 'Commission');
    // 100,000 × 5% + 20,000 × 8% = 5,000 + 1,600
    expect(line!.amount).toBe('6600.00');
    expect(line!.trace).toBe(
      '$120,000.00: $100,000.00 at 5% (tier 1: 0–100% attainment) + $20,000.00 at 8% (tier 2: 100–150% attainment) = $6,600.00',
    );
    expect(line!.ratePercent).toBe('5.5000');
    // split into two deals the total is the same: 3,000 then 2,000 + 1,600
    r = run(
      withQuota([won('o1', '60000', '2026-04-10'), won('o2', '60000', '2026-05-10')]),
      tiered('marginal'),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => l.amount)).toEqual(['3000.00', '3600.00']);
    expect(statementOf(r, 'rep1', Q2).earned).toBe('6600.00');
  });

  test('accelerators and decelerators multiply the base rate', () => {
    const b = book(
      plan(['rep1'], {
        rates: {
          mode: 'marginal',
          baseRate: 10,
          tiers: [
            { name: 'Decelerator', from: 0, to: 50, multiplier: 0.5 },
            { name: 'Accelerator', from: 50, multiplier: 1.5 },
          ],
        },
      }),
    );
    const r = run(withQuota([won('o1', '80000', '2026-05-10')]), b, AS_OF);
    // 50,000 × 5% + 30,000 × 15% = 2,500 + 4,500
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.amount).toBe('7000.00');
    expect(statementOf(r, 'rep1', Q2).tierReached).toBe('Accelerator, tier 2: 50%+ attainment');
  });

  test('no quota: tiers pay the first tier and a warning says so', () => {
    const r = run(snap({ opportunities: [won('o1', '120000', '2026-05-10')] }), tiered('retroactive'), AS_OF);
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.amount).toBe('6000.00');
    expect(r.warnings.map((w) => w.code)).toContain('COMMISSION.NO_QUOTA');
  });

  test('a fixed quota in the plan replaces the snapshot quota', () => {
    const b = book(
      plan(['rep1'], { rates: { mode: 'retroactive', tiers }, quota: { amount: '50000', currency: 'USD' } }),
    );
    const r = run(snap({ opportunities: [won('o1', '80000', '2026-05-10')] }), b, AS_OF);
    // 160% of 50,000 → tier 3
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.amount).toBe('9600.00');
  });
});

describe('caps and floors', () => {
  test('per-deal cap', () => {
    const r = run(
      snap({ opportunities: [won('o1', '20000', '2026-05-10')] }),
      book(plan(['rep1'], { caps: { perDeal: '1000' } })),
      AS_OF,
    );
    const [line] = linesOf(r, 'rep1', Q2, 'Commission');
    expect(line!.amount).toBe('1000.00');
    expect(line!.trace).toContain('capped at $1,000.00 per deal');
  });

  test('period earnings cap', () => {
    const b = book(plan(['rep1'], { caps: { periodEarnings: '1500' } }));
    const r = run(
      snap({ opportunities: [won('o1', '10000', '2026-04-10'), won('o2', '10000', '2026-05-10')] }),
      b,
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => l.amount)).toEqual(['1000.00', '500.00']);
  });

  test('attainment cap: credit above it earns nothing', () => {
    const b = book(plan(['rep1'], { caps: { attainment: 150 } }));
    const s = snap({
      opportunities: [won('o1', '20000', '2026-05-10')],
      quotas: [quota('rep1', '2026-04-01', '10000')],
    });
    expect(linesOf(run(s, b, AS_OF), 'rep1', Q2, 'Commission')[0]!.amount).toBe('1500.00');
  });

  test('attainment floor: below it at period end nothing is earned', () => {
    const b = book(plan(['rep1'], { floors: { attainment: 50 } }));
    const q = [quota('rep1', '2026-04-01', '100000')];
    let r = run(snap({ opportunities: [won('o1', '40000', '2026-05-10')], quotas: q }), b, AS_OF);
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!).toMatchObject({ amount: '0.00' });
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]!.trace).toContain('below the 50% attainment floor');
    r = run(
      snap({
        opportunities: [won('o1', '40000', '2026-04-10'), won('o2', '20000', '2026-05-10')],
        quotas: q,
      }),
      b,
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission').map((l) => l.amount)).toEqual(['4000.00', '2000.00']);
  });
});

describe('SPIFFs', () => {
  const spiff = (per: 'deal' | 'line' | 'unit') => ({
    key: 'fai',
    name: 'Forecast AI launch',
    from: '2026-05-01',
    to: '2026-05-31',
    amount: '500',
    per,
    productCodes: ['ANL-FAI'],
  });
  const faiDeal = (id: string, date: string, fields = {}) =>
    won(id, '10000', date, {
      lineItems: [
        {
          id: `${id}-1`,
          productCode: 'ANL-FAI',
          productFamily: 'Analytics',
          quantity: '3',
          totalPrice: '6000',
        },
        {
          id: `${id}-2`,
          productCode: 'PLT-PRO',
          productFamily: 'Platform',
          quantity: '1',
          totalPrice: '4000',
        },
      ],
      ...fields,
    });

  test('a fixed bonus per qualifying deal between two dates', () => {
    const r = run(
      snap({
        opportunities: [
          faiDeal('in', '2026-05-10'),
          faiDeal('before', '2026-04-20'),
          won('nofai', '1000', '2026-05-12'),
        ],
      }),
      book(plan(['rep1'], { spiffs: [spiff('deal')] })),
      AS_OF,
    );
    const spiffs = linesOf(r, 'rep1', Q2, 'SPIFF');
    expect(spiffs.map((l) => [l.opportunityId, l.amount])).toEqual([['in', '500.00']]);
    expect(spiffs[0]!.trace).toBe('SPIFF Forecast AI launch: $500.00 × deal = $500.00');
    expect(spiffs[0]!.externalKey).toBe('CL|rep1|FY2026-Q2|SPF|fai:in|0');
  });

  test('per unit of the qualifying product, times the split share', () => {
    const r = run(
      snap({
        opportunities: [
          faiDeal('in', '2026-05-10', {
            splits: [
              { userId: 'rep1', splitType: 'revenue', percent: '50' },
              { userId: 'rep2', splitType: 'revenue', percent: '50' },
            ],
          }),
        ],
      }),
      book(plan(['rep1', 'rep2'], { spiffs: [spiff('unit')] })),
      AS_OF,
    );
    // 500 × 3 units × 50%
    expect(linesOf(r, 'rep1', Q2, 'SPIFF')[0]!.amount).toBe('750.00');
    expect(linesOf(r, 'rep2', Q2, 'SPIFF')[0]!.amount).toBe('750.00');
  });
});

describe('statement totals', () => {
  test('earned is the exact sum of the non-projected lines in every statement', () => {
    const r = run(
      snap({
        opportunities: [
          won('o1', '33333.33', '2026-04-03'),
          won('o2', '0.05', '2026-05-02'),
          won('o3', '-125.55', '2026-05-03'),
        ],
        quotas: [quota('rep1', '2026-04-01', '30000')],
      }),
      book(plan(['rep1'], { rates: { mode: 'marginal', tiers } })),
      AS_OF,
    );
    expectTotalsAddUp(r);
  });
});
