import { setTimeout as delay } from 'node:timers/promises';
import type { WritebackConfig } from '../config/writeback-config';
import {
  orderObjects,
  planWriteback,
  writeAfter,
  type ObjectPlan,
  type PlannedWrite,
} from '../crm/writeback/plan';
import type { ResultSet } from '../crm/writeback/result-set';
import { backoffDelay, classifyFailure, withRetry } from '../crm/retry';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { DeadLetter, WritebackStore } from '../store';
import type { BulkOutcome, ResultWriterPort, RowResult } from './writeback-ports';

export interface WritebackDeps {
  writer: ResultWriterPort;
  store: WritebackStore;
  config: WritebackConfig;
  now: () => number;
  log: Logger;
  /** Waits between retry rounds (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (p: { object: string; done: number; total: number }) => void;
}

export interface WritebackInput {
  runId: string;
  sets: ResultSet[];
  dryRun: boolean;
  /** Send rows again even when the same payload failed permanently before. */
  retryDeadLetters?: boolean;
}

export interface ObjectWriteStats {
  /** Rows the engines produced. */
  total: number;
  /** Rows whose content differs from the last confirmed write. */
  changed: number;
  unchanged: number;
  written: number;
  failed: number;
  skippedDeadLetters: number;
  retracted: number;
  retractFailed: number;
  mode: 'collections' | 'bulk' | 'bulk+collections' | 'none';
  apiCalls: number;
  minimumApiCalls: number;
  seconds: number;
  error?: { code: string; message: string };
}

export type WritebackStatus = 'succeeded' | 'partial' | 'failed' | 'paused';

export interface WritebackReport {
  runId: string;
  status: WritebackStatus;
  dryRun: boolean;
  objects: Record<string, ObjectWriteStats>;
  rowsChanged: number;
  rowsWritten: number;
  rowsFailed: number;
  rowsRetracted: number;
  apiCalls: number;
  minimumApiCalls: number;
  /** Dead letters of this run by error code. */
  deadLetters: Record<string, number>;
  note: string | null;
  seconds: number;
  /**
   * Seconds spent deciding what to send: reading the confirmed hashes and dead letters, hashing
   * every result row and comparing (on the main thread, inside the compute phase).
   */
  planSeconds: number;
}

const DELETE_CHUNK = 200;
const GROW_AFTER_CLEAN_CHUNKS = 5;
/** A Bulk job's fewest calls: create, upload, close, one poll. */
const BULK_MIN_CALLS = 4;

/**
 * The fewest API calls that could upsert n rows: collections of 200, or Bulk jobs of 4 calls each
 * (one job, unless the rows are more than one upload may hold: then as many as they need).
 */
export function minimumWriteCalls(rows: number, chunkSize = 200, bulkJobs = 1): number {
  return rows === 0 ? 0 : Math.min(Math.ceil(rows / chunkSize), BULK_MIN_CALLS * Math.max(1, bulkJobs));
}

/** Stops the whole write-back: the org's daily allocation or a dead session. */
class Halt extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `salesops writeback`: sends the rows whose content hash changed since the org last confirmed
 * them, parents before children, and retracts (deletes) confirmed rows the engines no longer
 * produce. Each chunk's per-row successes are checkpointed in the store as soon as the org answers;
 * a process killed before that resends those rows next run, and because every write is an upsert by
 * external key, the resend updates the same records instead of creating duplicates.
 */
export async function runWriteback(deps: WritebackDeps, input: WritebackInput): Promise<WritebackReport> {
  const session = startWriteback(deps, input);
  await session.add(input.sets);
  return session.finish();
}

/**
 * A write-back fed while the engines still run (`salesops run`): each engine's record sets are
 * planned and their writes started as soon as the engine is done, so the org ingests one engine's
 * results while this process computes the next.
 */
export interface WritebackSession {
  /**
   * Plans these sets and starts writing their objects. Resolves once nothing is left for this
   * process to do until the org answers (every object in flight waits on a queued Bulk job, or is
   * done), so the caller can compute meanwhile. An object must come in one call, after the
   * objects it depends on (plan.ts `WRITE_AFTER`).
   */
  add(sets: ResultSet[]): Promise<void>;
  /** No more sets: writes the rest, retracts what disappeared, and reports. */
  finish(): Promise<WritebackReport>;
  /**
   * The engines failed: starts nothing more and retracts nothing, lets the objects in flight end
   * (their rows are checkpointed as they are confirmed), and reports what was written.
   */
  abort(reason: string): Promise<WritebackReport>;
}

