import type { Response } from 'express';
import { SfError } from '../errors';
import { renderLine } from './csv-cells';
import { CsvResponseWriter } from './csv-response';
import { INGEST_CHUNK_ROWS } from './ingest-runner';
import type { JobStore } from './job-store';
import { QUERY_CHUNK_ROWS } from './query-runner';
import { COLUMN_DELIMITERS, LINE_ENDINGS, type JobRecord } from './types';
import { readUploadRows, UploadError } from './upload-reader';

/** successfulResults / failedResults: the stored lines under `sf__` columns plus the upload's header. */
export async function sendIngestResults(
  res: Response,
  store: JobStore,
  job: JobRecord,
  which: 'success' | 'failed',
): Promise<void> {
  const delimiter = COLUMN_DELIMITERS[job.columnDelimiter];
  const out = new CsvResponseWriter(res, LINE_ENDINGS[job.lineEnding]);
  out.start(200);
  const lead = which === 'success' ? ['sf__Id', 'sf__Created'] : ['sf__Id', 'sf__Error'];
  await out.line(renderLine([...lead, ...(job.columns ?? [])], delimiter));
  const chunks = Math.ceil(job.numberRecordsProcessed / INGEST_CHUNK_ROWS);
  const upload = new UploadCursor(store, job);
  try {
    for (let seq = 0; seq < chunks && !out.aborted; seq++) {
      const chunk = store.chunk(job.id, which, seq);
      if (chunk) {
        await out.bytes(store.readRows(job.id, chunk, 0, chunk.rowCount));
        continue;
      }
      const ids = which === 'success' ? store.chunk(job.id, 'success-ids', seq) : null;
      if (!ids) continue;
      // Every row of the chunk succeeded: its stored sf__ cells, then the uploaded row.
      const stored = store.readRows(job.id, ids, 0, ids.rowCount);
      const base = ids.byteRange(0, 0)[0];
      const eol = Buffer.byteLength(LINE_ENDINGS[job.lineEnding]);
      const rows = await upload.rows(ids.firstRow, ids.rowCount);
      for (let i = 0; i < rows.length && !out.aborted; i++) {
        const [start, end] = ids.byteRange(i, i + 1);
        const lead = stored.toString('utf8', start - base, end - base - eol);
        await out.line(lead + delimiter + renderLine(rows[i], delimiter));
      }
    }
  } catch (err) {
    // Rows that were processed parsed then, and parse the same now; anything else is a bug.
    if (!(err instanceof UploadError)) throw err;
  } finally {
    upload.close();
  }
  await out.end();
}

/** The uploaded data rows (header skipped), read forward once, for result lines stored without them. */
class UploadCursor {
  private iterator: AsyncGenerator<string[]> | null = null;
  /** Index of the data row the iterator yields next. */
  private next = 0;

  constructor(
    private readonly store: JobStore,
    private readonly job: JobRecord,
  ) {}

  async rows(from: number, count: number): Promise<string[][]> {
    if (!this.iterator) {
      this.iterator = readUploadRows(this.store.openUpload(this.job.id), this.job);
      await this.iterator.next(); // the header
    }
    const out: string[][] = [];
    while (this.next < from + count) {
      const step = await this.iterator.next();
      if (step.done) break;
      if (this.next >= from) out.push(step.value);
      this.next++;
    }
    return out;
  }

  close(): void {
    // Ends the generator, which closes the upload stream.
    void this.iterator?.return(undefined);
  }
}

/**
 * unprocessedrecords: the uploaded rows the job never reached (it was aborted or failed first).
 * Rows are processed in upload order, so they are the rows after the processed count.
 */
export async function sendUnprocessedRecords(res: Response, store: JobStore, job: JobRecord): Promise<void> {
  const delimiter = COLUMN_DELIMITERS[job.columnDelimiter];
  const out = new CsvResponseWriter(res, LINE_ENDINGS[job.lineEnding]);
  out.start(200);
  if (job.state === 'JobComplete') {
    if (job.columns) await out.line(renderLine(job.columns, delimiter));
    return out.end();
  }
  const processed = job.numberRecordsProcessed;
  let seen = 0; // the header is row 0
  try {
    for await (const row of readUploadRows(store.openUpload(job.id), job)) {
      if (out.aborted) break;
      const isProcessed = seen > 0 && seen <= processed;
      seen++;
      if (!isProcessed) await out.line(renderLine(row, delimiter));
    }
  } catch (err) {
    // An upload that does not parse failed the job; what parsed is all there is to give back.
    if (!(err instanceof UploadError)) throw err;
  }
  await out.end();
}

/** Bulk 2.0 locators are opaque; Salesforce's are the base64 of the next row offset. */
export function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64url');
}

export function decodeLocator(locator: string): number | null {
  if (!/^[A-Za-z0-9_-]+$/.test(locator)) return null;
  const text = Buffer.from(locator, 'base64url').toString('utf8');
  return /^\d{1,12}$/.test(text) ? Number(text) : null;
}

/**
 * GET /jobs/query/{id}/results: one page of the stored rows. Without maxRecords every row goes in
 * one page, because jsforce cannot join pages; Sforce-Locator is the literal `null` on the last.
 */
export async function sendQueryResults(
  res: Response,
  store: JobStore,
  job: JobRecord,
  params: { locator?: string; maxRecords?: string },
): Promise<void> {
  if (job.state !== 'JobComplete') {
    throw new SfError(
      409,
      'INVALIDJOBSTATE',
      `Job ${job.id} is ${job.state}; results are available once it is JobComplete`,
    );
  }
  const total = job.numberRecordsProcessed;
  let start = 0;
  if (params.locator !== undefined && params.locator !== '' && params.locator !== 'null') {
    const decoded = decodeLocator(params.locator);
    if (decoded === null || decoded > total) {
      throw new SfError(400, 'INVALID_LOCATOR', `Invalid locator: ${params.locator}`);
    }
    start = decoded;
  }
  let end = total;
  if (params.maxRecords !== undefined) {
    const max = /^\d{1,9}$/.test(params.maxRecords) ? Number(params.maxRecords) : 0;
    if (max < 1) {
      throw new SfError(
        400,
        'API_ERROR',
        `Invalid maxRecords: ${params.maxRecords}. It must be a positive integer.`,
      );
    }
    end = Math.min(total, start + max);
  }

  const out = new CsvResponseWriter(res, LINE_ENDINGS[job.lineEnding]);
  out.start(200, {
    'Sforce-Locator': end < total ? encodeLocator(end) : 'null',
    'Sforce-NumberOfRecords': String(end - start),
  });
  await out.line(renderLine(job.columns ?? [], COLUMN_DELIMITERS[job.columnDelimiter]));
  for (let seq = Math.floor(start / QUERY_CHUNK_ROWS); seq * QUERY_CHUNK_ROWS < end && !out.aborted; seq++) {
    const chunk = store.chunk(job.id, 'rows', seq);
    if (!chunk) break;
    const from = Math.max(0, start - chunk.firstRow);
    await out.bytes(store.readRows(job.id, chunk, from, Math.min(chunk.rowCount, end - chunk.firstRow)));
  }
  await out.end();
}
