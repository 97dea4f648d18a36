/**
 * The local store of synced CRM data, as the rest of the server sees it. Every method is async so
 * that a PostgreSQL adapter (whose drivers are async) can implement the same interface; SQLite
 * implements it today, and the SQL behind it stays portable (no SQLite-only types, upserts written as
 * `INSERT … ON CONFLICT … DO UPDATE`, which PostgreSQL shares) so a PostgreSQL adapter can
 * implement the same interface later.
 *
 * The store knows record kinds as opaque names; which CRM fields fill which typed column is
 * decided by the CRM adapter.
 */

/** One synced record: typed columns for what the engines read, plus the whole record as JSON. */
export interface SyncedRecord {
  /** Record kind, e.g. the CRM object name. */
  object: string;
  id: string;
  /** Modification stamp, epoch milliseconds (the cursor field). */
  modstamp: number;
  deleted: boolean;
  ownerId: string | null;
  /** The record it belongs to (e.g. the deal of a line item, the parent role of a role). */
  parentId: string | null;
  accountId: string | null;
  name: string | null;
  /** Money and quantities stay decimal text, never binary floats. */
  amount: string | null;
  /** Plain `YYYY-MM-DD`, never through a time zone. */
  closeDate: string | null;
  stage: string | null;
  category: string | null;
  isClosed: boolean | null;
  isWon: boolean | null;
  currency: string | null;
  /** The record as read, canonical JSON (attributes dropped, datetimes in UTC `Z` form). */
  raw: string;
}

/** What a reader of the whole record needs: its id, whether it is a tombstone, and the raw JSON. */
export type RawRecord = Pick<SyncedRecord, 'id' | 'deleted' | 'raw'>;

/** A stored record with its raw JSON parsed (whatever JSON value the raw text holds). */
export interface ParsedRecord {
  id: string;
  deleted: boolean;
  fields: unknown;
}

/** Keyset position: everything up to and including (modstamp, id) in that order is stored. */
export interface CursorKey {
  modstamp: number;
  id: string;
}

export interface ObjectCursor {
  object: string;
  /** Where a completed read ended; the next run starts from here minus the lookback. */
  bookmark: number | null;
  /** Mid-read checkpoint of an unfinished run (null once the read completed). */
  resumeKey: CursorKey | null;
  /** Upper bound of the unfinished read window (the org's time when that read started). */
  resumeUpTo: number | null;
  /** Start of the unfinished read window. */
  resumeFrom: number | null;
  lastReconciledAt: number | null;
  updatedAt: number;
}

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'paused';

export interface ObjectRunStats {
  read: number;
  deleted: number;
  purged: number;
  apiCalls: number;
  minimumApiCalls: number;
  mode: 'rest' | 'bulk' | 'none';
  seconds: number;
  error?: { code: string; message: string };
}

export interface SyncRun {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  full: boolean;
  apiCalls: number;
  objects: Record<string, ObjectRunStats>;
  errors: Array<{ object?: string; code: string; message: string }>;
  note: string | null;
}

export interface ResultHash {
  externalKey: string;
  object: string;
  hash: string;
  writtenAt: number;
}

export interface SyncStore {
  /** Stores a page of records and moves the object's checkpoint in one transaction. */
  applyPage(
    object: string,
    records: SyncedRecord[],
    checkpoint: (cursor: ObjectCursor) => ObjectCursor,
  ): Promise<void>;
  cursor(object: string): Promise<ObjectCursor | null>;
  saveCursor(cursor: ObjectCursor): Promise<void>;
  /** Forgets an object's cursor and records (a full resync starts from nothing). */
  resetObject(object: string): Promise<void>;
  record(object: string, id: string): Promise<SyncedRecord | null>;
  /** Records of an object in id order; tombstones included only when asked. */
  records(object: string, opts?: { includeDeleted?: boolean }): Promise<SyncedRecord[]>;
  count(object: string, opts?: { includeDeleted?: boolean }): Promise<number>;
  /**
   * Every record of an object in id order, its raw JSON parsed, streamed to `visit` from one read
   * (one consistent view): for readers of whole objects, without a query and a parse per record.
   */
  scanRecordFields(
    object: string,
    visit: (r: ParsedRecord) => void,
    opts?: { includeDeleted?: boolean },
  ): Promise<void>;
  /** Ids of live (not tombstoned) records, in id order. */
  liveIds(object: string): Promise<string[]>;
  /** Every stored id of the object, tombstones included (for reconciliation). */
  ids(object: string): Promise<string[]>;
  /** Hard deletes seen through reconciliation: the rows are removed. Returns how many were. */
  purge(object: string, ids: string[]): Promise<number>;
  startRun(run: { startedAt: number; full: boolean }): Promise<number>;
  finishRun(run: Omit<SyncRun, 'startedAt'>): Promise<void>;
  run(id: number): Promise<SyncRun | null>;
  lastRun(): Promise<SyncRun | null>;
  resultHash(externalKey: string): Promise<ResultHash | null>;
  saveResultHashes(hashes: ResultHash[]): Promise<void>;
  /** Small named values the sync keeps between runs (e.g. a cached describe), JSON text. */
  meta(key: string): Promise<{ value: string; updatedAt: number } | null>;
  setMeta(key: string, value: string, updatedAt: number): Promise<void>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