export function startWriteback(deps: WritebackDeps, input: Omit<WritebackInput, 'sets'>): WritebackSession {
  const { store, now } = deps;
  const started = now();
  const report: WritebackReport = {
    runId: input.runId,
    status: 'succeeded',
    dryRun: input.dryRun,
    objects: {},
    rowsChanged: 0,
    rowsWritten: 0,
    rowsFailed: 0,
    rowsRetracted: 0,
    apiCalls: 0,
    minimumApiCalls: 0,
    deadLetters: {},
    note: null,
    seconds: 0,
    planSeconds: 0,
  };
  const callsAtStart = deps.writer.usage().calls;
  const queue = new WriteQueue(
    (onWaiting) => new ObjectWriter(deps, input.runId, report, onWaiting),
    deps.config.maxConcurrentObjects,
  );
  /** Every plan, in the order it came: retractions run over them in reverse. */
  const plans: ObjectPlan[] = [];
  /** Objects this module does not order: written last, after everything else (planWriteback's rule). */
  const unordered: ObjectPlan[] = [];
  let finished = false;

  const plan = async (sets: ResultSet[]): Promise<ObjectPlan[]> => {
    const t = now();
    const objects = [...new Set(sets.map((s) => s.sobject))];
    const confirmed = new Map(
      await Promise.all(objects.map(async (o) => [o, await store.confirmed(o)] as const)),
    );
    const deadLetters = input.retryDeadLetters
      ? new Map<string, Map<string, string>>()
      : new Map(await Promise.all(objects.map(async (o) => [o, await store.openDeadLetters(o)] as const)));
    const planned = planWriteback({ sets, confirmed, deadLetters });
    for (const p of planned) {
      report.objects[p.sobject] = {
        total: p.total,
        changed: p.levels.reduce((n, l) => n + l.length, 0),
        unchanged: p.unchanged,
        written: 0,
        failed: 0,
        skippedDeadLetters: p.skippedDeadLetters,
        retracted: 0,
        retractFailed: 0,
        mode: 'none',
        apiCalls: 0,
        // Levels of a self-referencing object (a territory tree) cannot share a request.
        minimumApiCalls:
          p.levels.reduce((n, l) => n + minimumWriteCalls(l.length), 0) +
          Math.ceil(p.retract.length / DELETE_CHUNK) +
          lookupCalls(p),
        seconds: 0,
      };
    }
    // A plan that throws ends the run: only completed plans are timed.
    report.planSeconds += (now() - t) / 1000;
    return planned;
  };

  return {
    async add(sets) {
      if (finished) throw new AppError('INTERNAL', 'write-back: sets added after finish()');
      const fresh = sets.filter((s) => s.sobject in report.objects);
      if (fresh.length > 0)
        throw new AppError(
          'INTERNAL',
          `write-back: ${fresh[0]!.sobject} came in two parts; an object's sets must come together`,
        );
      const present = new Set([...plans.map((p) => p.sobject), ...sets.map((s) => s.sobject)]);
      for (const p of plans) {
        const late = writeAfter(p.sobject, (o) => sets.some((s) => s.sobject === o)) ?? [];
        if (late.length > 0)
          throw new AppError(
            'INTERNAL',
            `write-back: ${late[0]} came after ${p.sobject}, which depends on it`,
          );
      }
      const planned = await plan(sets);
      const ordered: ObjectPlan[] = [];
      for (const p of planned) {
        const after = writeAfter(p.sobject, (o) => present.has(o) && o !== p.sobject);
        if (after === null) unordered.push(p);
        else ordered.push({ ...p, after });
      }
      plans.push(...ordered);
      if (input.dryRun) return;
      queue.add(ordered);
      await queue.quiet();
    },

    async finish() {
      finished = true;
      if (!input.dryRun) {
        const writer = new ObjectWriter(deps, input.runId, report, () => undefined);
        try {
          if (unordered.length > 0) {
            // Everything known first; the unknown objects in planWriteback's order, one after another.
            const known = plans.map((p) => p.sobject);
            queue.add(
              unordered.map((p, i) => ({
                ...p,
                after: [...known, ...unordered.slice(0, i).map((u) => u.sobject)],
              })),
            );
          }
          await queue.done();
          // Children's retractions first, so nothing is deleted while a remaining child points at it.
          const all = orderForRetraction([...plans, ...unordered]);
          for (const p of all) await writer.retract(p);
        } catch (err) {
          if (!(err instanceof Halt)) throw err;
          report.status = err.code === 'CRM_LIMIT_EXCEEDED' ? 'paused' : 'failed';
          report.note = err.message;
          deps.log.warn({ runId: input.runId, code: err.code }, err.message);
        }
      }
      return summarize();
    },

    async abort(reason) {
      finished = true;
      await queue.drain();
      report.status = 'failed';
      report.note = reason;
      return summarize();
    },
  };

  function summarize(): WritebackReport {
    const stats = Object.values(report.objects);
    report.rowsChanged = stats.reduce((n, s) => n + s.changed, 0);
    report.rowsWritten = stats.reduce((n, s) => n + s.written, 0);
    report.rowsFailed = stats.reduce((n, s) => n + s.failed + s.retractFailed, 0);
    report.rowsRetracted = stats.reduce((n, s) => n + s.retracted, 0);
    report.minimumApiCalls = stats.reduce((n, s) => n + s.minimumApiCalls, 0);
    report.apiCalls = deps.writer.usage().calls - callsAtStart;
    if (report.status === 'succeeded' && report.rowsFailed > 0) report.status = 'partial';
    report.seconds = (now() - started) / 1000;
    return report;
  }
}

