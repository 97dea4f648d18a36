import { AsyncLocalStorage } from 'node:async_hooks';
import type { SyncConfig } from '../config/sync-config';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import {
  emptyCursor,
  type ObjectCursor,
  type ObjectRunStats,
  type RunStatus,
  type SyncRun,
  type SyncStore,
} from '../store';
import { budgetDecision, minimumReadCalls } from './sync-budget';
import { checkpointPage, completeRead, planRead, reconcileDue } from './sync-cursor';
import type { PreparedObject, SyncSource } from './sync-ports';

export interface SyncDeps {
  source: SyncSource;
  store: SyncStore;
  now: () => number;
  log: Logger;
  onProgress?: (p: {
    object: string;
    phase: 'read' | 'reconcile';
    done: number;
    total: number | null;
  }) => void;
}

export interface SyncInput {
  config: SyncConfig;
  /** Objects to sync (default: every object in the config that is enabled). */
  objects?: string[];
  full: boolean;
}

export interface SyncReport extends SyncRun {
  seconds: number;
  rowsRead: number;
  rowsDeleted: number;
  /** Calls of the start-of-run checks (describes); the rest of `apiCalls` went to reading. */
  describeApiCalls: number;
  /** The fewest calls that could read what was read (REST/Bulk cost model), summed over objects. */
  minimumApiCalls: number;
}

/**
 * Objects read at the same time. While the org runs one object's Bulk job, the client stores the
 * pages of another, so neither side waits for the other; more lanes add little on two cores.
 */
const READ_LANES = 2;

/** Thrown by the budget guard; never leaves this module. */
class BudgetHalt extends Error {
  constructor(
    readonly decision: 'pause' | 'stop',
    readonly share: number,
  ) {
    super(decision);
  }
}

/**
 * `salesops sync`: reads every configured object from the org into the store, incrementally.
 * Each page is stored together with its checkpoint, so a run killed at any point resumes where
 * it stopped; the budget guard runs before every API request; one object's failure is recorded
 * and the others still sync, except the daily limit, which ends the run cleanly at once.
 */
