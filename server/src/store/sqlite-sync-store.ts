import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';
import { SCAN_MMAP_BYTES, scanChunks, type ScanChunk } from './scan-chunks';
import { ScanReader } from './scan-reader';
import { SqliteWritebackStore } from './sqlite-writeback-store';
import type {
  CursorKey,
  ObjectCursor,
  ParsedRecord,
  ResultHash,
  SyncedRecord,
  SyncRun,
  SyncStore,
} from './sync-store';

interface RecordRow {
  object: string;
  id: string;
  modstamp: number;
  deleted: number;
  owner_id: string | null;
  parent_id: string | null;
  account_id: string | null;
  name: string | null;
  amount: string | null;
  close_date: string | null;
  stage: string | null;
  category: string | null;
  is_closed: number | null;
  is_won: number | null;
  currency: string | null;
  raw: string;
}

interface CursorRow {
  object: string;
  bookmark: number | null;
  resume_modstamp: number | null;
  resume_id: string | null;
  resume_from: number | null;
  resume_up_to: number | null;
  last_reconciled_at: number | null;
  updated_at: number;
}

interface RunRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  status: SyncRun['status'];
  full_sync: number;
  api_calls: number;
  objects: string;
  errors: string;
  note: string | null;
}

const RECORD_COLUMNS = [
  'object',
  'id',
  'modstamp',
  'deleted',
  'owner_id',
  'parent_id',
  'account_id',
  'name',
  'amount',
  'close_date',
  'stage',
  'category',
  'is_closed',
  'is_won',
  'currency',
  'raw',
] as const;

const bool = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

/**
 * SQLite implementation of the store (better-sqlite3, WAL). A page of records and the checkpoint
 * that covers it commit together, so a process killed at any instant leaves either both or neither.
 * Upserts are last-write-wins on the modification stamp, so re-reading an overlap (lookback,
 * resumed pages) never moves a record backwards.
 */
