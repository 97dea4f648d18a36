import type { Snapshot } from '../domain';
import { CurrencyTable } from '../domain/money';
import {
  accountMeasures,
  computeModel,
  diffResults,
  proposeBalance,
  territoryKeyOf,
  type BalanceProposal,
  type BalanceSpec,
  type ModelInput,
  type ModelResult,
  type ProposedMove,
  type TerritoryDiff,
  type TerritoryEngineConfig,
} from '../domain/territory';
import type { ChangeProposal } from '../crm/writeback/maps/territory';
import { AppError } from '../shared/errors';

export interface WhatIfInput {
  snapshot: Snapshot;
  config: TerritoryEngineConfig;
  asOf: string;
  /** Model compared against (default: the Active one). */
  baseModel?: string;
  /** A whole proposed model (replaces or adds a model of the same key) to diff against the base. */
  proposedModel?: ModelInput;
  /** Proposed account moves on the base model. */
  moves?: ProposedMove[];
  balance?: BalanceSpec;
}

export interface WhatIfResult {
  baseModel: string;
  proposedModel: string;
  diff: TerritoryDiff;
  balance: BalanceProposal | null;
  /** Balancing moves as change requests to submit for approval. */
  proposals: ChangeProposal[];
  base: ModelResult;
  proposed: ModelResult;
}

/**
 * Dry run: the base model against a proposed model, or against itself with proposed moves or a
 * balancing proposal applied as effective-dated changes. Nothing is written.
 */
export function territoryWhatIf(input: WhatIfInput): WhatIfResult {
  const { snapshot, asOf } = input;
  const models = input.config.territories.models;
  const baseKey = input.baseModel ?? models.find((m) => m.state === 'Active')?.key;
  if (!baseKey || !models.some((m) => m.key === baseKey))
    throw new AppError(
      'USAGE',
      `no ${input.baseModel ? `model ${input.baseModel}` : 'Active model'} in the territory config`,
    );
  const currency = new CurrencyTable(snapshot.corporateCurrency, snapshot.currencies, snapshot.datedRates);
  const measures = accountMeasures(snapshot, currency);
  const base = computeModel(snapshot, input.config, baseKey, asOf, { measures, assignmentRows: false });

  let config = input.config;
  let proposedKey = baseKey;
  if (input.proposedModel) {
    const proposedModel = input.proposedModel;
    proposedKey = proposedModel.key;
    config = {
      ...config,
      territories: {
        ...config.territories,
        models: [...models.filter((m) => m.key !== proposedModel.key), proposedModel],
      },
    };
  }
  let balance: BalanceProposal | null = null;
  let moves = input.moves ?? [];
  if (input.balance) {
    balance = proposeBalance(base, snapshot, config.territories, measures, input.balance);
    moves = [...moves, ...balance.moves];
  }
  const baseTerritory = new Map(base.accounts.map((d) => [d.accountId, d.territoryKey]));
  const proposed = computeModel(snapshot, config, proposedKey, asOf, {
    measures,
    assignmentRows: false,
    proposedMoves: moves.map((m) => ({
      ...m,
      fromTerritoryKey: m.fromTerritoryKey ?? baseTerritory.get(m.accountId) ?? null,
    })),
  });
  const diff = diffResults(base, proposed, {
    accountNames: new Map(snapshot.accounts.map((a) => [a.id, a.name])),
    userNames: new Map(snapshot.users.map((u) => [u.id, u.name])),
    openPipeline: measures.openPipeline,
    decimals: currency.corporateDecimals,
  });
  const proposals: ChangeProposal[] = (balance?.moves ?? []).map((m) => {
    const move = diff.moves.find((d) => d.accountId === m.accountId);
    const from = base.accounts.find((d) => d.accountId === m.accountId)?.territoryKey ?? null;
    return {
      externalKey: `TCR|${proposedKey}|${m.accountId}|${m.toTerritoryKey}|${m.effectiveDate}`,
      accountId: m.accountId,
      fromTerritoryKey: from,
      toTerritoryKey: m.toTerritoryKey,
      fromTerritoryExternalKey: from !== null ? territoryKeyOf(proposedKey, from) : null,
      toTerritoryExternalKey: territoryKeyOf(proposedKey, m.toTerritoryKey),
      effectiveDate: m.effectiveDate,
      reason: `Balancing ${input.balance!.measure}: ${from ?? 'none'} → ${m.toTerritoryKey}`,
      source: 'Balancing',
      pipelineMoved: move?.openPipeline ?? '0.00',
      quotaMoved: move?.quotaMoved ?? '0.00',
      impactSummary: `${move?.accountName ?? m.accountId}: ${from ?? 'none'} → ${m.toTerritoryKey} from ${m.effectiveDate}; open pipeline ${move?.openPipeline ?? '0.00'}, quota ${move?.quotaMoved ?? '0.00'} ${snapshot.corporateCurrency}`,
      currency: snapshot.corporateCurrency,
    };
  });
  return { baseModel: baseKey, proposedModel: proposedKey, diff, balance, proposals, base, proposed };
}
