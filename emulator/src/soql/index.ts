import type { Statement } from 'better-sqlite3';
import { malformedQuery, SfError } from '../errors';
import type { Org } from '../org';
import { formatDateTimeCsv } from '../store/codec';
import { MAX_AGGREGATE_ROWS, type AggregatePlan } from './aggregate';
import { compileQuery, type ChildPlan, type QueryPlan, type RecordPlan } from './compile';
import { cursorsOf, invalidLocator, type OpenCursor } from './cursors';
import { convert, shapeRecord, type JsonRecord } from './shape';

export { explainQuery } from './explain';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: JsonRecord[];
}

export interface RunQueryOptions {
  scanAll?: boolean;
  userId?: string;
  apiVersion?: string;
  /** Rows per page, 200–2000; the org's default when absent. */
  batchSize?: number;
}

export interface QueryMoreOptions {
  userId?: string;
  apiVersion?: string;
  batchSize?: number;
}

export const MIN_BATCH = 200;
export const MAX_BATCH = 2000;

/** Salesforce clamps Sforce-Query-Options batchSize into 200–2000. */
export function clampBatchSize(requested: number | undefined, fallback: number): number {
  const n = requested === undefined || !Number.isFinite(requested) ? fallback : Math.trunc(requested);
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, n));
}

const urlBaseOf = (apiVersion: string): string => `/services/data/v${apiVersion}/sobjects/`;
const LOCATOR = /^(01g[0-9A-Za-z]{15})-(\d+)$/;

/** `/query` and `/queryAll`: the first page of a query, opening a cursor when there are more. */
export function runQuery(org: Org, soql: string, opts: RunQueryOptions = {}): QueryPage {
  const apiVersion = opts.apiVersion ?? '59.0';
  const plan = compileQuery(org, soql, Boolean(opts.scanAll));
  if (plan.kind === 'count') {
    const { n } = org.db.prepare(plan.sql).get(...plan.params) as { n: number };
    return { totalSize: n, done: true, records: [] };
  }
  if (plan.kind === 'aggregate') return runAggregate(org, plan);

  const batch = clampBatchSize(opts.batchSize, org.settings.defaultBatchSize);
  // Most queries fit one page: read one row more than a page and only open a cursor if it came.
  const probeLimit = plan.limit === null ? batch + 1 : Math.min(plan.limit, batch + 1);
  const rows = org.db
    .prepare(`SELECT ${plan.columns.join(', ')} FROM ${plan.fromSql} WHERE ${plan.whereSql} ORDER BY ${plan.orderSql} LIMIT ? OFFSET ?`)
    .raw(true)
    .all(...plan.params, probeLimit, plan.offset) as unknown[][];
  const urlBase = urlBaseOf(apiVersion);
  if (rows.length <= batch) {
    return { totalSize: rows.length, done: true, records: shapePage(org, plan, rows, urlBase) };
  }
  const cursors = cursorsOf(org);
  const materialised = cursors.materialise(plan);
  if (materialised.total <= batch) {
    // The data changed between the two reads; the materialised view is the one to trust.
    const page = cursors.readRows(plan, materialised.firstSeq, 0, batch);
    cursors.discard(materialised.firstSeq, materialised.total);
    return { totalSize: page.length, done: true, records: shapePage(org, plan, page, urlBase) };
  }
  const cursor = cursors.register(plan, soql, materialised, batch);
  const first = cursors.readRows(plan, cursor.firstSeq, 0, batch);
  return {
    totalSize: cursor.total,
    done: false,
    nextRecordsUrl: `/services/data/v${apiVersion}/query/${cursor.id}-${batch}`,
    records: shapePage(org, plan, first, urlBase),
  };
}

/** `/query/{locator}`: the next page of an open cursor. */
export function queryMore(org: Org, locator: string, opts: QueryMoreOptions = {}): QueryPage {
  const apiVersion = opts.apiVersion ?? '59.0';
  const m = LOCATOR.exec(locator);
  if (!m) throw invalidLocator();
  const cursors = cursorsOf(org);
  const cursor: OpenCursor = cursors.find(m[1], (soql, scanAll) => {
    const plan = compileQuery(org, soql, scanAll);
    if (plan.kind !== 'records') throw invalidLocator();
    return plan;
  });
  const offset = Number(m[2]);
  if (offset >= cursor.total) throw invalidLocator();
  const batch = opts.batchSize === undefined ? cursor.batch : clampBatchSize(opts.batchSize, cursor.batch);
  const rows = cursors.readRows(cursor.plan, cursor.firstSeq, offset, batch);
  const next = offset + batch;
  const done = next >= cursor.total;
  if (done) cursors.close(cursor);
  const page: QueryPage = { totalSize: cursor.total, done, records: shapePage(org, cursor.plan, rows, urlBaseOf(apiVersion)) };
  if (!done) page.nextRecordsUrl = `/services/data/v${apiVersion}/query/${cursor.id}-${next}`;
  return page;
}

function runAggregate(org: Org, plan: AggregatePlan): QueryPage {
  const stmt = org.db.prepare(plan.sql).raw(true);
  const records: JsonRecord[] = [];
  for (const row of stmt.iterate(...plan.params) as IterableIterator<unknown[]>) {
    if (records.length === MAX_AGGREGATE_ROWS) {
      // Leave the iterator so the statement is reset before the error propagates.
      throw aggregateTooLarge();
    }
    const rec: JsonRecord = { attributes: { type: 'AggregateResult' } };
    for (let i = 0; i < plan.outputs.length; i++) rec[plan.outputs[i].key] = convert(plan.outputs[i].conv, row[i]);
    records.push(rec);
  }
  return { totalSize: records.length, done: true, records };
}

const aggregateTooLarge = (): SfError =>
  malformedQuery('Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch');

const childStatements = new WeakMap<ChildPlan, Statement>();

/** Shapes a page of rows and fills its child relationships with one query per subquery. */
function shapePage(org: Org, plan: RecordPlan, rows: unknown[][], urlBase: string): JsonRecord[] {
  const records = new Array<JsonRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) records[i] = shapeRecord(plan.shape, rows[i], urlBase) as JsonRecord;
  if (plan.children.length === 0 || rows.length === 0) return records;
  const ids = rows.map((r) => r[plan.shape.idCol] as string);
  const idsJson = JSON.stringify(ids);
  for (const child of plan.children) {
    let stmt = childStatements.get(child);
    if (!stmt) {
      stmt = org.db.prepare(child.sql).raw(true);
      childStatements.set(child, stmt);
    }
    const byParent = new Map<string, JsonRecord[]>();
    for (const row of stmt.all(idsJson, ...child.params) as unknown[][]) {
      const parentId = row[child.parentCol] as string;
      let list = byParent.get(parentId);
      if (!list) byParent.set(parentId, (list = []));
      list.push(shapeRecord(child.shape, row, urlBase) as JsonRecord);
    }
    for (let i = 0; i < records.length; i++) {
      const list = byParent.get(ids[i]);
      records[i][child.key] = list ? { totalSize: list.length, done: true, records: list } : null;
    }
  }
  return records;
}

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
      const { firstSeq, total } = cursors.materialise(plan);
      try {
        for (let offset = 0; offset < total; offset += BULK_CHUNK) {
          const chunk = cursors.readRows(plan, firstSeq, offset, BULK_CHUNK);
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
        cursors.discard(firstSeq, total);
      }
    },
  };
}
