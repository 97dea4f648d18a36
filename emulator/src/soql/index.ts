import { malformedQuery, SfError } from '../errors';
import type { Org } from '../org';
import { MAX_AGGREGATE_ROWS, type AggregatePlan } from './aggregate';
import { compileQuery } from './compile';
import { cursorsOf, invalidLocator, type OpenCursor } from './cursors';
import { schedulePrefetch, takePrefetched } from './prefetch';
import { renderRows } from './render-rows';
import { convert, type JsonRecord } from './shape';

export { openBulkQuery, type BulkQuery } from './bulk-query';
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

const LOCATOR = /^(01g[0-9A-Za-z]{15})-(\d+)$/;

/** A page whose records are already JSON text; what the HTTP route sends as it is. */
interface RenderedPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  /** The records array as JSON text, e.g. `[{"attributes":…},…]`. */
  records: string;
}

function pageText(page: RenderedPage): string {
  const next =
    page.nextRecordsUrl === undefined ? '' : `,"nextRecordsUrl":${JSON.stringify(page.nextRecordsUrl)}`;
  return `{"totalSize":${page.totalSize},"done":${page.done}${next},"records":${page.records}}`;
}

/** `/query` and `/queryAll`: the first page of a query, opening a cursor when there are more. */
export function runQuery(org: Org, soql: string, opts: RunQueryOptions = {}): QueryPage {
  return JSON.parse(runQueryJson(org, soql, opts)) as QueryPage;
}

/** `/query/{locator}`: the next page of an open cursor. */
export function queryMore(org: Org, locator: string, opts: QueryMoreOptions = {}): QueryPage {
  return JSON.parse(queryMoreJson(org, locator, opts)) as QueryPage;
}

/** runQuery's page as the JSON text of the response body. */
export function runQueryJson(org: Org, soql: string, opts: RunQueryOptions = {}): string {
  const apiVersion = opts.apiVersion ?? '59.0';
  const plan = compileQuery(org, soql, Boolean(opts.scanAll), opts.userId);
  if (plan.kind === 'count') {
    const { n } = org.db.prepare(plan.sql).get(...plan.params) as { n: number };
    return pageText({ totalSize: n, done: true, records: '[]' });
  }
  if (plan.kind === 'aggregate') return JSON.stringify(runAggregate(org, plan));

  const batch = clampBatchSize(opts.batchSize, org.settings.defaultBatchSize);
  // Most queries fit one page: read one row more than a page and only open a cursor if it came.
  const probeLimit = plan.limit === null ? batch + 1 : Math.min(plan.limit, batch + 1);
  const rows = org.db
    .prepare(
      `SELECT ${plan.columns.join(', ')} FROM ${plan.fromSql} WHERE ${plan.whereSql} ORDER BY ${plan.orderSql} LIMIT ? OFFSET ?`,
    )
    .raw(true)
    .all(...plan.params, probeLimit, plan.offset) as unknown[][];
  if (rows.length <= batch) {
    return pageText({ totalSize: rows.length, done: true, records: renderRows(org, plan, rows, apiVersion) });
  }
  const cursors = cursorsOf(org);
  const materialised = cursors.materialise(plan);
  if (materialised.total <= batch) {
    // The data changed between the two reads; the materialised view is the one to trust.
    const page = cursors.readRows(plan, materialised.firstSeq, 0, batch);
    cursors.discard(materialised.firstSeq, materialised.total);
    return pageText({ totalSize: page.length, done: true, records: renderRows(org, plan, page, apiVersion) });
  }
  const cursor = cursors.register(plan, soql, materialised, batch);
  // The probe already holds the first page in the same order the cursor was written in.
  rows.length = batch;
  schedulePrefetch(org, cursor, batch, batch, apiVersion);
  return pageText({
    totalSize: cursor.total,
    done: false,
    nextRecordsUrl: `/services/data/v${apiVersion}/query/${cursor.id}-${batch}`,
    records: renderRows(org, plan, rows, apiVersion),
  });
}

/** queryMore's page as the JSON text of the response body. */
export function queryMoreJson(org: Org, locator: string, opts: QueryMoreOptions = {}): string {
  const apiVersion = opts.apiVersion ?? '59.0';
  const m = LOCATOR.exec(locator);
  if (!m) throw invalidLocator();
  const cursors = cursorsOf(org);
  const cursor: OpenCursor = cursors.find(m[1], (soql, scanAll) => {
    const plan = compileQuery(org, soql, scanAll, opts.userId);
    if (plan.kind !== 'records') throw invalidLocator();
    return plan;
  });
  const offset = Number(m[2]);
  if (offset >= cursor.total) throw invalidLocator();
  const batch = opts.batchSize === undefined ? cursor.batch : clampBatchSize(opts.batchSize, cursor.batch);
  let records = takePrefetched(org, cursor.id, offset, batch, apiVersion);
  if (records === undefined) {
    records = renderRows(
      org,
      cursor.plan,
      cursors.readRows(cursor.plan, cursor.firstSeq, offset, batch),
      apiVersion,
    );
  }
  const next = offset + batch;
  const done = next >= cursor.total;
  if (done) cursors.close(cursor);
  else schedulePrefetch(org, cursor, next, batch, apiVersion);
  return pageText({
    totalSize: cursor.total,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${apiVersion}/query/${cursor.id}-${next}` }),
    records,
  });
}

function runAggregate(org: Org, plan: AggregatePlan): QueryPage {
  const stmt = org.db.prepare(plan.sql).raw(true);
  const records: JsonRecord[] = [];
  for (const row of stmt.iterate(...plan.params) as IterableIterator<unknown[]>) {
    if (records.length === MAX_AGGREGATE_ROWS) throw aggregateTooLarge();
    const rec: JsonRecord = { attributes: { type: 'AggregateResult' } };
    for (let i = 0; i < plan.outputs.length; i++)
      rec[plan.outputs[i].key] = convert(plan.outputs[i].conv, row[i]);
    records.push(rec);
  }
  return { totalSize: records.length, done: true, records };
}

const aggregateTooLarge = (): SfError =>
  malformedQuery(
    'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
  );
