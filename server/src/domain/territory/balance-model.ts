import { toMinorUnits } from '../money/decimal';
import type { Snapshot } from '../snapshot/types';
import type { TerritoryConfig, BalanceMeasure } from './config';
import type { ModelResult, ProposedMove } from './compute-model';
import type { AccountMeasures } from './measures';
import { balanceTerritories, boundsFor, type BalanceOptions, type BalanceResult } from './balance';

export interface BalanceSpec {
  measure: BalanceMeasure;
  /** Absolute bounds in the measure's unit (accounts, corporate currency, employees, workload points). */
  min?: number;
  max?: number;
  /** ± share of the group's mean load, e.g. 0.1. */
  tolerance?: number;
  /** parent: accounts move between siblings only; all: between any two leaf territories. */
  group?: 'parent' | 'all';
  effectiveDate: string;
}

export interface BalanceProposal {
  spec: BalanceSpec;
  /** Loads and bounds are in measure units; money measures in corporate minor units. */
  result: BalanceResult;
  moves: ProposedMove[];
  unit: string;
}

const MOVABLE = new Set(['Rule', 'Priority', 'Tie-Break']);

/** Per-account weight of a measure, as an integer. Money in corporate minor units; workload in hundredths. */
export function measureWeights(
  snapshot: Snapshot,
  config: TerritoryConfig,
  measures: AccountMeasures,
  measure: BalanceMeasure,
): { weight: Map<string, number>; unit: string; scale: number } {
  const weight = new Map<string, number>();
  const w = config.workload;
  for (const a of snapshot.accounts) {
    let v = 0;
    switch (measure) {
      case 'accountCount':
        v = 1;
        break;
      case 'openPipeline':
        v = measures.openPipeline.get(a.id) ?? 0;
        break;
      case 'potentialRevenue':
        // AnnualRevenue is a firmographic estimate: whole units, not converted.
        v = a.annualRevenue !== null ? Math.max(0, toMinorUnits(a.annualRevenue, 0)) : 0;
        break;
      case 'potentialEmployees':
        v = a.numberOfEmployees ?? 0;
        break;
      case 'workload':
        v = Math.round(
          100 *
            (w.perAccount +
              w.perOpenOpportunity * (measures.openCount.get(a.id) ?? 0) +
              (a.segment !== null ? (w.segmentWeights[a.segment] ?? 0) : 0)),
        );
        break;
    }
    weight.set(a.id, v);
  }
  const unit =
    measure === 'accountCount'
      ? 'accounts'
      : measure === 'openPipeline'
        ? `${snapshot.corporateCurrency} minor units`
        : measure === 'potentialRevenue'
          ? 'revenue units'
          : measure === 'potentialEmployees'
            ? 'employees'
            : 'workload hundredths';
  return { weight, unit, scale: measure === 'workload' ? 100 : 1 };
}

/**
 * Balancing proposal for the leaf territories of a computed model. Only accounts placed by rules move;
 * named, excluded and change-request accounts stay put.
 */
export function proposeBalance(
  result: ModelResult,
  snapshot: Snapshot,
  config: TerritoryConfig,
  measures: AccountMeasures,
  spec: BalanceSpec,
  opts: BalanceOptions = {},
): BalanceProposal {
  const { weight, unit, scale } = measureWeights(snapshot, config, measures, spec.measure);
  const parents = new Set(
    result.model.territories.map((t) => t.parentKey).filter((k): k is string => k !== null),
  );
  const leaves = result.model.territories.filter((t) => !parents.has(t.key));
  const loads = new Map<string, { group: string; load: number }>();
  for (const t of leaves)
    loads.set(t.key, { group: spec.group === 'all' ? '*' : (t.parentKey ?? '*'), load: 0 });
  const accounts = result.accounts
    .filter((d) => d.territoryKey !== null && loads.has(d.territoryKey))
    .map((d) => {
      const w = weight.get(d.accountId) ?? 0;
      loads.get(d.territoryKey!)!.load += w;
      return {
        id: d.accountId,
        territory: d.territoryKey!,
        weight: w,
        movable: MOVABLE.has(d.decidedBy ?? ''),
      };
    });
  const decimals = snapshot.currencies.find((c) => c.code === snapshot.corporateCurrency)?.decimalPlaces ?? 2;
  const factor = scale * (spec.measure === 'openPipeline' ? 10 ** decimals : 1);
  const scaled = {
    min: spec.min !== undefined ? Math.round(spec.min * factor) : undefined,
    max: spec.max !== undefined ? Math.round(spec.max * factor) : undefined,
    tolerance: spec.tolerance,
  };
  const bounds = boundsFor(loads, scaled);
  const balance = balanceTerritories(bounds, accounts, opts);
  return {
    spec,
    result: balance,
    unit,
    moves: balance.moves.map((m) => ({
      id: `BAL|${result.modelKey}|${m.accountId}|${m.to}|${spec.effectiveDate}`,
      accountId: m.accountId,
      toTerritoryKey: m.to,
      effectiveDate: spec.effectiveDate,
    })),
  };
}
