import type { ConfigProblem, ModelInput, TerritoryConfig, TerritoryInput } from './config';
import { FilterSyntaxError } from './filter-logic';
import { compileRule, FieldSlots, isKnownField, RuleCompileError, type CompiledRule } from './rule-compiler';

/**
 * A model from the config, checked and compiled: territories in hierarchy order with their type
 * priority, the rules each one tests, and an index of those rules by an equality field so an account
 * is tested only against rules that can match it.
 */

export interface CompiledTerritory {
  index: number;
  key: string;
  name: string;
  typeName: string;
  priority: number;
  parentKey: string | null;
  /** Keys from the root down to the parent. */
  ancestors: string[];
  input: TerritoryInput;
  localRules: CompiledRule[];
  /** Inherited rules of the territory itself and of its ancestors: all must hold. */
  scopeRules: CompiledRule[];
}

/** One way into a territory: every rule listed must hold (the scope plus one local rule). */
export interface Clause {
  territory: number;
  rules: number[];
  /** The local rule that makes this clause, or null for a territory matched by its scope alone. */
  localRule: CompiledRule | null;
}

/** Clauses anchored on one field value; `second` narrows by a second field's value. */
export interface IndexEntry {
  direct: number[];
  second: { slot: number; byValue: Map<string, number[]> }[];
}

export interface CompiledModel {
  input: ModelInput;
  key: string;
  state: ModelInput['state'];
  territories: CompiledTerritory[];
  byKey: Map<string, CompiledTerritory>;
  rules: CompiledRule[];
  clauses: Clause[];
  slots: FieldSlots;
  /** slot → lower-cased value → clause indexes anchored on it. */
  index: Map<number, Map<string, IndexEntry>>;
  /** Clauses with no equality item to anchor on: tested for every account. */
  unanchored: number[];
}

export function checkTerritoryConfig(config: TerritoryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const typeNames = new Set<string>();
  const priorities = new Map<number, string>();
  config.types.forEach((t, i) => {
    if (typeNames.has(t.name))
      problems.push({ path: `types[${i}].name`, message: `duplicate type ${t.name}` });
    typeNames.add(t.name);
    const other = priorities.get(t.priority);
    if (other !== undefined)
      problems.push({
        path: `types[${i}].priority`,
        message: `priority ${t.priority} is already used by type ${other}; priorities must be unique`,
      });
    priorities.set(t.priority, t.name);
  });
  const modelKeys = new Set<string>();
  let active = 0;
  config.models.forEach((m, mi) => {
    if (modelKeys.has(m.key))
      problems.push({ path: `models[${mi}].key`, message: `duplicate model ${m.key}` });
    modelKeys.add(m.key);
    if (m.state === 'Active') active++;
    compileModel(config, m, (path, message) => problems.push({ path: `models[${mi}].${path}`, message }));
  });
  if (active > 1)
    problems.push({ path: 'models', message: `${active} models are Active; at most one may be` });
  return problems;
}