/** Write order reversed: children's retractions before their parents'. */
function orderForRetraction(plans: ObjectPlan[]): ObjectPlan[] {
  const order = orderObjects(plans.map((p) => p.sobject));
  return [...plans].sort((a, b) => order.indexOf(b.sobject) - order.indexOf(a.sobject));
}

/**
 * Writes the objects' plans, several at a time (up to `max`) so the org ingests one object while
 * this process builds and uploads the next and checkpoints the last: an object starts once every
 * object it depends on (`after`: its parents, confirmed in full) is done and no object that locks
 * the same CRM records is being written. A halt stops new objects from starting and, at their next
 * request, the ones in flight.
 */
export async function writeObjects(
  plans: ObjectPlan[],
  writer: Pick<ObjectWriter, 'write' | 'stop'>,
  max: number,
): Promise<void> {
  const queue = new WriteQueue(() => writer, max);
  queue.add(plans);
  await queue.done();
}

type ObjectWriterLike = Pick<ObjectWriter, 'write' | 'stop'>;

/** writeObjects' scheduler, fed plans over time (startWriteback). */
class WriteQueue {
  private readonly waiting: ObjectPlan[] = [];
  private readonly running = new Map<
    string,
    { plan: ObjectPlan; writer: ObjectWriterLike; task: Promise<void> }
  >();
  private readonly finished = new Set<string>();
  /** Objects in flight that wait on the org (a queued Bulk job), not on this process. */
  private readonly onOrg = new Set<string>();
  private failure: { err: unknown } | null = null;
  /** Set by drain(): nothing more starts. */
  private closed = false;
  /** Conditions someone awaits: each returns true (and is dropped) once it held. */
  private listeners: Array<() => boolean> = [];

  constructor(
    private readonly writerFor: (onWaiting: (sobject: string, waiting: boolean) => void) => ObjectWriterLike,
    private readonly max: number,
  ) {}

  add(plans: ObjectPlan[]): void {
    this.waiting.push(...plans);
    this.pump();
  }

  /** Resolves when nothing can start and everything in flight waits on the org (or has failed). */
  quiet(): Promise<void> {
    return this.until(
      () =>
        this.failure !== null ||
        (this.startable() === -1 && [...this.running.keys()].every((o) => this.onOrg.has(o))),
    );
  }

  /** Resolves when every plan is written; throws the first failure. */
  async done(): Promise<void> {
    await this.until(() => this.running.size === 0);
    if (this.failure !== null) throw this.failure.err;
    if (this.waiting.length > 0)
      throw new Error(`write-back could not order ${this.waiting.map((p) => p.sobject).join(', ')}`);
  }

