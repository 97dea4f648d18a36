import { computeKpis, type KpiResult } from '../../../server/src/domain/kpi';
import { opp, readYaml, snapshot, testConfig } from './helpers/fixtures';

const AS_OF = '2026-05-15';
const h = (
  opportunityId: string,
  changedAt: string,
  stageName: string,
  closeDate: string,
  amount = '10',
) => ({ opportunityId, changedAt, stageName, closeDate, amount });

const parts = {
  territories: [{ id: 'T1', name: 'North' }],
  accounts: [{ id: 'acc', name: 'Acme', territoryId: 'T1' }],
  opportunities: [
    opp('w1', { stageName: 'Closed Won', amount: '100', createdDate: '2026-01-01', closeDate: '2026-02-10' }),
    opp('w2', { stageName: 'Closed Won', amount: '300', createdDate: '2026-02-01', closeDate: '2026-03-03' }),
    opp('l1', { stageName: 'Closed Lost', amount: '200', closeDate: '2026-03-15' }),
    opp('h1', { stageName: 'Closed Lost', amount: '10', createdDate: '2026-01-02', closeDate: '2026-02-11' }),
    opp('w3', {
      ownerId: 'rep2',
      stageName: 'Closed Won',
      amount: '50',
      createdDate: '2026-04-01',
      closeDate: '2026-04-11',
    }),
    opp('c1', {
      stageName: 'Negotiation/Review',
      amount: '400',
      createdDate: '2026-04-05',
      closeDate: '2026-06-01',
      accountId: 'acc',
    }),
    opp('p1', { stageName: 'Prospecting', amount: '0', createdDate: '2026-01-20', closeDate: '2026-05-01' }),
    opp('s1', {
      stageName: 'Qualification',
      amount: '70',
      createdDate: '2026-01-05',
      closeDate: '2026-07-20',
    }),
  ],
  history: [
    h('h1', '2026-01-02', 'Prospecting', '2026-03-01'),
    h('h1', '2026-01-12', 'Qualification', '2026-03-01'),
    h('h1', '2026-02-11', 'Closed Lost', '2026-02-11'),
    h('s1', '2026-01-05', 'Qualification', '2026-04-20', '70'),
    h('s1', '2026-05-02', 'Qualification', '2026-07-20', '70'),
  ],
  quotas: [
    {
      ownerType: 'user' as const,
      ownerId: 'rep1',
      periodType: 'quarter' as const,
      periodStart: '2026-04-01',
      amount: '1000',
      currency: 'USD',
    },
  ],
  submissions: [
    { ownerId: 'rep1', periodKey: 'FY2026-Q1', amount: '500', currency: 'USD', submittedOn: '2025-12-20' },
    { ownerId: 'rep1', periodKey: 'FY2026-Q1', amount: '400', currency: 'USD', submittedOn: '2026-01-05' },
  ],
};
const config = testConfig({ kpis: { horizon: { past: 1, future: 0 } } });
const result = computeKpis(snapshot(parts), config, AS_OF);

function kpi(r: KpiResult, id: string, period: string, scope: string, dimension: string | null = null) {
  const key = ['KPI', id, 'v1', period, scope, dimension ?? '-'].join('|');
  const row = r.rows.find((x) => x.externalKey === key);
  const trace = r.traces.find((x) => x.externalKey === key);
  if (!row || !trace) throw new Error(`no KPI row ${key}`);
  return { row, trace };
}

