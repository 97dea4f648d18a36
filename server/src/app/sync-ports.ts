import type { CursorKey, SyncedRecord } from '../store';

/**
 * What the sync use case needs from the CRM side. The CRM adapter (server/src/crm/sync-source.ts)
 * implements it over jsforce; the use case never sees SOQL or Salesforce names beyond the object
 * names it was configured with.
 */
export interface PreparedObject {
  object: string;
  /** Critical objects keep syncing between the pause and stop thresholds of the API budget. */
  critical: boolean;
}

/** A read of one object in keyset order: from a time (inclusive) or strictly after a key. */
export interface ReadSpec {
  object: string;
  from: number | null;
  after: CursorKey | null;
}

export interface ReadPage {
  records: SyncedRecord[];
  /** Keyset position of the last record of this page (null for an empty page). */
  last: CursorKey | null;
  /** The org's time at the start of this read, capped safely below it (epoch ms). */
  orgStart: number;
  /** Rows the read expects in all (from the first answer), when known. */
  expected: number | null;
}

export interface ReadOutcome {
  mode: 'rest' | 'bulk';
  rows: number;
  orgStart: number;
}

export interface ApiUsageView {
  calls: number;
  used: number | null;
  limit: number | null;
}

export interface SyncSource {
  /** Checks configured objects and fields against the org; returns the objects this org has. */
  prepare(objects: string[], opts: { forceDescribe: boolean; now: number }): Promise<PreparedObject[]>;
  read(spec: ReadSpec, onPage: (page: ReadPage) => Promise<void>): Promise<ReadOutcome>;
  /** Every id the org holds for the object, deleted ones included. */
  readIds(object: string): Promise<Set<string>>;
  /** The given records, as they are now (ids the org no longer has are simply absent). */
  readByIds(object: string, ids: string[]): Promise<SyncedRecord[]>;
  usage(): ApiUsageView;
  /** Installs a check run before every API request; it throws to stop the request. */
  setGuard(guard: () => void): void;
}
