import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';
import { JOB_MIGRATIONS } from './job-migrations';
import type { Migration } from './migrations';
import type { EnqueueResult, Job, JobFinish, JobStatus, JobStore, NewJob } from './job-store';

interface JobRow {
  id: string;
  run_id: string;
  type: string;
  job_trigger: Job['trigger'];
  status: JobStatus;
  params: string;
  crm_record_id: string | null;
  progress: number;
  phase: string | null;
  checkpoint: string | null;
  attempts: number;
  owner: string | null;
  lease_until: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  result: string | null;
  error: string | null;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const unjson = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/**
 * The job table and locks in SQLite (the same file as the sync store, or its own). Claims and
 * locks are single statements, which SQLite runs under its write lock, so two server processes
 * on one file can never both win. (PostgreSQL: the claim's sub-select takes `FOR UPDATE SKIP LOCKED`.)
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrateJobTables(this.db, JOB_MIGRATIONS);
  }

  async enqueue(job: NewJob): Promise<EnqueueResult> {
    const info = this.db
      .prepare(
        `INSERT INTO server_job (id, run_id, type, job_trigger, status, params, crm_record_id, dedupe_key, active_key, created_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        job.id,
        job.runId,
        job.type,
        job.trigger,
        JSON.stringify(job.params ?? {}),
        job.crmRecordId ?? null,
        job.dedupeKey ?? null,
        job.activeKey ?? null,
        job.createdAt,
      );
    if (info.changes === 1) return { created: true, job: (await this.get(job.id)) as Job };
    const existing = this.db
      .prepare(
        'SELECT * FROM server_job WHERE (dedupe_key IS NOT NULL AND dedupe_key = ?) OR (active_key IS NOT NULL AND active_key = ?)',
      )
      .get(job.dedupeKey ?? null, job.activeKey ?? null) as JobRow | undefined;
    return { created: false, job: existing ? toJob(existing) : null };
  }

  async get(id: string): Promise<Job | null> {
    const row = this.db.prepare('SELECT * FROM server_job WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async list(opts: { limit?: number; status?: JobStatus } = {}): Promise<Job[]> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const rows = (
      opts.status
        ? this.db
            .prepare('SELECT * FROM server_job WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT ?')
            .all(opts.status, limit)
        : this.db.prepare('SELECT * FROM server_job ORDER BY created_at DESC, id DESC LIMIT ?').all(limit)
    ) as JobRow[];
    return rows.map(toJob);
  }

  async claimNext(owner: string, now: number, leaseMs: number): Promise<Job | null> {
    const row = this.db
      .prepare(
        `UPDATE server_job SET status = 'running', owner = ?, lease_until = ?, attempts = attempts + 1,
           started_at = COALESCE(started_at, ?)
         WHERE id = (
           SELECT id FROM server_job
           WHERE status = 'queued' OR (status IN ('running', 'interrupted') AND lease_until < ?)
           ORDER BY created_at, id LIMIT 1)
         RETURNING *`,
      )
      .get(owner, now + leaseMs, now, now) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async heartbeat(id: string, owner: string, leaseUntil: number): Promise<boolean> {
    return (
      this.db
        .prepare("UPDATE server_job SET lease_until = ? WHERE id = ? AND owner = ? AND status = 'running'")
        .run(leaseUntil, id, owner).changes === 1
    );
  }

  async progress(
    id: string,
    owner: string,
    p: { progress?: number; phase?: string | null; checkpoint?: unknown },
  ): Promise<boolean> {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (p.progress !== undefined) {
      sets.push('progress = ?');
      args.push(Math.max(0, Math.min(100, Math.round(p.progress))));
    }
    if (p.phase !== undefined) {
      sets.push('phase = ?');
      args.push(p.phase);
    }
    if (p.checkpoint !== undefined) {
      sets.push('checkpoint = ?');
      args.push(json(p.checkpoint));
    }
    if (sets.length === 0) return true;
    return (
      this.db
        .prepare(`UPDATE server_job SET ${sets.join(', ')} WHERE id = ? AND owner = ? AND status = 'running'`)
        .run(...args, id, owner).changes === 1
    );
  }

  async release(id: string, owner: string, checkpoint: unknown): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE server_job SET status = 'interrupted', checkpoint = COALESCE(?, checkpoint), lease_until = 0
           WHERE id = ? AND owner = ? AND status = 'running'`,
        )
        .run(json(checkpoint), id, owner).changes === 1
    );
  }

  async finish(id: string, owner: string, f: JobFinish): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE server_job SET status = ?, result = ?, error = ?, finished_at = ?, active_key = NULL,
             lease_until = NULL, progress = CASE WHEN ? = 'succeeded' THEN 100 ELSE progress END
           WHERE id = ? AND owner = ? AND status = 'running'`,
        )
        .run(f.status, json(f.result), json(f.error), f.finishedAt, f.status, id, owner).changes === 1
    );
  }

  async acquireLock(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const info = this.db
      .prepare(
        `INSERT INTO server_lock (name, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE server_lock.expires_at <= ? OR server_lock.owner = excluded.owner`,
      )
      .run(name, owner, now + ttlMs, now);
    return info.changes === 1;
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    this.db.prepare('DELETE FROM server_lock WHERE name = ? AND owner = ?').run(name, owner);
  }

  async getState(key: string): Promise<string | null> {
    const row = this.db.prepare('SELECT value FROM server_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  async setState(key: string, value: string, now: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO server_state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, now);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Applies the job migrations in order, each once, recorded in their own ledger. */
function migrateJobTables(db: Database.Database, migrations: Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS job_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM job_schema_migrations').get() as { v: number | null }).v ?? 0;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new AppError(
      'STORE_TOO_NEW',
      `The store's job tables are at version ${current}, newer than this build knows (${latest}); upgrade the server.`,
      { current, latest },
    );
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      for (const sql of m.statements) db.exec(sql);
      db.prepare('INSERT INTO job_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    })();
  }
}

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    type: r.type,
    trigger: r.job_trigger,
    status: r.status,
    runId: r.run_id,
    params: JSON.parse(r.params) as Record<string, unknown>,
    crmRecordId: r.crm_record_id,
    progress: r.progress,
    phase: r.phase,
    checkpoint: unjson(r.checkpoint),
    attempts: r.attempts,
    owner: r.owner,
    leaseUntil: r.lease_until,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: unjson(r.result),
    error: unjson(r.error) as Job['error'],
  };
}
