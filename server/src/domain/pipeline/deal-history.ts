import { toDayNumber } from '../calendar/dates';
import type { Opportunity, OpportunityHistory, Snapshot } from '../snapshot/types';

/** The values of a deal on a given day, reconstructed from its history rows. */
export interface DealState {
  stageName: string;
  amount: string | null;
  closeDate: string;
  ownerId: string;
  /** Day number of the change that produced this state. */
  sinceDay: number;
}

export interface HistoryEntry {
  day: number;
  row: OpportunityHistory;
}

/**
 * Indexes already built, per history array: the forecast and KPI engines run on the same snapshot in
 * one cycle, and engines treat snapshots (and this index) as read-only.
 */
const indexed = new WeakMap<
  readonly OpportunityHistory[],
  { length: number; index: Map<string, HistoryEntry[]> }
>();

/** History rows per opportunity, oldest first (stable for rows on the same day). */
export function indexHistory(snapshot: Snapshot): Map<string, HistoryEntry[]> {
  const known = indexed.get(snapshot.history);
  if (known && known.length === snapshot.history.length) return known.index;
  const index = buildHistoryIndex(snapshot);
  indexed.set(snapshot.history, { length: snapshot.history.length, index });
  return index;
}

function buildHistoryIndex(snapshot: Snapshot): Map<string, HistoryEntry[]> {
  const byOpp = new Map<string, HistoryEntry[]>();
  for (const row of snapshot.history) {
    let list = byOpp.get(row.opportunityId);
    if (!list) {
      list = [];
      byOpp.set(row.opportunityId, list);
    }
    list.push({ day: toDayNumber(row.changedAt), row });
  }
  for (const list of byOpp.values()) {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i += 1) sorted = list[i - 1]!.day <= list[i]!.day;
    // Array.prototype.sort is stable, so rows of the same day keep their export order.
    if (!sorted) list.sort((a, b) => a.day - b.day);
  }
  return byOpp;
}

/**
 * State at the end of `day`: the last history row on or before it. A deal created on or before the day
 * whose first row comes later takes its first row's values; a deal with no history keeps its current
 * values. Returns null when the deal did not exist yet.
 */
export function stateAt(
  opp: Opportunity,
  history: readonly HistoryEntry[] | undefined,
  day: number,
): DealState | null {
  const created = toDayNumber(opp.createdDate);
  if (created > day) return null;
  if (!history || history.length === 0) {
    return {
      stageName: opp.stageName,
      amount: opp.amount,
      closeDate: opp.closeDate,
      ownerId: opp.ownerId,
      sinceDay: created,
    };
  }
  let index = -1;
  for (let i = 0; i < history.length && history[i]!.day <= day; i += 1) index = i;
  const entry = history[Math.max(index, 0)]!;
  // Owner history is optional: carry the last known owner, else the current one.
  let ownerId = opp.ownerId;
  for (let i = index; i >= 0; i -= 1) {
    const owner = history[i]!.row.ownerId;
    if (owner !== null) {
      ownerId = owner;
      break;
    }
  }
  if (index < 0 && history[0]!.row.ownerId !== null) ownerId = history[0]!.row.ownerId;
  return {
    stageName: entry.row.stageName,
    amount: entry.row.amount,
    closeDate: entry.row.closeDate,
    ownerId,
    sinceDay: index < 0 ? created : entry.day,
  };
}

/** Day the deal entered the stage it holds on `day` (start of the unbroken run of that stage). */
export function stageEnteredDay(
  opp: Opportunity,
  history: readonly HistoryEntry[] | undefined,
  day: number,
): number {
  const created = toDayNumber(opp.createdDate);
  if (!history || history.length === 0) return created;
  let index = -1;
  for (let i = 0; i < history.length && history[i]!.day <= day; i += 1) index = i;
  if (index < 0) return created;
  const stage = history[index]!.row.stageName;
  let start = index;
  while (start > 0 && history[start - 1]!.row.stageName === stage) start -= 1;
  return start === 0 ? Math.min(created, history[0]!.day) : history[start]!.day;
}

/** Number of times the close date moved later, up to and including `day`. */
export function pushesUntil(history: readonly HistoryEntry[] | undefined, day: number): number {
  if (!history) return 0;
  let pushes = 0;
  for (let i = 1; i < history.length && history[i]!.day <= day; i += 1) {
    if (history[i]!.row.closeDate > history[i - 1]!.row.closeDate) pushes += 1;
  }
  return pushes;
}

/** What the statistical model reads of a deal on one day: its state, when it entered that stage, its pushes. */
export interface DealReplay {
  state: DealState;
  stageEnteredDay: number;
  pushes: number;
}

/**
 * `stateAt`, `stageEnteredDay` and `pushesUntil` in one pass over the rows up to `day` (hot loops
 * replay every deal at dozens of past days). `createdDay` is `toDayNumber(opp.createdDate)`, passed in
 * so callers convert it once per deal. Same results as the three functions, which stay the reference.
 */
export function replayAt(
  opp: Opportunity,
  createdDay: number,
  history: readonly HistoryEntry[] | undefined,
  day: number,
): DealReplay | null {
  if (createdDay > day) return null;
  if (!history || history.length === 0) {
    return {
      state: {
        stageName: opp.stageName,
        amount: opp.amount,
        closeDate: opp.closeDate,
        ownerId: opp.ownerId,
        sinceDay: createdDay,
      },
      stageEnteredDay: createdDay,
      pushes: 0,
    };
  }
  let index = -1;
  let pushes = 0;
  let runStart = 0;
  let owner: string | null = null;
  for (let i = 0; i < history.length; i += 1) {
    const row = history[i]!;
    if (row.day > day) break;
    index = i;
    if (row.row.ownerId !== null) owner = row.row.ownerId;
    if (i > 0) {
      const prev = history[i - 1]!.row;
      if (row.row.closeDate > prev.closeDate) pushes += 1;
      if (row.row.stageName !== prev.stageName) runStart = i;
    }
  }
  const first = history[0]!;
  if (index < 0) {
    return {
      state: {
        stageName: first.row.stageName,
        amount: first.row.amount,
        closeDate: first.row.closeDate,
        ownerId: first.row.ownerId ?? opp.ownerId,
        sinceDay: createdDay,
      },
      stageEnteredDay: createdDay,
      pushes: 0,
    };
  }
  const entry = history[index]!;
  return {
    state: {
      stageName: entry.row.stageName,
      amount: entry.row.amount,
      closeDate: entry.row.closeDate,
      ownerId: owner ?? opp.ownerId,
      sinceDay: entry.day,
    },
    stageEnteredDay: runStart === 0 ? Math.min(createdDay, first.day) : history[runStart]!.day,
    pushes,
  };
}
