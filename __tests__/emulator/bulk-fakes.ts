import { SfError } from '../../emulator/src/errors';
import type { BulkDml, BulkPorts, BulkQueryCursor, BulkSaveResult } from '../../emulator/src/bulk/ports';
import type { Org } from '../../emulator/src/org';

/**
 * Stand-ins for the DML layer and the SOQL engine, so the job machinery (states, CSV, results,
 * paging, background runs) is tested on its own. Records live in a Map, not in the org's tables.
 */
export class FakeDml implements BulkDml {
  readonly records = new Map<string, Record<string, string>>();
  readonly calls: Array<{ op: string; rows: number }> = [];
  /** Milliseconds of busy work per call, to make a job take long enough to be seen InProgress. */
  delayPerCallMs = 0;
  /** Set to make the next update call refuse the whole call, as DML does for a bad request. */
  refuseUpdate: SfError | null = null;

  constructor(private readonly org: Org) {}

  private busy(op: string, rows: number): void {
    this.calls.push({ op, rows });
    const until = Date.now() + this.delayPerCallMs;
    while (Date.now() < until) {
      /* simulate a slow write */
    }
  }

  insert(_org: Org, _object: string, records: Record<string, string>[]): BulkSaveResult[] {
    this.busy('insert', records.length);
    return records.map((r) => {
      if (!r.Name) return fail('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]', ['Name']);
      const id = this.org.ids.next('001');
      this.records.set(id, { ...r, Id: id });
      return { id, success: true, errors: [], created: true };
    });
  }

  update(_org: Org, _object: string, records: Record<string, string>[]): BulkSaveResult[] {
    this.busy('update', records.length);
    if (this.refuseUpdate) throw this.refuseUpdate;
    return records.map((r) => {
      const existing = this.records.get(r.Id);
      if (!existing) return fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      this.records.set(r.Id, { ...existing, ...r });
      return { id: r.Id, success: true, errors: [] };
    });
  }

  upsert(_org: Org, _object: string, field: string, records: Record<string, string>[]): BulkSaveResult[] {
    this.busy('upsert', records.length);
    return records.map((r) => {
      const match = [...this.records.values()].find((x) => x[field] === r[field]);
      if (match) {
        Object.assign(match, r);
        return { id: match.Id, success: true, errors: [], created: false };
      }
      const id = this.org.ids.next('001');
      this.records.set(id, { ...r, Id: id });
      return { id, success: true, errors: [], created: true };
    });
  }

  delete(_org: Org, ids: string[]): BulkSaveResult[] {
    this.busy('delete', ids.length);
    return ids.map((id) =>
      this.records.delete(id)
        ? { id, success: true, errors: [] }
        : fail('ENTITY_IS_DELETED', 'entity is deleted', []),
    );
  }

  hardDelete(org: Org, ids: string[]): BulkSaveResult[] {
    return this.delete(org, ids);
  }
}

function fail(statusCode: string, message: string, fields: string[]): BulkSaveResult {
  return { id: null, success: false, errors: [{ statusCode, message, fields }] };
}

/** A query engine that serves fixed rows and rejects GROUP BY like Bulk 2.0 does. */
export function fakeQuery(columns: string[], rows: Array<(string | null)[]>): BulkPorts['query'] {
  return {
    open(_org: Org, soql: string): BulkQueryCursor {
      if (/group by/i.test(soql))
        throw new SfError(400, 'MALFORMED_QUERY', 'GROUP BY is not supported by Bulk API 2.0');
      return { columns, rows: () => rows[Symbol.iterator]() as IterableIterator<(string | null)[]> };
    },
  };
}
