import type { Account } from '../snapshot/types';
import type { CompiledModel } from './model';
import type { RangeIndex } from './model';
import { compareHead, prepareAccount, run, type CompiledRule } from './rule-compiler';

export interface RuleMatch {
  /** Index of the clause (scope plus one local rule) that matched, in config order. */
  clause: number;
  territory: number;
  /** The local rule that matched (the first one, in config order), or null when the scope alone did. */
  rule: CompiledRule | null;
  /** Inherited rules that had to hold too. */
  scope: CompiledRule[];
}

export interface ClauseMatcher {
  /**
   * Matches one account: returns how many territories it belongs to by rule and leaves their clause
   * indexes in `hits[0…count)`, in config order, the first clause per territory. `hits` is reused by
   * the next call.
   */
  match(account: Account): number;
  hits: Int32Array;
  /** One RuleMatch per clause, shared by every account it matches (read-only). */
  matches: readonly RuleMatch[];
}

/**
 * The territories whose rules an account satisfies. Clauses come from the equality index (the
 * account's value id of each indexed field) plus the unanchored ones; each rule is evaluated at most
 * once per account (memoised by a generation stamp, so nothing is cleared between accounts). Nothing
 * is allocated per account: 200k accounts would otherwise mean millions of short-lived objects.
 */
export function createClauseMatcher(model: CompiledModel): ClauseMatcher {
  const ruleCount = model.rules.length;
  const clauseCount = model.clauses.length;
  const stamp = new Uint32Array(ruleCount);
  const value = new Uint8Array(ruleCount);
  const seenClause = new Uint32Array(clauseCount);
  const seenTerritory = new Uint32Array(model.territories.length);
  const hits = new Int32Array(clauseCount);
  const clauseRules = model.clauses.map((c) => Int32Array.from(c.rules));
  const clauseTerritory = Int32Array.from(model.clauses, (c) => c.territory);
  const codes = model.rules.map((r) => r.code);
  // Local references: imported functions compile to getter calls on the module object (CommonJS
  // output), which the hot loop would pay millions of times.
  const evaluate = run;
  const prepare = prepareAccount;
  const index = model.index;
  const unanchored = Int32Array.from(model.unanchored);
  const ranges = model.ranges;
  const matches: RuleMatch[] = model.clauses.map((c, clause) =>
    Object.freeze({
      clause,
      territory: c.territory,
      rule: c.localRule,
      scope: model.territories[c.territory]!.scopeRules,
    }),
  );
  // One prepared account reused: rules read it only while this account is being matched.
  const prepared = prepareAccount({ attributes: {} } as unknown as Account, model.slots);
  let generation = 0;

  const holds = (ci: number): boolean => {
    if (seenClause[ci] === generation) return false;
    seenClause[ci] = generation;
    const rules = clauseRules[ci]!;
    for (let k = 0; k < rules.length; k++) {
      const ri = rules[k]!;
      if (stamp[ri] !== generation) {
        stamp[ri] = generation;
        value[ri] = evaluate(codes[ri]!, prepared) ? 1 : 0;
      }
      if (value[ri] === 0) return false;
    }
    return true;
  };

  const match = (account: Account): number => {
    generation++;
    if (generation === 0xffffffff) {
      stamp.fill(0);
      seenClause.fill(0);
      seenTerritory.fill(0);
      generation = 1;
    }
    prepare(account, model.slots, prepared);
    const ids = prepared.id;
    let count = 0;
    for (let k = 0; k < index.length; k++) {
      const slotIndex = index[k]!;
      const id = ids[slotIndex.slot]!;
      // 0 (blank) and 1 (a value no rule names) anchor nothing.
      if (id < 2) continue;
      const entry = slotIndex.byId[id];
      if (entry === undefined) continue;
      const direct = entry.direct;
      for (let j = 0; j < direct.length; j++) if (holds(direct[j]!)) hits[count++] = direct[j]!;
      for (let j = 0; j < entry.second.length; j++) {
        const level = entry.second[j]!;
        const id2 = ids[level.slot]!;
        const list = id2 < 2 ? undefined : level.byId[id2];
        if (list !== undefined)
          for (let i = 0; i < list.length; i++) if (holds(list[i]!)) hits[count++] = list[i]!;
      }
    }
    for (let k = 0; k < ranges.length; k++) {
      const list = regionOf(ranges[k]!, prepared.num, prepared.squashed);
      if (list !== null) for (let i = 0; i < list.length; i++) if (holds(list[i]!)) hits[count++] = list[i]!;
    }
    for (let j = 0; j < unanchored.length; j++) if (holds(unanchored[j]!)) hits[count++] = unanchored[j]!;
    if (count < 2) return count;
    // Config order, so "the first rule that matched" does not depend on the index (few hits: insertion sort).
    for (let i = 1; i < count; i++) {
      const c = hits[i]!;
      let j = i - 1;
      while (j >= 0 && hits[j]! > c) {
        hits[j + 1] = hits[j]!;
        j--;
      }
      hits[j + 1] = c;
    }
    // A territory reached through two clauses keeps its first one in config order.
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const t = clauseTerritory[hits[i]!]!;
      if (seenTerritory[t] === generation) continue;
      seenTerritory[t] = generation;
      hits[kept++] = hits[i]!;
    }
    return kept;
  };

  return { match, hits, matches };
}

// A local reference: an imported function is a getter call on the module object (CommonJS output).
const compareAt = compareHead;

/** The clauses of the region an account's value falls in; null when it is blank (no range holds). */
function regionOf(
  range: RangeIndex,
  num: Float64Array,
  squashed: readonly (string | null)[],
): number[] | null {
  let lo = 0;
  if (range.kind === 'num') {
    const v = num[range.slot]!;
    if (Number.isNaN(v)) return null;
    const points = range.numPoints;
    let hi = points.length;
    // The first point ≥ v.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return range.regions[lo < points.length && points[lo] === v ? 2 * lo + 1 : 2 * lo]!;
  }
  const v = squashed[range.slot];
  if (v === null || v === undefined) return null;
  const points = range.textPoints;
  let hi = points.length;
  let at = false;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareAt(v, range.width, points[mid]!);
    if (c > 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < points.length) at = compareAt(v, range.width, points[lo]!) === 0;
  return range.regions[at ? 2 * lo + 1 : 2 * lo]!;
}

/** The matches of one account as objects (tests, one-off callers); the engine uses createClauseMatcher. */
export function createMatcher(model: CompiledModel): (account: Account) => RuleMatch[] {
  const matcher = createClauseMatcher(model);
  return (account) => {
    const count = matcher.match(account);
    const out: RuleMatch[] = [];
    for (let i = 0; i < count; i++) out.push(matcher.matches[matcher.hits[i]!]!);
    return out;
  };
}
