/**
 * Balancing: move as few accounts as possible so every territory's load (the sum of its accounts'
 * measure) falls within its bounds, moving accounts only between territories of the same group
 * (siblings by default). Loads are integers (counts, minor units), so the result is exact and, for
 * the same input, always the same.
 *
 * Method: an exact iterative-deepening search first (any solution must touch the first territory out
 * of bounds, so branching on the moves that touch it finds a minimum); when that search exceeds its
 * node budget (large models), a deterministic greedy pass: repeatedly fix the worst territory with
 * the single move that best covers its excess or shortfall.
 */

export interface BalanceTerritory {
  key: string;
  group: string;
  min: number;
  max: number;
}

export interface BalanceAccount {
  id: string;
  territory: string;
  weight: number;
  /** Named, excluded or changed-by-request accounts stay where they are. */
  movable: boolean;
}

export interface BalanceMove {
  accountId: string;
  from: string;
  to: string;
  weight: number;
}

export interface BalanceResult {
  moves: BalanceMove[];
  method: 'none-needed' | 'exact' | 'greedy';
  /** Every territory within bounds after the moves. */
  balanced: boolean;
  loadsBefore: Record<string, number>;
  loadsAfter: Record<string, number>;
  outOfBounds: string[];
  nodesSearched: number;
}

export interface BalanceOptions {
  /** Largest number of moves the exact search tries. */
  maxExactMoves?: number;
  /** Search nodes before the exact search gives way to the greedy pass. */
  nodeBudget?: number;
  /** Models larger than this go straight to the greedy pass. */
  exactMaxTerritories?: number;
  exactMaxAccounts?: number;
}

interface State {
  keys: string[];
  min: number[];
  max: number[];
  group: number[];
  load: number[];
  /** Accounts per territory index (indexes into accounts). */
  members: number[][];
  groupMembers: number[][];
  accounts: BalanceAccount[];
  where: number[];
  moved: Uint8Array;
}

function setup(territories: readonly BalanceTerritory[], accounts: readonly BalanceAccount[]): State {
  const ordered = [...territories].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const idx = new Map(ordered.map((t, i) => [t.key, i]));
  const groups = new Map<string, number>();
  const group = ordered.map((t) => {
    if (!groups.has(t.group)) groups.set(t.group, groups.size);
    return groups.get(t.group)!;
  });
  const groupMembers: number[][] = [...groups.keys()].map(() => []);
  group.forEach((g, i) => groupMembers[g]!.push(i));
  const sortedAccounts = [...accounts]
    .filter((a) => idx.has(a.territory))
    .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = ordered.map(() => 0);
  const members: number[][] = ordered.map(() => []);
  const where = sortedAccounts.map((a, i) => {
    const t = idx.get(a.territory)!;
    load[t] += a.weight;
    members[t]!.push(i);
    return t;
  });
  return {
    keys: ordered.map((t) => t.key),
    min: ordered.map((t) => t.min),
    max: ordered.map((t) => t.max),
    group,
    load,
    members,
    groupMembers,
    accounts: sortedAccounts,
    where,
    moved: new Uint8Array(sortedAccounts.length),
  };
}

const violation = (s: State, t: number): number =>
  s.load[t]! > s.max[t]! ? s.load[t]! - s.max[t]! : s.load[t]! < s.min[t]! ? s.min[t]! - s.load[t]! : 0;

export function balanceTerritories(
  territories: readonly BalanceTerritory[],
  accounts: readonly BalanceAccount[],
  opts: BalanceOptions = {},
): BalanceResult {
  const s = setup(territories, accounts);
  const before = Object.fromEntries(s.keys.map((k, i) => [k, s.load[i]!]));
  const finish = (moves: BalanceMove[], method: BalanceResult['method'], nodes: number): BalanceResult => {
    const load = s.keys.map((k) => before[k]!);
    const index = new Map(s.keys.map((k, i) => [k, i]));
    for (const m of moves) {
      load[index.get(m.from)!] -= m.weight;
      load[index.get(m.to)!] += m.weight;
    }
    const outOfBounds = s.keys.filter((_, i) => load[i]! < s.min[i]! || load[i]! > s.max[i]!);
    return {
      moves: [...moves].sort((a, b) => (a.accountId < b.accountId ? -1 : 1)),
      method,
      balanced: outOfBounds.length === 0,
      loadsBefore: before,
      loadsAfter: Object.fromEntries(s.keys.map((k, i) => [k, load[i]!])),
      outOfBounds,
      nodesSearched: nodes,
    };
  };
  if (s.keys.every((_, i) => violation(s, i) === 0)) return finish([], 'none-needed', 0);

  // The exact search scans every territory per node: worth it on small models only.
  const small =
    s.keys.length <= (opts.exactMaxTerritories ?? 60) &&
    s.accounts.length <= (opts.exactMaxAccounts ?? 5_000);
  const exact = small
    ? exactSearch(s, opts.maxExactMoves ?? 8, opts.nodeBudget ?? 200_000)
    : { moves: null, nodes: 0 };
  if (exact.moves) return finish(exact.moves, 'exact', exact.nodes);
  return finish(greedy(setup(territories, accounts)), 'greedy', exact.nodes);
}