export class SqliteSyncStore implements SyncStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private writebackStore: SqliteWritebackStore | undefined;
  /** Whole-object reads on a worker thread (files only: a worker cannot open this `:memory:`). */
  private readonly scanReader: ScanReader | null;

  constructor(file: string, opts: { scanWorker?: boolean } = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.scanReader =
      file !== ':memory:' && opts.scanWorker !== false ? new ScanReader(path.resolve(file)) : null;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (default 2 MiB): a 50,000-row page's B-tree pages stay in memory until
    // its commit instead of being spilled and read back.
    this.db.pragma('cache_size = -65536');
    migrate(this.db, MIGRATIONS);
    const cols = RECORD_COLUMNS.join(', ');
    const updates = RECORD_COLUMNS.filter((c) => c !== 'object' && c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    this.upsert = this.db.prepare(
      `INSERT INTO synced_record (${cols}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (object, id) DO UPDATE SET ${updates} WHERE excluded.modstamp >= synced_record.modstamp`,
    );
  }

  async applyPage(
    object: string,
    records: SyncedRecord[],
    checkpoint: (cursor: ObjectCursor) => ObjectCursor,
  ): Promise<void> {
    this.db.transaction(() => {
      for (const r of records) {
        this.upsert.run(
          r.object,
          r.id,
          r.modstamp,
          r.deleted ? 1 : 0,
          r.ownerId,
          r.parentId,
          r.accountId,
          r.name,
          r.amount,
          r.closeDate,
          r.stage,
          r.category,
          bool(r.isClosed),
          bool(r.isWon),
          r.currency,
          r.raw,
        );
      }
      this.writeCursor(checkpoint(this.readCursor(object) ?? emptyCursor(object)));
    })();
  }

  async cursor(object: string): Promise<ObjectCursor | null> {
    return this.readCursor(object);
  }

  async saveCursor(c: ObjectCursor): Promise<void> {
    this.writeCursor(c);
  }

  private readCursor(object: string): ObjectCursor | null {
    const row = this.db.prepare('SELECT * FROM sync_cursor WHERE object = ?').get(object) as
      CursorRow | undefined;
    if (!row) return null;
    const resumeKey: CursorKey | null =
      row.resume_modstamp !== null && row.resume_id !== null
        ? { modstamp: row.resume_modstamp, id: row.resume_id }
        : null;
    return {
      object: row.object,
      bookmark: row.bookmark,
      resumeKey,
      resumeFrom: row.resume_from,
      resumeUpTo: row.resume_up_to,
      lastReconciledAt: row.last_reconciled_at,
      updatedAt: row.updated_at,
    };
  }

  private writeCursor(c: ObjectCursor): void {
    this.db
      .prepare(
        `INSERT INTO sync_cursor (object, bookmark, resume_modstamp, resume_id, resume_from, resume_up_to, last_reconciled_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (object) DO UPDATE SET bookmark = excluded.bookmark, resume_modstamp = excluded.resume_modstamp,
           resume_id = excluded.resume_id, resume_from = excluded.resume_from, resume_up_to = excluded.resume_up_to,
           last_reconciled_at = excluded.last_reconciled_at, updated_at = excluded.updated_at`,
      )
      .run(
        c.object,
        c.bookmark,
        c.resumeKey?.modstamp ?? null,
        c.resumeKey?.id ?? null,
        c.resumeFrom,
        c.resumeUpTo,
        c.lastReconciledAt,
        c.updatedAt,
      );
  }

  async resetObject(object: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM synced_record WHERE object = ?').run(object);
      this.db.prepare('DELETE FROM sync_cursor WHERE object = ?').run(object);
    })();
  }

  async record(object: string, id: string): Promise<SyncedRecord | null> {
    const row = this.db.prepare('SELECT * FROM synced_record WHERE object = ? AND id = ?').get(object, id) as
      RecordRow | undefined;
    return row ? toRecord(row) : null;
  }

  async records(object: string, opts: { includeDeleted?: boolean } = {}): Promise<SyncedRecord[]> {
    const sql = opts.includeDeleted
      ? 'SELECT * FROM synced_record WHERE object = ? ORDER BY id'
      : 'SELECT * FROM synced_record WHERE object = ? AND deleted = 0 ORDER BY id';
    return (this.db.prepare(sql).all(object) as RecordRow[]).map(toRecord);
  }

  async scanRecordFields(
    object: string,
    visit: (r: ParsedRecord) => void,
    opts: { includeDeleted?: boolean } = {},
  ): Promise<void> {
    const includeDeleted = opts.includeDeleted === true;
    const visitChunk = (c: ScanChunk, after: string | null): void => {
      const fields = JSON.parse(c.raws) as unknown[];
      // Each raw text is one JSON value, so the array has one element per record; anything else
      // is a raw text that is not JSON on its own (e.g. `1,2`), which a per-record parse rejects.
      if (fields.length !== c.ids.length || c.deleted.length !== c.ids.length)
        throw new AppError('INTERNAL', `A stored ${object} record's raw JSON is not one JSON value.`, {
          object,
          after,
        });
      for (let i = 0; i < c.ids.length; i += 1)
        visit({ id: c.ids[i]!, deleted: c.deleted.charCodeAt(i) === 49, fields: fields[i] });
    };
    let after: string | null = null;
    if (this.scanReader) {
      const outcome = await this.scanReader.scan(object, includeDeleted, (c) => {
        visitChunk(c, after);
        after = c.ids[c.ids.length - 1]!;
      });
      if (outcome.complete) return;
      // No worker (any more): the rest is read here, after the last record visited. Only when the
      // worker was lost mid-read are the two parts two reads rather than one view.
    }
    // Id order visits the table's pages at random (rows are stored in sync order). Through a
    // memory map each page is read in place; through the page cache, every visit to a page that fell
    // out of it is a system call and a copy. The map is dropped afterwards, so the process keeps no
    // file pages beyond this read.
    this.db.pragma(`mmap_size = ${SCAN_MMAP_BYTES}`);
    try {
      this.db.transaction(() => {
        for (const chunk of scanChunks(this.db, object, includeDeleted, after)) {
          visitChunk(chunk, after);
          after = chunk.ids[chunk.ids.length - 1]!;
        }
      })();
    } finally {
      this.db.pragma('mmap_size = 0');
    }
  }

  async count(object: string, opts: { includeDeleted?: boolean } = {}): Promise<number> {
    const sql = opts.includeDeleted
      ? 'SELECT COUNT(*) AS n FROM synced_record WHERE object = ?'
      : 'SELECT COUNT(*) AS n FROM synced_record WHERE object = ? AND deleted = 0';
    return (this.db.prepare(sql).get(object) as { n: number }).n;
  }

  async liveIds(object: string): Promise<string[]> {
    return this.db
      .prepare('SELECT id FROM synced_record WHERE object = ? AND deleted = 0 ORDER BY id')
      .pluck()
      .all(object) as string[];
  }

  async ids(object: string): Promise<string[]> {
    return this.db
      .prepare('SELECT id FROM synced_record WHERE object = ? ORDER BY id')
      .pluck()
      .all(object) as string[];
  }

  async purge(object: string, ids: string[]): Promise<number> {
    const del = this.db.prepare('DELETE FROM synced_record WHERE object = ? AND id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + del.run(object, id).changes, 0))();
  }

  async startRun(run: { startedAt: number; full: boolean }): Promise<number> {
    const res = this.db
      .prepare("INSERT INTO sync_run (started_at, status, full_sync) VALUES (?, 'running', ?)")
      .run(run.startedAt, run.full ? 1 : 0);
    return Number(res.lastInsertRowid);
  }

  async finishRun(run: Omit<SyncRun, 'startedAt'>): Promise<void> {
    this.db
      .prepare(
        'UPDATE sync_run SET finished_at = ?, status = ?, api_calls = ?, objects = ?, errors = ?, note = ? WHERE id = ?',
      )
      .run(
        run.finishedAt,
        run.status,
        run.apiCalls,
        JSON.stringify(run.objects),
        JSON.stringify(run.errors),
        run.note,
        run.id,
      );
  }

  async run(id: number): Promise<SyncRun | null> {
    const row = this.db.prepare('SELECT * FROM sync_run WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  async lastRun(): Promise<SyncRun | null> {
    const row = this.db.prepare('SELECT * FROM sync_run ORDER BY id DESC LIMIT 1').get() as
      RunRow | undefined;
    return row ? toRun(row) : null;
  }

  async resultHash(externalKey: string): Promise<ResultHash | null> {
    const row = this.db.prepare('SELECT * FROM result_hash WHERE external_key = ?').get(externalKey) as
      { external_key: string; object: string; hash: string; written_at: number } | undefined;
    return row
      ? { externalKey: row.external_key, object: row.object, hash: row.hash, writtenAt: row.written_at }
      : null;
  }

  async saveResultHashes(hashes: ResultHash[]): Promise<void> {
    const stmt = this.db.prepare(
      `INSERT INTO result_hash (external_key, object, hash, written_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (external_key) DO UPDATE SET object = excluded.object, hash = excluded.hash, written_at = excluded.written_at`,
    );
    this.db.transaction(() => {
      for (const h of hashes) stmt.run(h.externalKey, h.object, h.hash, h.writtenAt);
    })();
  }

  async meta(key: string): Promise<{ value: string; updatedAt: number } | null> {
    const row = this.db.prepare('SELECT value, updated_at FROM sync_meta WHERE key = ?').get(key) as
      { value: string; updated_at: number } | undefined;
    return row ? { value: row.value, updatedAt: row.updated_at } : null;
  }

  async setMeta(key: string, value: string, updatedAt: number): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO sync_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, value, updatedAt);
  }

  /** The write-back tables on the same database (one file, one connection). */
  writeback(): SqliteWritebackStore {
    return (this.writebackStore ??= new SqliteWritebackStore(this.db));
  }

  async schemaVersion(): Promise<number> {
    return (
      (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ??
      0
    );
  }

  async close(): Promise<void> {
    await this.scanReader?.close();
    this.db.close();
  }
}

