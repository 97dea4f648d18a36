import { buildSyntheticSnapshot } from '../../../scripts/bench/synthetic-snapshot';
import { computeForecast } from '../../../server/src/domain/forecast';
import { band, FeatureEncoder, WinRates } from '../../../server/src/domain/forecast/statistical/features';
import { fitLogistic, predict } from '../../../server/src/domain/forecast/statistical/logistic';
import { StatisticalConfigSchema } from '../../../server/src/domain/forecast/config';
import { defaultConfig } from './helpers/fixtures';

describe('logistic regression', () => {
  it('When only an intercept is fitted, then it recovers the observed rate exactly', () => {
    const model = fitLogistic([{ x: [1], trials: 4, successes: 3 }], 1, 1, 25);
    expect(model.converged).toBe(true);
    expect(predict(model, [1])).toBeCloseTo(0.75, 9);
  });

  it('When two groups differ, then an unpenalised fit reproduces each group rate and a penalty shrinks toward the mean', () => {
    const rows = [
      { x: [1, 1, 0], trials: 10, successes: 8 },
      { x: [1, 0, 1], trials: 10, successes: 2 },
    ];
    const free = fitLogistic(rows, 3, 1e-9, 50);
    expect([predict(free, [1, 1, 0]), predict(free, [1, 0, 1])].map((p) => p.toFixed(4))).toEqual([
      '0.8000',
      '0.2000',
    ]);
    const shrunk = fitLogistic(rows, 3, 5, 50);
    expect(predict(shrunk, [1, 1, 0])).toBeLessThan(0.8);
    expect(predict(shrunk, [1, 1, 0])).toBeGreaterThan(0.5);
  });
});

describe('features', () => {
  it.each([
    [0, 0],
    [13, 0],
    [14, 1],
    [89, 3],
    [90, 4],
  ])('When age in stage is %d days, then it falls in band %d (half-open bands)', (days, expected) => {
    expect(band(days, [14, 30, 60, 90])).toBe(expected);
  });

  it('When a rep has few closed deals, then their win rate is shrunk toward the org rate', () => {
    const deals = [
      { day: 1, rep: 'star', segment: 's', won: true },
      { day: 2, rep: 'star', segment: 's', won: true },
      ...Array.from({ length: 8 }, (_, i) => ({ day: 3 + i, rep: 'other', segment: 's', won: i < 2 })),
    ];
    const rates = new WinRates(deals, 20);
    rates.advanceTo(2);
    // Only deals closed strictly before day 2 count: one win for 'star'.
    const early = rates.repSignal('star');
    rates.advanceTo(100);
    const late = rates.repSignal('star');
    expect(early).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(early);
    expect(late).toBeLessThan(1);
    expect(rates.repSignal('unknown')).toBe(0);
  });

  it('When a deal is encoded, then exactly one band per group is set', () => {
    const encoder = new FeatureEncoder(['A', 'B'], StatisticalConfigSchema.parse({}));
    const x = encoder.encode({
      stageName: 'B',
      ageInStageDays: 20,
      pushes: 5,
      amountMajor: 60000,
      daysRemaining: 10,
      daysElapsed: 80,
      repSignal: 0.5,
      segmentSignal: -0.25,
    });
    const on = encoder.names.filter((_, i) => x[i] === 1);
    expect(on).toEqual([
      'intercept',
      'stage=B',
      'ageInStage>=14<30d',
      'pushes>=3',
      'amount>=50000<250000',
      'daysRemaining<31d',
      'daysElapsed>=75d',
    ]);
    expect(x.slice(-2)).toEqual([0.5, -0.25]);
  });
});

describe('statistical forecast on a synthetic org', () => {
  const asOf = '2026-11-16';
  const snapshot = buildSyntheticSnapshot({ opportunities: 4000, asOf, spanDays: 5 * 365, seed: 7 });
  const config = defaultConfig();
  const result = computeForecast(snapshot, config, asOf);
  const statistical = result.statistical!;

  it('When it is trained, then every open deal gets a probability between 0 and 1', () => {
    const open = snapshot.opportunities.filter((o) => !o.isClosed).length;
    expect(statistical.deals).toHaveLength(open);
    expect(statistical.deals.every((d) => Number(d.probability) > 0 && Number(d.probability) < 1)).toBe(true);
  });

  it('When the past quarters are backtested, then the model beats the stage-probability forecast on calibration and on the call', () => {
    const s = statistical.backtest.summary;
    expect(s.quarters).toBe(4);
    expect(Number(s.brierStatistical)).toBeLessThan(Number(s.brierNaive));
    expect(Number(s.mapeStatisticalVsCohort)).toBeLessThan(Number(s.mapeNaiveVsCohort));
    const counted = statistical.backtest.calibration.statistical.reduce((n, b) => n + b.count, 0);
    expect(counted).toBe(s.predictions);
  });

  it("When the statistical rows are read, then the org's expected value is won + Σ per-deal expected values in the period", () => {
    const key = `FS|${result.snapshotDate}|opportunity_revenue|FY2027-Q4|org|-|statistical`;
    const row = result.rows.find((r) => r.externalKey === key)!;
    const period = result.rows.find((r) => r.externalKey === key.replace('statistical', 'closed'))!;
    const inPeriod = new Set(
      snapshot.opportunities
        .filter((o) => !o.isClosed && o.closeDate >= period.periodStart && o.closeDate <= period.periodEnd)
        .map((o) => o.id),
    );
    const cents = (v: string) => Math.round(Number(v) * 100);
    const expected = statistical.deals
      .filter((d) => inPeriod.has(d.opportunityId))
      .reduce((sum, d) => sum + cents(d.expectedValue), cents(period.amountAdjusted));
    expect(cents(row.amountAdjusted)).toBe(expected);
  });

  it('When it runs twice, then the probabilities and the backtest are identical', () => {
    const again = computeForecast(snapshot, config, asOf).statistical!;
    expect(JSON.stringify(again)).toBe(JSON.stringify(statistical));
  });
});
