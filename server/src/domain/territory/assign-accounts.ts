import type { Account } from '../snapshot/types';
import type { TieBreak } from './config';
import { createMatcher } from './matcher';
import { formatFilter } from './filter-logic';
import type { CompiledModel, CompiledTerritory } from './model';
import type { RuleMatch } from './matcher';

const NONE: CompiledTerritory[] = [];

/** Keys of every territory the account belongs to by name or rule, best priority first. */
function candidateKeys(model: CompiledModel, named: CompiledTerritory[], hits: RuleMatch[]): string[] {
  if (named.length === 0 && hits.length === 1) return [model.territories[hits[0]!.territory]!.key];
  const set = new Set<CompiledTerritory>(named);
  for (const m of hits) set.add(model.territories[m.territory]!);
  return [...set].sort(byPriority).map((t) => t.key);
}

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
  changes: ReadonlyMap<
    string,
    readonly { id: string; toTerritoryKey: string; effectiveDate: string; proposed?: boolean }[]
  >;
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
    const namedHits = named.get(account.id) ?? NONE;
    const candidates = candidateKeys(model, namedHits, ruleHits);
    const base = { accountId: account.id, candidates, effectiveDate: null, changeRequestId: null };
    // Traces are built when read (rows, tests): deciding 200k accounts should not build 200k strings.
    const context = contextOf.bind(null, model, matches, ruleHits, excluded);

    const changes = input.changes.get(account.id);
    let change: { id: string; toTerritoryKey: string; effectiveDate: string } | undefined;
    if (changes)
      for (const c of changes)
        // A proposed move (what-if) counts whatever its date: the dry run asks what it would do.
        if (model.byKey.has(c.toTerritoryKey) && (c.effectiveDate <= input.asOf || c.proposed === true))
          change = c;
    if (change) {
      const c = change;
      return withTrace(
        {
          ...base,
          territoryKey: c.toTerritoryKey,
          decidedBy: 'Change Request',
          ruleMatched: `change request ${c.id}`,
          effectiveDate: c.effectiveDate,
          changeRequestId: c.id,
          candidates: [c.toTerritoryKey],
        },
        () => [
          `${c.toTerritoryKey} by approved change request ${c.id}, effective ${c.effectiveDate}`,
          ...context(),
        ],
      );
    }

    const exempt =
      realignExempt.has(account.id) ||
      (exemptAttribute !== null && (account.attributes[exemptAttribute] ?? '').toLowerCase() === 'true');
    if (exempt && current !== null && model.byKey.has(current)) {
      return withTrace(
        { ...base, territoryKey: current, decidedBy: 'Excluded', ruleMatched: null, candidates: [current] },
        () => [`${current}: excluded from realignment, keeps its current territory`, ...context()],
      );
    }

    if (namedHits.length > 0) {
      const decided = pick(namedHits, current, input.tieBreak);
      const ids = namedHits.map((t) => t.key).join(', ');
      const winner = decided.territory;
      return withTrace(
        {
          ...base,
          territoryKey: winner?.key ?? null,
          decidedBy: winner ? (namedHits.length === 1 ? 'Named Account' : decided.by) : null,
          ruleMatched: winner ? `named account of ${winner.key}` : null,
        },
        () => [
          winner
            ? `${winner.key}: named account${namedHits.length > 1 ? ` (named in ${ids}; ${whyOf(decided)})` : ''}`
            : `no territory: named in ${ids}, ${whyOf(decided)}`,
          ...context(),
        ],
      );
    }

    if (ruleHits.length === 0)
      return withTrace({ ...base, territoryKey: null, decidedBy: null, ruleMatched: null }, () => [
        'no territory: no rule matched',
        ...context(),
      ]);
    const decided =
      ruleHits.length === 1
        ? ({
            territory: model.territories[ruleHits[0]!.territory]!,
            by: 'Rule',
            how: 'single',
            sorted: [],
            tied: 1,
          } as Pick)
        : pick(
            ruleHits.map((m) => model.territories[m.territory]!),
            current,
            input.tieBreak,
          );
    const winner = decided.territory;
    const rule = winner ? ruleHits.find((m) => m.territory === winner.index)! : null;
    return withTrace(
      {
        ...base,
        territoryKey: winner?.key ?? null,
        decidedBy: winner ? decided.by : null,
        ruleMatched: rule ? (rule.rule?.id ?? rule.scope.map((r) => r.id).join(' AND ')) : null,
      },
      () => {
        // The rule's full text is in the territory's trace; the account names the rule and its logic.
        const ruleText = rule
          ? rule.rule
            ? `${rule.rule.id} (${formatFilter(rule.rule.filter)})`
            : 'scope rules'
          : null;
        return [
          winner
            ? `${winner.key} by rule ${ruleText}${ruleHits.length > 1 ? `; ${whyOf(decided)}` : ''}`
            : `no territory: ${whyOf(decided)}`,
          ...context(),
        ];
      },
    );
  });
}

