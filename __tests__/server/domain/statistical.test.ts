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
      daysToClose: -3,
      closesThisQuarter: true,
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
      'daysToClose<0d',
      'closesThisQuarter',
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

  it('When the past quarters are backtested, then the model is better calibrated than the stage-probability forecast', () => {
    const s = statistical.backtest.summary;
    expect(s.quarters).toBe(4);
    expect(statistical.backtest.quarters.every((q) => q.trainingExamples > 0 && q.cohortSize > 0)).toBe(true);
    expect(Number(s.brierStatistical)).toBeLessThan(Number(s.brierNaive));
    // Count-weighted gap between predicted and observed rates over the calibration bins.
    const gap = (bins: typeof statistical.backtest.calibration.statistical) =>
      bins.reduce(
        (sum, b) =>
          sum + (b.count === 0 ? 0 : b.count * Math.abs(Number(b.meanPredicted) - Number(b.observedRate))),
        0,
      ) / s.predictions;
    expect(gap(statistical.backtest.calibration.statistical)).toBeLessThan(
      gap(statistical.backtest.calibration.naive),
    );
    const counted = statistical.backtest.calibration.statistical.reduce((n, b) => n + b.count, 0);
    expect(counted).toBe(s.predictions);
  });

  it("When the statistical rows are read, then the org's call is won-this-quarter + Σ every open deal's expected value", () => {
    const key = `FS|${result.snapshotDate}|opportunity_revenue|FY2027-Q4|org|-|statistical`;
    const row = result.rows.find((r) => r.externalKey === key)!;
    const won = result.rows.find((r) => r.externalKey === key.replace('statistical', 'closed'))!;
    const cents = (v: string) => Math.round(Number(v) * 100);
    const expected = statistical.deals.reduce(
      (sum, d) => sum + cents(d.expectedValue),
      cents(won.amountAdjusted),
    );
    expect(cents(row.amountAdjusted)).toBe(expected);
    expect(statistical.deals.every((d) => d.periodKey === 'FY2027-Q4')).toBe(true);
    expect(result.rows.some((r) => r.category === 'statistical' && r.periodKey !== 'FY2027-Q4')).toBe(false);
  });

  it('When it runs twice, then the probabilities and the backtest are identical', () => {
    const again = computeForecast(snapshot, config, asOf).statistical!;
    expect(JSON.stringify(again)).toBe(JSON.stringify(statistical));
  });
});
