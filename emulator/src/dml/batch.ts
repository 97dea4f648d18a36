import { SfError } from '../errors';
import type { Org } from '../org';
import { changeMark, discardChangesSince } from '../streaming/change-feed';
import { rolledBack } from './row-errors';
import { inSavepoint } from './sql';
import { discardHeldSequences, flushHeldSequences } from './system-fields';
import type { DmlContext, SaveResult } from './types';

/** One row of a DML call. `run` writes it or throws SfError; the rest describes it when it fails. */
export interface RowTask {
  run(locked: boolean): SaveResult;
  /** The id a failed or rolled-back row reports (updates and deletes name their record; inserts none). */
  failureId(): string | null;
  /** Upserts: whether the row was (or would have been) created; undefined for other operations. */
  created(): boolean | undefined;
  /**
   * True when `run(locked)` throws SfError only before its first write: a failing row then leaves
   * nothing to undo, and the row needs no savepoint of its own (writing every page it touches to
   * the savepoint's journal first was a large part of a Bulk row's cost).
   */
  writesLast?(locked: boolean): boolean;
}

class RollBack extends Error {}

/**
 * Runs the rows of one call in one SQLite transaction so that a failing row leaves no trace: each
 * row in its own savepoint, unless it fails only before its first write (`writesLast`). Ids and
 * auto-numbers such rows draw from memory are stored before the call commits. With allOrNone a single failure rolls back the whole call and every row
 * that had succeeded reports ALL_OR_NONE_OPERATION_ROLLED_BACK. Called inside an open transaction
 * (a collection of several object types) the call becomes a savepoint of that transaction.
 */
export function runRows(org: Org, ctx: DmlContext, tasks: RowTask[]): SaveResult[] {
  const results: SaveResult[] = new Array(tasks.length);
  let failures = 0;
  const all = org.db.transaction(() => {
    tasks.forEach((task, i) => {
      const locked = ctx.faults?.lockRow() ?? false;
      try {
        if (task.writesLast?.(locked)) results[i] = task.run(locked);
        else {
          // Numbers held in memory are stored first: the savepoint may roll back what it writes.
          flushHeldSequences(org);
          results[i] = inSavepoint(org, () => task.run(locked));
        }
      } catch (err) {
        if (!(err instanceof SfError)) throw err;
        failures++;
        results[i] = failed(task, err);
      }
    });
    flushHeldSequences(org);
    if (ctx.allOrNone && failures > 0) throw new RollBack();
  });
  const mark = changeMark(org);
  try {
    all();
  } catch (err) {
    discardHeldSequences(org);
    // The Streaming API announces committed rows only.
    discardChangesSince(org, mark);
    if (!(err instanceof RollBack)) throw err;
    return results.map((r, i) => (r.success ? failed(tasks[i], rolledBack()) : r));
  }
  return results;
}

function failed(task: RowTask, err: SfError): SaveResult {
  const created = task.created();
  return {
    id: task.failureId(),
    success: false,
    errors: [err.toRowError()],
    ...(created === undefined ? {} : { created }),
  };
}
