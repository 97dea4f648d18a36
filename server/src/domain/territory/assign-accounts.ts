import type { Account } from '../snapshot/types';
import type { TieBreak } from './config';
import { createClauseMatcher } from './matcher';
import { formatFilter } from './filter-logic';
import type { CompiledModel, CompiledTerritory } from './model';
import type { RuleMatch } from './matcher';

const NONE: CompiledTerritory[] = [];

/** Keys of every territory the account belongs to by name or rule, best priority first. */
function candidateKeys(
  model: CompiledModel,
  named: readonly CompiledTerritory[],
  hits: readonly RuleMatch[],
): string[] {
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
  // Built on the first reference: most models name no account, and 200k names cost a fifth of a second.
  let ids: Set<string> | null = null;
  let byName: Map<string, string[]> | null = null;
  return (ref) => {
    if (ids === null || byName === null) {
      ids = new Set(accounts.map((a) => a.id));
      byName = new Map<string, string[]>();
      for (const a of accounts) {
        const k = a.name.trim().toLowerCase();
        const list = byName.get(k);
        if (list) list.push(a.id);
        else byName.set(k, [a.id]);
      }
    }
    return ids.has(ref) ? [ref] : [...(byName.get(ref.trim().toLowerCase()) ?? [])];
  };
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
  const matcher = createClauseMatcher(model);
  const root = new MatchSet(EMPTY_MATCHES);
  const accounts = input.accounts;
  const out = new Array<AccountDecision>(accounts.length);
  // Empty maps are common (a first cycle, the bench, what-ifs): skip 200k lookups of nothing.
  const anyCurrent = input.current.size > 0;
  const anyChange = input.changes.size > 0;
  const anyException = named.size > 0 || excludedBy.size > 0;

  for (let i = 0; i < accounts.length; i++) {
    const account = accounts[i]!;
    const current = anyCurrent ? (input.current.get(account.id) ?? null) : null;
    const count = matcher.match(account);
    let set = root;
    for (let k = 0; k < count; k++) set = set.child(matcher.hits[k]!, matcher.matches);
    const changes = anyChange ? input.changes.get(account.id) : undefined;
    const keeps =
      current !== null &&
      model.byKey.has(current) &&
      (realignExempt.has(account.id) ||
        (exemptAttribute !== null && (account.attributes[exemptAttribute] ?? '').toLowerCase() === 'true'));
    if (
      changes !== undefined ||
      keeps ||
      (anyException && (named.has(account.id) || excludedBy.has(account.id)))
    ) {
      out[i] = decideOne(input, account, set.matches, current, named, excludedBy, keeps);
      continue;
    }
    // Rules alone decide: the outcome depends on the set of matches only (and on the current
    // territory when it is among tied ones), so it is worked out once per set and shared.
    const o = set.outcome(model, current, input.tieBreak);
    out[i] = new Decision(
      account.id,
      o.territoryKey,
      o.decidedBy,
      o.ruleMatched,
      o.candidates,
      null,
      null,
      o.trace,
    );
  }
  return out;
}

const EMPTY_MATCHES: readonly RuleMatch[] = Object.freeze([]);

/** What rules alone decide for one set of matches; shared (read-only) by every account with that set. */
interface Outcome {
  territoryKey: string | null;
  decidedBy: DecidedBy | null;
  ruleMatched: string | null;
  candidates: string[];
  trace: () => string[];
}

/**
 * A node of a trie over the matched clause indexes (config order): each distinct set of matches
 * is built once, with its candidates and outcomes, however many accounts share it.
 */
class MatchSet {
  // Children by clause index: a short list scanned (most nodes have a few), a Map once it grows.
  // Null on leaves (most nodes): 20k-odd sets in the bench.
  private childClauses: number[] | null = null;
  private childSets: MatchSet[] | null = null;
  private childMap: Map<number, MatchSet> | null = null;
  private candidates: string[] | null = null;
  /** The outcome when no current territory breaks a tie (almost every account). */
  private plain: Outcome | null = null;
  /** Outcomes by the current territory when it breaks a tie. */
  private byCurrent: Map<string, Outcome> | null = null;
  /** Keys of the territories tied on the best priority (when more than one). */
  private tiedKeys: string[] | null = null;
  constructor(readonly matches: readonly RuleMatch[]) {}

  child(clause: number, all: readonly RuleMatch[]): MatchSet {
    if (this.childMap !== null) {
      const found = this.childMap.get(clause);
      if (found !== undefined) return found;
    } else if (this.childClauses !== null) {
      const clauses = this.childClauses;
      for (let i = 0; i < clauses.length; i++) if (clauses[i] === clause) return this.childSets![i]!;
    }
    const next = new MatchSet(Object.freeze([...this.matches, all[clause]!]));
    if (this.childMap !== null) this.childMap.set(clause, next);
    else if (this.childClauses === null || this.childClauses.length < 8) {
      (this.childClauses ??= []).push(clause);
      (this.childSets ??= []).push(next);
    } else {
      const sets = this.childSets!;
      this.childMap = new Map(this.childClauses.map((c, i) => [c, sets[i]!]));
      this.childMap.set(clause, next);
      this.childClauses = this.childSets = null;
    }
    return next;
  }

