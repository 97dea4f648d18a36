import type Database from 'better-sqlite3';
import type { ConfirmedResult, CycleRunRecord, DeadLetter, WritebackStore } from './writeback-store';

interface DeadLetterRow {
  run_id: string;
  object: string;
  external_key: string;
  operation: DeadLetter['operation'];
  hash: string | null;
  payload: string;
  error_code: string;
  reason: string;
  created_at: number;
}

interface CycleRunRow {
  run_id: string;
  kind: CycleRunRecord['kind'];
  run_trigger: string;
  started_at: number;
  finished_at: number | null;
  status: CycleRunRecord['status'];
  job_record_id: string | null;
  report: string;
}

/** The write-back tables (migration 2) on the sync store's SQLite handle. */
export class SqliteWritebackStore implements WritebackStore {
  private readonly upsertStmt: Database.Statement;
  private readonly resolveStmt: Database.Statement;
  private readonly openLetterStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO result_record (object, external_key, hash, org_id, confirmed_at, run_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (object, external_key) DO UPDATE SET hash = excluded.hash,
         org_id = COALESCE(excluded.org_id, result_record.org_id), confirmed_at = excluded.confirmed_at, run_id = excluded.run_id`,
    );
    this.resolveStmt = db.prepare(
      'UPDATE result_dead_letter SET resolved_at = ? WHERE object = ? AND external_key = ? AND resolved_at IS NULL',
    );
    this.openLetterStmt = db.prepare(
      'SELECT 1 FROM result_dead_letter WHERE object = ? AND resolved_at IS NULL LIMIT 1',
    );
  }

  async confirmed(object: string): Promise<Map<string, { hash: string; orgId: string | null }>> {
    // Rows as arrays: an incremental run loads every confirmed key, and row objects cost twice.
    const rows = this.db
      .prepare('SELECT external_key, hash, org_id FROM result_record WHERE object = ?')
      .raw(true)
      .all(object) as Array<[string, string, string | null]>;
    const out = new Map<string, { hash: string; orgId: string | null }>();
    for (const [key, hash, orgId] of rows) out.set(key, { hash, orgId });
    return out;
  }

  async confirm(object: string, rows: ConfirmedResult[], at: number, runId: string): Promise<void> {
    this.db.transaction(() => {
      // Most objects have no open dead letter: then there is nothing to resolve row by row.
      const letters = this.openLetterStmt.get(object) !== undefined;
      for (const r of rows) {
        this.upsertStmt.run(object, r.externalKey, r.hash, r.orgId, at, runId);
        if (letters) this.resolveStmt.run(at, object, r.externalKey);
      }
    })();
  }

  async forget(object: string, keys: string[]): Promise<void> {
    const del = this.db.prepare('DELETE FROM result_record WHERE object = ? AND external_key = ?');
    const resolve = this.db.prepare(
      'UPDATE result_dead_letter SET resolved_at = ? WHERE object = ? AND external_key = ? AND resolved_at IS NULL',
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const k of keys) {
        del.run(object, k);
        resolve.run(now, object, k);
      }
    })();
  }

  async deadLetter(entries: DeadLetter[]): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO result_dead_letter (run_id, object, external_key, operation, hash, payload, error_code, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const e of entries)
        insert.run(
          e.runId,
          e.object,
          e.externalKey,
          e.operation,
          e.hash,
          e.payload,
          e.errorCode,
          e.reason,
          e.createdAt,
        );
    })();
  }

  async openDeadLetters(object: string): Promise<Map<string, string>> {
    // The newest open letter per key decides (ids grow with time).
    const rows = this.db
      .prepare(
        `SELECT external_key, hash FROM result_dead_letter
         WHERE object = ? AND resolved_at IS NULL AND hash IS NOT NULL ORDER BY id`,
      )
      .all(object) as Array<{ external_key: string; hash: string }>;
    return new Map(rows.map((r) => [r.external_key, r.hash]));
  }

  async deadLettersOfRun(runId: string): Promise<DeadLetter[]> {
    const rows = this.db
      .prepare('SELECT * FROM result_dead_letter WHERE run_id = ? ORDER BY id')
      .all(runId) as DeadLetterRow[];
    return rows.map((r) => ({
      runId: r.run_id,
      object: r.object,
      externalKey: r.external_key,
      operation: r.operation,
      hash: r.hash,
      payload: r.payload,
      errorCode: r.error_code,
      reason: r.reason,
      createdAt: r.created_at,
    }));
  }

  async saveCycleRun(run: CycleRunRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO cycle_run (run_id, kind, run_trigger, started_at, finished_at, status, job_record_id, report)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status,
           job_record_id = excluded.job_record_id, report = excluded.report`,
      )
      .run(
        run.runId,
        run.kind,
        run.trigger,
        run.startedAt,
        run.finishedAt,
        run.status,
        run.jobRecordId,
        JSON.stringify(run.report ?? {}),
      );
  }

  async cycleRun(runId: string): Promise<CycleRunRecord | null> {
    const row = this.db.prepare('SELECT * FROM cycle_run WHERE run_id = ?').get(runId) as
      CycleRunRow | undefined;
    return row ? toCycleRun(row) : null;
  }

  async lastCycleRun(): Promise<CycleRunRecord | null> {
    const row = this.db
      .prepare('SELECT * FROM cycle_run ORDER BY started_at DESC, rowid DESC LIMIT 1')
      .get() as CycleRunRow | undefined;
    return row ? toCycleRun(row) : null;
  }
}

function toCycleRun(r: CycleRunRow): CycleRunRecord {
  return {
    runId: r.run_id,
    kind: r.kind,
    trigger: r.run_trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    jobRecordId: r.job_record_id,
    report: JSON.parse(r.report) as unknown,
  };
}
