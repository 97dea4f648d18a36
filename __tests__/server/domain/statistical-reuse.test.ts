import fc from 'fast-check';
import { buildSyntheticSnapshot } from '../../../scripts/bench/synthetic-snapshot';
import { toDayNumber } from '../../../server/src/domain/calendar/dates';
import { createEngineContext } from '../../../server/src/domain/engine-context';
import { computeForecast } from '../../../server/src/domain/forecast';
import { fitLogistic, type AggregatedRow } from '../../../server/src/domain/forecast/statistical/logistic';
import {
  trainStatisticalForecast,
  trainStatisticalModel,
} from '../../../server/src/domain/forecast/statistical/statistical-forecast';
import { forEachTrainingInput } from '../../../server/src/domain/forecast/statistical/training-key';
import { computeKpis } from '../../../server/src/domain/kpi';
import {
  indexHistory,
  pushesUntil,
  replayAt,
  stageEnteredDay,
  stateAt,
} from '../../../server/src/domain/pipeline/deal-history';
import type { Opportunity, Snapshot } from '../../../server/src/domain/snapshot/types';
import { defaultConfig } from './helpers/fixtures';

/** The dense Newton fit as it was before the sparse rewrite: the reference for bit-for-bit equality. */
function denseFit(rows: AggregatedRow[], dims: number, l2: number, maxIterations: number): number[] {
  const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  const w = new Array<number>(dims).fill(0);
  let converged = false;
  for (let it = 0; it < maxIterations && !converged; it += 1) {
    const g = new Array<number>(dims).fill(0);
    const h = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    for (const row of rows) {
      let z = 0;
      for (let j = 0; j < dims; j += 1) z += w[j]! * row.x[j]!;
      const p = sig(z);
      const residual = row.trials * p - row.successes;
      const curvature = row.trials * p * (1 - p);
      for (let a = 0; a < dims; a += 1) {
        const xa = row.x[a]!;
        if (xa === 0) continue;
        g[a] += residual * xa;
        for (let b = a; b < dims; b += 1) if (row.x[b] !== 0) h[a]![b] += curvature * xa * row.x[b]!;
      }
    }
    for (let a = 0; a < dims; a += 1) {
      for (let b = 0; b < a; b += 1) h[a]![b] = h[b]![a]!;
      h[a]![a] += a === 0 ? 1e-9 : l2;
      if (a > 0) g[a] += l2 * w[a]!;
    }
    const m = h.map((r, i) => [...r, g[i]!]);
    for (let col = 0; col < dims; col += 1) {
      let pivot = col;
      for (let r = col + 1; r < dims; r += 1)
        if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
      [m[col], m[pivot]] = [m[pivot]!, m[col]!];
      const p = m[col]![col]!;
      if (Math.abs(p) < 1e-300) continue;
      for (let r = col + 1; r < dims; r += 1) {
        const f = m[r]![col]! / p;
        if (f === 0) continue;
        for (let c = col; c <= dims; c += 1) m[r]![c] -= f * m[col]![c]!;
      }
    }
    const step = new Array<number>(dims).fill(0);
    for (let r = dims - 1; r >= 0; r -= 1) {
      let sum = m[r]![dims]!;
      for (let c = r + 1; c < dims; c += 1) sum -= m[r]![c]! * step[c]!;
      step[r] = Math.abs(m[r]![r]!) < 1e-300 ? 0 : sum / m[r]![r]!;
    }
    let largest = 0;
    for (let a = 0; a < dims; a += 1) {
      w[a] -= step[a]!;
      largest = Math.max(largest, Math.abs(step[a]!));
    }
    converged = largest < 1e-9;
  }
  return w;
}

