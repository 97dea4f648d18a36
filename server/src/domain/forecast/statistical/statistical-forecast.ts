import type { Period } from '../../calendar/fiscal-calendar';
import { toDayNumber } from '../../calendar/dates';
import type { EngineContext } from '../../engine-context';
import { decimalToMinor, formatMinor, mulDivHalfEven, ratio } from '../../money/decimal';
import { pushesUntil, stageEnteredDay, stateAt } from '../../pipeline/deal-history';
import type { Opportunity } from '../../snapshot/types';
import { FeatureEncoder, stableHash, WinRates, type DealFeatures } from './features';
import { fitLogistic, predict, type AggregatedRow, type LogisticModel } from './logistic';

export interface DealProbability {
  opportunityId: string;
  /** The fiscal quarter the probability is about: the one holding asOf. */
  periodKey: string;
  probability: string;
  expectedValue: string;
}

export interface CalibrationBin {
  from: string;
  to: string;
  count: number;
  meanPredicted: string | null;
  observedRate: string | null;
}

export interface BacktestQuarter {
  periodKey: string;
  trainingExamples: number;
  cohortSize: number;
  statisticalCall: string;
  naiveCall: string;
  /** Won in the quarter by the deals open at its start (whatever their close date then). */
  actualCohort: string;
  /** Everything won in the quarter, including deals created after its start. */
  actualAll: string;
  statisticalErrorVsCohort: string | null;
  naiveErrorVsCohort: string | null;
  statisticalErrorVsAll: string | null;
  naiveErrorVsAll: string | null;
  /** Mean amount won in earlier training quarters by deals created inside the quarter (new business). */
  newBusinessAllowance: string;
  /** statisticalCall + newBusinessAllowance, compared with everything won. */
  statisticalWithAllowanceCall: string;
  statisticalWithAllowanceErrorVsAll: string | null;
}

export interface Backtest {
  quarters: BacktestQuarter[];
  calibration: { statistical: CalibrationBin[]; naive: CalibrationBin[] };
  summary: {
    quarters: number;
    predictions: number;
    brierStatistical: string | null;
    brierNaive: string | null;
    /** Mean |call − actual| ÷ actual over the backtest quarters, against the cohort's own wins. */
    mapeStatisticalVsCohort: string | null;
    mapeNaiveVsCohort: string | null;
    mapeStatisticalVsAll: string | null;
    mapeNaiveVsAll: string | null;
    mapeStatisticalWithAllowanceVsAll: string | null;
  };
}

export interface StatisticalResult {
  method: string;
  modelVersion: string;
  trainingWindows: string[];
  trainingExamples: number;
  /** Share of deals observed when the history is larger than maxTrainingExamples. */
  sampledFraction: string;
  coefficients: { feature: string; weight: number }[];
  deals: DealProbability[];
  backtest: Backtest;
}

export interface TrainedStatistical {
  result: StatisticalResult;
  /** Probability in parts per million, per open opportunity. */
  probabilityPpm: Map<string, number>;
}

interface Observation {
  t: number;
  pEnd: number;
  xKey: string;
  x: number[];
  label: 0 | 1;
}

interface CohortRecord {
  quarterKey: string;
  x: number[];
  amount: number;
  naivePpm: number;
  label: 0 | 1;
  wonAmount: number;
}

const PPM = 1_000_000;

/**
 * The statistical forecast: for each open deal, the probability that it closes won within the fiscal
 * quarter holding asOf (whatever its close date says), learned from the org's own history by a regularised logistic
 * regression over stage, age in stage, pushes, amount band, days to the close date, time into the quarter and smoothed rep and
 * segment win rates. Training observes deals at fixed days of past quarters, reconstructing each deal
 * from its history as it stood that day; rates only count deals closed before that day (no look-ahead).
 */
