import { SfError } from '../errors';
import type { Org } from '../org';
import { formatDateTimeCsv } from '../store/codec';
import { compileQuery, type QueryPlan } from './compile';
import { cursorsOf } from './cursors';

export interface BulkQuery {
  /** Header cells: the SELECT items as written (`Owner.Name`). */
  columns: string[];
  /** Rows as CSV cell strings, `null` for empty. */
  rows(): IterableIterator<(string | null)[]>;
}

const BULK_CHUNK = 10_000;

const bulkUnsupported = (what: string): SfError =>
  new SfError(400, 'INVALIDJOB', `${what} is not supported by Bulk API 2.0 query`);

/**
 * A Bulk 2.0 query: validated like runQuery plus Bulk's restrictions. The result is materialised
 * like a cursor and read in chunks, so no SQLite statement stays open while the caller writes.
 */
export function openBulkQuery(org: Org, soql: string, opts: { scanAll?: boolean } = {}): BulkQuery {
  const plan: QueryPlan = compileQuery(org, soql, Boolean(opts.scanAll));
  if (plan.kind !== 'records') throw bulkUnsupported('An aggregate or GROUP BY query');
  if (plan.children.length) throw bulkUnsupported('A parent-to-child subquery');
  if (plan.offset > 0) throw bulkUnsupported('OFFSET');
  const flat = plan.flat;
  const kinds = flat.map((c) => (c.type === 'boolean' ? 1 : c.type === 'datetime' ? 2 : 0));
  return {
    columns: flat.map((c) => c.name),
    *rows() {
      const cursors = cursorsOf(org);
      const materialised = cursors.materialise(plan);
      const handle = cursors.trackBulk(plan, materialised);
      try {
        for (let offset = 0; offset < materialised.total; offset += BULK_CHUNK) {
          const chunk = cursors.readRows(plan, materialised.firstSeq, offset, BULK_CHUNK);
          cursors.touch(handle);
          for (const row of chunk) {
            const out = new Array<string | null>(flat.length);
            for (let i = 0; i < flat.length; i++) {
              const v = row[flat[i].col];
              if (v === null || v === undefined) out[i] = null;
              else if (kinds[i] === 1) out[i] = v === 1 ? 'true' : 'false';
              else if (kinds[i] === 2) out[i] = formatDateTimeCsv(v as number);
              else out[i] = String(v);
            }
            yield out;
          }
        }
      } finally {
        cursors.untrack(handle, materialised);
      }
    },
  };
}
