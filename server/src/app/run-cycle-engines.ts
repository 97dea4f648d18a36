import type { EngineConfig } from '../domain';
import type { CommissionPlanBook } from '../domain/commission/types';
import type { TerritoryEngineConfig } from '../domain/territory';
import { computeCommissionsForCycle } from './compute-commissions';
import { computeTerritoriesForCycle } from './compute-territories';
import {
  applyTerritoryChanges,
  type AppliedChange,
  type TerritoryChangePort,
} from './apply-territory-changes';
import { territoryOwners } from '../domain/territory';
import { forecastRecords } from '../crm/writeback/maps/forecast';
import { kpiRecords } from '../crm/writeback/maps/kpi';
import type { ResultSet } from '../crm/writeback/result-set';
import { runEngines, type ComputeFromSnapshotResult } from './compute-from-snapshot';
import type { ComputeResults } from './run-cycle';
import { StatisticalModelCache } from './statistical-model-cache';

/**
 * The forecast and KPI engines as record sets for write-back. With the cycle's store at hand, the
 * statistical model is kept in it between cycles and reused while its training inputs are unchanged
 * (statistical-model-cache.ts); `reuseModel: false` trains every time. With `env.emit`, the
 * forecast's sets go to the write-back before the KPIs are computed, so the org ingests them
 * meanwhile; the KPIs take the forecast's backtest either way.
 */
export function forecastAndKpiResults(
  config: EngineConfig,
  /** Sees the engines' full result (warnings, backtest) before it becomes records. */
  onResult?: (result: ComputeFromSnapshotResult) => void,
  opts: { reuseModel?: boolean } = {},
): ComputeResults {
  return async (snapshot, asOf, env) => {
    const cache =
      env?.store && opts.reuseModel !== false && config.forecast.statistical.enabled
        ? await StatisticalModelCache.open(env.store)
        : null;
    const { forecast } = runEngines(
      snapshot,
      { engines: ['forecast'], config, asOf },
      cache ? { reuseStatisticalModel: cache.reuse } : {},
    );
    await cache?.save(forecast?.statisticalModel ?? null);
    const sets: ResultSet[] = [];
    if (forecast) {
      const forecastSets = forecastRecords({
        snapshotDate: forecast.snapshotDate,
        rows: forecast.rows,
        traces: forecast.traces,
        territoryManagers: new Map(snapshot.territories.map((t) => [t.id, t.forecastManagerId])),
      });
      if (env?.emit) await env.emit(forecastSets);
      else sets.push(...forecastSets);
    }
    const { kpis } = runEngines(snapshot, { engines: ['kpis'], config, asOf }, {}, forecast);
    onResult?.({ asOf, forecast, kpis });
    if (kpis) sets.push(...kpiRecords({ rows: kpis.rows, traces: kpis.traces }));
    return sets;
  };
}

/**
 * Several engines' results in one cycle, in the order given (write order is decided per object).
 * With `env.emit`, each engine's sets are handed to the write-back as soon as it is done, so the
 * engines should come in the order their results are best written (territories, whose assignments
 * are the biggest write, first). Engines share no object, so each object's sets come together.
 */
export function combineResults(...parts: ComputeResults[]): ComputeResults {
  return async (snapshot, asOf, env) => {
    const sets: ResultSet[] = [];
    for (const part of parts) {
      const out = await part(snapshot, asOf, env);
      if (env?.emit) await env.emit(out);
      else sets.push(...out);
    }
    return sets;
  };
}

/** The territory engine (every model; the Active one's assignments and Account lookups). */
/** Where approved Territory_Change_Request__c come from and go to (server/src/crm/territory-change-requests.ts). */
export interface TerritoryChangeSource {
  port: TerritoryChangePort;
  /** Every Applied request, so the rules do not move approved accounts back. */
  readApplied(): Promise<AppliedChange[]>;
  now?: () => Date;
}

/**
 * The territory engine (every model; the Active one's assignments and Account lookups). With a
 * change source, approved requests are applied first and every applied request joins the snapshot,
 * so the assignments written by this cycle already show the approvals.
 */
export function territoryResults(
  config: TerritoryEngineConfig,
  onSummary?: (lines: string[]) => void,
  changes?: TerritoryChangeSource,
): ComputeResults {
  return async (snapshot, asOf) => {
    let input = snapshot;
    const notes: string[] = [];
    const active = config.territories.models.find((m) => m.state === 'Active');
    if (changes && active) {
      const applied = await applyTerritoryChanges(changes.port, {
        config: config.territories,
        modelKey: active.key,
        owners: territoryOwners(snapshot, config.territories, active.key),
        now: changes.now ?? (() => new Date()),
      });
      notes.push(...applied.summary);
      const known = new Map(snapshot.territoryChanges.map((c) => [c.id, c]));
      for (const c of await changes.readApplied()) known.set(c.id, c);
      input = { ...snapshot, territoryChanges: [...known.values()] };
    }
    const out = computeTerritoriesForCycle(input, config, asOf);
    onSummary?.([...notes, ...out.summary]);
    return out.resultSets;
  };
}

/** The commission engine (statements before their lines). */
export function commissionResults(
  plans: CommissionPlanBook,
  onSummary?: (lines: string[]) => void,
): ComputeResults {
  return (snapshot, asOf) => {
    const out = computeCommissionsForCycle(snapshot, plans, asOf);
    onSummary?.(out.summary);
    return out.resultSets;
  };
}