export function trainStatisticalForecast(ctx: EngineContext): TrainedStatistical {
  const sc = ctx.config.forecast.statistical;
  const cal = ctx.calendar;
  const cur = ctx.currency;
  const opps = ctx.snapshot.opportunities;
  const openStages = ctx.config.forecast.stages.filter((s) => s.outcome === 'open').map((s) => s.name);
  const encoder = new FeatureEncoder(openStages, sc);
  const users = new Map(ctx.snapshot.users.map((u) => [u.id, u]));
  const segmentOf = (o: Opportunity): string =>
    (o.accountId === null ? null : ctx.accounts.get(o.accountId)?.segment) ??
    users.get(o.ownerId)?.segment ??
    '(none)';
  const rateRule = ctx.config.forecast.currency.rateDate;
  const toCorporate = (o: Opportunity, amount: string | null, closeDate: string): number => {
    if (amount === null) return 0;
    const minor = decimalToMinor(amount, cur.decimalsOf(o.currency));
    return cur.toCorporate(
      minor,
      o.currency,
      rateRule === 'dealDate' ? closeDate : rateRule === 'asOf' ? ctx.asOf : null,
    );
  };
  const majorScale = 10 ** cur.corporateDecimals;

  const rates = new WinRates(
    opps
      .filter((o) => o.isClosed)
      .map((o) => ({ day: toDayNumber(o.closeDate), rep: o.ownerId, segment: segmentOf(o), won: o.isWon })),
    sc.priorStrength,
  );

  const current = cal.periodOfDay(ctx.asOfDay, 'quarter');
  const quarter = (offset: number): Period => cal.shift(current, offset);
  const backtestQuarters = Array.from({ length: sc.backtestQuarters }, (_, i) =>
    quarter(-sc.backtestQuarters + i),
  );
  const windowCount = sc.trainingQuarters + sc.backtestQuarters;
  const observationDays = new Set<number>();
  for (let i = windowCount; i >= 1; i -= 1) {
    const w = quarter(-i);
    for (const d of sc.observationDays) if (w.startDay + d <= w.endDay) observationDays.add(w.startDay + d);
  }
  const cohortDays = new Map(backtestQuarters.map((q) => [q.startDay, q]));
  const sweep = [...new Set([...observationDays, ...cohortDays.keys()])]
    .filter((d) => d < ctx.asOfDay)
    .sort((a, b) => a - b);

  // Sample only when the deals open on the observation days would exceed the budget.
  let openPairs = 0;
  const lifetimes = opps.map(
    (o) => [toDayNumber(o.createdDate), o.isClosed ? toDayNumber(o.closeDate) : Infinity] as const,
  );
  for (const t of observationDays)
    for (const [from, to] of lifetimes) if (from <= t && t < to) openPairs += 1;
  const fraction = Math.min(1, sc.maxTrainingExamples / Math.max(1, openPairs));
  const threshold = Math.floor(fraction * 2 ** 32);
  const indexes = opps.map((_, i) => i);
  const sampled = fraction >= 1 ? indexes : indexes.filter((i) => stableHash(opps[i]!.id) < threshold);

  const featuresAt = (
    index: number,
    t: number,
  ): { f: DealFeatures; amount: number; stage: string; p: Period } | null => {
    const o = opps[index]!;
    const hist = ctx.historyAt[index];
    const state = stateAt(o, hist, t);
    if (state === null || ctx.stages.outcomeOf(state.stageName) !== 'open') return null;
    const closeDay = toDayNumber(state.closeDate);
    // The call is always about the quarter holding the observation day, for every open deal:
    // deals dated later can still close early, and a pipeline call must count them.
    const p = cal.periodOfDay(t, 'quarter');
    const amount = toCorporate(o, state.amount, state.closeDate);
    return {
      f: {
        stageName: state.stageName,
        ageInStageDays: t - stageEnteredDay(o, hist, t),
        pushes: pushesUntil(hist, t),
        amountMajor: amount / majorScale,
        daysToClose: closeDay - t,
        closesThisQuarter: closeDay <= p.endDay,
        daysElapsed: t - p.startDay,
        repSignal: rates.repSignal(state.ownerId),
        segmentSignal: rates.segmentSignal(segmentOf(o)),
      },
      amount,
      stage: state.stageName,
      p,
    };
  };
  const wonIn = (o: Opportunity, p: Period): boolean => {
    if (!o.isWon) return false;
    const day = toDayNumber(o.closeDate);
    return day >= p.startDay && day <= p.endDay;
  };

  const observations: Observation[] = [];
  const cohorts: CohortRecord[] = [];
  for (const t of sweep) {
    rates.advanceTo(t);
    if (observationDays.has(t)) {
      for (const index of sampled) {
        const at = featuresAt(index, t);
        if (!at) continue;
        const x = encoder.encode(at.f);
        observations.push({
          t,
          pEnd: at.p.endDay,
          xKey: x.join(','),
          x,
          label: wonIn(opps[index]!, at.p) ? 1 : 0,
        });
      }
    }
    const q = cohortDays.get(t);
    if (q) {
      for (const index of indexes) {
        const o = opps[index]!;
        const at = featuresAt(index, t);
        if (!at) continue;
        const won = wonIn(o, q);
        cohorts.push({
          quarterKey: q.key,
          x: encoder.encode(at.f),
          amount: at.amount,
          // The naive call is the weighted pipeline: stage probability for deals dated in the quarter, 0 otherwise.
          naivePpm: at.f.closesThisQuarter ? Math.round(ctx.stages.probabilityOf(at.stage) * 10_000) : 0,
          label: won ? 1 : 0,
          wonAmount: won ? toCorporate(o, o.amount, o.closeDate) : 0,
        });
      }
    }
  }

  const fit = (cutoffDay: number, windowStartDay: number): { model: LogisticModel; examples: number } => {
    const rows = new Map<string, AggregatedRow>();
    let examples = 0;
    for (const ob of observations) {
      if (ob.t < windowStartDay || ob.pEnd >= cutoffDay) continue;
      examples += 1;
      const row = rows.get(ob.xKey) ?? { x: ob.x, trials: 0, successes: 0 };
      row.trials += 1;
      row.successes += ob.label;
      rows.set(ob.xKey, row);
    }
    return { model: fitLogistic([...rows.values()], encoder.dims, sc.l2, sc.iterations), examples };
  };

  const live = fit(ctx.asOfDay, quarter(-sc.trainingQuarters).startDay);
  rates.advanceTo(ctx.asOfDay + 1);
  const probabilityPpm = new Map<string, number>();
  const deals: DealProbability[] = [];
  for (const index of indexes) {
    const o = opps[index]!;
    if (o.isClosed) continue;
    const at = featuresAt(index, ctx.asOfDay);
    if (!at) continue;
    const ppm = Math.round(predict(live.model, encoder.encode(at.f)) * PPM);
    probabilityPpm.set(o.id, ppm);
    deals.push({
      opportunityId: o.id,
      periodKey: at.p.key,
      probability: ratio(ppm, PPM, 4)!,
      expectedValue: formatMinor(mulDivHalfEven(at.amount, ppm, PPM), cur.corporateDecimals),
    });
  }

  const actualAll = new Map<string, number>();
  // Won in a quarter by deals created in that same quarter: what no pipeline call can see at its start.
  const newWon = new Map<string, number>();
  for (const o of opps) {
    if (!o.isWon) continue;
    const q = cal.periodOf(o.closeDate, 'quarter');
    const won = toCorporate(o, o.amount, o.closeDate);
    actualAll.set(q.key, (actualAll.get(q.key) ?? 0) + won);
    if (cal.periodOf(o.createdDate, 'quarter').key === q.key)
      newWon.set(q.key, (newWon.get(q.key) ?? 0) + won);
  }
  const allowance = (q: Period): number => {
    let sum = 0;
    for (let i = 1; i <= sc.trainingQuarters; i += 1) sum += newWon.get(cal.shift(q, -i).key) ?? 0;
    return Math.round(sum / sc.trainingQuarters);
  };
  const backtest = runBacktest(
    backtestQuarters,
    cohorts,
    actualAll,
    (q) => fit(q.startDay, cal.shift(q, -sc.trainingQuarters).startDay),
    allowance,
    sc.calibrationBins,
    cur.corporateDecimals,
  );

  return {
    probabilityPpm,
    result: {
      method: 'L2-regularised logistic regression (Newton), Beta-smoothed rep and segment win rates',
      modelVersion: `${ctx.config.forecast.version}/statistical-v1`,
      trainingWindows: Array.from(
        { length: sc.trainingQuarters },
        (_, i) => quarter(-sc.trainingQuarters + i).key,
      ),
      trainingExamples: live.examples,
      sampledFraction: ratio(Math.round(fraction * PPM), PPM, 4)!,
      coefficients: encoder.names.map((feature, i) => ({
        feature,
        weight: Number(live.model.weights[i]!.toFixed(6)),
      })),
      deals,
      backtest,
    },
  };
}

