import {
  computeForecast,
  computeKpis,
  DomainError,
  parseSnapshot,
  type EngineConfig,
  type ForecastOptions,
  type ForecastResult,
  type KpiResult,
  type Snapshot,
} from '../domain';
import { AppError } from '../shared/errors';

export type SnapshotEngine = 'forecast' | 'kpis';

export interface ComputeFromSnapshotInput {
  engines: SnapshotEngine[];
  /** The parsed JSON of an exported snapshot file. */
  snapshotJson: unknown;
  /** Names the file in errors. */
  source: string;
  config: EngineConfig;
  asOf: string;
}

export interface ComputeFromSnapshotResult {
  asOf: string;
  forecast?: ForecastResult;
  kpis?: KpiResult;
}

/**
 * Offline what-if: the engines on an exported snapshot instead of the store. Invalid snapshots are
 * reported with every problem and its JSON path; engine refusals keep their domain code.
 */
export function computeFromSnapshot(input: ComputeFromSnapshotInput): ComputeFromSnapshotResult {
  const parsed = parseSnapshot(input.snapshotJson);
  if (!parsed.ok) {
    const problems = parsed.errors.map((e) => `${input.source}: ${e.path}: ${e.message}`);
    throw new AppError('INPUT_INVALID', `Invalid snapshot:\n  - ${problems.join('\n  - ')}`, {
      file: input.source,
      problems,
    });
  }
  return runEngines(parsed.snapshot, input);
}

/**
 * The engine call itself, shared by the file path and the store path (compute-from-store.ts). The
 * statistical model is trained once: the KPIs reuse the forecast's backtest when both engines run.
 */
export function runEngines(
  snapshot: Snapshot,
  input: { engines: SnapshotEngine[]; config: EngineConfig; asOf: string },
  opts: ForecastOptions = {},
  /** A forecast of the same snapshot computed before, whose backtest the KPIs take. */
  earlier?: ForecastResult,
): ComputeFromSnapshotResult {
  try {
    const result: ComputeFromSnapshotResult = { asOf: input.asOf };
    if (input.engines.includes('forecast'))
      result.forecast = computeForecast(snapshot, input.config, input.asOf, opts);
    if (input.engines.includes('kpis')) {
      const backtest = (result.forecast ?? earlier)?.statistical?.backtest;
      result.kpis = computeKpis(
        snapshot,
        input.config,
        input.asOf,
        backtest ? { statisticalBacktest: backtest } : {},
      );
    }
    return result;
  } catch (err) {
    if (err instanceof DomainError)
      throw new AppError(
        'INPUT_INVALID',
        `${err.code}: ${err.message}`,
        { domainCode: err.code },
        { cause: err },
      );
    throw err;
  }
}
