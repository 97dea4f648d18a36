/**
 * Customer segments and how deals behave in each: bigger customers buy more seats, take longer
 * to close, win less often and get deeper discounts. The numbers are typical of B2B SaaS.
 */
export const SEGMENTS = ['Enterprise', 'Mid-Market', 'SMB'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const SEGMENT_CODE: Record<Segment, string> = { Enterprise: 'ENT', 'Mid-Market': 'MM', SMB: 'SMB' };

export interface SegmentModel {
  /** Share of reps covering the segment. */
  repShare: number;
  /** Relative number of deals a rep works per quarter. */
  dealRate: number;
  /** Sales cycle from creation to the planned close, in days. */
  cycleMin: number;
  cycleMax: number;
  /** Median seats on the core product line. */
  seatsMedian: number;
  /** Base win rate of a closed deal, before rep skill. */
  winRate: number;
  maxDiscount: number;
  /** The dearest add-on line a customer of this size buys (no enterprise implementation for a small shop). */
  maxExtraUsd: number;
}

// prettier-ignore
export const SEGMENT_MODEL: Record<Segment, SegmentModel> = {
  Enterprise:   { repShare: 0.25, dealRate: 0.55, cycleMin: 75, cycleMax: 240, seatsMedian: 450, winRate: 0.22, maxDiscount: 30, maxExtraUsd: Infinity },
  'Mid-Market': { repShare: 0.35, dealRate: 1,    cycleMin: 40, cycleMax: 120, seatsMedian: 90,  winRate: 0.27, maxDiscount: 20, maxExtraUsd: 60_000 },
  SMB:          { repShare: 0.4,  dealRate: 1.5,  cycleMin: 14, cycleMax: 60,  seatsMedian: 18,  winRate: 0.32, maxDiscount: 10, maxExtraUsd: 15_000 },
};

/** A company's segment from its size, as sales ops usually cut it. */
export function segmentOf(employees: number, annualRevenue: number): Segment {
  if (employees >= 2_000 || annualRevenue >= 500_000_000) return 'Enterprise';
  if (employees >= 200 || annualRevenue >= 50_000_000) return 'Mid-Market';
  return 'SMB';
}

/** Splits `total` into integer parts proportional to `weights` (largest remainder), each at least `min`. */
export function apportion(total: number, weights: readonly number[], min = 0): number[] {
  const floors = weights.map(() => min);
  let left = total - min * weights.length;
  if (left < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} from ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (left * w) / sum);
  const parts = exact.map((x, i) => floors[i] + Math.floor(x));
  left -= exact.reduce((a, x) => a + Math.floor(x), 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < left; k++) parts[order[k % order.length].i]++;
  return parts;
}
