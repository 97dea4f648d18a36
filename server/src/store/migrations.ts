/**
 * Schema migrations, versioned in code and applied in order at open. Each runs once, inside a
 * transaction, and its version is recorded in `schema_migrations`. The SQL is kept to what SQLite
 * and PostgreSQL both accept (TEXT, BIGINT, INTEGER 0/1 booleans, composite primary keys).
 * Never edit a migration that has shipped: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'synced records, cursors, runs, meta, result hashes',
    statements: [
      `CREATE TABLE synced_record (
        object TEXT NOT NULL,
        id TEXT NOT NULL,
        modstamp BIGINT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        owner_id TEXT,
        parent_id TEXT,
        account_id TEXT,
        name TEXT,
        amount TEXT,
        close_date TEXT,
        stage TEXT,
        category TEXT,
        is_closed INTEGER,
        is_won INTEGER,
        currency TEXT,
        raw TEXT NOT NULL,
        PRIMARY KEY (object, id)
      )`,
      'CREATE INDEX synced_record_owner ON synced_record (object, owner_id)',
      'CREATE INDEX synced_record_parent ON synced_record (object, parent_id)',
      'CREATE INDEX synced_record_account ON synced_record (object, account_id)',
      `CREATE TABLE sync_cursor (
        object TEXT PRIMARY KEY,
        bookmark BIGINT,
        resume_modstamp BIGINT,
        resume_id TEXT,
        resume_from BIGINT,
        resume_up_to BIGINT,
        last_reconciled_at BIGINT,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE sync_run (
        id INTEGER PRIMARY KEY,
        started_at BIGINT NOT NULL,
        finished_at BIGINT,
        status TEXT NOT NULL,
        full_sync INTEGER NOT NULL,
        api_calls INTEGER NOT NULL DEFAULT 0,
        objects TEXT NOT NULL DEFAULT '{}',
        errors TEXT NOT NULL DEFAULT '[]',
        note TEXT
      )`,
      `CREATE TABLE sync_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE result_hash (
        external_key TEXT PRIMARY KEY,
        object TEXT NOT NULL,
        hash TEXT NOT NULL,
        written_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'write-back: confirmed results with org ids, dead letters, cycle runs',
    statements: [
      // The last write the org CONFIRMED per result record: only a per-row success moves it.
      `CREATE TABLE result_record (
        object TEXT NOT NULL,
        external_key TEXT NOT NULL,
        hash TEXT NOT NULL,
        org_id TEXT,
        confirmed_at BIGINT NOT NULL,
        run_id TEXT,
        PRIMARY KEY (object, external_key)
      )`,
      `CREATE TABLE result_dead_letter (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL,
        object TEXT NOT NULL,
        external_key TEXT NOT NULL,
        operation TEXT NOT NULL,
        hash TEXT,
        payload TEXT NOT NULL,
        error_code TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        resolved_at BIGINT
      )`,
      'CREATE INDEX result_dead_letter_key ON result_dead_letter (object, external_key)',
      `CREATE TABLE cycle_run (
        run_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        run_trigger TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        finished_at BIGINT,
        status TEXT NOT NULL,
        job_record_id TEXT,
        report TEXT NOT NULL DEFAULT '{}'
      )`,
    ],
  },
  {
    version: 3,
    name: 'synced records: drop the owner, parent and account indexes',
    // No query reads synced_record by those columns (readers go by object and id), and each
    // index cost a B-tree insert per synced row: about a third of the initial sync's store time.
    statements: [
      'DROP INDEX IF EXISTS synced_record_owner',
      'DROP INDEX IF EXISTS synced_record_parent',
      'DROP INDEX IF EXISTS synced_record_account',
    ],
  },
];
