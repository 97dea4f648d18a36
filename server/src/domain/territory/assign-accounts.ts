import type { Account } from '../snapshot/types';
import type { TieBreak } from './config';
import { createMatcher } from './matcher';
import type { CompiledModel, CompiledTerritory } from './model';

export const DECIDED_BY = [
  'Rule',
  'Priority',
  'Tie-Break',
  'Named Account',
  'Excluded',
  'Override',
  'Change Request',
  'Account Territory',
] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];

export interface AccountDecision {
  accountId: string;
  /** null: no territory (no candidate, or a tie the policy leaves open). */
  territoryKey: string | null;
  decidedBy: DecidedBy | null;
  /** Id of the rule (or the exception) that put the account in its territory. */
  ruleMatched: string | null;
  /** Every territory the account belongs to by rule or name, best priority first: opportunities choose among these. */
  candidates: string[];
  /** First line: the summary sentence. */
  trace: string[];
  /** For change requests: the date the move takes effect. */
  effectiveDate: string | null;
  changeRequestId: string | null;
}

export interface AssignInput {
  model: CompiledModel;
  accounts: readonly Account[];
  /** The account's territory key in this model before this run (open history row, or Account territory). */
  current: ReadonlyMap<string, string>;
  tieBreak: TieBreak;
  /** Change requests per account, oldest effective date first; only their targets in this model count. */
  changes: ReadonlyMap<string, readonly { id: string; toTerritoryKey: string; effectiveDate: string }[]>;
  asOf: string;
}

/** Resolves account references of the config (an Id, else an exact name, case-insensitive). */
export function accountResolver(accounts: readonly Account[]): (ref: string) => string[] {
  const ids = new Set(accounts.map((a) => a.id));
  const byName = new Map<string, string[]>();
  for (const a of accounts) {
    const k = a.name.trim().toLowerCase();
    byName.set(k, [...(byName.get(k) ?? []), a.id]);
  }
  return (ref) => (ids.has(ref) ? [ref] : (byName.get(ref.trim().toLowerCase()) ?? []));
}

const byPriority = (a: CompiledTerritory, b: CompiledTerritory): number =>
  a.priority - b.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * One primary territory per account in the model. Precedence: an approved change request in force,
 * then exclusion from realignment (keeps the current territory), then named-account exceptions, then
 * rules. Among several candidates the lowest type priority number wins; a tie it cannot break goes to
 * the tie policy (README.md: keep the current territory if it is among the tied, else none).
 */
