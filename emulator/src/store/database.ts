import Database from 'better-sqlite3';
import type { Schema } from '../schema/registry';
import type { ObjectDef } from '../schema/types';
import { columnDefinition, quoteIdent } from './codec';

export type Db = Database.Database;

/** Opens the org's SQLite file (or `:memory:`) with the pragmas a write-heavy emulator wants. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  createSystemTables(db);
  return db;
}

function createSystemTables(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS _org_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS _id_sequence (prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS _key_prefix (object TEXT PRIMARY KEY COLLATE NOCASE, prefix TEXT NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS _delete_log (
      id TEXT PRIMARY KEY, object TEXT NOT NULL COLLATE NOCASE, deleted_at INTEGER NOT NULL, purged INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS _delete_log_object ON _delete_log (object, deleted_at);
  `);
}

/**
 * Creates one table per object (a column per field) and adds columns that metadata gained since the
 * file was created. Indexes cover what sync and SOQL filter on: references, external ids, unique
 * fields, SystemModstamp and the name field.
 */
export function ensureObjectTables(db: Db, schema: Schema): void {
  const tx = db.transaction(() => {
    for (const obj of schema.list()) ensureTable(db, obj);
  });
  tx();
}

function ensureTable(db: Db, obj: ObjectDef): void {
  const table = quoteIdent(obj.name);
  const existing = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
  if (existing.length === 0) {
    db.exec(`CREATE TABLE ${table} (${obj.fields.map(columnDefinition).join(', ')})`);
  } else {
    const have = new Set(existing.map((c) => c.name.toLowerCase()));
    for (const f of obj.fields) {
      if (!have.has(f.name.toLowerCase())) db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnDefinition(f)}`);
    }
  }
  for (const f of obj.fields) {
    // SystemModstamp is served by the (SystemModstamp, Id) index below; a second index on it only
    // cost every insert and update one more entry. Files made before keep theirs.
    const wantsIndex = f.type === 'reference' || f.externalId || f.unique || f.nameField;
    if (!wantsIndex) continue;
    const index = quoteIdent(`${obj.name}__${f.name}__idx`);
    db.exec(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (${quoteIdent(f.name)})`);
    // Case-sensitive matches (`= ? COLLATE BINARY`, e.g. upserts on a case-sensitive external id)
    // cannot use the NOCASE index above: without this one every upserted row scans the table.
    if (f.caseSensitive && (f.externalId || f.unique)) {
      const binary = quoteIdent(`${obj.name}__${f.name}__bin_idx`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${binary} ON ${table} (${quoteIdent(f.name)} COLLATE BINARY)`);
    }
  }
  if (obj.fields.some((f) => f.name === 'SystemModstamp')) {
    const index = quoteIdent(`${obj.name}__modstamp_id__idx`);
    db.exec(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} ("SystemModstamp", "Id")`);
  }
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM _org_meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO _org_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