/** Compiles one model; problems go to `report` (compile anyway so every problem is found in one pass). */
export function compileModel(
  config: TerritoryConfig,
  model: ModelInput,
  report: (path: string, message: string) => void = (path, message) => {
    throw new Error(`${path}: ${message}`);
  },
): CompiledModel {
  const types = new Map(config.types.map((t) => [t.name, t.priority]));
  const inputs = new Map<string, { t: TerritoryInput; i: number }>();
  model.territories.forEach((t, i) => {
    if (inputs.has(t.key)) report(`territories[${i}].key`, `duplicate territory ${t.key}`);
    else inputs.set(t.key, { t, i });
    if (!types.has(t.type)) report(`territories[${i}].type`, `unknown territory type ${t.type}`);
    if (t.parent !== null && !model.territories.some((p) => p.key === t.parent))
      report(`territories[${i}].parent`, `unknown parent territory ${t.parent}`);
  });

  const slots = new FieldSlots();
  const rules: CompiledRule[] = [];
  const ruleIds = new Set<string>();
  const compiledLocal = new Map<string, CompiledRule[]>();
  const compiledInherited = new Map<string, CompiledRule[]>();
  for (const { t, i } of inputs.values()) {
    const local: CompiledRule[] = [];
    const inherited: CompiledRule[] = [];
    t.rules.forEach((r, ri) => {
      const path = `territories[${i}].rules[${ri}]`;
      const id = r.id ?? `${t.key}#${ri + 1}`;
      if (ruleIds.has(id)) report(`${path}.id`, `duplicate rule id ${id}`);
      ruleIds.add(id);
      let bad = false;
      r.items.forEach((item, k) => {
        if (!isKnownField(item.field)) {
          report(`${path}.items[${k}].field`, `unknown account field ${item.field}`);
          bad = true;
        }
      });
      if (bad) return;
      try {
        const c = compileRule(id, r.items, r.filter, slots);
        rules.push(c);
        (r.inherit ? inherited : local).push(c);
      } catch (err) {
        if (err instanceof FilterSyntaxError) report(`${path}.filter`, err.message);
        else if (err instanceof RuleCompileError) report(path, err.message);
        else throw err;
      }
    });
    compiledLocal.set(t.key, local);
    compiledInherited.set(t.key, inherited);
  }

  // Hierarchy order (parents first), refusing cycles.
  const ordered: TerritoryInput[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, trail: string[]): void => {
    const entry = inputs.get(key);
    if (!entry || state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      report(`territories[${entry.i}].parent`, `the hierarchy has a cycle: ${[...trail, key].join(' → ')}`);
      return;
    }
    state.set(key, 'visiting');
    if (entry.t.parent !== null) visit(entry.t.parent, [...trail, key]);
    state.set(key, 'done');
    ordered.push(entry.t);
  };
  [...inputs.keys()].sort().forEach((k) => visit(k, []));

  const territories: CompiledTerritory[] = [];
  const byKey = new Map<string, CompiledTerritory>();
  for (const t of ordered) {
    const parent = t.parent !== null ? byKey.get(t.parent) : undefined;
    const ancestors = parent ? [...parent.ancestors, parent.key] : [];
    const compiled: CompiledTerritory = {
      index: territories.length,
      key: t.key,
      name: t.name,
      typeName: t.type,
      priority: types.get(t.type) ?? Number.MAX_SAFE_INTEGER,
      parentKey: t.parent,
      ancestors,
      input: t,
      localRules: compiledLocal.get(t.key) ?? [],
      scopeRules: [...(parent?.scopeRules ?? []), ...(compiledInherited.get(t.key) ?? [])],
    };
    territories.push(compiled);
    byKey.set(t.key, compiled);
  }

  const ruleIndex = new Map(rules.map((r, i) => [r, i]));
  const clauses: Clause[] = [];
  for (const t of territories) {
    const scope = t.scopeRules.map((r) => ruleIndex.get(r)!);
    if (t.localRules.length === 0) {
      if (scope.length > 0) clauses.push({ territory: t.index, rules: scope, localRule: null });
    } else {
      for (const r of t.localRules)
        clauses.push({ territory: t.index, rules: [...scope, ruleIndex.get(r)!], localRule: r });
    }
  }
  const { index, unanchored } = indexClauses(clauses, rules);
  return {
    input: model,
    key: model.key,
    state: model.state,
    territories,
    byKey,
    rules,
    clauses,
    slots,
    index,
    unanchored,
  };
}

/**
 * Anchors each clause on one required equality item (an item every match must satisfy), preferring
 * the field with the most distinct anchored values across the model: the more values, the fewer
 * clauses an account has to test. A second required equality item on another field, when there is
 * one, narrows the bucket further (country, then state), so a model with many rules per country
 * still tests only the few that can match.
 */
function indexClauses(
  clauses: Clause[],
  rules: CompiledRule[],
): { index: Map<number, Map<string, IndexEntry>>; unanchored: number[] } {
  const anchorsOf = clauses.map((c) =>
    c.rules.flatMap((ri) => {
      const r = rules[ri]!;
      return r.required
        .map((k) => r.items[k - 1]!)
        .filter((it) => it.equalityValues !== null)
        .map((it) => ({ slot: it.slot, values: it.equalityValues! }));
    }),
  );
  const distinct = new Map<number, Set<string>>();
  for (const anchors of anchorsOf)
    for (const a of anchors) {
      const set = distinct.get(a.slot) ?? new Set<string>();
      a.values.forEach((v) => set.add(v));
      distinct.set(a.slot, set);
    }
  type Anchor = { slot: number; values: string[] };
  const better = (a: Anchor, b: Anchor): Anchor => {
    const da = distinct.get(a.slot)!.size;
    const db = distinct.get(b.slot)!.size;
    if (db !== da) return db > da ? b : a;
    if (a.values.length !== b.values.length) return b.values.length < a.values.length ? b : a;
    return b.slot < a.slot ? b : a;
  };
  const index = new Map<number, Map<string, IndexEntry>>();
  const unanchored: number[] = [];
  anchorsOf.forEach((anchors, ci) => {
    if (anchors.length === 0) {
      unanchored.push(ci);
      return;
    }
    const first = anchors.reduce(better);
    const rest = anchors.filter((a) => a.slot !== first.slot);
    const second = rest.length > 0 ? rest.reduce(better) : null;
    const bySlot = index.get(first.slot) ?? new Map<string, IndexEntry>();
    for (const v of first.values) {
      const entry: IndexEntry = bySlot.get(v) ?? { direct: [], second: [] };
      if (second && second.values.length * first.values.length <= 256) {
        let level = entry.second.find((x) => x.slot === second.slot);
        if (!level) {
          level = { slot: second.slot, byValue: new Map<string, number[]>() };
          entry.second.push(level);
        }
        for (const v2 of second.values) level.byValue.set(v2, [...(level.byValue.get(v2) ?? []), ci]);
      } else entry.direct.push(ci);
      bySlot.set(v, entry);
    }
    index.set(first.slot, bySlot);
  });
  return { index, unanchored };
}
