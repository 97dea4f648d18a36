import type { RowError } from '../errors';
import type { Faults } from '../faults/faults';
import type { Org } from '../org';

/**
 * What Bulk jobs need from the DML layer and the SOQL engine. The job machinery depends on these
 * interfaces only, so it can be unit-tested with fakes; `real-ports.ts` binds them to
 * `src/dml` and `src/soql`.
 */
export interface BulkSaveResult {
  id: string | null;
  success: boolean;
  errors: RowError[];
  created?: boolean;
}

/** Per call: rows are partial successes (allOrNone false) and values are CSV strings. */
export interface BulkDmlContext {
  userId: string;
  faults?: Faults;
}

export interface BulkDml {
  insert(
    org: Org,
    objectName: string,
    records: Record<string, string>[],
    ctx: BulkDmlContext,
  ): BulkSaveResult[];
  update(
    org: Org,
    objectName: string,
    records: Record<string, string>[],
    ctx: BulkDmlContext,
  ): BulkSaveResult[];
  upsert(
    org: Org,
    objectName: string,
    externalIdField: string,
    records: Record<string, string>[],
    ctx: BulkDmlContext,
  ): BulkSaveResult[];
  delete(org: Org, ids: string[], ctx: BulkDmlContext): BulkSaveResult[];
  hardDelete(org: Org, ids: string[], ctx: BulkDmlContext): BulkSaveResult[];
}

export interface BulkQueryCursor {
  /** Column headers as written in the SELECT (`Owner.Name`). */
  columns: string[];
  /** Rows flattened to CSV cells; null for an empty value. */
  rows(): IterableIterator<(string | null)[]>;
}

export interface BulkQueryEngine {
  /** Validates (throws SfError) and prepares a Bulk 2.0 query. */
  /** `userId`: the job's creator, whose visibility the rows follow. */
  open(org: Org, soql: string, opts: { scanAll: boolean; userId?: string }): BulkQueryCursor;
}

export interface BulkPorts {
  dml: BulkDml;
  query: BulkQueryEngine;
}
