import type { Logger } from '../shared/logger';
import type { Job } from '../store/job-store';

/** What a job gets from the runner. */
export interface JobContext {
  job: Readonly<Job>;
  /** A child logger carrying the job's runId. */
  log: Logger;
  /** Aborted on shutdown: finish quickly, or save a checkpoint and return `interrupted`. */
  signal: AbortSignal;
  /** Reports progress (0–100) and the phase; the CRM job record follows it. */
  progress(percent: number, phase?: string): Promise<void>;
  /** Saves where the job is, so that a resumed attempt (`job.checkpoint`) can skip done work. */
  checkpoint(data: unknown): Promise<void>;
}

export interface JobCounts {
  read?: number;
  written?: number;
  failed?: number;
  apiCalls?: number;
  apiCallsMinimum?: number;
}

export interface JobOutcome {
  status: 'succeeded' | 'failed' | 'interrupted';
  summary?: string;
  counts?: JobCounts;
  result?: unknown;
  error?: { code: string; message: string };
  /** With `interrupted`: where to resume. */
  checkpoint?: unknown;
}

/**
 * Runs one job of a type (`Cycle`, `Sync`, `FullSync`, `Recompute`, `Writeback`,
 * `ApplyTerritoryChanges`). The composition root wires it to the cycle use case.
 */
export type RunJob = (type: string, ctx: JobContext) => Promise<JobOutcome>;

/** A command noticed in the CRM. */
export type CrmCommand =
  | { kind: 'job'; recordId: string; jobType: string | null; requestedBy: string | null }
  | { kind: 'territory-change'; recordId: string };

export interface CommandHandlers {
  command(c: CrmCommand, source: 'streaming' | 'poll'): void;
  /** Streaming subscription state; `down` leaves the poll as the only way commands arrive. */
  status(state: 'up' | 'down', reason?: string): void;
}

/** Where CRM commands come from: the Streaming API plus a poll (server/src/crm/job-commands.ts). */
export interface CommandSource {
  subscribe(handlers: CommandHandlers): Promise<void>;
  /** Every command waiting now (the poll fallback, and the catch-up at start). */
  pending(): Promise<CrmCommand[]>;
  close(): Promise<void>;
}

/**
 * Keeps the CRM's SalesOps_Job__c record of a commanded job in step (Queued → Running → Succeeded
 * or Failed, progress, counts). Calls are best effort: a failed update never fails the job.
 */
export interface JobRecordPort {
  queued(job: Job): Promise<void>;
  started(job: Job): Promise<void>;
  progress(job: Job, percent: number, phase: string | null): Promise<void>;
  finished(job: Job, outcome: JobOutcome): Promise<void>;
  /** A request the server cannot run (unknown type): the record ends Failed with the reason. */
  rejected(recordId: string, reason: string): Promise<void>;
}
