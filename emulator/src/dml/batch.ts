import { SfError } from '../errors';
import type { Org } from '../org';
import { changeMark, discardChangesSince } from '../streaming/change-feed';
import { rolledBack } from './row-errors';
import type { DmlContext, SaveResult } from './types';

/** One row of a DML call. `run` writes it or throws SfError; the rest describes it when it fails. */
export interface RowTask {
  run(locked: boolean): SaveResult;
  /** The id a failed or rolled-back row reports (updates and deletes name their record; inserts none). */
  failureId(): string | null;
  /** Upserts: whether the row was (or would have been) created; undefined for other operations. */
  created(): boolean | undefined;
}

class RollBack extends Error {}

/**
 * Runs the rows of one call in one SQLite transaction, each row in its own savepoint so a failing
 * row leaves no trace. With allOrNone a single failure rolls back the whole call and every row
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
        results[i] = org.db.transaction(() => task.run(locked))();
      } catch (err) {
        if (!(err instanceof SfError)) throw err;
        failures++;
        results[i] = failed(task, err);
      }
    });
    if (ctx.allOrNone && failures > 0) throw new RollBack();
  });
  const mark = changeMark(org);
  try {
    all();
  } catch (err) {
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
