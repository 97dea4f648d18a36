import type { Statement } from 'better-sqlite3';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { quoteIdent } from '../store/codec';
import type { Db } from '../store/database';
import type { Stored, StoredRow } from './types';

/**
 * Prepared statements and the few tables the DML layer keeps for itself. Every statement is built
 * from schema names (quoteIdent) and `?` parameters; client values only ever travel as parameters.
 */
const cache = new WeakMap<Db, Map<string, Statement>>();
const ready = new WeakSet<Db>();

export function prepare(org: Org, sql: string): Statement {
  let statements = cache.get(org.db);
  if (!statements) {
    statements = new Map();
    cache.set(org.db, statements);
  }
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = org.db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt;
}

/** Bookkeeping for auto-numbers and for what a delete did, so that undelete can reverse it. */
export function ensureDmlTables(org: Org): void {
  if (ready.has(org.db)) return;
  org.db.exec(`
    CREATE TABLE IF NOT EXISTS _auto_number (object TEXT NOT NULL COLLATE NOCASE, field TEXT NOT NULL COLLATE NOCASE, last INTEGER NOT NULL, PRIMARY KEY (object, field));
    CREATE TABLE IF NOT EXISTS _dml_cascade (id TEXT PRIMARY KEY, root_id TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS _dml_cascade_root ON _dml_cascade (root_id);
    CREATE TABLE IF NOT EXISTS _dml_setnull (root_id TEXT NOT NULL, object TEXT NOT NULL, field TEXT NOT NULL, child_id TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS _dml_setnull_root ON _dml_setnull (root_id);
  `);
  ready.add(org.db);
}

export function loadRow(org: Org, obj: ObjectDef, id: string): StoredRow | undefined {
  return prepare(org, `SELECT * FROM ${quoteIdent(obj.name)} WHERE "Id" = ?`).get(id) as
    StoredRow | undefined;
}

export function insertRow(org: Org, obj: ObjectDef, row: StoredRow): void {
  const names = obj.fields.map((f) => f.name).filter((n) => row[n] !== undefined);
  const sql = `INSERT INTO ${quoteIdent(obj.name)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  prepare(org, sql).run(names.map((n) => row[n]));
}

/** Columns the object lacks are skipped: some objects have no LastModified* or SystemModstamp. */
export function updateRow(org: Org, obj: ObjectDef, id: string, changes: StoredRow): void {
  const names = Object.keys(changes).filter((n) => obj.fields.some((f) => f.name === n));
  if (names.length === 0) return;
  const sql = `UPDATE ${quoteIdent(obj.name)} SET ${names.map((n) => `${quoteIdent(n)} = ?`).join(', ')} WHERE "Id" = ?`;
  prepare(org, sql).run([...names.map((n) => changes[n]), id]);
}

/** Live (not deleted) rows whose `field` holds `value`, optionally excluding one id. */
export function liveIdsWhere(
  org: Org,
  obj: ObjectDef,
  field: string,
  value: Stored,
  opts: { binary?: boolean; limit?: number } = {},
): string[] {
  const collate = opts.binary ? ' COLLATE BINARY' : '';
  const sql = `SELECT "Id" FROM ${quoteIdent(obj.name)} WHERE ${quoteIdent(field)} = ?${collate} AND "IsDeleted" = 0 ORDER BY "Id" LIMIT ${opts.limit ?? 1000}`;
  return (prepare(org, sql).all(value) as Array<{ Id: string }>).map((r) => r.Id);
}
