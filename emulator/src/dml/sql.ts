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

/**
 * Runs `fn` in a savepoint of the open transaction: its writes are kept when it returns and undone
 * when it throws. The same as a nested `db.transaction(fn)()`, without building a transaction
 * function per call (that cost more than the row's own SQL).
 */
export function inSavepoint<T>(org: Org, fn: () => T): T {
  prepare(org, 'SAVEPOINT dml_row').run();
  try {
    const result = fn();
    prepare(org, 'RELEASE dml_row').run();
    return result;
  } catch (err) {
    if (org.db.inTransaction) {
      prepare(org, 'ROLLBACK TO dml_row').run();
      prepare(org, 'RELEASE dml_row').run();
    }
    throw err;
  }
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

/** SQL text per object and column set, built once (the statement cache is keyed by this text). */
const sqlTexts = new WeakMap<ObjectDef, Map<string, string>>();

function sqlText(obj: ObjectDef, key: string, build: () => string): string {
  let texts = sqlTexts.get(obj);
  if (!texts) {
    texts = new Map();
    sqlTexts.set(obj, texts);
  }
  let sql = texts.get(key);
  if (sql === undefined) {
    sql = build();
    texts.set(key, sql);
  }
  return sql;
}

export function loadRow(org: Org, obj: ObjectDef, id: string): StoredRow | undefined {
  const sql = sqlText(obj, 'load', () => `SELECT * FROM ${quoteIdent(obj.name)} WHERE "Id" = ?`);
  return prepare(org, sql).get(id) as StoredRow | undefined;
}

export function insertRow(org: Org, obj: ObjectDef, row: StoredRow): void {
  const fields = obj.fields;
  let signature = 'insert:';
  const params: Stored[] = [];
  for (let i = 0; i < fields.length; i++) {
    const v = row[fields[i].name];
    if (v === undefined) signature += '0';
    else {
      signature += '1';
      params.push(v);
    }
  }
  const sql = sqlText(obj, signature, () => {
    const names = fields.map((f) => f.name).filter((n) => row[n] !== undefined);
    return `INSERT INTO ${quoteIdent(obj.name)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  });
  prepare(org, sql).run(params);
}

/** Columns the object lacks are skipped: some objects have no LastModified* or SystemModstamp. */
export function updateRow(org: Org, obj: ObjectDef, id: string, changes: StoredRow): void {
  const names = Object.keys(changes).filter((n) => hasField(obj, n));
  if (names.length === 0) return;
  const sql = sqlText(
    obj,
    `update:${names.join(',')}`,
    () =>
      `UPDATE ${quoteIdent(obj.name)} SET ${names.map((n) => `${quoteIdent(n)} = ?`).join(', ')} WHERE "Id" = ?`,
  );
  const params: Stored[] = new Array(names.length + 1);
  for (let i = 0; i < names.length; i++) params[i] = changes[names[i]];
  params[names.length] = id;
  prepare(org, sql).run(params);
}

const fieldNames = new WeakMap<ObjectDef, Set<string>>();

/** Whether the object has a field of exactly this (canonical) name. */
export function hasField(obj: ObjectDef, name: string): boolean {
  let names = fieldNames.get(obj);
  if (!names) {
    names = new Set(obj.fields.map((f) => f.name));
    fieldNames.set(obj, names);
  }
  return names.has(name);
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
  const limit = opts.limit ?? 1000;
  const sql = sqlText(
    obj,
    `live:${field}:${collate}:${limit}`,
    () =>
      `SELECT "Id" FROM ${quoteIdent(obj.name)} WHERE ${quoteIdent(field)} = ?${collate} AND "IsDeleted" = 0 ORDER BY "Id" LIMIT ${limit}`,
  );
  return (prepare(org, sql).all(value) as Array<{ Id: string }>).map((r) => r.Id);
}

/** Parameters per lookup statement: one prepared statement per shape, padded with NULL (never equal). */
const IN_BATCH = 500;

function inList(n: number): string {
  return new Array(n).fill('?').join(', ');
}

function padded(values: readonly Stored[], from: number): Stored[] {
  const out: Stored[] = values.slice(from, from + IN_BATCH);
  while (out.length < IN_BATCH) out.push(null);
  return out;
}

/**
 * `liveIdsWhere` for many values of one text field at once: folded value (see `foldKey`) → live
 * ids in Id order, at most 200 each (the most an upsert reports).
 */
export function liveIdsIn(
  org: Org,
  obj: ObjectDef,
  field: string,
  values: readonly string[],
  binary: boolean,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, rows] of liveRowsIn(org, obj, field, values, binary, false))
    out.set(
      key,
      rows.map((r) => String(r.Id)),
    );
  return out;
}

/**
 * `liveIdsIn` with the rows themselves (`whole`: every column, else Id and the field): folded
 * value → live rows in Id order, at most 200 each.
 */
export function liveRowsIn(
  org: Org,
  obj: ObjectDef,
  field: string,
  values: readonly string[],
  binary: boolean,
  whole: boolean,
): Map<string, StoredRow[]> {
  const out = new Map<string, StoredRow[]>();
  const column = quoteIdent(field);
  const compared = binary ? `${column} COLLATE BINARY` : column;
  const columns = whole ? '*' : `"Id", ${column}`;
  const stmt = prepare(
    org,
    `SELECT ${columns} FROM ${quoteIdent(obj.name)} WHERE ${compared} IN (${inList(IN_BATCH)}) AND "IsDeleted" = 0`,
  );
  const hits: StoredRow[] = [];
  for (let i = 0; i < values.length; i += IN_BATCH)
    for (const row of stmt.iterate(padded(values, i)) as Iterable<StoredRow>) hits.push(row);
  hits.sort((a, b) => (String(a.Id) < String(b.Id) ? -1 : String(a.Id) > String(b.Id) ? 1 : 0));
  for (const row of hits) {
    const key = foldKey(String(row[field]), binary);
    const rows = out.get(key);
    if (!rows) out.set(key, [row]);
    else if (rows.length < 200) rows.push(row);
  }
  return out;
}

/** `IsDeleted` (and `IsActive` for users) of the rows behind many ids; ids without a row are absent. */
export function liveRowsById(
  org: Org,
  obj: ObjectDef,
  ids: readonly string[],
  withActive: boolean,
): Map<string, { IsDeleted: number; IsActive?: number }> {
  const out = new Map<string, { IsDeleted: number; IsActive?: number }>();
  const cols = withActive ? '"Id", "IsDeleted", "IsActive"' : '"Id", "IsDeleted"';
  const stmt = prepare(
    org,
    `SELECT ${cols} FROM ${quoteIdent(obj.name)} WHERE "Id" IN (${inList(IN_BATCH)})`,
  );
  for (let i = 0; i < ids.length; i += IN_BATCH) {
    for (const row of stmt.iterate(padded(ids, i)) as Iterable<{
      Id: string;
      IsDeleted: number;
      IsActive?: number;
    }>) {
      const { Id, ...rest } = row;
      out.set(Id, rest);
    }
  }
  return out;
}

/** How SQLite compares text: NOCASE folds ASCII letters only; BINARY compares as is. */
export function foldKey(text: string, binary: boolean): string {
  if (binary || !/[A-Z]/.test(text)) return text;
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