export function emptyCursor(object: string): ObjectCursor {
  return {
    object,
    bookmark: null,
    resumeKey: null,
    resumeFrom: null,
    resumeUpTo: null,
    lastReconciledAt: null,
    updatedAt: 0,
  };
}

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: Database.Database, migrations: Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new AppError(
      'STORE_TOO_NEW',
      `The store is at schema version ${current}, newer than this build knows (${latest}); upgrade the server.`,
      {
        current,
        latest,
      },
    );
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      for (const sql of m.statements) db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    })();
  }
}

function toRecord(r: RecordRow): SyncedRecord {
  const b = (v: number | null): boolean | null => (v === null ? null : v === 1);
  return {
    object: r.object,
    id: r.id,
    modstamp: r.modstamp,
    deleted: r.deleted === 1,
    ownerId: r.owner_id,
    parentId: r.parent_id,
    accountId: r.account_id,
    name: r.name,
    amount: r.amount,
    closeDate: r.close_date,
    stage: r.stage,
    category: r.category,
    isClosed: b(r.is_closed),
    isWon: b(r.is_won),
    currency: r.currency,
    raw: r.raw,
  };
}

function toRun(r: RunRow): SyncRun {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    full: r.full_sync === 1,
    apiCalls: r.api_calls,
    objects: JSON.parse(r.objects) as SyncRun['objects'],
    errors: JSON.parse(r.errors) as SyncRun['errors'],
    note: r.note,
  };
}
