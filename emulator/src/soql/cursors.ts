import type { Statement } from 'better-sqlite3';
import { SfError } from '../errors';
import type { Org } from '../org';
import { quoteIdent } from '../store/codec';
import type { RecordPlan } from './compile';

/** Salesforce lets a cursor sit idle for about 15 minutes. */
export const CURSOR_IDLE_MS = 15 * 60_000;

export const invalidLocator = (): SfError =>
  new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');

export interface OpenCursor {
  id: string;
  plan: RecordPlan;
  firstSeq: number;
  total: number;
  batch: number;
}

interface CursorRow {
  id: string;
  soql: string;
  scan_all: number;
  first_seq: number;
  total: number;
  batch: number;
  last_access: number;
}

/**
 * Materialised query cursors. When a query matches more than one page, its ordered record ids are
 * written once to `_query_cursor_row` (a TEMP table: cursors do not outlive the process, and
 * keeping them out of the org file keeps it small); each page is then a primary-key range read
 * joined back to the object's table, so later pages are consistent and cheap.
 */
export class CursorStore {
  private readonly plans = new Map<string, RecordPlan>();
  private bulkCounter = 0;
  private readonly pageStatements = new WeakMap<RecordPlan, Statement>();
  private readonly insertCursor: Statement;
  private readonly findCursor: Statement;
  private readonly touchCursor: Statement;
  private readonly deleteCursor: Statement;
  private readonly deleteRows: Statement;
  private readonly expired: Statement;

  constructor(private readonly org: Org) {
    org.db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS _query_cursor_row (seq INTEGER PRIMARY KEY, rid INTEGER NOT NULL, record_id TEXT NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS _query_cursor (
        id TEXT PRIMARY KEY, soql TEXT NOT NULL, scan_all INTEGER NOT NULL, first_seq INTEGER NOT NULL,
        total INTEGER NOT NULL, batch INTEGER NOT NULL, last_access INTEGER NOT NULL
      );
    `);
    this.insertCursor = org.db.prepare(
      'INSERT INTO temp._query_cursor (id, soql, scan_all, first_seq, total, batch, last_access) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.findCursor = org.db.prepare('SELECT * FROM temp._query_cursor WHERE id = ?');
    this.touchCursor = org.db.prepare('UPDATE temp._query_cursor SET last_access = ? WHERE id = ?');
    this.deleteCursor = org.db.prepare('DELETE FROM temp._query_cursor WHERE id = ?');
    this.deleteRows = org.db.prepare('DELETE FROM temp._query_cursor_row WHERE seq >= ? AND seq < ?');
    this.expired = org.db.prepare(
      'SELECT id, first_seq, total FROM temp._query_cursor WHERE last_access < ?',
    );
  }

  /**
   * Writes the ordered ids of every row the plan matches (with the table rowid, so pages read rows
   * by rowid rather than through the Id index); returns where they start and how many.
   */
  materialise(plan: RecordPlan): { firstSeq: number; total: number } {
    const sql =
      `INSERT INTO temp._query_cursor_row (rid, record_id) SELECT t.rowid, t."Id" FROM ${plan.fromSql} WHERE ${plan.whereSql} ` +
      `ORDER BY ${plan.orderSql} LIMIT ? OFFSET ?`;
    const info = this.org.db.prepare(sql).run(...plan.params, plan.limit ?? -1, plan.offset);
    const total = info.changes;
    return { firstSeq: total === 0 ? 0 : Number(info.lastInsertRowid) - total + 1, total };
  }

  /** Keeps a materialised result as a cursor clients can page through by locator. */
  register(
    plan: RecordPlan,
    soql: string,
    rows: { firstSeq: number; total: number },
    batch: number,
  ): OpenCursor {
    this.sweep();
    const id = this.org.ids.next('01g');
    this.insertCursor.run(id, soql, plan.scanAll ? 1 : 0, rows.firstSeq, rows.total, batch, this.org.now());
    this.plans.set(id, plan);
    return { id, plan, firstSeq: rows.firstSeq, total: rows.total, batch };
  }

  /**
   * Tracks a Bulk 2.0 read of a materialised result like a cursor, so that rows a caller stops
   * reading half-way (an aborted job) are swept once idle instead of kept forever.
   */
  trackBulk(plan: RecordPlan, rows: { firstSeq: number; total: number }): string {
    this.sweep();
    const id = `bulk-${++this.bulkCounter}`;
    this.insertCursor.run(id, '', plan.scanAll ? 1 : 0, rows.firstSeq, rows.total, 0, this.org.now());
    return id;
  }

  touch(id: string): void {
    this.touchCursor.run(this.org.now(), id);
  }

  /** Ends a bulk read: its rows and its entry go. */
  untrack(id: string, rows: { firstSeq: number; total: number }): void {
    this.discard(rows.firstSeq, rows.total);
    this.deleteCursor.run(id);
  }

  /** The cursor behind a locator, or INVALID_QUERY_LOCATOR when unknown or idle too long. */
  find(id: string, recompile: (soql: string, scanAll: boolean) => RecordPlan): OpenCursor {
    this.sweep();
    const row = this.findCursor.get(id) as CursorRow | undefined;
    if (!row) throw invalidLocator();
    this.touchCursor.run(this.org.now(), id);
    let plan = this.plans.get(id);
    if (!plan) {
      plan = recompile(row.soql, row.scan_all === 1);
      this.plans.set(id, plan);
    }
    return { id, plan, firstSeq: row.first_seq, total: row.total, batch: row.batch };
  }

  /** True while a cursor can still be read (not closed, not idle too long); does not touch it. */
  isLive(id: string): boolean {
    const row = this.findCursor.get(id) as CursorRow | undefined;
    return row !== undefined && row.last_access >= this.org.now() - CURSOR_IDLE_MS;
  }

  /** Rows [offset, offset + count) of a materialised result, in order, as raw column arrays. */
  readRows(plan: RecordPlan, firstSeq: number, offset: number, count: number): unknown[][] {
    let stmt = this.pageStatements.get(plan);
    if (!stmt) {
      stmt = this.org.db
        .prepare(
          `SELECT ${plan.columns.join(', ')} FROM temp._query_cursor_row r CROSS JOIN ${quoteIdent(plan.object.name)} t ON t.rowid = r.rid AND t."Id" = r.record_id ` +
            `${plan.joinSql} WHERE r.seq >= ? AND r.seq < ? ORDER BY r.seq`,
        )
        .raw(true);
      this.pageStatements.set(plan, stmt);
    }
    const start = firstSeq + offset;
    return stmt.all(start, start + count) as unknown[][];
  }

  /** Drops the rows of a materialisation that no cursor keeps. */
  discard(firstSeq: number, total: number): void {
    if (total > 0) this.deleteRows.run(firstSeq, firstSeq + total);
  }

  close(cursor: OpenCursor): void {
    this.discard(cursor.firstSeq, cursor.total);
    this.deleteCursor.run(cursor.id);
    this.plans.delete(cursor.id);
  }

  private sweep(): void {
    const stale = this.expired.all(this.org.now() - CURSOR_IDLE_MS) as Array<{
      id: string;
      first_seq: number;
      total: number;
    }>;
    for (const c of stale) {
      this.discard(c.first_seq, c.total);
      this.deleteCursor.run(c.id);
      this.plans.delete(c.id);
    }
  }
}

const stores = new WeakMap<Org, CursorStore>();

/** One cursor store per org, created on first use. */
export function cursorsOf(org: Org): CursorStore {
  let store = stores.get(org);
  if (!store) {
    store = new CursorStore(org);
    stores.set(org, store);
  }
  return store;
}
