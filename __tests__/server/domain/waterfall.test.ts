import fc from 'fast-check';
import { buildWaterfall, computeForecast, type DealPoint } from '../../../server/src/domain/forecast';
import type { ForecastCategory } from '../../../server/src/domain/forecast/config';
import { opp, snapshot, testConfig } from './helpers/fixtures';

const AS_OF = '2026-05-15'; // lock day Monday 2026-05-11; the waterfall starts at the end of 2026-05-04
const h = (
  opportunityId: string,
  changedAt: string,
  stageName: string,
  amount: string,
  closeDate: string,
  ownerId: string | null = null,
) => ({
  opportunityId,
  changedAt,
  stageName,
  amount,
  closeDate,
  ownerId,
});

describe('week-over-week waterfall from history', () => {
  const parts = {
    opportunities: [
      opp('new', { stageName: 'Negotiation/Review', amount: '10', createdDate: '2026-05-06' }),
      opp('won', { stageName: 'Closed Won', amount: '20' }),
      opp('lost', { stageName: 'Closed Lost', amount: '30' }),
      opp('reopened', { stageName: 'Negotiation/Review', amount: '40' }),
      opp('pushed', { stageName: 'Negotiation/Review', amount: '50', closeDate: '2026-07-15' }),
      opp('pulled', { stageName: 'Negotiation/Review', amount: '60', closeDate: '2026-06-01' }),
      opp('upsized', { stageName: 'Negotiation/Review', amount: '75' }),
      opp('moved', { stageName: 'Prospecting', amount: '80' }),
      opp('handed', { stageName: 'Negotiation/Review', amount: '90', ownerId: 'rep2' }),
    ],
    history: [
      h('won', '2026-01-10', 'Negotiation/Review', '20', '2026-05-20'),
      h('won', '2026-05-08', 'Closed Won', '20', '2026-05-08'),
      h('lost', '2026-01-10', 'Negotiation/Review', '30', '2026-05-20'),
      h('lost', '2026-05-08', 'Closed Lost', '30', '2026-05-08'),
      h('reopened', '2026-01-10', 'Closed Lost', '40', '2026-04-10'),
      h('reopened', '2026-05-12', 'Negotiation/Review', '40', '2026-05-20'),
      h('pushed', '2026-01-10', 'Negotiation/Review', '50', '2026-05-20'),
      h('pushed', '2026-05-09', 'Negotiation/Review', '50', '2026-07-15'),
      h('pulled', '2026-01-10', 'Negotiation/Review', '60', '2026-08-01'),
      h('pulled', '2026-05-09', 'Negotiation/Review', '60', '2026-06-01'),
      h('upsized', '2026-01-10', 'Negotiation/Review', '70', '2026-05-20'),
      h('upsized', '2026-05-09', 'Negotiation/Review', '75', '2026-05-20'),
      h('moved', '2026-01-10', 'Negotiation/Review', '80', '2026-05-20'),
      h('moved', '2026-05-09', 'Prospecting', '80', '2026-05-20'),
      h('handed', '2026-01-10', 'Negotiation/Review', '90', '2026-05-20', 'rep1'),
      h('handed', '2026-05-09', 'Negotiation/Review', '90', '2026-05-20', 'rep2'),
    ],
  };
  const result = computeForecast(
    snapshot(parts),
    testConfig({
      forecast: {
        forecastTypes: [{ id: 'opportunity_revenue', source: 'opportunity' }],
        snapshots: { lockWeekday: 'monday', waterfallRollup: 'commit' },
      },
    }),
    AS_OF,
  );
  const waterfall = (scopeId: string) =>
    result.waterfalls.find((w) => w.periodKey === 'FY2026-Q2' && w.scopeId === scopeId)!;

  it('When deals changed during the week, then each goes to its single highest-ranked reason with its ids', () => {
    const org = waterfall('org');
    expect([org.from, org.to, org.startValue, org.endValue]).toEqual([
      '2026-05-04',
      AS_OF,
      '340.00',
      '295.00',
    ]);
    expect(org.steps.map((s) => [s.reason, s.delta, s.opportunities.map((o) => o.id)])).toEqual([
      ['new', '10.00', ['new']],
      ['won', '0.00', ['won']],
      ['lost', '-30.00', ['lost']],
      ['reopened', '40.00', ['reopened']],
      ['pushedOut', '-50.00', ['pushed']],
      ['pulledIn', '60.00', ['pulled']],
      ['categoryMove', '-80.00', ['moved']],
      ['amountUp', '5.00', ['upsized']],
    ]);
  });

  it('When a deal changes hands, then the old owner loses it and the new owner gains it', () => {
    expect(waterfall('rep1').steps.find((s) => s.reason === 'ownershipRemoved')).toEqual({
      reason: 'ownershipRemoved',
      delta: '-90.00',
      opportunities: [{ id: 'handed', delta: '-90.00' }],
    });
    expect(waterfall('rep2').steps).toEqual([
      { reason: 'ownershipAdded', delta: '90.00', opportunities: [{ id: 'handed', delta: '90.00' }] },
    ]);
  });

  it('When the steps are added, then they equal end − start exactly', () => {
    for (const w of result.waterfalls) {
      const steps = w.steps.reduce((sum, s) => sum + Math.round(Number(s.delta) * 100), 0);
      expect(Math.round(Number(w.startValue) * 100) + steps).toBe(Math.round(Number(w.endValue) * 100));
    }
  });
});

describe('buildWaterfall', () => {
  const categories: ForecastCategory[] = ['Pipeline', 'BestCase', 'Commit', 'Closed', 'Omitted'];
  const point = fc.record({
    ownerId: fc.constantFrom('a', 'b'),
    closeDate: fc.constantFrom('2026-03-31', '2026-04-01', '2026-05-15', '2026-06-30', '2026-07-01'),
    category: fc.constantFrom(...categories),
    outcome: fc.constantFrom('open', 'won', 'lost' as const),
    value: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  });
  const side = fc.dictionary(fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6'), point);
  const toMap = (d: Record<string, Omit<DealPoint, 'opportunityId'>>) =>
    new Map(Object.entries(d).map(([id, p]) => [id, { ...p, opportunityId: id }]));

  it('When any two snapshots are compared, then the steps sum exactly to the change, for every scope (property)', () => {
    fc.assert(
      fc.property(side, side, fc.constantFrom(null, 'a', 'b'), (before, after, ownerId) => {
        const w = buildWaterfall(toMap(before), toMap(after), {
          periodStart: '2026-04-01',
          periodEnd: '2026-06-30',
          categories: new Set<ForecastCategory>(['BestCase', 'Commit', 'Closed']),
          ownerId,
        });
        const sum = w.steps.reduce((s, step) => s + step.delta, 0);
        const perDeal = w.steps.every(
          (step) => step.delta === step.opportunities.reduce((s, o) => s + o.delta, 0),
        );
        const once =
          new Set(w.steps.flatMap((s) => s.opportunities.map((o) => o.id))).size ===
          w.steps.reduce((n, s) => n + s.opportunities.length, 0);
        return w.startValue + sum === w.endValue && perDeal && once;
      }),
      { numRuns: 300 },
    );
  });
});
