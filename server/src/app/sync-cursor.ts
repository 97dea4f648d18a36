import type { CursorKey, ObjectCursor } from '../store';

/**
 * The cursor rules of the sync, as pure functions (no I/O, times passed in):
 * - a read continues an unfinished one from its last checkpointed key, in the same window;
 * - otherwise it starts at the bookmark minus the lookback (late commits), or from nothing;
 * - each stored page moves the checkpoint to its last key, in the same transaction;
 * - a completed read sets the bookmark to the org's time when the (first part of the) read
 *   started, never later, so nothing committed after that moment can be stepped over.
 */
export interface ReadPlan {
  from: number | null;
  after: CursorKey | null;
  resuming: boolean;
}

export function planRead(cursor: ObjectCursor | null, lookbackMs: number, full: boolean): ReadPlan {
  if (cursor?.resumeKey && (!full || cursor.resumeFrom === null)) {
    return { from: cursor.resumeFrom, after: cursor.resumeKey, resuming: true };
  }
  if (full || !cursor || cursor.bookmark === null) return { from: null, after: null, resuming: false };
  return { from: cursor.bookmark - lookbackMs, after: null, resuming: false };
}

export function checkpointPage(
  cursor: ObjectCursor,
  page: { last: CursorKey | null; orgStart: number },
  plan: ReadPlan,
  now: number,
): ObjectCursor {
  if (!page.last) return cursor;
  return {
    ...cursor,
    resumeKey: page.last,
    resumeFrom: plan.from,
    // The earliest start of this read, across resumes, is what the bookmark may become.
    resumeUpTo: Math.min(cursor.resumeUpTo ?? Infinity, page.orgStart),
    updatedAt: now,
  };
}

export function completeRead(cursor: ObjectCursor, orgStart: number, now: number): ObjectCursor {
  const startedAt =
    cursor.resumeKey && cursor.resumeUpTo !== null ? Math.min(cursor.resumeUpTo, orgStart) : orgStart;
  return {
    ...cursor,
    bookmark: startedAt,
    resumeKey: null,
    resumeFrom: null,
    resumeUpTo: null,
    updatedAt: now,
  };
}

/**
 * Id reconciliation (hard deletes, purges, anything missed) runs on --full, and otherwise every
 * `everyHours` for objects that already had a completed read before this run (an initial load
 * has just read every id, so it counts as reconciled).
 */
export function reconcileDue(
  before: ObjectCursor | null,
  everyHours: number,
  full: boolean,
  now: number,
): boolean {
  if (full) return true;
  if (everyHours <= 0 || !before || before.bookmark === null) return false;
  return before.lastReconciledAt === null || now - before.lastReconciledAt >= everyHours * 3_600_000;
}