export function assignAccounts(input: AssignInput): AccountDecision[] {
  const { model } = input;
  const resolve = accountResolver(input.accounts);
  const named = new Map<string, CompiledTerritory[]>();
  const excludedBy = new Map<string, Set<number>>();
  for (const t of model.territories) {
    for (const ref of t.input.namedAccounts)
      for (const id of resolve(ref)) named.set(id, [...(named.get(id) ?? []), t]);
    for (const ref of t.input.excludedAccounts)
      for (const id of resolve(ref)) {
        const set = excludedBy.get(id) ?? new Set<number>();
        set.add(t.index);
        excludedBy.set(id, set);
      }
  }
  const realignExempt = new Set(model.input.excludeFromRealignment.accounts.flatMap(resolve));
  const exemptAttribute = model.input.excludeFromRealignment.attribute;
  const match = createMatcher(model);

  return input.accounts.map((account): AccountDecision => {
    const current = input.current.get(account.id) ?? null;
    const matches = match(account);
    const excluded = excludedBy.get(account.id);
    const ruleHits = excluded ? matches.filter((m) => !excluded.has(m.territory)) : matches;
    const namedHits = named.get(account.id) ?? [];
    const candidateSet = new Map<string, CompiledTerritory>();
    for (const t of namedHits) candidateSet.set(t.key, t);
    for (const m of ruleHits) candidateSet.set(model.territories[m.territory]!.key, model.territories[m.territory]!);
    const candidates = [...candidateSet.values()].sort(byPriority).map((t) => t.key);
    const base = {
      accountId: account.id,
      candidates,
      effectiveDate: null,
      changeRequestId: null,
    };
    const trace: string[] = [];
    if (matches.length > 0)
      trace.push(
        `rules matched: ${matches
          .map((m) => `${model.territories[m.territory]!.key} (${m.rule ? m.rule.id : 'scope'})`)
          .join(', ')}`,
      );
    if (excluded && matches.length !== ruleHits.length)
      trace.push(`excluded by name from: ${[...excluded].map((i) => model.territories[i]!.key).join(', ')}`);

    const inForce = (input.changes.get(account.id) ?? []).filter(
      (c) => model.byKey.has(c.toTerritoryKey) && c.effectiveDate <= input.asOf,
    );
    const change = inForce[inForce.length - 1];
    if (change) {
      return {
        ...base,
        territoryKey: change.toTerritoryKey,
        decidedBy: 'Change Request',
        ruleMatched: `change request ${change.id}`,
        effectiveDate: change.effectiveDate,
        changeRequestId: change.id,
        candidates: [change.toTerritoryKey],
        trace: [
          `${change.toTerritoryKey} by approved change request ${change.id}, effective ${change.effectiveDate}`,
          ...trace,
        ],
      };
    }

    const exempt =
      realignExempt.has(account.id) ||
      (exemptAttribute !== null && (account.attributes[exemptAttribute] ?? '').toLowerCase() === 'true');
    if (exempt && current !== null && model.byKey.has(current)) {
      return {
        ...base,
        territoryKey: current,
        decidedBy: 'Excluded',
        ruleMatched: null,
        candidates: [current],
        trace: [`${current}: excluded from realignment, keeps its current territory`, ...trace],
      };
    }

    if (namedHits.length > 0) {
      const decided = pick(namedHits, current, input.tieBreak);
      const ids = namedHits.map((t) => t.key).join(', ');
      return {
        ...base,
        territoryKey: decided.territory?.key ?? null,
        decidedBy: decided.territory ? (namedHits.length === 1 ? 'Named Account' : decided.by) : null,
        ruleMatched: decided.territory ? `named account of ${decided.territory.key}` : null,
        trace: [
          decided.territory
            ? `${decided.territory.key}: named account${namedHits.length > 1 ? ` (named in ${ids}; ${decided.why})` : ''}`
            : `no territory: named in ${ids}, ${decided.why}`,
          ...trace,
        ],
      };
    }

    if (ruleHits.length === 0)
      return {
        ...base,
        territoryKey: null,
        decidedBy: null,
        ruleMatched: null,
        trace: ['no territory: no rule matched', ...trace],
      };
    const hitTerritories = ruleHits.map((m) => model.territories[m.territory]!);
    const decided = pick(hitTerritories, current, input.tieBreak);
    const winner = decided.territory;
    const rule = winner ? ruleHits.find((m) => m.territory === winner.index)! : null;
    const ruleText = rule ? (rule.rule ? `${rule.rule.id}: ${rule.rule.text}` : 'scope rules') : null;
    return {
      ...base,
      territoryKey: winner?.key ?? null,
      decidedBy: winner ? (ruleHits.length === 1 ? 'Rule' : decided.by) : null,
      ruleMatched: rule ? (rule.rule?.id ?? rule.scope.map((r) => r.id).join(' AND ')) : null,
      trace: [
        winner
          ? `${winner.key} by rule ${ruleText}${ruleHits.length > 1 ? `; ${decided.why}` : ''}`
          : `no territory: ${decided.why}`,
        ...trace,
      ],
    };
  });
}

interface Pick {
  territory: CompiledTerritory | null;
  by: DecidedBy;
  why: string;
}

function pick(candidates: CompiledTerritory[], current: string | null, tieBreak: TieBreak): Pick {
  const sorted = [...candidates].sort(byPriority);
  const best = sorted[0]!;
  const tied = sorted.filter((t) => t.priority === best.priority);
  if (tied.length === 1)
    return {
      territory: best,
      by: 'Priority',
      why: `type ${best.typeName} (priority ${best.priority}) beats ${sorted
        .slice(1)
        .map((t) => `${t.key} (${t.typeName}, ${t.priority})`)
        .join(', ')}`,
    };
  const keys = tied.map((t) => t.key).join(', ');
  const kept = tied.find((t) => t.key === current);
  if (kept)
    return { territory: kept, by: 'Tie-Break', why: `tie on priority ${best.priority} between ${keys}: kept current` };
  if (tieBreak === 'keep-current-or-first-key')
    return {
      territory: tied[0]!,
      by: 'Tie-Break',
      why: `tie on priority ${best.priority} between ${keys}: first key`,
    };
  return { territory: null, by: 'Tie-Break', why: `tie on priority ${best.priority} between ${keys}: left unassigned` };
}
