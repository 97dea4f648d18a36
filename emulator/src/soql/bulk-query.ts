import { SfError } from '../errors';
import type { Org } from '../org';
import { formatDateTimeCsv, quoteIdent } from '../store/codec';
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
 * A Bulk 2.0 query: validated like runQuery plus Bulk's restrictions. Rows are read in chunks, so no
 * SQLite statement stays open while the caller writes: keyset chunks when the query has no ORDER BY,
 * otherwise a result materialised like a cursor.
 */
export function openBulkQuery(
  org: Org,
  soql: string,
  opts: { scanAll?: boolean; userId?: string } = {},
): BulkQuery {
  const plan: QueryPlan = compileQuery(org, soql, Boolean(opts.scanAll), opts.userId);
  if (plan.kind !== 'records') throw bulkUnsupported('An aggregate or GROUP BY query');
  if (plan.children.length) throw bulkUnsupported('A parent-to-child subquery');
  if (plan.offset > 0) throw bulkUnsupported('OFFSET');
  const flat = plan.flat;
  const kinds = flat.map((c) => (c.type === 'boolean' ? 1 : c.type === 'datetime' ? 2 : 0));
  const toCells = (row: unknown[]): (string | null)[] => {
    const out = new Array<string | null>(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const v = row[flat[i].col];
      if (v === null || v === undefined) out[i] = null;
      else if (kinds[i] === 1) out[i] = v === 1 ? 'true' : 'false';
      else if (kinds[i] === 2) out[i] = formatDateTimeCsv(v as number);
      else out[i] = String(v);
    }
    return out;
  };
  return {
    columns: flat.map((c) => c.name),
    rows:
      plan.orderSql === 't.rowid'
        ? () => keysetRows(org, plan, toCells)
        : () => materialisedRows(org, plan, toCells),
  };
}

/**
 * Without ORDER BY, rows come in rowid order, so they can be read in keyset chunks straight from
 * the query, bounded by the highest rowid at the start: no copy of the ids is needed, and rows
 * inserted while the job reads stay out, as they would in a materialised result.
 */
function* keysetRows(
  org: Org,
  plan: QueryPlan & { kind: 'records' },
  toCells: (row: unknown[]) => (string | null)[],
) {
  const table = quoteIdent(plan.object.name);
  const { high } = org.db.prepare(`SELECT coalesce(max(rowid), 0) AS high FROM ${table}`).get() as {
    high: number;
  };
  const stmt = org.db
    .prepare(
      `SELECT ${plan.columns.join(', ')}, t.rowid FROM ${plan.fromSql} WHERE (${plan.whereSql}) AND t.rowid > ? AND t.rowid <= ? ` +
        `ORDER BY t.rowid LIMIT ?`,
    )
    .raw(true);
  const rowidAt = plan.columns.length;
  let remaining = plan.limit ?? Number.POSITIVE_INFINITY;
  let after = 0;
  while (remaining > 0) {
    const chunk = stmt.all(...plan.params, after, high, Math.min(BULK_CHUNK, remaining)) as unknown[][];
    if (chunk.length === 0) return;
    after = chunk[chunk.length - 1][rowidAt] as number;
    remaining -= chunk.length;
    for (const row of chunk) yield toCells(row);
  }
}

function* materialisedRows(
  org: Org,
  plan: QueryPlan & { kind: 'records' },
  toCells: (row: unknown[]) => (string | null)[],
) {
  const cursors = cursorsOf(org);
  const materialised = cursors.materialise(plan);
  const handle = cursors.trackBulk(plan, materialised);
  try {
    for (let offset = 0; offset < materialised.total; offset += BULK_CHUNK) {
      const chunk = cursors.readRows(plan, materialised.firstSeq, offset, BULK_CHUNK);
      cursors.touch(handle);
      for (const row of chunk) yield toCells(row);
    }
  } finally {
    cursors.untrack(handle, materialised);
  }
}
