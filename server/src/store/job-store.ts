/**
 * The server's job table and run locks. Every method is async so that a PostgreSQL adapter can
 * implement the same interface; the SQL behind the SQLite one is portable (single-statement
 * claims with `RETURNING`, `ON CONFLICT` upserts).
 */

export type JobStatus = 'queued' | 'running' | 'interrupted' | 'succeeded' | 'failed' | 'cancelled';
export type JobTrigger = 'Manual' | 'Schedule' | 'CLI' | 'API';

export interface Job {
  id: string;
  type: string;
  trigger: JobTrigger;
  status: JobStatus;
  /** The run id the job's logs, metrics and CRM job record carry; stable across resumes. */
  runId: string;
  params: Record<string, unknown>;
  /** The SalesOps_Job__c that requested it, for jobs commanded from the CRM. */
  crmRecordId: string | null;
  /** 0–100. */
  progress: number;
  phase: string | null;
  /** What an interrupted attempt saved for the next one. */
  checkpoint: unknown;
  attempts: number;
  owner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: unknown;
  error: { code: string; message: string } | null;
}

export interface NewJob {
  id: string;
  runId: string;
  type: string;
  trigger: JobTrigger;
  params?: Record<string, unknown>;
  crmRecordId?: string | null;
  /** Unique forever: the same CRM record never makes two jobs, whoever notices it. */
  dedupeKey?: string | null;
  /** Unique among unfinished jobs: a schedule never has two jobs queued or running. */
  activeKey?: string | null;
  createdAt: number;
}

export type EnqueueResult = { created: true; job: Job } | { created: false; job: Job | null };

export interface JobFinish {
  status: 'succeeded' | 'failed' | 'cancelled';
  result?: unknown;
  error?: { code: string; message: string } | null;
  finishedAt: number;
}

export interface JobStore {
  enqueue(job: NewJob): Promise<EnqueueResult>;
  get(id: string): Promise<Job | null>;
  list(opts?: { limit?: number; status?: JobStatus }): Promise<Job[]>;
  /**
   * Atomically takes the oldest runnable job for `owner`: queued ones, and running or interrupted
   * ones whose lease has run out (their owner died or stopped). Null when there is none.
   */
  claimNext(owner: string, now: number, leaseMs: number): Promise<Job | null>;
  /** Extends the lease; false when the job is no longer this owner's. */
  heartbeat(id: string, owner: string, leaseUntil: number): Promise<boolean>;
  progress(
    id: string,
    owner: string,
    p: { progress?: number; phase?: string | null; checkpoint?: unknown },
  ): Promise<boolean>;
  /** Gives the job back for a later attempt (graceful shutdown): status interrupted, lease ended. */
  release(id: string, owner: string, checkpoint: unknown): Promise<boolean>;
  finish(id: string, owner: string, f: JobFinish): Promise<boolean>;

  /** Takes a named lock until `now + ttlMs` unless another owner holds an unexpired one. */
  acquireLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;

  /** Small key/value state (the Streaming API replay position). */
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string, now: number): Promise<void>;
  close(): Promise<void>;
}
