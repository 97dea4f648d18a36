import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Job, JobStore } from '../store/job-store';
import type { ServerMetrics } from './metrics';
import type { JobContext, JobOutcome, JobRecordPort, RunJob } from './ports';

export interface JobRunnerDeps {
  store: JobStore;
  runJob: RunJob;
  /** This server instance (host, pid and a random part): the owner of its leases and locks. */
  owner: string;
  log: Logger;
  metrics: ServerMetrics;
  records?: JobRecordPort;
  now?: () => number;
  /** A claimed job is this instance's for this long after its last heartbeat. */
  leaseMs?: number;
  /** How often the runner looks for work it was not told about (resumes, other instances' jobs). */
  pollMs?: number;
  /** Attempts after which a job that keeps dying is failed instead of resumed. */
  maxAttempts?: number;
  /** The store lock every job takes: jobs share the store and the org, so one runs at a time. */
  lockName?: string;
}

interface Current {
  job: Job;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Runs queued jobs one at a time. A job is claimed in the store with a lease (renewed by a
 * heartbeat) under a store lock, so two instances never run the same job, nor two jobs at once.
 * On shutdown the running job is asked to stop (its signal aborts); if it does not finish it is
 * released as `interrupted` with its checkpoint, and the next start claims it again at once.
 * A job whose owner died is claimed again when its lease runs out.
 */
export class JobRunner {
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly lockName: string;
  private current: Current | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: JobRunnerDeps) {
    this.now = deps.now ?? Date.now;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.pollMs = deps.pollMs ?? 5_000;
    this.maxAttempts = deps.maxAttempts ?? 5;
    this.lockName = deps.lockName ?? 'salesops-jobs';
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for work now (coalesced: a kick during a drain makes the drain look once more). */
  kick(): void {
    if (this.stopping) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err: unknown) =>
        this.deps.log.error({ err: (err as Error).message }, 'job runner: drain failed'),
      )
      .finally(() => {
        this.draining = null;
        if (this.again && !this.stopping) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** The job running in this instance, if any. */
  running(): Job | null {
    return this.current?.job ?? null;
  }

  /** Resolves when no drain is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Stops taking work and asks the running job to stop; waits up to `graceMs` for it to finish or
   * checkpoint, and releases it for the next start if it did neither. True when nothing is left running.
   */
  async shutdown(graceMs = 25_000): Promise<boolean> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const current = this.current;
    if (!current) return true;
    current.abort.abort(new AppError('INTERNAL', 'the server is shutting down'));
    let timeout: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      current.done.then(() => true),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timeout);
    if (!finished) {
      // The process is about to exit under a job that ignored its signal: hand it back now so the
      // next start resumes it at once instead of waiting for the lease to run out. Its work is
      // idempotent (upserts by external key, checkpointed sync), so the resumed attempt repeats
      // nothing visible.
      await this.deps.store.release(current.job.id, this.deps.owner, null);
      this.deps.log.warn(
        { runId: current.job.runId },
        'job still running at shutdown; released for the next start',
      );
    }
    return finished;
  }

  private async drain(): Promise<void> {
    const { store, owner } = this.deps;
    while (!this.stopping) {
      if (!(await store.acquireLock(this.lockName, owner, this.now(), this.leaseMs))) return;
      let job: Job | null = null;
      try {
        job = await store.claimNext(owner, this.now(), this.leaseMs);
        if (job) await this.execute(job);
      } finally {
        await store.releaseLock(this.lockName, owner);
      }
      if (!job) return;
    }
  }

