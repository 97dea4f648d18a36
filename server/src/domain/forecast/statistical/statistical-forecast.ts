import type { Period } from '../../calendar/fiscal-calendar';
import { toDayNumber } from '../../calendar/dates';
import { decimalToMinor, formatMinor, mulDivHalfEven, ratio } from '../../money/decimal';
import { DomainError, type EngineContext } from '../../engine-context';
import { replayAt } from '../../pipeline/deal-history';
import type { Opportunity } from '../../snapshot/types';
import {
  FeatureEncoder,
  predictSparse,
  sparseKey,
  stableHash,
  WinRates,
  type DealFeatures,
  type SparseFeatures,
} from './features';
import { fitLogistic, predict, SparseRowBuilder, type LogisticModel } from './logistic';

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
  /** What scoring needs of the training: kept between cycles by the app (see README.md). */
  model: StatisticalModel;
}

/**
 * A trained model: the live weights and the backtest, which depend only on closed history before the
 * current quarter (see training-key.ts). Plain JSON, so the app can keep it between cycles and score
 * today's open deals with it instead of training again.
 */
export interface StatisticalModel {
  format: typeof MODEL_FORMAT;
  /** The fiscal quarter the model was trained for (its training windows end before it). */
  quarterKey: string;
  featureNames: string[];
  weights: number[];
  iterations: number;
  converged: boolean;
  trainingWindows: string[];
  trainingExamples: number;
  sampledFraction: string;
  /** Stages the training met in history that config does not map (reported as warnings). */
  unmappedStages: string[];
  backtest: Backtest;
}

export const MODEL_FORMAT = 'statistical-v1';

/** One observation of the training set, in sparse form: the features set to 1, and the two signals. */
interface Observation {
  t: number;
  pEnd: number;
  key: string;
  x: SparseFeatures;
  label: 0 | 1;
}

interface CohortRecord {
  quarterKey: string;
  x: SparseFeatures;
  amount: number;
  naivePpm: number;
  label: 0 | 1;
  wonAmount: number;
}

const PPM = 1_000_000;

/** The statistical forecast: train (or reuse `model`), then score today's open deals. */
export function trainStatisticalForecast(ctx: EngineContext, model?: StatisticalModel): TrainedStatistical {
  return scoreStatistical(ctx, model ?? trainStatisticalModel(ctx));
}

/** What training and scoring both derive from the context. */
function statisticalSetup(ctx: EngineContext) {
  const sc = ctx.config.forecast.statistical;
  const cal = ctx.calendar;
  const cur = ctx.currency;
  const opps = ctx.snapshot.opportunities;
  const openStages = ctx.config.forecast.stages.filter((s) => s.outcome === 'open').map((s) => s.name);
  const encoder = new FeatureEncoder(openStages, sc);
  const users = new Map(ctx.snapshot.users.map((u) => [u.id, u]));
  const segments = opps.map(
    (o) =>
      (o.accountId === null ? null : ctx.accounts.get(o.accountId)?.segment) ??
      users.get(o.ownerId)?.segment ??
      '(none)',
  );
  const createdDays = Int32Array.from(opps, (o) => toDayNumber(o.createdDate));
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
    opps.flatMap((o, i) =>
      o.isClosed
        ? [{ day: toDayNumber(o.closeDate), rep: o.ownerId, segment: segments[i]!, won: o.isWon }]
        : [],
    ),
    sc.priorStrength,
  );
  const current = cal.periodOfDay(ctx.asOfDay, 'quarter');
  const quarter = (offset: number): Period => cal.shift(current, offset);
  // Stages met in history but missing from config: a reused model still reports them.
  const unmapped = new Set<string>();

  // From this day on the deal's state is its last one, and that is not open: replays after it are
  // skipped (most of history is closed deals). Only mapped stages qualify, so no warning is lost.
  const settledFrom = Float64Array.from(opps, (o, i) => {
    const history = ctx.historyAt[i];
    const last = history && history.length > 0 ? history[history.length - 1]! : null;
    const stage = ctx.stages.get(last ? last.row.stageName : o.stageName);
    if (stage === undefined || stage.outcome === 'open') return Infinity;
    return last ? last.day : -Infinity;
  });

  /** The deal as it stood at the end of day t, seen from the quarter p holding t; null unless open. */
  const featuresAt = (
    index: number,
    t: number,
    p: Period,
  ): { f: DealFeatures; amount: number; stage: string } | null => {
    if (t >= settledFrom[index]!) return null;
    const o = opps[index]!;
    const replay = replayAt(o, createdDays[index]!, ctx.historyAt[index], t);
    if (replay === null) return null;
    const state = replay.state;
    if (ctx.stages.get(state.stageName) === undefined) unmapped.add(state.stageName);
    if (ctx.stages.outcomeOf(state.stageName) !== 'open') return null;
    const closeDay = toDayNumber(state.closeDate);
    // The call is always about the quarter holding the observation day, for every open deal:
    // deals dated later can still close early, and a pipeline call must count them.
    const amount = toCorporate(o, state.amount, state.closeDate);
    return {
      f: {
        stageName: state.stageName,
        ageInStageDays: t - replay.stageEnteredDay,
        pushes: replay.pushes,
        amountMajor: amount / majorScale,
        daysToClose: closeDay - t,
        closesThisQuarter: closeDay <= p.endDay,
        daysElapsed: t - p.startDay,
        repSignal: rates.repSignal(state.ownerId),
        segmentSignal: rates.segmentSignal(segments[index]!),
      },
      amount,
      stage: state.stageName,
    };
  };
  return { sc, cal, cur, opps, encoder, toCorporate, rates, current, quarter, featuresAt, unmapped };
}

