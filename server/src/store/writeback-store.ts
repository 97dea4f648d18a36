/**
 * What write-back keeps between runs: per result record the content hash the org last confirmed
 * (and the record's org Id when known), the dead letters of writes that failed for good, and a
 * record of every cycle or write-back run. Async like SyncStore, so another database can back it.
 */

export interface ConfirmedResult {
  externalKey: string;
  hash: string;
  /** Null when the write path did not return Ids (Bulk); an earlier known Id is then kept. */
  orgId: string | null;
}

export interface DeadLetter {
  runId: string;
  object: string;
  externalKey: string;
  operation: 'upsert' | 'update' | 'delete';
  hash: string | null;
  /** The record as it was sent (JSON). */
  payload: string;
  errorCode: string;
  reason: string;
  createdAt: number;
}

export type CycleRunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

export interface CycleRunRecord {
  runId: string;
  kind: 'cycle' | 'writeback';
  trigger: string;
  startedAt: number;
  finishedAt: number | null;
  status: CycleRunStatus;
  jobRecordId: string | null;
  /** The run's report (JSON-serialisable), dead letters by reason included. */
  report: unknown;
}

export interface WritebackStore {
  /** Every confirmed result of the object: key → hash and org Id. */
  confirmed(object: string): Promise<Map<string, { hash: string; orgId: string | null }>>;
  /** Records per-row successes (one transaction); resolves open dead letters of those keys. */
  confirm(object: string, rows: ConfirmedResult[], at: number, runId: string): Promise<void>;
  /** Forgets retracted records. */
  forget(object: string, keys: string[]): Promise<void>;
  deadLetter(entries: DeadLetter[]): Promise<void>;
  /** Open (unresolved) dead letters of the object: key → hash of the payload that failed. */
  openDeadLetters(object: string): Promise<Map<string, string>>;
  deadLettersOfRun(runId: string): Promise<DeadLetter[]>;
  saveCycleRun(run: CycleRunRecord): Promise<void>;
  cycleRun(runId: string): Promise<CycleRunRecord | null>;
  lastCycleRun(): Promise<CycleRunRecord | null>;
}
