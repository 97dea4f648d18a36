import type { ConfigProblem, ModelInput, TerritoryConfig, TerritoryInput } from './config';
import { FilterSyntaxError } from './filter-logic';
import {
  compileRule,
  FieldSlots,
  isKnownField,
  RuleCompileError,
  type CompiledRule,
  type ItemRange,
} from './rule-compiler';

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

/** Clauses anchored on one field value; `second` narrows by a second field's value (by value id). */
export interface IndexEntry {
  direct: number[];
  second: { slot: number; byId: (number[] | undefined)[] }[];
}

/**
 * Clauses anchored on a range item of one slot. The interval bounds of all its clauses, sorted, cut
 * the line into regions: below the first point, at it, between it and the next, at the next, …,
 * above the last (2 × points + 1); each region lists the clauses whose interval covers it, so an
 * account finds its clauses with one binary search. Text ranges compare the first `width`
 * characters of the squashed value, as the rule does.
 */
export interface RangeIndex {
  slot: number;
  kind: 'num' | 'text';
  width: number;
  numPoints: number[];
  textPoints: string[];
  regions: number[][];
}

/** The clauses anchored on one slot, by the slot's value id (see FieldSlots). */
export interface SlotIndex {
  slot: number;
  byId: (IndexEntry | undefined)[];
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
  /** Per anchored slot: value id → clause indexes anchored on it. */
  index: SlotIndex[];
  /** Clauses with no equality item to anchor on but a range item: by the region the value falls in. */
  ranges: RangeIndex[];
  /** Clauses with nothing to anchor on: tested for every account. */
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
  const { index, unanchored: notEqual } = indexClauses(clauses, rules);
  const { ranges, unanchored } = indexRanges(notEqual, clauses, rules);
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
    ranges,
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
): { index: SlotIndex[]; unanchored: number[] } {
  const anchorsOf = clauses.map((c) =>
    c.rules.flatMap((ri) => {
      const r = rules[ri]!;
      return r.required
        .map((k) => r.items[k - 1]!)
        .filter((it) => it.equalityIds !== null)
        .map((it) => ({ slot: it.slot, values: it.equalityIds! }));
    }),
  );
  const distinct = new Map<number, Set<number>>();
  for (const anchors of anchorsOf)
    for (const a of anchors) {
      const set = distinct.get(a.slot) ?? new Set<number>();
      a.values.forEach((v) => set.add(v));
      distinct.set(a.slot, set);
    }
  type Anchor = { slot: number; values: number[] };
  const better = (a: Anchor, b: Anchor): Anchor => {
    const da = distinct.get(a.slot)!.size;
    const db = distinct.get(b.slot)!.size;
    if (db !== da) return db > da ? b : a;
    if (a.values.length !== b.values.length) return b.values.length < a.values.length ? b : a;
    return b.slot < a.slot ? b : a;
  };
  const index = new Map<number, SlotIndex>();
  const unanchored: number[] = [];
  anchorsOf.forEach((anchors, ci) => {
    if (anchors.length === 0) {
      unanchored.push(ci);
      return;
    }
    const first = anchors.reduce(better);
    const rest = anchors.filter((a) => a.slot !== first.slot);
    const second = rest.length > 0 ? rest.reduce(better) : null;
    let bySlot = index.get(first.slot);
    if (!bySlot) {
      bySlot = { slot: first.slot, byId: [] };
      index.set(first.slot, bySlot);
    }
    for (const v of first.values) {
      const entry: IndexEntry = bySlot.byId[v] ?? { direct: [], second: [] };
      if (second && second.values.length * first.values.length <= 256) {
        let level = entry.second.find((x) => x.slot === second.slot);
        if (!level) {
          level = { slot: second.slot, byId: [] };
          entry.second.push(level);
        }
        for (const v2 of second.values) (level.byId[v2] ??= []).push(ci);
      } else entry.direct.push(ci);
      bySlot.byId[v] = entry;
    }
  });
  // Dense arrays (no holes) keep the lookups on the fast path.
  const dense = <T>(xs: (T | undefined)[]): (T | undefined)[] => Array.from(xs, (x) => x);
  return {
    index: [...index.values()].map((s) => ({
      slot: s.slot,
      byId: dense(s.byId).map((e) =>
        e ? { direct: e.direct, second: e.second.map((l) => ({ slot: l.slot, byId: dense(l.byId) })) } : e,
      ),
    })),
    unanchored,
  };
}

