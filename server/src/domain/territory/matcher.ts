import type { Account } from '../snapshot/types';
import type { CompiledModel } from './model';
import { prepareAccount, type CompiledRule } from './rule-compiler';

export interface RuleMatch {
  territory: number;
  /** The local rule that matched (the first one, in config order), or null when the scope alone did. */
  rule: CompiledRule | null;
  /** Inherited rules that had to hold too. */
  scope: CompiledRule[];
}

/**
 * The territories whose rules an account satisfies. Clauses come from the equality index (the
 * account's value of each indexed field) plus the unanchored ones; each rule is evaluated at most
 * once per account (memoised by a generation stamp, so nothing is cleared between accounts).
 */
export function createMatcher(model: CompiledModel): (account: Account) => RuleMatch[] {
  const ruleCount = model.rules.length;
  const stamp = new Uint32Array(ruleCount);
  const value = new Uint8Array(ruleCount);
  const seenTerritory = new Uint32Array(model.territories.length);
  const seenClause = new Uint32Array(model.clauses.length);
  let generation = 0;
  const indexed = [...model.index.entries()];

  return (account) => {
    generation++;
    if (generation === 0xffffffff) {
      stamp.fill(0);
      seenTerritory.fill(0);
      seenClause.fill(0);
      generation = 1;
    }
    const prepared = prepareAccount(account, model.slots);
    const holds = (ri: number): boolean => {
      if (stamp[ri] !== generation) {
        stamp[ri] = generation;
        value[ri] = model.rules[ri]!.test(prepared) ? 1 : 0;
      }
      return value[ri] === 1;
    };
    const candidates: number[] = [];
    for (const [slot, byValue] of indexed) {
      const v = prepared.text[slot];
      if (v === null || v === undefined) continue;
      const entry = byValue.get(v);
      if (!entry) continue;
      for (const ci of entry.direct) candidates.push(ci);
      for (const [slot2, byValue2] of entry.second) {
        const v2 = prepared.text[slot2];
        const list = v2 !== null && v2 !== undefined ? byValue2.get(v2) : undefined;
        if (list) for (const ci of list) candidates.push(ci);
      }
    }
    for (const ci of model.unanchored) candidates.push(ci);
    // Config order, so "the first rule that matched" does not depend on the index.
    if (candidates.length > 1) candidates.sort((a, b) => a - b);
    const out: RuleMatch[] = [];
    for (const ci of candidates) {
      if (seenClause[ci] === generation) continue;
      seenClause[ci] = generation;
      const clause = model.clauses[ci]!;
      if (seenTerritory[clause.territory] === generation) continue;
      let ok = true;
      for (const ri of clause.rules)
        if (!holds(ri)) {
          ok = false;
          break;
        }
      if (!ok) continue;
      seenTerritory[clause.territory] = generation;
      out.push({
        territory: clause.territory,
        rule: clause.localRule,
        scope: model.territories[clause.territory]!.scopeRules,
      });
    }
    return out;
  };
}