  private async execute(job: Job): Promise<void> {
    const { store, owner, metrics, records } = this.deps;
    const log = this.deps.log.child({ runId: job.runId, jobId: job.id, jobType: job.type });
    if (job.attempts > this.maxAttempts) {
      const error = { code: 'JOB_ABANDONED', message: `gave up after ${job.attempts - 1} attempts` };
      await store.finish(job.id, owner, { status: 'failed', error, finishedAt: this.now() });
      metrics.jobsTotal.inc({ type: job.type, trigger: job.trigger, status: 'failed' });
      await this.quietly(log, () => records?.finished(job, { status: 'failed', error }));
      log.error(error, 'job abandoned');
      return;
    }
    const abort = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    this.current = { job, abort, done };
    const started = this.now();
    const heartbeat = setInterval(
      () => {
        void store.heartbeat(job.id, owner, this.now() + this.leaseMs);
        void store.acquireLock(this.lockName, owner, this.now(), this.leaseMs);
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    metrics.jobsRunning.inc({ type: job.type });
    log.info({ attempt: job.attempts, resumed: job.checkpoint !== null }, 'job started');
    await this.quietly(log, () => records?.started(job));
    let outcome: JobOutcome;
    try {
      outcome = await this.deps.runJob(job.type, this.context(job, log, abort.signal));
    } catch (err) {
      outcome = {
        status: 'failed',
        error:
          err instanceof AppError
            ? { code: err.code, message: err.message }
            : { code: 'INTERNAL', message: (err as Error)?.message ?? String(err) },
      };
    } finally {
      clearInterval(heartbeat);
      metrics.jobsRunning.dec({ type: job.type });
    }
    // A job stopped by shutdown resumes on the next start instead of ending failed.
    if (outcome.status === 'interrupted' || (abort.signal.aborted && outcome.status === 'failed')) {
      await store.release(job.id, owner, outcome.checkpoint ?? null);
      metrics.jobsTotal.inc({ type: job.type, trigger: job.trigger, status: 'interrupted' });
      log.warn('job interrupted; it resumes on the next start');
    } else {
      const finished = this.now();
      const mine = await store.finish(job.id, owner, {
        status: outcome.status,
        result: {
          summary: outcome.summary ?? null,
          counts: outcome.counts ?? {},
          detail: outcome.result ?? null,
        },
        error: outcome.error ?? null,
        finishedAt: finished,
      });
      if (!mine) {
        // Released at shutdown or its lease taken over: the attempt that owns it now reports.
        log.warn({ status: outcome.status }, 'job ended after another attempt took it over; outcome dropped');
        this.current = null;
        resolveDone();
        return;
      }
      this.count(job, outcome, (finished - started) / 1000);
      const updated = (await store.get(job.id)) ?? job;
      await this.quietly(log, () => records?.finished(updated, outcome));
      log.info(
        { status: outcome.status, seconds: (finished - started) / 1000, error: outcome.error },
        'job finished',
      );
    }
    this.current = null;
    resolveDone();
  }

  private context(job: Job, log: JobContext['log'], signal: AbortSignal): JobContext {
    const { store, owner, records } = this.deps;
    return {
      job,
      log,
      signal,
      progress: async (percent, phase) => {
        await store.progress(job.id, owner, { progress: percent, phase: phase ?? null });
        await this.quietly(log, () => records?.progress(job, percent, phase ?? null));
      },
      checkpoint: async (data) => {
        await store.progress(job.id, owner, { checkpoint: data });
      },
    };
  }

  private count(job: Job, outcome: JobOutcome, seconds: number): void {
    const { metrics } = this.deps;
    metrics.jobsTotal.inc({ type: job.type, trigger: job.trigger, status: outcome.status });
    metrics.jobDuration.observe({ type: job.type, status: outcome.status }, seconds);
    const c = outcome.counts ?? {};
    if (c.read) metrics.jobRows.inc({ type: job.type, kind: 'read' }, c.read);
    if (c.written) metrics.jobRows.inc({ type: job.type, kind: 'written' }, c.written);
    if (c.failed) metrics.jobRows.inc({ type: job.type, kind: 'failed' }, c.failed);
    if (c.apiCalls) metrics.crmApiCalls.inc({ type: 'used' }, c.apiCalls);
    if (c.apiCallsMinimum) metrics.crmApiCalls.inc({ type: 'minimum' }, c.apiCallsMinimum);
  }

  /** CRM record updates are best effort: the job's outcome lives in the store either way. */
  private async quietly(log: JobContext['log'], fn: () => Promise<void> | undefined): Promise<void> {
    try {
      await fn();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not update the CRM job record');
    }
  }
}
