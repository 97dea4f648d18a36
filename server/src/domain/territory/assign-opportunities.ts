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
  accounts: ReadonlyMap<string, AccountDecision>;
  /** Per-opportunity overrides from the snapshot (null clears the territory). */
  overrides: ReadonlyMap<string, string | null>;
  /** The territory an opportunity had in this model before this run (open history row). */
  current: ReadonlyMap<string, string>;
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
  for (const opp of input.opportunities) {
    const base = { opportunityId: opp.id, accountId: opp.accountId };
    if (input.overrides.has(opp.id)) {
      const key = input.overrides.get(opp.id) ?? null;
      const known = key !== null && model.byKey.has(key);
      out.push({
        ...base,
        territoryKey: known ? key : null,
        decidedBy: 'Override',
        ruleMatched: null,
        trace: [
          known
            ? `${key}: set by hand on the opportunity`
            : 'no territory: cleared by hand on the opportunity',
        ],
      });
      continue;
    }
    const current = input.current.get(opp.id) ?? null;
    if (opp.excludedFromTerritoryFilter) {
      const own = opp.territoryId !== null && model.byKey.has(opp.territoryId) ? opp.territoryId : current;
      out.push({
        ...base,
        territoryKey: own,
        decidedBy: own === null ? null : 'Override',
        ruleMatched: null,
        trace: [`${own ?? 'no territory'}: excluded from the territory filter, keeps its own`],
      });
      continue;
    }
    if (opp.isClosed) {
      if (current !== null && model.byKey.has(current)) {
        out.push({
          ...base,
          territoryKey: current,
          decidedBy: 'Account Territory',
          ruleMatched: null,
          trace: [`${current}: closed, keeps the territory it closed in`],
        });
        continue;
      }
      const then = opp.accountId !== null ? input.accountTerritoryOn(opp.accountId, opp.closeDate) : null;
      if (then !== null) {
        out.push({
          ...base,
          territoryKey: then,
          decidedBy: 'Account Territory',
          ruleMatched: null,
          trace: [`${then}: the account's territory on the close date ${opp.closeDate}`],
        });
        continue;
      }
    }
    const account = opp.accountId !== null ? input.accounts.get(opp.accountId) : undefined;
    const candidates = account?.candidates ?? [];
    if (candidates.length === 0) {
      out.push({
        ...base,
        territoryKey: null,
        decidedBy: null,
        ruleMatched: null,
        trace: [account ? 'no territory: the account has none' : 'no territory: no account'],
      });
      continue;
    }
    if (candidates.length === 1) {
      out.push({
        ...base,
        territoryKey: candidates[0]!,
        decidedBy: 'Account Territory',
        ruleMatched: account?.ruleMatched ?? null,
        trace: [`${candidates[0]}: the account's only territory`],
      });
      continue;
    }
    const ts = candidates.map((k) => model.byKey.get(k)!);
    const best = ts[0]!;
    const tied = ts.filter((t) => t.priority === best.priority);
    out.push(
      tied.length === 1
        ? {
            ...base,
            territoryKey: best.key,
            decidedBy: 'Priority',
            ruleMatched: account?.territoryKey === best.key ? account.ruleMatched : null,
            trace: [
              `${best.key}: best type priority (${best.typeName}, ${best.priority}) among ${candidates.join(', ')}`,
            ],
          }
        : {
            ...base,
            territoryKey: null,
            decidedBy: null,
            ruleMatched: null,
            trace: [
              `no territory: tie on priority ${best.priority} between ${tied.map((t) => t.key).join(', ')} (Salesforce's default leaves it empty)`,
            ],
          },
    );
  }
  return out;
}