describe('sparse Newton fit', () => {
  it('When rows are one-hot groups plus continuous signals, then the weights equal the dense fit bit for bit', () => {
    const row = fc.record({
      group: fc.integer({ min: 1, max: 3 }),
      band: fc.integer({ min: 4, max: 5 }),
      signal: fc.oneof(fc.constant(0), fc.double({ min: -2, max: 2, noNaN: true })),
      trials: fc.integer({ min: 1, max: 9 }),
      wins: fc.nat(9),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (specs) => {
        const rows = specs.map((s) => {
          const x = [1, 0, 0, 0, 0, 0, 0];
          x[s.group] = 1;
          x[s.band] = 1;
          x[6] = s.signal;
          return { x, trials: s.trials, successes: Math.min(s.wins, s.trials) };
        });
        expect(fitLogistic(rows, 7, 1, 25).weights).toEqual(denseFit(rows, 7, 1, 25));
      }),
      { numRuns: 60 },
    );
  });
});

describe('replaying a deal from its history', () => {
  const opp = {
    id: 'O1',
    createdDate: '2026-01-01',
    stageName: 'Closed Won',
    amount: '900',
    closeDate: '2026-04-30',
    ownerId: 'U_NOW',
  } as Opportunity;
  const snapshot = {
    history: [
      // Exported out of order: the index sorts by day, keeping same-day rows in export order.
      {
        opportunityId: 'O1',
        changedAt: '2026-02-10',
        stageName: 'Qualify',
        amount: '500',
        closeDate: '2026-03-31',
        probability: null,
        ownerId: 'U_B',
      },
      {
        opportunityId: 'O1',
        changedAt: '2026-01-05',
        stageName: 'Prospect',
        amount: '400',
        closeDate: '2026-03-15',
        probability: null,
        ownerId: null,
      },
      {
        opportunityId: 'O1',
        changedAt: '2026-02-20',
        stageName: 'Qualify',
        amount: '500',
        closeDate: '2026-04-30',
        probability: null,
        ownerId: null,
      },
      {
        opportunityId: 'O1',
        changedAt: '2026-03-01',
        stageName: 'Closed Won',
        amount: '900',
        closeDate: '2026-04-30',
        probability: null,
        ownerId: null,
      },
    ],
  } as unknown as Snapshot;
  const history = indexHistory(snapshot).get('O1');
  const day = (d: string) => toDayNumber(d);

  it('When a day falls between rows, then state, stage entry and pushes are those of the rows up to it', () => {
    const r = replayAt(opp, day('2026-01-01'), history, day('2026-02-25'))!;
    // Qualify since 02-10 (the 02-20 row kept the stage); close dates 03-15 → 03-31 → 04-30: two pushes;
    // the owner is the last one recorded (U_B on 02-10).
    expect(r).toEqual({
      state: {
        stageName: 'Qualify',
        amount: '500',
        closeDate: '2026-04-30',
        ownerId: 'U_B',
        sinceDay: day('2026-02-20'),
      },
      stageEnteredDay: day('2026-02-10'),
      pushes: 2,
    });
  });

  it('When the day is before the first row, then the first row stands for the deal and the current owner is kept', () => {
    const r = replayAt(opp, day('2026-01-01'), history, day('2026-01-03'))!;
    expect(r.state).toEqual({
      stageName: 'Prospect',
      amount: '400',
      closeDate: '2026-03-15',
      ownerId: 'U_NOW',
      sinceDay: day('2026-01-01'),
    });
    expect([r.stageEnteredDay, r.pushes]).toEqual([day('2026-01-01'), 0]);
    expect(replayAt(opp, day('2026-01-01'), history, day('2025-12-31'))).toBeNull();
  });

  it('When every day of a synthetic org is replayed, then it agrees with stateAt, stageEnteredDay and pushesUntil', () => {
    const s = buildSyntheticSnapshot({ opportunities: 120, asOf: '2026-11-16', seed: 3 });
    const index = indexHistory(s);
    for (const o of s.opportunities) {
      const h = index.get(o.id);
      const created = toDayNumber(o.createdDate);
      for (let d = created - 2; d < created + 400; d += 9) {
        const r = replayAt(o, created, h, d);
        const state = stateAt(o, h, d);
        expect(r?.state ?? null).toEqual(state);
        if (r) expect([r.stageEnteredDay, r.pushes]).toEqual([stageEnteredDay(o, h, d), pushesUntil(h, d)]);
      }
    }
  });
});

