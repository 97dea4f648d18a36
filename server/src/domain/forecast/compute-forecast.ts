import type { EngineConfig } from '../engine-config';
import { createEngineContext, type EngineWarning } from '../engine-context';
import { RoleHierarchy, TerritoryHierarchy } from '../pipeline/hierarchy';
import type { Snapshot } from '../snapshot/types';
import { computeForecastType } from './compute-forecast-type';
import { QuotaBook } from './quotas';
import type { ForecastRow, ForecastTrace } from './rows';
import { trainStatisticalForecast, type StatisticalResult } from './statistical/statistical-forecast';
import { computeWaterfalls, type Waterfall } from './waterfall/compute-waterfalls';

export interface ForecastResult {
  asOf: string;
  snapshotDate: string;
  definitionVersion: string;
  rows: ForecastRow[];
  traces: ForecastTrace[];
  waterfalls: Waterfall[];
  statistical: StatisticalResult | null;
  warnings: EngineWarning[];
}

/**
 * The forecast engine: pure, deterministic, explainable. Same snapshot, config and asOf give the same
 * rows, in the same order, with the same external keys.
 */
export function computeForecast(snapshot: Snapshot, config: EngineConfig, asOf: string): ForecastResult {
  const ctx = createEngineContext(snapshot, config, asOf);
  const fc = config.forecast;
  const roles = new RoleHierarchy(snapshot, ctx.asOfDay, fc.hierarchy.teamAttribution);
  let territories: TerritoryHierarchy | null = null;
  const quotas = new QuotaBook(ctx);
  const trained = fc.statistical.enabled ? trainStatisticalForecast(ctx) : null;

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
    warnings: ctx.warnings,
  };
}
