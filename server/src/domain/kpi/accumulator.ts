/**
 * Additive counters for one scope and period. Every KPI is a ratio of these sums, so a manager's or a
 * territory's figures are the sums of the nodes below, computed once and never re-derived from ratios.
 * Money is in corporate minor units, durations in whole days.
 */
export interface KpiAccumulator {
  wonCount: number;
  wonAmount: number;
  lostCount: number;
  lostAmount: number;
  cycleDays: number;
  commitOpen: number;
  openPipeline: number;
  qualifiedOpen: number;
  createdCount: number;
  createdAmount: number;
  slipBase: number;
  slipped: number;
  pastDue: number;
  missingAmount: number;
  stale: number;
  stageEntered: number[];
  stageConverted: number[];
  stageStayDays: number[];
  stageStays: number[];
  ids: string[];
  idsTruncated: boolean;
}

const SCALARS = [
  'wonCount',
  'wonAmount',
  'lostCount',
  'lostAmount',
  'cycleDays',
  'commitOpen',
  'openPipeline',
  'qualifiedOpen',
  'createdCount',
  'createdAmount',
  'slipBase',
  'slipped',
  'pastDue',
  'missingAmount',
  'stale',
] as const;
const VECTORS = ['stageEntered', 'stageConverted', 'stageStayDays', 'stageStays'] as const;

export function newAccumulator(stages: number): KpiAccumulator {
  const acc = { ids: [] as string[], idsTruncated: false } as unknown as KpiAccumulator;
  for (const k of SCALARS) acc[k] = 0;
  for (const k of VECTORS) acc[k] = new Array<number>(stages).fill(0);
  return acc;
}

/** target += source (ids are not merged: a trace lists the scope's own deals). */
export function addInto(target: KpiAccumulator, source: KpiAccumulator): void {
  for (const k of SCALARS) target[k] += source[k];
  for (const k of VECTORS) {
    const t = target[k];
    const s = source[k];
    for (let i = 0; i < t.length; i += 1) t[i] += s[i]!;
  }
}

export function noteId(acc: KpiAccumulator, id: string, maxIds: number): void {
  if (acc.ids[acc.ids.length - 1] === id) return;
  if (acc.ids.length < maxIds) acc.ids.push(id);
  else acc.idsTruncated = true;
}
