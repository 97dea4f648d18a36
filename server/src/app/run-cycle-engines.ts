import type { EngineConfig } from '../domain';
import type { CommissionPlanBook } from '../domain/commission/types';
import type { TerritoryEngineConfig } from '../domain/territory';
import { computeCommissionsForCycle } from './compute-commissions';
import { computeTerritoriesForCycle } from './compute-territories';
import { forecastRecords } from '../crm/writeback/maps/forecast';
import { kpiRecords } from '../crm/writeback/maps/kpi';
import type { ResultSet } from '../crm/writeback/result-set';
import { runEngines, type ComputeFromSnapshotResult } from './compute-from-snapshot';
import type { ComputeResults } from './run-cycle';

/** The forecast and KPI engines as record sets for write-back. */
export function forecastAndKpiResults(
  config: EngineConfig,
  /** Sees the engines' full result (warnings, backtest) before it becomes records. */
  onResult?: (result: ComputeFromSnapshotResult) => void,
): ComputeResults {
  return (snapshot, asOf) => {
    const result = runEngines(snapshot, { engines: ['forecast', 'kpis'], config, asOf });
    onResult?.(result);
    const sets: ResultSet[] = [];
    if (result.forecast) {
      sets.push(
        ...forecastRecords({
          snapshotDate: result.forecast.snapshotDate,
          rows: result.forecast.rows,
          traces: result.forecast.traces,
          territoryManagers: new Map(snapshot.territories.map((t) => [t.id, t.forecastManagerId])),
        }),
      );
    }
    if (result.kpis) sets.push(...kpiRecords({ rows: result.kpis.rows, traces: result.kpis.traces }));
    return sets;
  };
}

/** Several engines' results in one cycle, in the order given (write order is decided per object). */
export function combineResults(...parts: ComputeResults[]): ComputeResults {
  return async (snapshot, asOf) => {
    const sets: ResultSet[] = [];
    for (const part of parts) sets.push(...(await part(snapshot, asOf)));
    return sets;
  };
}

/** The territory engine (every model; the Active one's assignments and Account lookups). */
export function territoryResults(
  config: TerritoryEngineConfig,
  onSummary?: (lines: string[]) => void,
): ComputeResults {
  return (snapshot, asOf) => {
    const out = computeTerritoriesForCycle(snapshot, config, asOf);
    onSummary?.(out.summary);
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