/**
 * Trains the model: for each open deal, the probability that it closes won within the fiscal
 * quarter holding asOf (whatever its close date says), learned from the org's own history by a regularised logistic
 * regression over stage, age in stage, pushes, amount band, days to the close date, time into the quarter and smoothed rep and
 * segment win rates. Training observes deals at fixed days of past quarters, reconstructing each deal
 * from its history as it stood that day; rates only count deals closed before that day (no look-ahead).
 */
export function trainStatisticalModel(ctx: EngineContext): StatisticalModel {
  const { sc, cal, cur, opps, encoder, toCorporate, rates, current, quarter, featuresAt, unmapped } =
    statisticalSetup(ctx);
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
  const from = Int32Array.from(opps, (o) => toDayNumber(o.createdDate));
  const to = Float64Array.from(opps, (o) => (o.isClosed ? toDayNumber(o.closeDate) : Infinity));
  for (const t of observationDays)
    for (let i = 0; i < opps.length; i += 1) if (from[i]! <= t && t < to[i]!) openPairs += 1;
  const fraction = Math.min(1, sc.maxTrainingExamples / Math.max(1, openPairs));
  const threshold = Math.floor(fraction * 2 ** 32);
  const indexes = opps.map((_, i) => i);
  const sampled = fraction >= 1 ? indexes : indexes.filter((i) => stableHash(opps[i]!.id) < threshold);

  const wonIn = (o: Opportunity, p: Period): boolean => {
    if (!o.isWon) return false;
    const day = toDayNumber(o.closeDate);
    return day >= p.startDay && day <= p.endDay;
  };

  const observations: Observation[] = [];
  const cohorts: CohortRecord[] = [];
  for (const t of sweep) {
    rates.advanceTo(t);
    const p = cal.periodOfDay(t, 'quarter');
    if (observationDays.has(t)) {
      for (const index of sampled) {
        const at = featuresAt(index, t, p);
        if (!at) continue;
        const x = encoder.encodeSparse(at.f);
        observations.push({
          t,
          pEnd: p.endDay,
          key: sparseKey(x),
          x,
          label: wonIn(opps[index]!, p) ? 1 : 0,
        });
      }
    }
    const q = cohortDays.get(t);
    if (q) {
      for (const index of indexes) {
        const o = opps[index]!;
        const at = featuresAt(index, t, p);
        if (!at) continue;
        const won = wonIn(o, q);
        cohorts.push({
          quarterKey: q.key,
          x: encoder.encodeSparse(at.f),
          amount: at.amount,
          // The naive call is the weighted pipeline: stage probability for deals dated in the quarter, 0 otherwise.
          naivePpm: at.f.closesThisQuarter ? Math.round(ctx.stages.probabilityOf(at.stage) * 10_000) : 0,
          label: won ? 1 : 0,
          wonAmount: won ? toCorporate(o, o.amount, o.closeDate) : 0,
        });
      }
    }
  }

  // Identical feature vectors merge into one row: each distinct vector is numbered once, here.
  const distinct = new Map<string, number>();
  const vectorOf = Int32Array.from(observations, (ob) => {
    let id = distinct.get(ob.key);
    if (id === undefined) {
      id = distinct.size;
      distinct.set(ob.key, id);
    }
    return id;
  });
  distinct.clear();
  const rowOf = new Int32Array(vectorOf.length);

  const fit = (cutoffDay: number, windowStartDay: number): { model: LogisticModel; examples: number } => {
    // Rows in order of first appearance within the window.
    rowOf.fill(-1);
    const builder = new SparseRowBuilder();
    let examples = 0;
    for (let i = 0; i < observations.length; i += 1) {
      const ob = observations[i]!;
      if (ob.t < windowStartDay || ob.pEnd >= cutoffDay) continue;
      examples += 1;
      let row = rowOf[vectorOf[i]!]!;
      if (row < 0) {
        row = builder.addSparse(ob.x.index, ob.x.value, 0, 0);
        rowOf[vectorOf[i]!] = row;
      }
      builder.count1(row, ob.label);
    }
    return { model: fitLogistic(builder.build(), encoder.dims, sc.l2, sc.iterations), examples };
  };

  const live = fit(ctx.asOfDay, quarter(-sc.trainingQuarters).startDay);

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
    format: MODEL_FORMAT,
    quarterKey: current.key,
    featureNames: [...encoder.names],
    weights: live.model.weights,
    iterations: live.model.iterations,
    converged: live.model.converged,
    trainingWindows: Array.from(
      { length: sc.trainingQuarters },
      (_, i) => quarter(-sc.trainingQuarters + i).key,
    ),
    trainingExamples: live.examples,
    sampledFraction: ratio(Math.round(fraction * PPM), PPM, 4)!,
    unmappedStages: [...unmapped].sort(),
    backtest,
  };
}