/** The trace lines every decision shares: which rules matched, which exclusions applied. */
function contextOf(
  model: CompiledModel,
  matches: readonly RuleMatch[],
  ruleHits: readonly RuleMatch[],
  excluded: ReadonlySet<number> | undefined,
): string[] {
  const lines: string[] = [];
  if (matches.length > 1)
    lines.push(
      `rules matched: ${matches
        .map((m) => `${model.territories[m.territory]!.key} (${m.rule ? m.rule.id : 'scope'})`)
        .join(', ')}`,
    );
  if (excluded && matches.length !== ruleHits.length)
    lines.push(`excluded by name from: ${[...excluded].map((i) => model.territories[i]!.key).join(', ')}`);
  return lines;
}

/** A decision whose trace is rendered on first read (and kept). */
class Decision implements AccountDecision {
  accountId!: string;
  territoryKey!: string | null;
  decidedBy!: DecidedBy | null;
  ruleMatched!: string | null;
  candidates!: string[];
  effectiveDate!: string | null;
  changeRequestId!: string | null;
  private lines: string[] | null = null;
  constructor(
    fields: Omit<AccountDecision, 'trace'>,
    private readonly build: () => string[],
  ) {
    Object.assign(this, fields);
  }
  get trace(): string[] {
    return (this.lines ??= this.build());
  }
}

function withTrace(decision: Omit<AccountDecision, 'trace'>, build: () => string[]): AccountDecision {
  return new Decision(decision, build);
}

interface Pick {
  territory: CompiledTerritory | null;
  by: DecidedBy;
  /** How the pick was made; `whyOf` spells it out when a trace is read. */
  how: 'single' | 'priority' | 'kept-current' | 'first-key' | 'left-unassigned';
  sorted: CompiledTerritory[];
  tied: number;
}

function pick(candidates: CompiledTerritory[], current: string | null, tieBreak: TieBreak): Pick {
  const sorted = [...candidates].sort(byPriority);
  const best = sorted[0]!;
  let tied = 1;
  while (tied < sorted.length && sorted[tied]!.priority === best.priority) tied++;
  if (tied === 1) return { territory: best, by: 'Priority', how: 'priority', sorted, tied };
  for (let i = 0; i < tied; i++)
    if (sorted[i]!.key === current)
      return { territory: sorted[i]!, by: 'Tie-Break', how: 'kept-current', sorted, tied };
  if (tieBreak === 'keep-current-or-first-key')
    return { territory: best, by: 'Tie-Break', how: 'first-key', sorted, tied };
  return { territory: null, by: 'Tie-Break', how: 'left-unassigned', sorted, tied };
}

function whyOf(p: Pick): string {
  const best = p.sorted[0]!;
  if (p.how === 'single') return '';
  if (p.how === 'priority')
    return `type ${best.typeName} (priority ${best.priority}) beats ${p.sorted
      .slice(1)
      .map((t) => `${t.key} (${t.typeName}, ${t.priority})`)
      .join(', ')}`;
  const keys = p.sorted
    .slice(0, p.tied)
    .map((t) => t.key)
    .join(', ');
  const outcome = {
    'kept-current': 'kept current',
    'first-key': 'first key',
    'left-unassigned': 'left unassigned',
  }[p.how];
  return `tie on priority ${best.priority} between ${keys}: ${outcome}`;
}
