/**
 * The API budget policy, read from the org's own figures (Sforce-Limit-Info on every answer):
 * below `pauseNonCriticalAt` everything runs; between it and `stopAt` only critical objects do;
 * at `stopAt` the run stops, keeping its checkpoints, and says so.
 */
export interface BudgetPolicy {
  pauseNonCriticalAt: number;
  stopAt: number;
}

export type BudgetDecision = 'go' | 'pause' | 'stop';

export function budgetDecision(
  usage: { used: number | null; limit: number | null },
  critical: boolean,
  policy: BudgetPolicy,
): BudgetDecision {
  if (usage.used === null || !usage.limit) return 'go';
  const share = usage.used / usage.limit;
  if (share >= policy.stopAt) return 'stop';
  if (share >= policy.pauseNonCriticalAt && !critical) return 'pause';
  return 'go';
}

/** REST pages hold at most 2,000 rows. */
export const REST_PAGE = 2000;

/**
 * The fewest API calls that can read `rows` rows (the cost model of the sync reference): REST
 * costs one call per 2,000 rows (at least one), a Bulk 2.0 query job at least create + one status
 * poll + one call per result page + delete.
 */
export function minimumReadCalls(rows: number, bulkPageSize: number): number {
  const rest = Math.max(1, Math.ceil(rows / REST_PAGE));
  const bulk = 3 + Math.max(1, Math.ceil(rows / bulkPageSize));
  return Math.min(rest, bulk);
}
