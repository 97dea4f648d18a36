import { CurrencyTable } from '../money/currency-table';
import type { Snapshot } from '../snapshot/types';
import { computeModel, type ModelResult, type TerritoryEngineConfig } from './compute-model';
import { accountMeasures } from './measures';
import { territoryKeyOf, type AssignmentRow, type TerritoryRow } from './rows';

export interface AccountTerritoryUpdate {
  accountId: string;
  territoryKey: string | null;
  /** Sales_Territory__c external key; null clears the lookup. */
  territoryExternalKey: string | null;
}

export interface TerritoryResult {
  asOf: string;
  activeModel: string | null;
  models: ModelResult[];
  territoryRows: TerritoryRow[];
  assignmentRows: AssignmentRow[];
  /** Account.Sales_Territory__c of the Active model. */
  accountTerritories: AccountTerritoryUpdate[];
  warnings: string[];
}

/**
 * Every model of the config: the Active one in full (territories, account and opportunity
 * assignments with history), Planning ones with their figures (what the plan would look like),
 * Archived ones as identity and state only.
 */
export function computeTerritories(
  snapshot: Snapshot,
  config: TerritoryEngineConfig,
  asOf: string,
): TerritoryResult {
  const currency = new CurrencyTable(snapshot.corporateCurrency, snapshot.currencies, snapshot.datedRates);
  const measures = accountMeasures(snapshot, currency);
  const models = config.territories.models.map((m) =>
    computeModel(snapshot, config, m.key, asOf, { measures, assignmentRows: m.state === 'Active' }),
  );
  const active = models.find((m) => m.state === 'Active') ?? null;
  return {
    asOf,
    activeModel: active?.modelKey ?? null,
    models,
    territoryRows: models.flatMap((m) => m.territoryRows),
    assignmentRows: models.flatMap((m) => m.assignmentRows),
    accountTerritories: active
      ? active.accounts.map((d) => ({
          accountId: d.accountId,
          territoryKey: d.territoryKey,
          territoryExternalKey:
            d.territoryKey !== null ? territoryKeyOf(active.modelKey, d.territoryKey) : null,
        }))
      : [],
    warnings: models.flatMap((m) => m.warnings),
  };
}
