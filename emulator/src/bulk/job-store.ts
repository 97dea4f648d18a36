import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Db } from '../store/database';
import { JobFiles } from './job-files';
import type { ColumnDelimiter, JobKind, JobOperation, JobRecord, JobState, LineEnding } from './types';

/** Uploads above this size go to a file (see JobFiles) rather than into SQLite. */
export const UPLOAD_FILE_THRESHOLD = 16 * 1024 * 1024;

/**
 * Result lines of a job are stored in chunks of rendered CSV lines, in row order, in its results
 * file. `success-ids` holds the `sf__Id`,`sf__Created` cells alone of a chunk whose rows all
 * succeeded: the rest of each successfulResults line is the uploaded row, rendered when downloaded.
 */
export type ChunkKind = 'success' | 'success-ids' | 'failed' | 'rows';

interface JobRow {
  id: string;
  kind: JobKind;
  operation: JobOperation;
  object: string;
  external_id_field: string | null;
  line_ending: LineEnding;
  column_delimiter: ColumnDelimiter;
  state: JobState;
  created_by: string;
  created_at: number;
  modstamp: number;
  api_version: string;
  query: string | null;
  error_message: string | null;
  records_processed: number;
  records_failed: number;
  retries: number;
  total_ms: number;
  api_active_ms: number;
  columns: string | null;
  uploaded: number;
}

export type NewJob = Pick<
  JobRecord,
  | 'id'
  | 'kind'
  | 'operation'
  | 'object'
  | 'externalIdFieldName'
  | 'lineEnding'
  | 'columnDelimiter'
  | 'state'
  | 'createdById'
  | 'apiVersion'
  | 'query'
> & { createdDate: number };

/** Fields a running job updates as it goes. */
export type JobProgress = Partial<
  Pick<
    JobRecord,
    | 'state'
    | 'errorMessage'
    | 'numberRecordsProcessed'
    | 'numberRecordsFailed'
    | 'totalProcessingTime'
    | 'apiActiveProcessingTime'
    | 'columns'
  >
>;

const PROGRESS_COLUMNS: Record<keyof JobProgress, string> = {
  state: 'state',
  errorMessage: 'error_message',
  numberRecordsProcessed: 'records_processed',
  numberRecordsFailed: 'records_failed',
  totalProcessingTime: 'total_ms',
  apiActiveProcessingTime: 'api_active_ms',
  columns: 'columns',
};

/**
 * Bulk jobs, their uploads and their results, in the org's SQLite file. Column names here are
 * fixed strings of this module; values always travel as `?` parameters.
 */