function runBacktest(
  quarters: readonly Period[],
  cohorts: readonly CohortRecord[],
  actualAll: ReadonlyMap<string, number>,
  fitFor: (q: Period) => { model: LogisticModel; examples: number },
  allowanceFor: (q: Period) => number,
  bins: number,
  decimals: number,
): Backtest {
  const fmt = (v: number): string => formatMinor(v, decimals);
  const statBins = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  const naiveBins = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  let brierStat = 0;
  let brierNaive = 0;
  let predictions = 0;
  const errs = {
    statC: [] as number[],
    naiveC: [] as number[],
    statA: [] as number[],
    naiveA: [] as number[],
    withA: [] as number[],
  };
  const out: BacktestQuarter[] = [];
  for (const q of quarters) {
    const { model, examples } = fitFor(q);
    let stat = 0;
    let naive = 0;
    let actual = 0;
    let size = 0;
    for (const c of cohorts) {
      if (c.quarterKey !== q.key) continue;
      size += 1;
      const p = predict(model, c.x);
      const ppm = Math.round(p * PPM);
      stat += mulDivHalfEven(c.amount, ppm, PPM);
      naive += mulDivHalfEven(c.amount, c.naivePpm, PPM);
      actual += c.wonAmount;
      const pn = c.naivePpm / PPM;
      brierStat += (p - c.label) ** 2;
      brierNaive += (pn - c.label) ** 2;
      predictions += 1;
      for (const [b, v] of [
        [statBins, p],
        [naiveBins, pn],
      ] as const) {
        const bin = b[Math.min(bins - 1, Math.floor(v * bins))]!;
        bin.n += 1;
        bin.p += v;
        bin.y += c.label;
      }
    }
    const all = actualAll.get(q.key) ?? 0;
    const rel = (call: number, act: number, into: number[]): string | null => {
      if (act === 0) return null;
      into.push(Math.abs(call - act) / act);
      return ratio(call - act, act, 4);
    };
    out.push({
      periodKey: q.key,
      trainingExamples: examples,
      cohortSize: size,
      statisticalCall: fmt(stat),
      naiveCall: fmt(naive),
      actualCohort: fmt(actual),
      actualAll: fmt(all),
      statisticalErrorVsCohort: rel(stat, actual, errs.statC),
      naiveErrorVsCohort: rel(naive, actual, errs.naiveC),
      statisticalErrorVsAll: rel(stat, all, errs.statA),
      naiveErrorVsAll: rel(naive, all, errs.naiveA),
      newBusinessAllowance: fmt(allowanceFor(q)),
      statisticalWithAllowanceCall: fmt(stat + allowanceFor(q)),
      statisticalWithAllowanceErrorVsAll: rel(stat + allowanceFor(q), all, errs.withA),
    });
  }
  const mean = (xs: number[]): string | null =>
    xs.length === 0 ? null : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4);
  const table = (b: { n: number; p: number; y: number }[]): CalibrationBin[] =>
    b.map((bin, i) => ({
      from: (i / bins).toFixed(2),
      to: ((i + 1) / bins).toFixed(2),
      count: bin.n,
      meanPredicted: bin.n === 0 ? null : (bin.p / bin.n).toFixed(4),
      observedRate: bin.n === 0 ? null : (bin.y / bin.n).toFixed(4),
    }));
  return {
    quarters: out,
    calibration: { statistical: table(statBins), naive: table(naiveBins) },
    summary: {
      quarters: out.length,
      predictions,
      brierStatistical: predictions === 0 ? null : (brierStat / predictions).toFixed(4),
      brierNaive: predictions === 0 ? null : (brierNaive / predictions).toFixed(4),
      mapeStatisticalVsCohort: mean(errs.statC),
      mapeNaiveVsCohort: mean(errs.naiveC),
      mapeStatisticalVsAll: mean(errs.statA),
      mapeNaiveVsAll: mean(errs.naiveA),
      mapeStatisticalWithAllowanceVsAll: mean(errs.withA),
    },
  };
}