describe('training once, reusing the model', () => {
  const asOf = '2026-11-16';
  const config = defaultConfig();
  const snapshot = buildSyntheticSnapshot({ opportunities: 3000, asOf, spanDays: 5 * 365, seed: 11 });
  const inputsOf = (s: Snapshot) => {
    let text = '';
    forEachTrainingInput(createEngineContext(s, config, asOf), (t) => (text += t));
    return text;
  };

  it('When the KPIs get the forecast backtest, then their rows equal a run that trains its own model', () => {
    const forecast = computeForecast(snapshot, config, asOf);
    const shared = computeKpis(snapshot, config, asOf, {
      statisticalBacktest: forecast.statistical!.backtest,
    });
    const own = computeKpis(snapshot, config, asOf);
    expect(shared.rows).toEqual(own.rows);
    expect(shared.rows.some((r) => r.kpiId === 'statistical_forecast_accuracy' && r.value !== null)).toBe(
      true,
    );
  });

  it('When a kept model (through JSON) scores the same snapshot, then the forecast is identical to a fresh one', () => {
    const fresh = computeForecast(snapshot, config, asOf);
    const kept = JSON.parse(JSON.stringify(fresh.statisticalModel));
    let offered = '';
    const reused = computeForecast(snapshot, config, asOf, {
      reuseStatisticalModel: (inputs) => {
        inputs((t) => (offered += t));
        return kept;
      },
    });
    expect(offered).toBe(inputsOf(snapshot));
    expect(JSON.stringify(reused.statistical)).toBe(JSON.stringify(fresh.statistical));
    expect(reused.rows).toEqual(fresh.rows);
    expect(reused.warnings).toEqual(fresh.warnings);
  });

  it('When only open deals change inside the current quarter, then the training inputs are unchanged and a kept model scores the new amounts', () => {
    const quarterStart = '2026-11-01';
    const open = snapshot.opportunities
      .filter((o) => !o.isClosed && o.createdDate < quarterStart)
      .slice(0, 20);
    const ids = new Set(open.map((o) => o.id));
    const changed: Snapshot = {
      ...snapshot,
      opportunities: snapshot.opportunities.map((o) =>
        ids.has(o.id) ? { ...o, amount: String(Number(o.amount) * 2) } : o,
      ),
      // Salesforce writes a history row for the amount change, dated today.
      history: [
        ...snapshot.history,
        ...open.map((o) => ({
          opportunityId: o.id,
          changedAt: asOf,
          stageName: o.stageName,
          amount: String(Number(o.amount) * 2),
          closeDate: o.closeDate,
          probability: null,
          ownerId: null,
        })),
      ],
    };
    expect(open.length).toBe(20);
    expect(snapshot.history.some((h) => ids.has(h.opportunityId))).toBe(true);
    expect(inputsOf(changed)).toBe(inputsOf(snapshot));
    const model = trainStatisticalModel(createEngineContext(snapshot, config, asOf));
    const fresh = trainStatisticalForecast(createEngineContext(changed, config, asOf));
    const reused = trainStatisticalForecast(createEngineContext(changed, config, asOf), model);
    expect(JSON.stringify(reused.result)).toBe(JSON.stringify(fresh.result));
  });

  it('When a deal closed before the quarter changes, or the quarter turns, then the training inputs differ', () => {
    const closed = snapshot.opportunities.find((o) => o.isWon && o.closeDate < '2026-08-01')!;
    const edited: Snapshot = {
      ...snapshot,
      opportunities: snapshot.opportunities.map((o) => (o === closed ? { ...o, amount: '1.00' } : o)),
    };
    expect(inputsOf(edited)).not.toBe(inputsOf(snapshot));
    let nextQuarter = '';
    forEachTrainingInput(createEngineContext(snapshot, config, '2027-02-02'), (t) => (nextQuarter += t));
    expect(nextQuarter).not.toBe(inputsOf(snapshot));
  });

  it('When a model from another quarter is offered, then the engine refuses it rather than score with it', () => {
    const model = trainStatisticalModel(createEngineContext(snapshot, config, asOf));
    expect(() =>
      computeForecast(snapshot, config, '2027-02-02', { reuseStatisticalModel: () => model }),
    ).toThrow(/trained for FY2027-Q4/);
  });
});