  private until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      this.listeners.push(() => {
        if (!ready()) return false;
        resolve();
        return true;
      });
    });
  }

  private changed(): void {
    this.listeners = this.listeners.filter((check) => !check());
  }

  /** Starts nothing more and resolves when nothing is in flight (failures included). */
  async drain(): Promise<void> {
    this.closed = true;
    await this.until(() => this.running.size === 0);
  }

  private startable(): number {
    if (this.closed || this.failure !== null || this.running.size >= Math.max(1, this.max)) return -1;
    return this.waiting.findIndex(
      (plan) =>
        plan.after.every((o) => this.finished.has(o)) &&
        ![...this.running.values()].some((r) => sharesLock(r.plan, plan)),
    );
  }

  private pump(): void {
    for (let i = this.startable(); i !== -1; i = this.startable()) {
      const plan = this.waiting.splice(i, 1)[0]!;
      const writer = this.writerFor((sobject, waiting) => {
        if (waiting) this.onOrg.add(sobject);
        else this.onOrg.delete(sobject);
        this.changed();
      });
      const task = writer.write(plan).then(
        () => {
          this.running.delete(plan.sobject);
          this.onOrg.delete(plan.sobject);
          this.finished.add(plan.sobject);
          this.pump();
          this.changed();
        },
        (err: unknown) => {
          this.running.delete(plan.sobject);
          this.onOrg.delete(plan.sobject);
          this.failure ??= { err };
          for (const r of this.running.values()) r.writer.stop(err);
          this.changed();
        },
      );
      this.running.set(plan.sobject, { plan, writer, task });
    }
    this.changed();
  }
}

function sharesLock(a: ObjectPlan, b: ObjectPlan): boolean {
  if (a.locks.includes('*') || b.locks.includes('*')) return true;
  return a.locks.some((l) => b.locks.includes(l));
}

/** Ids to look up before deleting: retracted rows whose Id the store does not know (Bulk writes). */
function lookupCalls(plan: ObjectPlan): number {
  return Math.ceil(plan.retract.filter((r) => r.orgId === null).length / 100);
}

export class ObjectWriter {
  private readonly sleep: (ms: number) => Promise<void>;
  /** Set when another object's write halted the run: this one stops at its next request. */
  private stopped: Halt | null = null;

  constructor(
    private readonly deps: WritebackDeps,
    private readonly runId: string,
    private readonly report: WritebackReport,
    /** Told when an object starts and stops waiting on the org alone (a queued Bulk job). */
    private readonly onWaiting: (sobject: string, waiting: boolean) => void = () => undefined,
  ) {
    this.sleep = deps.sleep ?? ((ms) => delay(ms));
  }

  /** Another object's write ended the run (a halt): stop at the next request. */
  stop(err: unknown): void {
    if (err instanceof Halt) this.stopped ??= err;
  }

  private checkStopped(): void {
    if (this.stopped) throw this.stopped;
  }

  async write(plan: ObjectPlan): Promise<void> {
    const stats = this.report.objects[plan.sobject]!;
    // Other objects may be written meanwhile: count this object's own calls.
    const calls = this.deps.writer.usage(plan.sobject).calls;
    const t0 = this.deps.now();
    try {
      for (const level of plan.levels) {
        let rest = level;
        this.checkStopped();
        if (level.length >= this.deps.config.bulkThreshold)
          rest = await this.bulk(plan.sobject, plan.mode, level);
        if (rest.length > 0) {
          stats.mode =
            stats.mode === 'bulk' || stats.mode === 'bulk+collections' ? 'bulk+collections' : 'collections';
          await this.collections(plan.sobject, plan.mode, rest);
        }
      }
    } finally {
      stats.apiCalls += this.deps.writer.usage(plan.sobject).calls - calls;
      stats.seconds += (this.deps.now() - t0) / 1000;
      // The rows are confirmed or dead-lettered: their planned copies need not live on.
      plan.levels = [];
    }
  }

  /** One Bulk job; returns the rows still to send by collections (retryable ones, or all on a failed job). */
  private async bulk(
    sobject: string,
    mode: 'upsert' | 'update',
    rows: PlannedWrite[],
  ): Promise<PlannedWrite[]> {
    const stats = this.report.objects[sobject]!;
    stats.mode = 'bulk';
    let results: RowResult[];
    try {
      let outcome: BulkOutcome;
      try {
        outcome = await this.deps.writer.bulkWrite(sobject, mode, rows, {
          onQueued: () => this.onWaiting(sobject, true),
        });
      } finally {
        this.onWaiting(sobject, false);
      }
      results = outcome.results;
      // Rows beyond one upload's limit cannot go in one job: the minimum counts the jobs they need.
      if (outcome.jobs > 1)
        stats.minimumApiCalls +=
          minimumWriteCalls(rows.length, 200, outcome.jobs) - minimumWriteCalls(rows.length);
    } catch (err) {
      this.haltOn(err);
      this.deps.log.warn(
        { object: sobject, err: (err as Error).message },
        'Bulk ingest failed; sending the rows by sObject Collections instead',
      );
      return rows;
    }
    const byKey = new Map(rows.map((r) => [r.key, r]));
    await this.settle(sobject, mode, results, byKey);
    const again = new Set(results.filter((r) => !r.ok && r.failure?.kind !== 'permanent').map((r) => r.key));
    return rows.filter((r) => again.has(r.key));
  }

