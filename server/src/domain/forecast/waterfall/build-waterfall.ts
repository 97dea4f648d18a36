import type { ForecastCategory } from '../config';

/** One deal as a weekly snapshot saw it. */
export interface DealPoint {
  opportunityId: string;
  ownerId: string;
  closeDate: string;
  category: ForecastCategory;
  outcome: 'open' | 'won' | 'lost';
  /** Corporate minor units. */
  value: number;
}

/** Ranked: a deal is explained by the first reason that applies to it (Gong-style attribution). */
export const CHANGE_REASONS = [
  'new',
  'removed',
  'ownershipAdded',
  'ownershipRemoved',
  'won',
  'lost',
  'reopened',
  'pushedOut',
  'pulledOut',
  'pulledIn',
  'categoryMove',
  'amountUp',
  'amountDown',
] as const;
export type ChangeReason = (typeof CHANGE_REASONS)[number];

export interface WaterfallStep {
  reason: ChangeReason;
  delta: number;
  opportunities: { id: string; delta: number }[];
}

export interface WaterfallCore {
  startValue: number;
  endValue: number;
  steps: WaterfallStep[];
}

export interface WaterfallScope {
  periodStart: string;
  periodEnd: string;
  categories: ReadonlySet<ForecastCategory>;
  /** null: the whole org; else only deals owned by this user count. */
  ownerId: string | null;
}

function valueIn(p: DealPoint | undefined, s: WaterfallScope): number {
  if (!p || !s.categories.has(p.category)) return 0;
  if (p.closeDate < s.periodStart || p.closeDate > s.periodEnd) return 0;
  if (s.ownerId !== null && p.ownerId !== s.ownerId) return 0;
  return p.value;
}

export function classify(
  before: DealPoint | undefined,
  after: DealPoint | undefined,
  s: WaterfallScope,
): ChangeReason | null {
  if (!after) return null;
  if (!before) return 'new';
  if (s.ownerId !== null && before.ownerId !== after.ownerId) {
    if (after.ownerId === s.ownerId) return 'ownershipAdded';
    if (before.ownerId === s.ownerId) return 'ownershipRemoved';
  }
  if (before.outcome !== 'won' && after.outcome === 'won') return 'won';
  if (before.outcome !== 'lost' && after.outcome === 'lost') return 'lost';
  if (before.outcome !== 'open' && after.outcome === 'open') return 'reopened';
  const wasIn = before.closeDate >= s.periodStart && before.closeDate <= s.periodEnd;
  const isIn = after.closeDate >= s.periodStart && after.closeDate <= s.periodEnd;
  if (wasIn && after.closeDate > s.periodEnd) return 'pushedOut';
  if (wasIn && after.closeDate < s.periodStart) return 'pulledOut';
  if (!wasIn && isIn) return 'pulledIn';
  if (before.category !== after.category) return 'categoryMove';
  if (after.value > before.value) return 'amountUp';
  if (after.value < before.value) return 'amountDown';
  return null;
}

/**
 * What changed between two snapshots of one period's forecast. Each deal's whole change
 * (value after − value before) goes to its single highest-ranked reason, so the steps add up to
 * exactly end − start. Deals that moved with no effect on the value (e.g. Commit won inside a
 * Best Case forecast) are listed with a zero delta when either side counted.
 */
export function buildWaterfall(
  before: ReadonlyMap<string, DealPoint>,
  after: ReadonlyMap<string, DealPoint>,
  scope: WaterfallScope,
): WaterfallCore {
  let startValue = 0;
  let endValue = 0;
  const steps = new Map<ChangeReason, WaterfallStep>();
  const visit = (id: string, b: DealPoint | undefined, a: DealPoint | undefined): void => {
    const vb = valueIn(b, scope);
    const va = valueIn(a, scope);
    startValue += vb;
    endValue += va;
    if (vb === 0 && va === 0) return;
    // A deal gone from the later snapshot (deleted, or no longer exported) is a removal.
    const reason = a === undefined ? 'removed' : classify(b, a, scope);
    if (reason === null) return;
    const step = steps.get(reason) ?? { reason, delta: 0, opportunities: [] };
    step.delta += va - vb;
    step.opportunities.push({ id, delta: va - vb });
    steps.set(reason, step);
  };
  for (const [id, a] of after) visit(id, before.get(id), a);
  for (const [id, b] of before) if (!after.has(id)) visit(id, b, undefined);
  return {
    startValue,
    endValue,
    steps: CHANGE_REASONS.filter((r) => steps.has(r)).map((r) => {
      const step = steps.get(r)!;
      step.opportunities.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      return step;
    }),
  };
}
