import type { RowError } from '../errors';
import type { Faults } from '../faults/faults';

export type { RowError } from '../errors';

/** `json`: REST bodies (typed JSON values). `csv`: Bulk cells, strings to coerce; '' = leave unchanged, '#N/A' = null. */
export type InputMode = 'json' | 'csv';

export interface DmlContext {
  /** The running user: CreatedById / LastModifiedById, and the default OwnerId. */
  userId: string;
  /** One failure rolls back every row of the call. */
  allOrNone: boolean;
  mode: InputMode;
  /** Asked once per row; a `true` from `lockRow()` fails that row with UNABLE_TO_LOCK_ROW. */
  faults?: Pick<Faults, 'lockRow'>;
}

export interface SaveResult {
  /** Null for rows that were not created (failed or rolled-back inserts). */
  id: string | null;
  success: boolean;
  errors: RowError[];
  /** Upserts only: the row was (or, when rolled back, would have been) created. */
  created?: boolean;
}

/** A value in storage form (codec.ts): text, 0/1, numbers, epoch milliseconds, or null. */
export type Stored = string | number | null;

/** A row keyed by canonical field name, values in storage form. */
export type StoredRow = Record<string, Stored>;
