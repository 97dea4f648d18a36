/**
 * Engine benchmarks: time per engine and peak RSS on a synthetic snapshot. `benchEngines` is called by
 * scripts/bench/run.ts (npm run bench) through engines-main.ts, one process per size:
 *   node bin/run-ts.js scripts/bench/engines-main.ts 200000
 */
import { peakRssMb } from './machine';
import { loadEngineConfig } from '../../server/src/config/engine-config';
import type { EngineConfig } from '../../server/src/domain/engine-config';
import { createEngineContext } from '../../server/src/domain/engine-context';
import { computeForecast } from '../../server/src/domain/forecast/compute-forecast';
import { forEachEntry } from '../../server/src/domain/forecast/entries';
import type {
  Backtest,
  StatisticalModel,
} from '../../server/src/domain/forecast/statistical/statistical-forecast';
import { computeKpis } from '../../server/src/domain/kpi/compute-kpis';
import type { Snapshot } from '../../server/src/domain/snapshot/types';

export { buildSyntheticSnapshot } from './synthetic-snapshot';

export interface EngineTiming {
  engine: string;
  seconds: number;
  opportunitiesPerSecond: number;
  rows: number;
}

export interface EngineBench {
  opportunities: number;
  historyRows: number;
  timings: EngineTiming[];
  /** The statistical forecast's backtest on this snapshot (accuracy against the stage-probability baseline). */
  backtest: Backtest['summary'] | null;
  /** Peak resident set size of this process, MiB (VmHWM), or null where /proc is unavailable. */
  peakRssMb: number | null;
}

/**
 * Times the engines on one snapshot. The forecast is timed with and without the statistical model
 * (training is not a linear pass: it observes every deal at several past days).
 */
export const SYNTHETIC_AS_OF = '2026-11-16';

export function benchEngines(
  snapshot: Snapshot,
  asOf: string = SYNTHETIC_AS_OF,
  config: EngineConfig = loadEngineConfig(),
): EngineBench {
  const n = snapshot.opportunities.length;
  const timings: EngineTiming[] = [];
  const time = (engine: string, run: () => { rows: unknown[] }): void => {
    const start = process.hrtime.bigint();
    const result = run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    timings.push({ engine, seconds, opportunitiesPerSecond: n / seconds, rows: result.rows.length });
  };
  time('context: calendar, currencies, history index', () => {
    createEngineContext(snapshot, config, asOf);
    return { rows: [] };
  });
  const ctx = createEngineContext(snapshot, config, asOf);
  time('linear pass: deal → category, corporate amount, fiscal quarter', () => {
    const sums = new Map<string, number>();
    forEachEntry(ctx, config.forecast.forecastTypes[0]!, (e) => {
      const key = ctx.calendar.periodOfDay(e.dateDay, 'quarter').key;
      sums.set(key, (sums.get(key) ?? 0) + e.value);
    });
    return { rows: [...sums.keys()] };
  });
  const noStat: EngineConfig = {
    ...config,
    forecast: { ...config.forecast, statistical: { ...config.forecast.statistical, enabled: false } },
  };
  const oneType: EngineConfig = {
    ...noStat,
    forecast: {
      ...noStat.forecast,
      forecastTypes: [noStat.forecast.forecastTypes[0]!],
      periodTypes: ['quarter'],
    },
  };
  time('forecast: one type, one period type (single linear pass)', () =>
    computeForecast(snapshot, oneType, asOf),
  );
  time('forecast: all configured types, no statistical model', () => computeForecast(snapshot, noStat, asOf));
  let backtest: Backtest['summary'] | null = null;
  let kept: StatisticalModel | null = null;
  time('forecast: all types + statistical model and backtest', () => {
    const result = computeForecast(snapshot, config, asOf);
    backtest = result.statistical?.backtest.summary ?? null;
    kept = result.statisticalModel;
    return result;
  });
  time('kpis (no statistical accuracy)', () => computeKpis(snapshot, noStat, asOf));
  time('forecast: all types, statistical model reused (an incremental cycle inside the quarter)', () =>
    computeForecast(snapshot, config, asOf, { reuseStatisticalModel: () => kept }),
  );
  return {
    opportunities: n,
    historyRows: snapshot.history.length,
    timings,
    backtest,
    peakRssMb: peakRssMb(),
  };
}