  private async collections(sobject: string, mode: 'upsert' | 'update', rows: PlannedWrite[]): Promise<void> {
    const { config } = this.deps;
    const stats = this.report.objects[sobject]!;
    const attempts = new Map<string, number>();
    let size = config.chunkSize;
    // Clean chunks since the size last changed: it grows back only after a run of them, so a limit
    // that bites at some size is not hit again on every other chunk.
    let clean = 0;
    let queue = rows;
    for (let round = 0; queue.length > 0; round++) {
      if (round > 0) await this.sleep(backoffDelay(round - 1, config.retry));
      const again: PlannedWrite[] = [];
      let i = 0;
      while (i < queue.length) {
        this.checkStopped();
        const chunk = queue.slice(i, i + size);
        let results: RowResult[];
        try {
          results = await withRetry(`write-back of ${sobject}`, config.retry, () =>
            this.deps.writer.writeChunk(sobject, mode, chunk),
          );
        } catch (err) {
          this.haltOn(err);
          // The request itself kept failing: these rows are recorded but not marked as a bad payload,
          // so the next run sends them again.
          await this.fail(sobject, mode, chunk, errorCode(err), (err as Error).message, false);
          i += chunk.length;
          continue;
        }
        i += chunk.length;
        const byKey = new Map(chunk.map((r) => [r.key, r]));
        const governor = results.filter((r) => r.failure?.kind === 'governor');
        const retryable = results.filter((r) => r.failure?.kind === 'retryable');
        await this.settle(sobject, mode, results, byKey);
        if (governor.length > 0 && size > config.minChunkSize) {
          // Automation on this chunk ran out of a per-transaction limit: smaller chunks, same rows.
          size = Math.max(config.minChunkSize, Math.floor(size / 2));
          clean = 0;
          this.deps.log.info({ object: sobject, size }, 'governor limit hit; chunk size reduced');
        } else if (governor.length === 0 && ++clean >= GROW_AFTER_CLEAN_CHUNKS && size < config.chunkSize) {
          size = Math.min(config.chunkSize, size * 2);
          clean = 0;
        }
        for (const r of [...governor, ...retryable]) {
          const n = (attempts.get(r.key) ?? 0) + 1;
          attempts.set(r.key, n);
          const row = byKey.get(r.key)!;
          if (n < config.retry.attempts) again.push(row);
          else
            await this.fail(
              sobject,
              mode,
              [row],
              r.failure!.code,
              r.failure!.message,
              r.failure!.kind === 'governor',
            );
        }
        this.deps.onProgress?.({ object: sobject, done: stats.written + stats.failed, total: stats.changed });
      }
      queue = again;
    }
  }

  /** Checkpoints successes and dead-letters permanent failures of one request's results. */
  private async settle(
    sobject: string,
    mode: 'upsert' | 'update',
    results: RowResult[],
    byKey: Map<string, PlannedWrite>,
  ): Promise<void> {
    const stats = this.report.objects[sobject]!;
    const ok = results.filter((r) => r.ok);
    if (ok.length > 0) {
      await this.deps.store.confirm(
        sobject,
        ok.map((r) => ({ externalKey: r.key, hash: byKey.get(r.key)!.hash, orgId: r.orgId })),
        this.deps.now(),
        this.runId,
      );
      stats.written += ok.length;
    }
    const permanent = results.filter((r) => r.failure?.kind === 'permanent');
    for (const r of permanent)
      await this.fail(sobject, mode, [byKey.get(r.key)!], r.failure!.code, r.failure!.message, true);
  }

