import type { PlannedWrite } from '../crm/writeback/plan';

/**
 * What a row's failure means for write-back: `retryable` (a row lock, a transient error) is sent
 * again with backoff; `governor` (an org limit hit by automation on the chunk) shrinks the chunk;
 * `permanent` (validation, a missing field, a bad reference) is dead-lettered.
 */
export type RowFailureKind = 'retryable' | 'governor' | 'permanent';

export interface RowResult {
  key: string;
  ok: boolean;
  /** The record's Id in the org when the API returned it. */
  orgId: string | null;
  failure?: { kind: RowFailureKind; code: string; message: string };
}

export interface DeleteResult {
  id: string;
  ok: boolean;
  failure?: { kind: RowFailureKind; code: string; message: string };
}

/** What Bulk ingest made of a set of rows. */
export interface BulkOutcome {
  /** A result for every row (rows of a job that failed or never ran come back retryable). */
  results: RowResult[];
  /** Jobs used: more than one only when one upload could not hold every row. */
  jobs: number;
}

export interface ApiUsageSnapshot {
  calls: number;
  used: number | null;
  limit: number | null;
}

/**
 * The org side of write-back (server/src/crm/writeback/org-writer.ts implements it over the REST
 * and Bulk 2.0 APIs). Request-level failures throw; row-level ones come back per row.
 */
export interface ResultWriterPort {
  /** One sObject Collections request (≤ 200 rows, allOrNone=false): upsert by key, or update by Id. */
  writeChunk(sobject: string, mode: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]>;
  /**
   * One Bulk 2.0 ingest job (upsert by key or update by Id), or several when the rows exceed one
   * upload; a result for every row (unprocessed rows come back retryable). Throws when no job
   * went through.
   */
  bulkWrite(
    sobject: string,
    mode: 'upsert' | 'update',
    rows: PlannedWrite[],
    /** `onQueued`: every job is uploaded and closed; what is left is the org's work (and polls). */
    hooks?: { onQueued?: () => void },
  ): Promise<BulkOutcome>;
  /** One sObject Collections delete (≤ 200 ids, allOrNone=false). */
  deleteChunk(ids: string[]): Promise<DeleteResult[]>;
  /** Org Ids of records by external key (keys the org does not have are absent). */
  findIds(sobject: string, keys: string[]): Promise<Map<string, string>>;
  /** Calls so far: all of them, or those made for one object's rows (writes side by side). */
  usage(sobject?: string): ApiUsageSnapshot;
}

export interface JobStart {
  runId: string;
  type: 'Cycle' | 'Writeback' | 'Sync';
  trigger: 'CLI' | 'Schedule' | 'Manual' | 'API';
  startedAt: number;
}

export interface JobOutcome {
  status: 'Succeeded' | 'Failed';
  finishedAt: number;
  rowsRead: number;
  rowsWritten: number;
  rowsFailed: number;
  apiCalls: number;
  apiCallsMinimum: number;
  /** Share (0–1) of the org's daily allocation used when the run ended, when the org said. */
  budgetUsed: number | null;
  summary: string;
  errors: string;
}

/** The run as a SalesOps_Job__c record: created Running at the start, completed at the end. */
export interface JobRecorderPort {
  /** Returns the record's Id. */
  start(job: JobStart): Promise<string>;
  finish(job: JobStart, outcome: JobOutcome): Promise<void>;
}
