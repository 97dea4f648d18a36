import type { EngineConfig } from '../engine-config';
import { createEngineContext, type EngineWarning } from '../engine-context';
import { RoleHierarchy, TerritoryHierarchy } from '../pipeline/hierarchy';
import type { Snapshot } from '../snapshot/types';
import { computeForecastType } from './compute-forecast-type';
import { QuotaBook } from './quotas';
import type { ForecastRow, ForecastTrace } from './rows';
import {
  trainStatisticalForecast,
  type StatisticalModel,
  type StatisticalResult,
} from './statistical/statistical-forecast';
import { forEachTrainingInput } from './statistical/training-key';
import { computeWaterfalls, type Waterfall } from './waterfall/compute-waterfalls';

export interface ForecastResult {
  asOf: string;
  snapshotDate: string;
  definitionVersion: string;
  rows: ForecastRow[];
  traces: ForecastTrace[];
  waterfalls: Waterfall[];
  statistical: StatisticalResult | null;
  /** The trained (or reused) statistical model, for the app to keep between cycles. */
  statisticalModel: StatisticalModel | null;
  warnings: EngineWarning[];
}

/** Everything the statistical training reads, as text (statistical/training-key.ts). */
export type TrainingInputs = (emit: (text: string) => void) => void;

export interface ForecastOptions {
  /**
   * Offers a model kept from an earlier run: called with the training inputs, it returns a model
   * trained on exactly those inputs (the caller compares a hash of them), or null to train afresh.
   */
  reuseStatisticalModel?: (inputs: TrainingInputs) => StatisticalModel | null;
}

/**
 * The forecast engine: pure, deterministic, explainable. Same snapshot, config and asOf give the same
 * rows, in the same order, with the same external keys.
 */
export function computeForecast(
  snapshot: Snapshot,
  config: EngineConfig,
  asOf: string,
  opts: ForecastOptions = {},
): ForecastResult {
  const ctx = createEngineContext(snapshot, config, asOf);
  const fc = config.forecast;
  const roles = new RoleHierarchy(snapshot, ctx.asOfDay, fc.hierarchy.teamAttribution);
  let territories: TerritoryHierarchy | null = null;
  const quotas = new QuotaBook(ctx);
  const trained = fc.statistical.enabled
    ? trainStatisticalForecast(
        ctx,
        opts.reuseStatisticalModel?.((emit) => forEachTrainingInput(ctx, emit)) ?? undefined,
      )
    : null;

  const rows: ForecastRow[] = [];
  const traces: ForecastTrace[] = [];
  for (const type of fc.forecastTypes) {
    if (type.hierarchy === 'territory') territories ??= new TerritoryHierarchy(snapshot.territories);
    const withStatistical =
      trained !== null && type.id === fc.statistical.forecastType && type.measure === 'amount';
    computeForecastType(
      ctx,
      type,
      roles,
      territories,
      quotas,
      withStatistical ? trained.probabilityPpm : null,
      rows,
      traces,
    );
  }
  const waterfalls = computeWaterfalls(ctx);
  if (ctx.stages.unmapped.size > 0) {
    ctx.warnings.push({
      code: 'FORECAST.UNMAPPED_STAGE',
      message: `stages missing from config count as Pipeline: ${[...ctx.stages.unmapped].sort().join(', ')}`,
    });
  }
  return {
    asOf,
    snapshotDate: ctx.snapshotDate,
    definitionVersion: fc.version,
    rows,
    traces,
    waterfalls,
    statistical: trained?.result ?? null,
    statisticalModel: trained?.model ?? null,
    warnings: ctx.warnings,
  };
}