/**
 * Today's open deals under a trained model. Rates count every deal closed up to asOf, so a reused
 * model still sees this quarter's closes in its rep and segment signals.
 */
export function scoreStatistical(ctx: EngineContext, model: StatisticalModel): TrainedStatistical {
  const { cal, cur, opps, encoder, rates, current, featuresAt } = statisticalSetup(ctx);
  if (
    model.format !== MODEL_FORMAT ||
    model.quarterKey !== current.key ||
    model.featureNames.join('\n') !== encoder.names.join('\n')
  ) {
    throw new DomainError(
      'FORECAST.STATISTICAL_MODEL_MISMATCH',
      `the statistical model was trained for ${model.quarterKey} with other features; train it again`,
    );
  }
  const live: LogisticModel = {
    weights: model.weights,
    iterations: model.iterations,
    converged: model.converged,
  };
  for (const stage of model.unmappedStages) ctx.stages.unmapped.add(stage);
  rates.advanceTo(ctx.asOfDay + 1);
  const p = cal.periodOfDay(ctx.asOfDay, 'quarter');
  const probabilityPpm = new Map<string, number>();
  const deals: DealProbability[] = [];
  for (let index = 0; index < opps.length; index += 1) {
    const o = opps[index]!;
    if (o.isClosed) continue;
    const at = featuresAt(index, ctx.asOfDay, p);
    if (!at) continue;
    const ppm = Math.round(predict(live, encoder.encode(at.f)) * PPM);
    probabilityPpm.set(o.id, ppm);
    deals.push({
      opportunityId: o.id,
      periodKey: p.key,
      probability: ratio(ppm, PPM, 4)!,
      expectedValue: formatMinor(mulDivHalfEven(at.amount, ppm, PPM), cur.corporateDecimals),
    });
  }
  return {
    probabilityPpm,
    model,
    result: {
      method: 'L2-regularised logistic regression (Newton), Beta-smoothed rep and segment win rates',
      modelVersion: `${ctx.config.forecast.version}/statistical-v1`,
      trainingWindows: model.trainingWindows,
      trainingExamples: model.trainingExamples,
      sampledFraction: model.sampledFraction,
      coefficients: encoder.names.map((feature, i) => ({
        feature,
        weight: Number(model.weights[i]!.toFixed(6)),
      })),
      deals,
      backtest: model.backtest,
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
      const p = predictSparse(model.weights, c.x);
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