  private async fail(
    sobject: string,
    mode: 'upsert' | 'update',
    rows: PlannedWrite[],
    code: string,
    reason: string,
    badPayload: boolean,
  ): Promise<void> {
    const at = this.deps.now();
    const letters: DeadLetter[] = rows.map((r) => ({
      runId: this.runId,
      object: sobject,
      externalKey: r.key,
      operation: mode,
      // Only a payload the org refused is remembered by hash (and skipped until it changes).
      hash: badPayload ? r.hash : null,
      payload: JSON.stringify(r.record),
      errorCode: code,
      reason,
      createdAt: at,
    }));
    await this.deps.store.deadLetter(letters);
    this.report.objects[sobject]!.failed += rows.length;
    this.report.deadLetters[code] = (this.report.deadLetters[code] ?? 0) + rows.length;
  }

  async retract(plan: ObjectPlan): Promise<void> {
    if (plan.retract.length === 0) return;
    const { writer, store, config } = this.deps;
    const stats = this.report.objects[plan.sobject]!;
    const calls = writer.usage().calls;
    const t0 = this.deps.now();
    try {
      const unknown = plan.retract.filter((r) => r.orgId === null).map((r) => r.key);
      const found = unknown.length
        ? await withRetry(`lookup of ${plan.sobject} ids`, config.retry, () =>
            writer.findIds(plan.sobject, unknown),
          )
        : new Map<string, string>();
      const targets: Array<{ key: string; id: string }> = [];
      const absent: string[] = [];
      for (const r of plan.retract) {
        const id = r.orgId ?? found.get(r.key);
        if (id) targets.push({ key: r.key, id });
        else absent.push(r.key);
      }
      // Already gone from the org (deleted by hand): nothing to retract, just forget them.
      if (absent.length) await store.forget(plan.sobject, absent);
      stats.retracted += absent.length;
      for (let i = 0; i < targets.length; i += DELETE_CHUNK) {
        const chunk = targets.slice(i, i + DELETE_CHUNK);
        const results = await withRetry(`retraction of ${plan.sobject}`, config.retry, () =>
          writer.deleteChunk(chunk.map((t) => t.id)),
        );
        const done = chunk.filter(
          (_, j) => results[j]?.ok || results[j]?.failure?.code === 'INVALID_CROSS_REFERENCE_KEY',
        );
        await store.forget(
          plan.sobject,
          done.map((t) => t.key),
        );
        stats.retracted += done.length;
        const failed = chunk.filter((t) => !done.includes(t));
        if (failed.length) {
          const res = new Map(results.map((r) => [r.id, r]));
          await store.deadLetter(
            failed.map((t) => ({
              runId: this.runId,
              object: plan.sobject,
              externalKey: t.key,
              operation: 'delete' as const,
              hash: null,
              payload: JSON.stringify({ Id: t.id }),
              errorCode: res.get(t.id)?.failure?.code ?? 'UNKNOWN_ERROR',
              reason: res.get(t.id)?.failure?.message ?? 'no result',
              createdAt: this.deps.now(),
            })),
          );
          stats.retractFailed += failed.length;
          for (const t of failed) {
            const code = res.get(t.id)?.failure?.code ?? 'UNKNOWN_ERROR';
            this.report.deadLetters[code] = (this.report.deadLetters[code] ?? 0) + 1;
          }
        }
      }
    } catch (err) {
      this.haltOn(err);
      stats.error = { code: errorCode(err), message: (err as Error).message };
      stats.retractFailed += plan.retract.length - stats.retracted;
    } finally {
      stats.apiCalls += writer.usage().calls - calls;
      stats.seconds += (this.deps.now() - t0) / 1000;
    }
  }

  /** The daily limit and a dead session end the whole write-back; anything else is per object. */
  private haltOn(err: unknown): void {
    if (err instanceof Halt) throw err;
    if (err instanceof AppError && err.code === 'CRM_LIMIT_EXCEEDED')
      throw new Halt(
        err.code,
        "The org's daily API allocation is used up; the write-back stopped and sends the rest next run.",
      );
    if (err instanceof AppError && err.code === 'CRM_AUTH_FAILED') throw new Halt(err.code, err.message);
    if (!(err instanceof AppError) && classifyFailure(err).kind === 'limit')
      throw new Halt('CRM_LIMIT_EXCEEDED', "The org's daily API allocation is used up.");
  }
}

function errorCode(err: unknown): string {
  if (err instanceof AppError) return err.code;
  const e = err as { errorCode?: string; code?: string; name?: string };
  return e.errorCode ?? e.code ?? e.name ?? 'UNKNOWN_ERROR';
}