export class JobStore {
  readonly files: JobFiles;
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly uploadFileThreshold = UPLOAD_FILE_THRESHOLD,
  ) {
    this.files = new JobFiles(db);
    db.exec(`
      CREATE TABLE IF NOT EXISTS _bulk_job (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, operation TEXT NOT NULL, object TEXT NOT NULL,
        external_id_field TEXT, line_ending TEXT NOT NULL, column_delimiter TEXT NOT NULL, state TEXT NOT NULL,
        created_by TEXT NOT NULL, created_at INTEGER NOT NULL, modstamp INTEGER NOT NULL, api_version TEXT NOT NULL,
        query TEXT, error_message TEXT, records_processed INTEGER NOT NULL DEFAULT 0,
        records_failed INTEGER NOT NULL DEFAULT 0, retries INTEGER NOT NULL DEFAULT 0,
        total_ms INTEGER NOT NULL DEFAULT 0, api_active_ms INTEGER NOT NULL DEFAULT 0,
        columns TEXT, uploaded INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS _bulk_job_kind ON _bulk_job (kind, created_at);
      CREATE TABLE IF NOT EXISTS _bulk_upload (job_id TEXT PRIMARY KEY, data BLOB, file TEXT);
      CREATE TABLE IF NOT EXISTS _bulk_result_chunk (
        job_id TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, first_row INTEGER NOT NULL,
        byte_start INTEGER NOT NULL, line_ends BLOB NOT NULL, PRIMARY KEY (job_id, kind, seq)
      ) WITHOUT ROWID;
    `);
    this.stmts = {
      insertJob: db.prepare(
        `INSERT INTO _bulk_job (id, kind, operation, object, external_id_field, line_ending, column_delimiter, state,
           created_by, created_at, modstamp, api_version, query)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getJob: db.prepare('SELECT * FROM _bulk_job WHERE id = ?'),
      listJobs: db.prepare('SELECT * FROM _bulk_job WHERE kind = ? ORDER BY created_at, id'),
      expiredJobs: db.prepare(
        "SELECT id FROM _bulk_job WHERE modstamp < ? AND state IN ('JobComplete', 'Failed', 'Aborted')",
      ),
      deleteJob: db.prepare('DELETE FROM _bulk_job WHERE id = ?'),
      setState: db.prepare('UPDATE _bulk_job SET state = ?, modstamp = ? WHERE id = ?'),
      insertUpload: db.prepare('INSERT INTO _bulk_upload (job_id, data, file) VALUES (?, ?, ?)'),
      getUpload: db.prepare('SELECT data, file FROM _bulk_upload WHERE job_id = ?'),
      deleteUpload: db.prepare('DELETE FROM _bulk_upload WHERE job_id = ?'),
      markUploaded: db.prepare('UPDATE _bulk_job SET uploaded = 1, modstamp = ? WHERE id = ?'),
      insertChunk: db.prepare(
        'INSERT INTO _bulk_result_chunk (job_id, kind, seq, first_row, byte_start, line_ends) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      getChunk: db.prepare(
        'SELECT first_row, byte_start, line_ends FROM _bulk_result_chunk WHERE job_id = ? AND kind = ? AND seq = ?',
      ),
      deleteChunks: db.prepare('DELETE FROM _bulk_result_chunk WHERE job_id = ?'),
    };
  }

  /** False once the org's database is closed: background work stops quietly then. */
  isOpen(): boolean {
    return this.db.open;
  }

  create(job: NewJob): JobRecord {
    this.stmts.insertJob.run(
      job.id,
      job.kind,
      job.operation,
      job.object,
      job.externalIdFieldName,
      job.lineEnding,
      job.columnDelimiter,
      job.state,
      job.createdById,
      job.createdDate,
      job.createdDate,
      job.apiVersion,
      job.query,
    );
    return this.get(job.id) as JobRecord;
  }

  get(id: string): JobRecord | null {
    const row = this.stmts.getJob.get(id) as JobRow | undefined;
    return row ? fromRow(row) : null;
  }

  list(kind: JobKind): JobRecord[] {
    return (this.stmts.listJobs.all(kind) as JobRow[]).map(fromRow);
  }

  /** Ids of finished jobs last changed before `cutoff`. */
  expired(cutoff: number): string[] {
    return (this.stmts.expiredJobs.all(cutoff) as Array<{ id: string }>).map((r) => r.id);
  }

  setState(id: string, state: JobState, at: number): void {
    this.stmts.setState.run(state, at, id);
  }

  update(id: string, progress: JobProgress, at: number): void {
    const sets: string[] = ['modstamp = ?'];
    const values: unknown[] = [at];
    for (const [key, value] of Object.entries(progress) as Array<[keyof JobProgress, unknown]>) {
      sets.push(`${PROGRESS_COLUMNS[key]} = ?`);
      values.push(key === 'columns' ? JSON.stringify(value) : value);
    }
    this.db.prepare(`UPDATE _bulk_job SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  delete(id: string): void {
    this.files.remove(id);
    this.db.transaction(() => {
      this.stmts.deleteUpload.run(id);
      this.stmts.deleteChunks.run(id);
      this.stmts.deleteJob.run(id);
    })();
  }

  saveUpload(id: string, data: Buffer, at: number): void {
    let blob: Buffer | null = data;
    let file: string | null = null;
    if (data.length > this.uploadFileThreshold) {
      file = this.files.writeUpload(id, data);
      blob = null;
    }
    this.db.transaction(() => {
      this.stmts.insertUpload.run(id, blob, file);
      this.stmts.markUploaded.run(at, id);
    })();
  }

  /** The uploaded CSV as a stream of bytes (empty when nothing was uploaded). */
  openUpload(id: string): Readable {
    const row = this.stmts.getUpload.get(id) as { data: Buffer | null; file: string | null } | undefined;
    if (row?.file) return createReadStream(row.file, { highWaterMark: 64 * 1024 });
    return Readable.from(slices(row?.data ?? Buffer.alloc(0), 64 * 1024));
  }

  /** The first bytes of the upload, to check its line endings before parsing. */
  uploadHead(id: string, bytes: number): Buffer {
    const row = this.stmts.getUpload.get(id) as { data: Buffer | null; file: string | null } | undefined;
    if (row?.file) {
      const fd = openSync(row.file, 'r');
      try {
        const head = Buffer.alloc(bytes);
        return head.subarray(0, readSync(fd, head, 0, bytes, 0));
      } finally {
        closeSync(fd);
      }
    }
    return (row?.data ?? Buffer.alloc(0)).subarray(0, bytes);
  }

  /**
   * Appends rendered lines (each followed by `lineEnding`) to the job's results file and records
   * where each line ends, so a page can start and stop at any row.
   */
  addChunk(
    id: string,
    kind: ChunkKind,
    seq: number,
    firstRow: number,
    lines: string[],
    lineEnding: string,
  ): void {
    const ends = new Uint32Array(lines.length);
    const eol = Buffer.byteLength(lineEnding);
    let at = 0;
    for (let i = 0; i < lines.length; i++) {
      at += Buffer.byteLength(lines[i]) + eol;
      ends[i] = at;
    }
    const start = this.files.appendResults(id, Buffer.from(lines.join(lineEnding) + lineEnding));
    this.stmts.insertChunk.run(id, kind, seq, firstRow, start, Buffer.from(ends.buffer));
  }

  chunk(id: string, kind: ChunkKind, seq: number): StoredChunk | null {
    const row = this.stmts.getChunk.get(id, kind, seq) as
      { first_row: number; byte_start: number; line_ends: Buffer } | undefined;
    if (!row) return null;
    const copy = new Uint8Array(row.line_ends); // aligned copy for the Uint32Array view
    return new StoredChunk(row.first_row, row.byte_start, new Uint32Array(copy.buffer, 0, copy.length / 4));
  }

  /** The bytes of rows [from, to) of a chunk (indices within the chunk), line endings included. */
  readRows(id: string, chunk: StoredChunk, from: number, to: number): Buffer {
    const [start, end] = chunk.byteRange(from, to);
    return this.files.readResults(id, start, end - start);
  }
}

/** Where one chunk's lines are in the results file. */
export class StoredChunk {
  constructor(
    readonly firstRow: number,
    private readonly byteStart: number,
    private readonly ends: Uint32Array,
  ) {}

  get rowCount(): number {
    return this.ends.length;
  }

  byteRange(from: number, to: number): [number, number] {
    if (from >= to) return [this.byteStart, this.byteStart];
    return [this.byteStart + (from === 0 ? 0 : this.ends[from - 1]), this.byteStart + this.ends[to - 1]];
  }
}

/** Feeds a buffer to a parser in slices, so a big upload is parsed a little at a time. */
function* slices(data: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

function fromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    operation: r.operation,
    object: r.object,
    externalIdFieldName: r.external_id_field,
    lineEnding: r.line_ending,
    columnDelimiter: r.column_delimiter,
    state: r.state,
    createdById: r.created_by,
    createdDate: r.created_at,
    systemModstamp: r.modstamp,
    apiVersion: r.api_version,
    query: r.query,
    errorMessage: r.error_message,
    numberRecordsProcessed: r.records_processed,
    numberRecordsFailed: r.records_failed,
    retries: r.retries,
    totalProcessingTime: r.total_ms,
    apiActiveProcessingTime: r.api_active_ms,
    columns: r.columns ? (JSON.parse(r.columns) as string[]) : null,
    uploaded: r.uploaded === 1,
  };
}