function exactSearch(
  s: State,
  maxMoves: number,
  budget: number,
): { moves: BalanceMove[] | null; nodes: number } {
  let nodes = 0;
  const path: BalanceMove[] = [];
  const move = (a: number, to: number): void => {
    const from = s.where[a]!;
    const w = s.accounts[a]!.weight;
    s.load[from] -= w;
    s.load[to] += w;
    s.where[a] = to;
    s.moved[a] = 1;
    path.push({ accountId: s.accounts[a]!.id, from: s.keys[from]!, to: s.keys[to]!, weight: w });
  };
  const undo = (a: number, from: number): void => {
    const to = s.where[a]!;
    const w = s.accounts[a]!.weight;
    s.load[to] -= w;
    s.load[from] += w;
    s.where[a] = from;
    s.moved[a] = 0;
    path.pop();
  };
  const outOfBudget = (): boolean => nodes > budget;
  // A cheap bound: each move fixes at most the violations of two territories.
  const lowerBound = (): number => {
    let n = 0;
    for (let t = 0; t < s.keys.length; t++) if (violation(s, t) > 0) n++;
    return Math.ceil(n / 2);
  };

  const dfs = (depth: number): boolean => {
    nodes++;
    if (outOfBudget()) return false;
    let t = -1;
    for (let i = 0; i < s.keys.length; i++)
      if (violation(s, i) > 0) {
        t = i;
        break;
      }
    if (t < 0) return true;
    if (depth === 0 || lowerBound() > depth) return false;
    const peers = s.groupMembers[s.group[t]!]!;
    const over = s.load[t]! > s.max[t]!;
    const sources = over ? [t] : peers.filter((p) => p !== t);
    for (const src of sources) {
      const tried = new Set<number>();
      for (const a of s.members[src]!) {
        if (s.where[a] !== src || s.moved[a] || !s.accounts[a]!.movable) continue;
        const w = s.accounts[a]!.weight;
        // Accounts of equal weight in one territory are interchangeable.
        if (tried.has(w)) continue;
        tried.add(w);
        const dests = over ? peers.filter((p) => p !== t) : [t];
        for (const d of dests) {
          move(a, d);
          const ok = dfs(depth - 1);
          if (ok) return true;
          undo(a, src);
          if (outOfBudget()) return false;
        }
      }
    }
    return false;
  };
  for (let k = 1; k <= maxMoves; k++) {
    if (dfs(k)) return { moves: [...path], nodes };
    if (outOfBudget()) break;
  }
  return { moves: null, nodes };
}

function greedy(s: State): BalanceMove[] {
  const moves: BalanceMove[] = [];
  const stuck = new Set<number>();
  const n = s.keys.length;
  for (let guard = 0; guard < s.accounts.length + n; guard++) {
    let t = -1;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      if (stuck.has(i)) continue;
      const v = violation(s, i);
      if (v > worst) {
        worst = v;
        t = i;
      }
    }
    if (t < 0) break;
    const peers = s.groupMembers[s.group[t]!]!.filter((p) => p !== t);
    const over = s.load[t]! > s.max[t]!;
    let best: { a: number; to: number; score: number } | null = null;
    const consider = (a: number, from: number, to: number, need: number): void => {
      const w = s.accounts[a]!.weight;
      if (w <= 0) return;
      // Never push the other side out of bounds, nor this one past its other bound.
      if (s.load[to]! + w > s.max[to]! || s.load[from]! - w < s.min[from]!) {
        if (!(over && from === t && s.load[from]! - w >= s.min[from]! && s.load[to]! < s.min[to]!)) return;
      }
      // One move that covers the need beats several; among those, the smallest overshoot.
      const score = w >= need ? 1e18 - (w - need) : w;
      if (!best || score > best.score) best = { a, to, score };
    };
    if (over) {
      const need = s.load[t]! - s.max[t]!;
      const dest = peers
        .filter((p) => s.load[p]! < s.max[p]!)
        .sort((x, y) => s.max[y]! - s.load[y]! - (s.max[x]! - s.load[x]!) || x - y)[0];
      if (dest !== undefined)
        for (const a of s.members[t]!)
          if (s.where[a] === t && !s.moved[a] && s.accounts[a]!.movable) consider(a, t, dest, need);
    } else {
      const need = s.min[t]! - s.load[t]!;
      const src = peers
        .filter((p) => s.load[p]! > s.min[p]!)
        .sort((x, y) => s.load[y]! - s.min[y]! - (s.load[x]! - s.min[x]!) || x - y)[0];
      if (src !== undefined)
        for (const a of s.members[src]!)
          if (s.where[a] === src && !s.moved[a] && s.accounts[a]!.movable) consider(a, src, t, need);
    }
    const chosen = best as { a: number; to: number; score: number } | null;
    if (!chosen) {
      stuck.add(t);
      continue;
    }
    const from = s.where[chosen.a]!;
    const w = s.accounts[chosen.a]!.weight;
    s.load[from] -= w;
    s.load[chosen.to] += w;
    s.where[chosen.a] = chosen.to;
    s.moved[chosen.a] = 1;
    s.members[chosen.to]!.push(chosen.a);
    moves.push({
      accountId: s.accounts[chosen.a]!.id,
      from: s.keys[from]!,
      to: s.keys[chosen.to]!,
      weight: w,
    });
  }
  return moves;
}

/** Bounds from a tolerance around each group's mean load, or absolute bounds. */
export function boundsFor(
  loads: ReadonlyMap<string, { group: string; load: number }>,
  spec: { min?: number; max?: number; tolerance?: number },
): BalanceTerritory[] {
  const totals = new Map<string, { sum: number; n: number }>();
  for (const { group, load } of loads.values()) {
    const t = totals.get(group) ?? { sum: 0, n: 0 };
    t.sum += load;
    t.n += 1;
    totals.set(group, t);
  }
  return [...loads.entries()].map(([key, { group }]) => {
    const { sum, n } = totals.get(group)!;
    const mean = sum / n;
    const tol = spec.tolerance;
    return {
      key,
      group,
      min: spec.min ?? (tol !== undefined ? Math.floor(mean * (1 - tol)) : 0),
      max: spec.max ?? (tol !== undefined ? Math.ceil(mean * (1 + tol)) : Number.MAX_SAFE_INTEGER),
    };
  });
}
