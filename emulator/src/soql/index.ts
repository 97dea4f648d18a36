import type { Statement } from 'better-sqlite3';
import { malformedQuery, SfError } from '../errors';
import type { Org } from '../org';
import { formatDateTimeCsv } from '../store/codec';
import { MAX_AGGREGATE_ROWS, type AggregatePlan } from './aggregate';
import { compileQuery, type ChildPlan, type QueryPlan, type RecordPlan } from './compile';
import { cursorsOf, invalidLocator, type OpenCursor } from './cursors';
import {
  compileRenderer,
  convert,
  type ChildJson,
  type JsonRecord,
  type RecordShape,
  type RowRenderer,
} from './shape';

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
  const plan = compileQuery(org, soql, Boolean(opts.scanAll));
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
  return pageText({
    totalSize: cursor.total,
    done,
    ...(done ? {} : { nextRecordsUrl: `/services/data/v${apiVersion}/query/${cursor.id}-${next}` }),
    records: renderRows(org, cursor.plan, rows, apiVersion),
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

const childStatements = new WeakMap<ChildPlan, Statement>();
const renderers = new WeakMap<RecordShape, Map<string, RowRenderer>>();

function rendererFor(shape: RecordShape, apiVersion: string): RowRenderer {
  let byVersion = renderers.get(shape);
  if (!byVersion) renderers.set(shape, (byVersion = new Map()));
  let render = byVersion.get(apiVersion);
  if (!render) byVersion.set(apiVersion, (render = compileRenderer(shape, urlBaseOf(apiVersion))));
  return render;
}

const NO_CHILDREN: ChildJson = () => 'null';

/**
 * Renders a page of rows as a JSON array. Child subqueries run first, once each for all the
 * page's parent ids, so every parent's children are ready when its row is written.
 */
function renderRows(org: Org, plan: RecordPlan, rows: unknown[][], apiVersion: string): string {
  if (rows.length === 0) return '[]';
  let children = NO_CHILDREN;
  if (plan.children.length) {
    const idsJson = JSON.stringify(rows.map((r) => r[plan.shape.idCol]));
    const rendered = plan.children.map((child) => {
      let stmt = childStatements.get(child);
      if (!stmt) childStatements.set(child, (stmt = org.db.prepare(child.sql).raw(true)));
      const render = rendererFor(child.shape, apiVersion);
      const byParent = new Map<string, string[]>();
      for (const row of stmt.all(idsJson, ...child.params) as unknown[][]) {
        const parentId = row[child.parentCol] as string;
        let list = byParent.get(parentId);
        if (!list) byParent.set(parentId, (list = []));
        list.push(render(row, NO_CHILDREN));
      }
      return byParent;
    });
    children = (index, parentId) => {
      const list = rendered[index].get(parentId);
      return list ? `{"totalSize":${list.length},"done":true,"records":[${list.join(',')}]}` : 'null';
    };
  }
  const render = rendererFor(plan.shape, apiVersion);
  const out = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = render(rows[i], children);
  return '[' + out.join(',') + ']';
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