describe('KPI engine: hand-computed cases', () => {
  it.each([
    // id, period, scope, dimension, value, numerator, denominator
    ['win_rate_count', 'FY2026-Q1', 'rep:rep1', null, '0.5000', '2', '4'],
    ['win_rate_amount', 'FY2026-Q1', 'rep:rep1', null, '0.6557', '400.00', '610.00'],
    ['average_deal_size', 'FY2026-Q1', 'rep:rep1', null, '200.00', '400.00', '2'],
    ['sales_cycle_days', 'FY2026-Q1', 'rep:rep1', null, '35.00', '70', '2'],
    ['quota_attainment', 'FY2026-Q2', 'rep:rep1', null, '0.0000', '0.00', '1000.00'],
    ['commit_attainment', 'FY2026-Q2', 'rep:rep1', null, '0.4000', '400.00', '1000.00'],
    ['pipeline_coverage', 'FY2026-Q2', 'rep:rep1', null, '0.4000', '400.00', '1000.00'],
    ['slip_rate', 'FY2026-Q2', 'rep:rep1', null, '0.5000', '1', '2'],
    ['stage_conversion', 'FY2026-Q1', 'rep:rep1', 'Prospecting', '1.0000', '1', '1'],
    ['stage_conversion', 'FY2026-Q1', 'rep:rep1', 'Qualification', '0.0000', '0', '2'],
    ['days_in_stage', 'FY2026-Q1', 'rep:rep1', 'Prospecting', '10.00', '10', '1'],
    ['days_in_stage', 'FY2026-Q1', 'rep:rep1', 'Qualification', '30.00', '30', '1'],
    ['pipeline_created', 'FY2026-Q1', 'rep:rep1', null, '680.00', '6', null],
    ['pipeline_created', 'FY2026-Q2', 'territory:T1', null, '400.00', '1', null],
    ['past_due_open', 'FY2026-Q2', 'rep:rep1', null, '1', null, null],
    ['missing_amount', 'FY2026-Q2', 'rep:rep1', null, '1', null, null],
    ['stale_opportunities', 'FY2026-Q2', 'rep:rep1', null, '2', null, null],
    ['forecast_accuracy', 'FY2026-Q1', 'rep:rep1', null, '0.7500', '300.00', '400.00'],
    ['forecast_bias', 'FY2026-Q1', 'rep:rep1', null, '0.2500', '100.00', '400.00'],
    ['win_rate_count', 'FY2026-Q2', 'manager:mgr1', null, '1.0000', '1', '1'],
    ['win_rate_count', 'FY2026-Q1', 'org:org', null, '0.5000', '2', '4'],
  ])(
    'When %s is computed for %s %s %s, then it is %s (= %s ÷ %s)',
    (id, period, scope, dimension, value, numerator, denominator) => {
      const { row } = kpi(result, id, period, scope, dimension);
      expect([row.value, row.numerator, row.denominator]).toEqual([value, numerator, denominator]);
    },
  );

  it('When sales velocity is computed, then it is N × A × W ÷ ((W + L) × D) per day, half-even to the cent', () => {
    // 1 qualified open deal × 400.00 won × 2 won ÷ (4 closed × 70 cycle days) = 2.857… → 2.86
    const { row } = kpi(result, 'sales_velocity', 'FY2026-Q2', 'rep:rep1');
    expect([row.value, row.unit, row.currency]).toEqual(['2.86', 'currencyPerDay', 'USD']);
  });

  it('When a ratio has no denominator, then the value is null and the trace says why', () => {
    const { row, trace } = kpi(result, 'quota_attainment', 'FY2026-Q2', 'org:org');
    expect(row.value).toBeNull();
    expect(trace.inputs.note).toBe('no quota for this scope and period');
    const empty = kpi(result, 'win_rate_count', 'FY2026-Q1', 'rep:rep3');
    expect([empty.row.value, empty.trace.inputs.note]).toEqual([null, 'no deals closed in the period']);
  });

  it('When the period is still open, then forecast accuracy waits for it to end', () => {
    expect(kpi(result, 'forecast_accuracy', 'FY2026-Q2', 'rep:rep1').trace.inputs.note).toBe(
      'the period is not over',
    );
  });

  it('When a row is written, then it carries the definition version and the written formula', () => {
    const { row, trace } = kpi(result, 'pipeline_coverage', 'FY2026-Q2', 'rep:rep1');
    expect([row.kpiVersion, row.definitionsVersion, row.periodComplete, row.scopeType, row.scopeId]).toEqual([
      1,
      'kpis-2026.1',
      false,
      'rep',
      'rep1',
    ]);
    expect(trace.definitionVersion).toBe('kpis-2026.1/pipeline_coverage@v1');
    expect(trace.rule).toBe(
      'Pipeline coverage: open pipeline ÷ (quota − closed won amount). Cohort: open deals in Pipeline, Best Case, Most Likely or Commit with CloseDate in the period, as of asOf; null when nothing of the quota remains.',
    );
  });

  it('When data-quality KPIs are computed, then only the period holding asOf gets them', () => {
    expect(result.rows.some((r) => r.kpiId === 'past_due_open' && r.periodKey === 'FY2026-Q1')).toBe(false);
  });

  it('When the config names a formula version the engine does not implement, then it refuses with a named code', () => {
    const kpis = readYaml('kpis.yaml') as { definitions: { id: string; version: number }[] };
    const bad = testConfig({
      kpis: { definitions: kpis.definitions.map((d) => (d.id === 'slip_rate' ? { ...d, version: 2 } : d)) },
    });
    expect(() => computeKpis(snapshot(parts), bad, AS_OF)).toThrow(
      expect.objectContaining({ code: 'KPI.UNSUPPORTED_VERSION' }),
    );
  });

  it("When a rep's deals are more than the trace may list, then the list is cut at the cap and says so", () => {
    // rep1 closed w1, w2, l1 and h1 in FY2026-Q1 and created more there.
    const full = kpi(result, 'win_rate_count', 'FY2026-Q1', 'rep:rep1').trace.inputs;
    expect(full.opportunityIds.length).toBeGreaterThan(2);
    expect(full.idsTruncated).toBe(false);
    const base = readYaml('forecast.yaml') as { trace: Record<string, unknown> };
    const capped = computeKpis(
      snapshot(parts),
      testConfig({
        kpis: { horizon: { past: 1, future: 0 } },
        forecast: { trace: { ...base.trace, maxIds: 2 } },
      }),
      AS_OF,
    );
    const cut = kpi(capped, 'win_rate_count', 'FY2026-Q1', 'rep:rep1').trace.inputs;
    expect(cut.opportunityIds).toEqual(full.opportunityIds.slice(0, 2));
    expect(cut.idsTruncated).toBe(true);
    // A rep whose deals fit keeps the whole list, not flagged.
    const fits = kpi(capped, 'win_rate_count', 'FY2026-Q2', 'rep:rep2').trace.inputs;
    expect([fits.opportunityIds, fits.idsTruncated]).toEqual([['w3'], false]);
  });

  it('When the same input is computed twice, then the output is identical', () => {
    expect(JSON.stringify(computeKpis(snapshot(parts), config, AS_OF))).toBe(JSON.stringify(result));
  });
});
