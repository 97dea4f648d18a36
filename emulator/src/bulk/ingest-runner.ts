import { performance } from 'node:perf_hooks';
import { SfError, type RowError } from '../errors';
import { yieldToEventLoop } from './background';
import { renderLine } from './csv-cells';
import type { BulkDmlContext, BulkSaveResult } from './ports';
import { INJECTED_FAILURE, type RunnerDeps } from './runner-deps';
import type { IngestOperation, JobRecord } from './types';
import { COLUMN_DELIMITERS, LINE_ENDINGS } from './types';
import { checkLineEnding, readUploadRows, UploadError } from './upload-reader';

/** Rows per DML call: one SQLite transaction each, and a turn of the event loop between them. */
export const INGEST_CHUNK_ROWS = 2000;

/** `CODE:message:fields --`, the sf__Error form jsforce's tests expect. */
export function formatRowErrors(errors: RowError[]): string {
  return errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`).join(' ');
}

/**
 * Processes an ingest job that is UploadComplete: parses its upload, writes the rows through the
 * DML layer a chunk at a time and stores the result lines. Stops quietly when the job is aborted
 * or deleted, or the org is closed, between chunks.
 */
export async function runIngestJob(deps: RunnerDeps, jobId: string): Promise<void> {
  const { org, store } = deps;
  const job = store.get(jobId);
  if (!job || job.state !== 'UploadComplete') return;
  const started = performance.now();
  store.update(jobId, { state: 'InProgress' }, org.now());

  const outcome = deps.faults.bulkJobOutcome();
  if (outcome === 'stuck') return;
  if (outcome === 'fail') {
    store.update(jobId, { state: 'Failed', errorMessage: INJECTED_FAILURE }, org.now());
    return;
  }

  const progress = { processed: 0, failed: 0, apiMs: 0, chunks: 0 };
  const finish = (fields: { state: 'JobComplete' | 'Failed'; errorMessage?: string }): void => {
    if (!store.isOpen() || store.get(jobId)?.state !== 'InProgress') return;
    store.update(
      jobId,
      {
        ...fields,
        numberRecordsProcessed: progress.processed,
        numberRecordsFailed: progress.failed,
        apiActiveProcessingTime: Math.round(progress.apiMs),
        totalProcessingTime: Math.round(performance.now() - started),
      },
      org.now(),
    );
  };

  try {
    checkLineEnding(store.uploadHead(jobId, 64 * 1024), job.lineEnding);
    const rows = readUploadRows(store.openUpload(jobId), job);
    let mapping: ColumnMapping | null = null;
    let batch: string[][] = [];
    for await (const row of rows) {
      if (!mapping) {
        mapping = mapColumns(deps, job, row);
        store.update(jobId, { columns: row }, org.now());
        continue;
      }
      batch.push(row);
      if (batch.length < INGEST_CHUNK_ROWS) continue;
      processChunk(deps, job, mapping, batch, progress);
      batch = [];
      await yieldToEventLoop();
      if (!stillRunning(deps, jobId)) return;
    }
    if (mapping && batch.length > 0) processChunk(deps, job, mapping, batch, progress);
    finish({ state: 'JobComplete' });
  } catch (err) {
    if (err instanceof UploadError) return finish({ state: 'Failed', errorMessage: err.message });
    if (!store.isOpen()) return;
    // The DML layer refused the whole call (not one row): the job fails with its reason.
    if (err instanceof SfError)
      return finish({ state: 'Failed', errorMessage: `${err.errorCode} : ${err.message}` });
    deps.log.error({ err, jobId }, 'bulk ingest job crashed');
    finish({
      state: 'Failed',
      errorMessage: `InternalServerError : ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

function stillRunning(deps: RunnerDeps, jobId: string): boolean {
  return deps.store.isOpen() && deps.store.get(jobId)?.state === 'InProgress';
}

interface ColumnMapping {
  /** The field name each column is written to (canonical where it is a field of the object). */
  fields: string[];
  /** Index of the Id column, or -1. */
  idIndex: number;
}

/** Headers match fields case-insensitively; `Parent__r.Ext__c` columns pass to DML as written. */
function mapColumns(deps: RunnerDeps, job: JobRecord, header: string[]): ColumnMapping {
  const seen = new Set<string>();
  const fields = header.map((raw) => {
    const name = raw.trim();
    const field = name.includes('.') ? undefined : deps.org.schema.field(job.object, name);
    if (!field && !name.includes('.')) throw new UploadError(`InvalidBatch : Field name not found : ${name}`);
    const canonical = field?.name ?? name;
    if (seen.has(canonical.toLowerCase()))
      throw new UploadError(`InvalidBatch : Duplicate field name: ${name}`);
    seen.add(canonical.toLowerCase());
    return canonical;
  });
  const idIndex = fields.indexOf('Id');
  const op = job.operation as IngestOperation;
  if ((op === 'delete' || op === 'hardDelete') && idIndex < 0) {
    throw new UploadError('InvalidBatch : Field name not found : Id');
  }
  return { fields, idIndex };
}

function processChunk(
  deps: RunnerDeps,
  job: JobRecord,
  mapping: ColumnMapping,
  rows: string[][],
  progress: { processed: number; failed: number; apiMs: number; chunks: number },
): void {
  const op = job.operation as IngestOperation;
  const t0 = performance.now();
  const results = callDml(deps, job, op, mapping, rows);
  progress.apiMs += performance.now() - t0;

  const delimiter = COLUMN_DELIMITERS[job.columnDelimiter];
  const lineEnding = LINE_ENDINGS[job.lineEnding];
  // A chunk without failures keeps only each row's sf__Id and sf__Created: the uploaded cells
  // follow them in the result line, and copying long rows into a second file cost as much as a
  // fifth of a wide upsert's time, for results the write-back never downloads.
  const allSucceeded = results.every((r) => r.success);
  const successLines: string[] = [];
  const failedLines: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = results[i];
    const row = rows[i];
    const inputId = mapping.idIndex >= 0 ? row[mapping.idIndex] : '';
    if (r.success) {
      const created = r.created ?? op === 'insert';
      successLines.push(
        renderLine(
          allSucceeded ? [r.id ?? inputId, String(created)] : [r.id ?? inputId, String(created), ...row],
          delimiter,
        ),
      );
    } else {
      failedLines.push(renderLine([r.id ?? inputId, formatRowErrors(r.errors), ...row], delimiter));
    }
  }
  const seq = progress.chunks++;
  const firstRow = progress.processed;
  progress.processed += rows.length;
  progress.failed += failedLines.length;
  const successKind = allSucceeded ? 'success-ids' : 'success';
  deps.org.db.transaction(() => {
    if (successLines.length)
      deps.store.addChunk(job.id, successKind, seq, firstRow, successLines, lineEnding);
    if (failedLines.length) deps.store.addChunk(job.id, 'failed', seq, firstRow, failedLines, lineEnding);
    deps.store.update(
      job.id,
      { numberRecordsProcessed: progress.processed, numberRecordsFailed: progress.failed },
      deps.org.now(),
    );
  })();
}

function callDml(
  deps: RunnerDeps,
  job: JobRecord,
  op: IngestOperation,
  mapping: ColumnMapping,
  rows: string[][],
): BulkSaveResult[] {
  const { org, ports } = deps;
  const ctx: BulkDmlContext = { userId: job.createdById, faults: deps.faults };
  if (op === 'delete' || op === 'hardDelete') {
    const ids = rows.map((row) => row[mapping.idIndex]);
    return op === 'delete' ? ports.dml.delete(org, ids, ctx) : ports.dml.hardDelete(org, ids, ctx);
  }
  const records = rows.map((row) => {
    const rec: Record<string, string> = {};
    for (let c = 0; c < mapping.fields.length; c++) rec[mapping.fields[c]] = row[c] ?? '';
    return rec;
  });
  switch (op) {
    case 'insert':
      return ports.dml.insert(org, job.object, records, ctx);
    case 'update':
      return ports.dml.update(org, job.object, records, ctx);
    case 'upsert':
      return ports.dml.upsert(org, job.object, job.externalIdFieldName ?? 'Id', records, ctx);
  }
}