/** Regions bigger than this (clause entries over all regions of one slot) stay unindexed. */
const RANGE_ENTRY_LIMIT = 200_000;

/** Anchors clauses that have no equality item on one required range item (the first one). */
function indexRanges(
  candidates: number[],
  clauses: Clause[],
  rules: CompiledRule[],
): { ranges: RangeIndex[]; unanchored: number[] } {
  const groups = new Map<
    string,
    { slot: number; range: ItemRange; members: { ci: number; range: ItemRange }[] }
  >();
  const unanchored: number[] = [];
  for (const ci of candidates) {
    let anchor: { slot: number; range: ItemRange } | null = null;
    for (const ri of clauses[ci]!.rules) {
      const r = rules[ri]!;
      for (const k of r.required) {
        const it = r.items[k - 1]!;
        if (it.range !== null) {
          anchor = { slot: it.slot, range: it.range };
          break;
        }
      }
      if (anchor) break;
    }
    if (!anchor) {
      unanchored.push(ci);
      continue;
    }
    const key = `${anchor.slot}|${anchor.range.kind}|${anchor.range.kind === 'text' ? anchor.range.width : 0}`;
    const group = groups.get(key) ?? { slot: anchor.slot, range: anchor.range, members: [] };
    group.members.push({ ci, range: anchor.range });
    groups.set(key, group);
  }
  const ranges: RangeIndex[] = [];
  for (const g of groups.values()) {
    const built = g.range.kind === 'num' ? numRegions(g.members) : textRegions(g.members);
    if (built === null) {
      for (const m of g.members) unanchored.push(m.ci);
      continue;
    }
    ranges.push({
      slot: g.slot,
      kind: g.range.kind,
      width: g.range.kind === 'text' ? g.range.width : 0,
      numPoints: g.range.kind === 'num' ? (built.points as number[]) : [],
      textPoints: g.range.kind === 'text' ? (built.points as string[]) : [],
      regions: built.regions,
    });
  }
  unanchored.sort((a, b) => a - b);
  return { ranges, unanchored };
}

type Bounded<T> = { lo: T | null; loOpen: boolean; hi: T | null; hiOpen: boolean };

/**
 * Regions of sorted points and the members covering each. Point region 2i+1 is the point itself;
 * open region 2i lies between point i-1 (or −∞) and point i (or +∞). Bounds are points, so an
 * interval covers one contiguous run of regions, from its lower bound's region to its upper one's.
 */
function regionsOf<T extends number | string>(
  members: { ci: number; range: Bounded<T> }[],
  points: T[],
): number[][] | null {
  const at = new Map<T, number>(points.map((p, i) => [p, i]));
  const regions: number[][] = Array.from({ length: points.length * 2 + 1 }, () => []);
  let entries = 0;
  for (const { ci, range } of members) {
    const { lo, loOpen, hi, hiOpen } = range;
    const first = lo === null ? 0 : 2 * at.get(lo)! + (loOpen ? 2 : 1);
    const last = hi === null ? regions.length - 1 : 2 * at.get(hi)! + (hiOpen ? 0 : 1);
    entries += Math.max(0, last - first + 1);
    if (entries > RANGE_ENTRY_LIMIT) return null;
    for (let r = first; r <= last; r++) regions[r]!.push(ci);
  }
  return regions;
}

function numRegions(
  members: { ci: number; range: ItemRange }[],
): { points: number[]; regions: number[][] } | null {
  const typed = members.map((m) => ({ ci: m.ci, range: m.range as Bounded<number> }));
  const points = [
    ...new Set(typed.flatMap((m) => [m.range.lo, m.range.hi]).filter((v): v is number => v !== null)),
  ].sort((a, b) => a - b);
  const regions = regionsOf(typed, points);
  return regions && { points, regions };
}

function textRegions(
  members: { ci: number; range: ItemRange }[],
): { points: string[]; regions: number[][] } | null {
  const typed = members.map((m) => ({ ci: m.ci, range: m.range as Bounded<string> }));
  const points = [
    ...new Set(typed.flatMap((m) => [m.range.lo, m.range.hi]).filter((v): v is string => v !== null)),
  ].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const regions = regionsOf(typed, points);
  return regions && { points, regions };
}
