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
];
