/**
 * Engine benchmarks: time per engine and peak RSS on a synthetic snapshot. `benchEngines` is called by
 * scripts/bench/run.ts (npm run bench); run this file directly for one size:
 *   node bin/run-ts.js scripts/bench/engines.ts 200000
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EngineConfigSchema, type EngineConfig } from '../../server/src/domain/engine-config';
import { createEngineContext } from '../../server/src/domain/engine-context';
import { computeForecast } from '../../server/src/domain/forecast/compute-forecast';
import { forEachEntry } from '../../server/src/domain/forecast/entries';
import type { Backtest } from '../../server/src/domain/forecast/statistical/statistical-forecast';
import { computeKpis } from '../../server/src/domain/kpi/compute-kpis';
import type { Snapshot } from '../../server/src/domain/snapshot/types';
import { buildSyntheticSnapshot } from './synthetic-snapshot';

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

export function loadDefaultEngineConfig(
  overrides: (c: Record<string, Record<string, unknown>>) => void = () => undefined,
): EngineConfig {
  const dir = path.resolve(__dirname, '..', '..', 'config');
  const raw: Record<string, Record<string, unknown>> = {
    fiscalCalendar: parse(readFileSync(path.join(dir, 'fiscal-calendar.yaml'), 'utf8')) as Record<
      string,
      unknown
    >,
    forecast: parse(readFileSync(path.join(dir, 'forecast.yaml'), 'utf8')) as Record<string, unknown>,
    kpis: parse(readFileSync(path.join(dir, 'kpis.yaml'), 'utf8')) as Record<string, unknown>,
  };
  overrides(raw);
  return EngineConfigSchema.parse(raw);
}

function peakRssMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Times the engines on one snapshot. The forecast is timed with and without the statistical model
 * (training is not a linear pass: it observes every deal at several past days).
 */
export const SYNTHETIC_AS_OF = '2026-11-16';

export function benchEngines(
  snapshot: Snapshot,
  asOf: string = SYNTHETIC_AS_OF,
  config: EngineConfig = loadDefaultEngineConfig(),
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
  time('forecast: all types + statistical model and backtest', () => {
    const result = computeForecast(snapshot, config, asOf);
    backtest = result.statistical?.backtest.summary ?? null;
    return result;
  });
  time('kpis (no statistical accuracy)', () => computeKpis(snapshot, noStat, asOf));
  return {
    opportunities: n,
    historyRows: snapshot.history.length,
    timings,
    backtest,
    peakRssMb: peakRssMb(),
  };
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 200000);
  const asOf = SYNTHETIC_AS_OF;
  const snapshot = buildSyntheticSnapshot({ opportunities: n, asOf, historyShare: n > 300000 ? 0.2 : 1 });
  const result = benchEngines(snapshot, asOf);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
