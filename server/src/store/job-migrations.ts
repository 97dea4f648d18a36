import type { Migration } from './migrations';

/**
 * Migrations of the server's job tables. They are versioned in their own ledger
 * (`job_schema_migrations`) so that they never interleave with the sync/write-back migrations,
 * which are numbered in `schema_migrations`. Never edit one that has shipped: add the next.
 */
export const JOB_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'server jobs, run locks, server state',
    statements: [
      `CREATE TABLE server_job (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        type TEXT NOT NULL,
        job_trigger TEXT NOT NULL,
        status TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        crm_record_id TEXT,
        dedupe_key TEXT UNIQUE,
        active_key TEXT,
        progress INTEGER NOT NULL DEFAULT 0,
        phase TEXT,
        checkpoint TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        owner TEXT,
        lease_until BIGINT,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        finished_at BIGINT,
        result TEXT,
        error TEXT
      )`,
      // At most one unfinished job per active key (a schedule, the territory-change applier).
      'CREATE UNIQUE INDEX server_job_active ON server_job (active_key) WHERE active_key IS NOT NULL',
      'CREATE INDEX server_job_runnable ON server_job (status, created_at)',
      `CREATE TABLE server_lock (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE TABLE server_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
    ],
  },
];