export async function runSync(deps: SyncDeps, input: SyncInput): Promise<SyncReport> {
  const { source, store, now, log } = deps;
  const started = now();
  const runId = await store.startRun({ startedAt: started, full: input.full });
  const errors: SyncRun['errors'] = [];
  const objects: Record<string, ObjectRunStats> = {};
  let status: RunStatus = 'succeeded';
  let note: string | null = null;
  // Whether the request being made is for a critical object: lanes run side by side, so it travels
  // with each object's read (the guard runs inside the request's async context) instead of
  // being one variable for the whole run. Describes at the start count as critical.
  // The object's calls are counted there too, as the run's meter counts the calls of all lanes.
  const lane = new AsyncLocalStorage<{ critical: boolean; calls: number }>();
  const policy = input.config.budget;
  source.setGuard(() => {
    const usage = source.usage();
    const current = lane.getStore();
    const decision = budgetDecision(usage, current?.critical ?? true, policy);
    if (decision !== 'go') throw new BudgetHalt(decision, (usage.used ?? 0) / (usage.limit ?? 1));
    if (current) current.calls++;
  });

  let describeApiCalls = 0;
  const finish = async (): Promise<SyncReport> => {
    const run = {
      id: runId,
      finishedAt: now(),
      status,
      full: input.full,
      apiCalls: source.usage().calls,
      objects,
      errors,
      note,
    };
    await store.finishRun(run);
    const stats = Object.values(objects);
    return {
      ...run,
      startedAt: started,
      seconds: (run.finishedAt - started) / 1000,
      rowsRead: stats.reduce((n, s) => n + s.read, 0),
      rowsDeleted: stats.reduce((n, s) => n + s.deleted + s.purged, 0),
      describeApiCalls,
      minimumApiCalls: stats.reduce((n, s) => n + s.minimumApiCalls, 0),
    };
  };

  const wanted =
    input.objects ??
    Object.entries(input.config.objects)
      .filter(([, o]) => o.enabled !== false)
      .map(([name]) => name);
  let prepared: PreparedObject[];
  try {
    prepared = await source.prepare(wanted, { forceDescribe: input.full, now: now() });
    describeApiCalls = source.usage().calls;
  } catch (err) {
    describeApiCalls = source.usage().calls;
    const halted = haltOf(err);
    status = halted ? 'paused' : 'failed';
    note = halted ?? (err as Error).message;
    errors.push(errorEntry(err));
    const report = await finish();
    if (halted) return report;
    throw err;
  }
  // Critical objects first: under budget pressure they are the ones that still get through.
  const order = [...prepared].sort((a, b) => Number(b.critical) - Number(a.critical));

  /** Reads one object; true when the run must stop (daily limit, budget stop, auth failure). */
  const syncObject = async (obj: PreparedObject, firstPage: () => void): Promise<boolean> => {
    const stats: ObjectRunStats = {
      read: 0,
      deleted: 0,
      purged: 0,
      apiCalls: 0,
      minimumApiCalls: 0,
      mode: 'none',
      seconds: 0,
    };
    objects[obj.object] = stats;
    const objectStarted = now();
    const ctx = lane.getStore()!;
    try {
      const before = await store.cursor(obj.object);
      const plan = planRead(before, input.config.lookbackSeconds * 1000, input.full);
      const outcome = await source.read(
        { object: obj.object, from: plan.from, after: plan.after },
        async (page) => {
          await store.applyPage(obj.object, page.records, (c) => checkpointPage(c, page, plan, now()));
          stats.read += page.records.length;
          stats.deleted += page.records.filter((r) => r.deleted).length;
          deps.onProgress?.({ object: obj.object, phase: 'read', done: stats.read, total: page.expected });
          firstPage();
        },
      );
      stats.mode = outcome.mode;
      const cursor = completeRead(
        (await store.cursor(obj.object)) ?? emptyCursor(obj.object),
        outcome.orgStart,
        now(),
      );
      if (!before || before.bookmark === null) cursor.lastReconciledAt = now();
      await store.saveCursor(cursor);
      stats.minimumApiCalls = minimumReadCalls(stats.read, input.config.bulkPageSize);
      if (reconcileDue(before, input.config.reconcileEveryHours, input.full, now())) {
        ctx.critical = false;
        await reconcile(deps, obj.object, stats, cursor);
      }
      return false;
    } catch (err) {
      const halted = haltOf(err);
      if (halted && err instanceof BudgetHalt && err.decision === 'pause') {
        stats.error = { code: 'BUDGET_PAUSED', message: halted };
        note = halted;
        if (status === 'succeeded') status = 'paused';
        log.warn({ object: obj.object }, halted);
        return false;
      }
      if (halted) {
        stats.error = { code: 'CRM_LIMIT_EXCEEDED', message: halted };
        // A failure seen earlier in the run still decides its status.
        if (status !== 'failed') status = 'paused';
        note = halted;
        log.warn({ object: obj.object }, halted);
        return true;
      }
      const entry = errorEntry(err, obj.object);
      stats.error = { code: entry.code, message: entry.message };
      errors.push(entry);
      status = 'failed';
      log.error({ object: obj.object, code: entry.code }, entry.message);
      return entry.code === 'CRM_AUTH_FAILED';
    } finally {
      stats.apiCalls = ctx.calls;
      stats.seconds = (now() - objectStarted) / 1000;
    }
  };

  // The next object starts once the one before it has stored its first page (or finished): by
  // then its first call has shown the org's usage and any failure that ends the run, so a run the
  // budget or the daily limit stops still stops after that one call. At most READ_LANES in flight.
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    let inFlight = 0;
    let stopped = false;
    let escaped: { err: unknown } | null = null;
    const done = (): void => (escaped ? reject(escaped.err) : resolve());
    const startNext = (): void => {
      if (stopped || inFlight >= READ_LANES || next >= order.length) {
        if (inFlight === 0) done();
        return;
      }
      const obj = order[next++];
      inFlight++;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        startNext();
      };
      void lane
        .run({ critical: obj.critical, calls: 0 }, () => syncObject(obj, release))
        .then(
          (stop) => stop,
          (err: unknown) => {
            // syncObject records failures itself; anything else ends the run as it did unlaned.
            escaped ??= { err };
            return true;
          },
        )
        .then((stop) => {
          if (stop) stopped = true;
          inFlight--;
          if (!released) release();
          else startNext();
        });
    };
    startNext();
  });
  return finish();
}

/**
 * Compares the org's ids with the store's: rows the org no longer has at all (hard deletes,
 * Recycle Bin purges) are removed, and rows the store lacks are fetched by id, so a gap from any
 * cause closes here.
 */
async function reconcile(
  deps: SyncDeps,
  object: string,
  stats: ObjectRunStats,
  cursor: ObjectCursor,
): Promise<void> {
  const { source, store, now } = deps;
  deps.onProgress?.({ object, phase: 'reconcile', done: 0, total: null });
  const orgIds = await source.readIds(object);
  const localIds = await store.ids(object);
  const local = new Set(localIds);
  const gone = localIds.filter((id) => !orgIds.has(id));
  const missing = [...orgIds].filter((id) => !local.has(id));
  if (missing.length > 0) {
    const records = await source.readByIds(object, missing);
    await store.applyPage(object, records, (c) => c);
    stats.read += records.length;
  }
  stats.purged += await store.purge(object, gone);
  await store.saveCursor({ ...((await store.cursor(object)) ?? cursor), lastReconciledAt: now() });
}

/** A reason to stop reading (budget or the org's daily limit), or null for a real failure. */
function haltOf(err: unknown): string | null {
  if (err instanceof BudgetHalt) {
    const pct = Math.round(err.share * 100);
    return err.decision === 'stop'
      ? `API budget: ${pct}% of the org's daily allocation is used; the sync stopped with its checkpoints saved and resumes next run.`
      : `API budget: ${pct}% of the daily allocation is used; non-critical objects wait for the next run.`;
  }
  if (err instanceof AppError && err.code === 'CRM_LIMIT_EXCEEDED') return err.message;
  return null;
}

function errorEntry(err: unknown, object?: string): { object?: string; code: string; message: string } {
  if (err instanceof AppError) return { object, code: err.code, message: err.message };
  const e = err as { errorCode?: string; message?: string };
  return { object, code: e.errorCode ?? 'SYNC_FAILED', message: e.message ?? String(err) };
}
