import type { ForecastNode, ForecastTree } from '../pipeline/hierarchy';

/** Sums of one node's own entries for one period and family, per channel. */
export interface Bucket {
  sums: number[];
  entryCount: number;
  ids: string[];
  idsTruncated: boolean;
  rates: Set<string>;
}

export function newBucket(channels: number): Bucket {
  return {
    sums: new Array<number>(channels).fill(0),
    entryCount: 0,
    ids: [],
    idsTruncated: false,
    rates: new Set(),
  };
}

export interface NodeResult {
  node: ForecastNode;
  /** Per rollup: deals only. */
  raw: number[];
  /** Per rollup: after owner adjustment. */
  ownerAdjusted: number[];
  /** Per rollup: after manager adjustment. */
  final: number[];
  entryCount: number;
  own: Bucket | undefined;
}

export type Adjuster = (
  node: ForecastNode,
  rollupIndex: number,
  base: number,
) => { ownerAdjusted: number; final: number };

/**
 * Rolls one period's buckets up a hierarchy, children first. A parent's unadjusted value sums the
 * children's unadjusted values; its rolled-up value sums the children's final (adjusted) values, so a
 * manager sees the team's adjusted numbers and Salesforce's "without adjustments" stays available.
 */
export function rollUp(
  tree: ForecastTree,
  own: ReadonlyMap<string, Bucket>,
  rollupChannels: readonly (readonly number[])[],
  adjust: Adjuster,
): Map<string, NodeResult> {
  const r = rollupChannels.length;
  const childRaw = new Map<string, number[]>();
  const childFinal = new Map<string, number[]>();
  const childCount = new Map<string, number>();
  const results = new Map<string, NodeResult>();
  for (const node of tree.postOrder()) {
    const bucket = own.get(node.key);
    const cRaw = childRaw.get(node.key);
    const cFinal = childFinal.get(node.key);
    const raw = new Array<number>(r);
    const ownerAdjusted = new Array<number>(r);
    const final = new Array<number>(r);
    for (let i = 0; i < r; i += 1) {
      let ownSum = 0;
      if (bucket) for (const c of rollupChannels[i]!) ownSum += bucket.sums[c]!;
      raw[i] = ownSum + (cRaw ? cRaw[i]! : 0);
      const outcome = adjust(node, i, ownSum + (cFinal ? cFinal[i]! : 0));
      ownerAdjusted[i] = outcome.ownerAdjusted;
      final[i] = outcome.final;
    }
    const entryCount = (bucket?.entryCount ?? 0) + (childCount.get(node.key) ?? 0);
    results.set(node.key, { node, raw, ownerAdjusted, final, entryCount, own: bucket });
    if (node.parentKey !== null) {
      const pRaw = childRaw.get(node.parentKey) ?? new Array<number>(r).fill(0);
      const pFinal = childFinal.get(node.parentKey) ?? new Array<number>(r).fill(0);
      for (let i = 0; i < r; i += 1) {
        pRaw[i] += raw[i]!;
        pFinal[i] += final[i]!;
      }
      childRaw.set(node.parentKey, pRaw);
      childFinal.set(node.parentKey, pFinal);
      childCount.set(node.parentKey, (childCount.get(node.parentKey) ?? 0) + entryCount);
    }
  }
  return results;
}

export function childrenOf(tree: ForecastTree): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const node of [...tree.nodes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (node.parentKey === null) continue;
    const list = children.get(node.parentKey) ?? [];
    list.push(node.key);
    children.set(node.parentKey, list);
  }
  return children;
}
