import type { Opportunity } from '../snapshot/types';
import type { AccountDecision, DecidedBy } from './assign-accounts';
import type { CompiledModel } from './model';

export interface OpportunityDecision {
  opportunityId: string;
  accountId: string | null;
  territoryKey: string | null;
  decidedBy: DecidedBy | null;
  ruleMatched: string | null;
  trace: string[];
}

export interface AssignOpportunitiesInput {
  model: CompiledModel;
  opportunities: readonly Opportunity[];
  accounts: Pick<ReadonlyMap<string, AccountDecision>, 'get'>;
  /** Per-opportunity overrides from the snapshot (null clears the territory). */
  overrides: ReadonlyMap<string, string | null>;
  /**
   * The territory each opportunity had in this model before this run (open history row), by position
   * in `opportunities`; null or missing: none (an empty array when there is no history).
   */
  current: readonly (string | null)[];
  /** The account's territory on a date, from its history (past periods credit the old territory). */
  accountTerritoryOn: (accountId: string, date: string) => string | null;
}

/**
 * Salesforce's default opportunity filter (OpportunityTerritory2AssignmentFilter): among the
 * territories the account belongs to, 0 → none, 1 → that one, several → the unique best type
 * priority, and a tie → none. Opportunities excluded from the filter keep their own territory, as do
 * closed ones already assigned: a deal closed in the old territory keeps crediting it.
 */
export function assignOpportunities(input: AssignOpportunitiesInput): OpportunityDecision[] {
  const { model } = input;
  const out: OpportunityDecision[] = [];
  // Decisions from the account's candidates repeat for every opportunity of the same candidate set:
  // their trace arrays are shared (frozen), like the accounts' own.
  const onlyTrace = new Map<string, readonly string[]>();
  const byCandidates = new Map<
    readonly string[],
    { key: string | null; priority: boolean; trace: string[] }
  >();
  const decision = (
    opp: Opportunity,
    territoryKey: string | null,
    decidedBy: DecidedBy | null,
    ruleMatched: string | null,
    trace: string[],
  ): OpportunityDecision => ({
    opportunityId: opp.id,
    accountId: opp.accountId,
    territoryKey,
    decidedBy,
    ruleMatched,
    trace,
  });
  const hasOverrides = input.overrides.size > 0;
  const opportunities = input.opportunities;
  for (let i = 0; i < opportunities.length; i++) {
    const opp = opportunities[i]!;
    if (hasOverrides && input.overrides.has(opp.id)) {
      const key = input.overrides.get(opp.id) ?? null;
      const known = key !== null && model.byKey.has(key);
      out.push(
        decision(opp, known ? key : null, 'Override', null, [
          known
            ? `${key}: set by hand on the opportunity`
            : 'no territory: cleared by hand on the opportunity',
        ]),
      );
      continue;
    }
    const current = input.current[i] ?? null;
    if (opp.excludedFromTerritoryFilter) {
      const own = opp.territoryId !== null && model.byKey.has(opp.territoryId) ? opp.territoryId : current;
      out.push(
        decision(opp, own, own === null ? null : 'Override', null, [
          `${own ?? 'no territory'}: excluded from the territory filter, keeps its own`,
        ]),
      );
      continue;
    }
    if (opp.isClosed) {
      if (current !== null && model.byKey.has(current)) {
        out.push(
          decision(opp, current, 'Account Territory', null, [
            `${current}: closed, keeps the territory it closed in`,
          ]),
        );
        continue;
      }
      const then = opp.accountId !== null ? input.accountTerritoryOn(opp.accountId, opp.closeDate) : null;
      if (then !== null) {
        out.push(
          decision(opp, then, 'Account Territory', null, [
            `${then}: the account's territory on the close date ${opp.closeDate}`,
          ]),
        );
        continue;
      }
    }
    const account = opp.accountId !== null ? input.accounts.get(opp.accountId) : undefined;
    const candidates = account?.candidates ?? [];
    if (candidates.length === 0) {
      out.push(
        decision(opp, null, null, null, [
          account ? 'no territory: the account has none' : 'no territory: no account',
        ]),
      );
      continue;
    }
    if (candidates.length === 1) {
      const only = candidates[0]!;
      let trace = onlyTrace.get(only);
      if (trace === undefined) {
        trace = Object.freeze([`${only}: the account's only territory`]);
        onlyTrace.set(only, trace);
      }
      out.push(decision(opp, only, 'Account Territory', account?.ruleMatched ?? null, trace as string[]));
      continue;
    }
    let best = byCandidates.get(candidates);
    if (best === undefined) {
      best = bestOf(model, candidates);
      byCandidates.set(candidates, best);
    }
    out.push(
      best.priority
        ? decision(
            opp,
            best.key,
            'Priority',
            account?.territoryKey === best.key ? account.ruleMatched : null,
            best.trace,
          )
        : decision(opp, null, null, null, best.trace),
    );
  }
  return out;
}

/** The unique best type priority among several candidates, or the tie (Salesforce leaves it empty). */
function bestOf(
  model: CompiledModel,
  candidates: readonly string[],
): { key: string | null; priority: boolean; trace: string[] } {
  const ts = candidates.map((k) => model.byKey.get(k)!);
  const best = ts[0]!;
  const tied = ts.filter((t) => t.priority === best.priority);
  return tied.length === 1
    ? {
        key: best.key,
        priority: true,
        trace: Object.freeze([
          `${best.key}: best type priority (${best.typeName}, ${best.priority}) among ${candidates.join(', ')}`,
        ]) as string[],
      }
    : {
        key: null,
        priority: false,
        trace: Object.freeze([
          `no territory: tie on priority ${best.priority} between ${tied.map((t) => t.key).join(', ')} (Salesforce's default leaves it empty)`,
        ]) as string[],
      };
}
