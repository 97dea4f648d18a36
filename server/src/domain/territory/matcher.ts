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
  const seenClause = new Uint32Array(model.clauses.length);
  const seenTerritory = new Uint32Array(model.territories.length);
  // Reused per account: only the matches escape.
  const candidates: number[] = [];
  let generation = 0;
  // Pairs rather than a Map walk per account.
  const indexed = [...model.index.entries()].map(([slot, byValue]) => ({ slot, byValue }));
  const rules = model.rules;
  // One prepared account reused: rules read it only while this account is being matched.
  const scratch = prepareAccount({ attributes: {} } as unknown as Account, model.slots);

  return (account) => {
    generation++;
    if (generation === 0xffffffff) {
      stamp.fill(0);
      seenClause.fill(0);
      seenTerritory.fill(0);
      generation = 1;
    }
    const prepared = prepareAccount(account, model.slots, scratch);
    candidates.length = 0;
    for (let k = 0; k < indexed.length; k++) {
      const { slot, byValue } = indexed[k]!;
      const v = prepared.text[slot];
      if (v === null || v === undefined) continue;
      const entry = byValue.get(v);
      if (!entry) continue;
      for (const ci of entry.direct) candidates.push(ci);
      for (let j = 0; j < entry.second.length; j++) {
        const level = entry.second[j]!;
        const v2 = prepared.text[level.slot];
        const list = v2 !== null && v2 !== undefined ? level.byValue.get(v2) : undefined;
        if (list) for (const ci of list) candidates.push(ci);
      }
    }
    for (const ci of model.unanchored) candidates.push(ci);
    const out: (RuleMatch & { clause: number })[] = [];
    for (const ci of candidates) {
      if (seenClause[ci] === generation) continue;
      seenClause[ci] = generation;
      const clause = model.clauses[ci]!;
      let ok = true;
      for (const ri of clause.rules) {
        if (stamp[ri] !== generation) {
          stamp[ri] = generation;
          value[ri] = rules[ri]!.test(prepared) ? 1 : 0;
        }
        if (value[ri] === 0) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      out.push({
        clause: ci,
        territory: clause.territory,
        rule: clause.localRule,
        scope: model.territories[clause.territory]!.scopeRules,
      });
    }
    // Config order, so "the first rule that matched" does not depend on the index.
    if (out.length > 1) {
      out.sort(byClause);
      // A territory reached through two clauses keeps its first one in config order.
      let kept = 0;
      for (let i = 0; i < out.length; i++) {
        const m = out[i]!;
        if (seenTerritory[m.territory] === generation) continue;
        seenTerritory[m.territory] = generation;
        out[kept++] = m;
      }
      out.length = kept;
    }
    return out;
  };
}

const byClause = (a: { clause: number }, b: { clause: number }): number => a.clause - b.clause;