  outcome(model: CompiledModel, current: string | null, tieBreak: TieBreak): Outcome {
    if (this.candidates === null) {
      this.candidates = Object.freeze(candidateKeys(model, NONE, this.matches)) as string[];
      if (this.matches.length > 1) {
        const sorted = this.matches.map((m) => model.territories[m.territory]!).sort(byPriority);
        let tied = 1;
        while (tied < sorted.length && sorted[tied]!.priority === sorted[0]!.priority) tied++;
        if (tied > 1) this.tiedKeys = sorted.slice(0, tied).map((t) => t.key);
      }
    }
    if (this.tiedKeys !== null && current !== null && this.tiedKeys.includes(current)) {
      const map = (this.byCurrent ??= new Map());
      let o = map.get(current);
      if (o === undefined) map.set(current, (o = this.decide(model, current, tieBreak)));
      return o;
    }
    return (this.plain ??= this.decide(model, null, tieBreak));
  }

  private decide(model: CompiledModel, current: string | null, tieBreak: TieBreak): Outcome {
    const decided = byRules(model, this.matches, this.matches, undefined, current, tieBreak);
    let lines: string[] | null = null;
    const build = decided.trace;
    return {
      territoryKey: decided.territoryKey,
      decidedBy: decided.decidedBy,
      ruleMatched: decided.ruleMatched,
      candidates: this.candidates!,
      trace: () => (lines ??= Object.freeze(build()) as string[]),
    };
  }
}

/** The decision by rules among `ruleHits` (no change request, exclusion or named account applies). */
function byRules(
  model: CompiledModel,
  matches: readonly RuleMatch[],
  ruleHits: readonly RuleMatch[],
  excluded: ReadonlySet<number> | undefined,
  current: string | null,
  tieBreak: TieBreak,
): {
  territoryKey: string | null;
  decidedBy: DecidedBy | null;
  ruleMatched: string | null;
  trace: () => string[];
} {
  const context = contextOf.bind(null, model, matches, ruleHits, excluded);
  if (ruleHits.length === 0)
    return {
      territoryKey: null,
      decidedBy: null,
      ruleMatched: null,
      trace: () => ['no territory: no rule matched', ...context()],
    };
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
          tieBreak,
        );
  const winner = decided.territory;
  const rule = winner ? ruleHits.find((m) => m.territory === winner.index)! : null;
  return {
    territoryKey: winner?.key ?? null,
    decidedBy: winner ? decided.by : null,
    ruleMatched: rule ? (rule.rule?.id ?? rule.scope.map((r) => r.id).join(' AND ')) : null,
    trace: () => {
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
  };
}

/** One account that a change request, an exclusion or a named-account exception concerns. */
function decideOne(
  input: AssignInput,
  account: Account,
  matches: readonly RuleMatch[],
  current: string | null,
  named: ReadonlyMap<string, CompiledTerritory[]>,
  excludedBy: ReadonlyMap<string, ReadonlySet<number>>,
  keeps: boolean,
): AccountDecision {
  const { model } = input;
  const excluded = excludedBy.get(account.id);
  const ruleHits = excluded ? matches.filter((m) => !excluded.has(m.territory)) : matches;
  const namedHits = named.get(account.id) ?? NONE;
  const candidates = candidateKeys(model, namedHits, ruleHits);
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
    return new Decision(
      account.id,
      c.toTerritoryKey,
      'Change Request',
      `change request ${c.id}`,
      [c.toTerritoryKey],
      c.effectiveDate,
      c.id,
      () => [
        `${c.toTerritoryKey} by approved change request ${c.id}, effective ${c.effectiveDate}`,
        ...context(),
      ],
    );
  }

  if (keeps && current !== null) {
    return new Decision(account.id, current, 'Excluded', null, [current], null, null, () => [
      `${current}: excluded from realignment, keeps its current territory`,
      ...context(),
    ]);
  }

  if (namedHits.length > 0) {
    const decided = pick(namedHits, current, input.tieBreak);
    const ids = namedHits.map((t) => t.key).join(', ');
    const winner = decided.territory;
    return new Decision(
      account.id,
      winner?.key ?? null,
      winner ? (namedHits.length === 1 ? 'Named Account' : decided.by) : null,
      winner ? `named account of ${winner.key}` : null,
      candidates,
      null,
      null,
      () => [
        winner
          ? `${winner.key}: named account${namedHits.length > 1 ? ` (named in ${ids}; ${whyOf(decided)})` : ''}`
          : `no territory: named in ${ids}, ${whyOf(decided)}`,
        ...context(),
      ],
    );
  }

  const d = byRules(model, matches, ruleHits, excluded, current, input.tieBreak);
  return new Decision(
    account.id,
    d.territoryKey,
    d.decidedBy,
    d.ruleMatched,
    candidates,
    null,
    null,
    d.trace,
  );
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
  private lines: string[] | null = null;
  constructor(
    readonly accountId: string,
    readonly territoryKey: string | null,
    readonly decidedBy: DecidedBy | null,
    readonly ruleMatched: string | null,
    readonly candidates: string[],
    readonly effectiveDate: string | null,
    readonly changeRequestId: string | null,
    private readonly build: () => string[],
  ) {}
  get trace(): string[] {
    return (this.lines ??= this.build());
  }
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
