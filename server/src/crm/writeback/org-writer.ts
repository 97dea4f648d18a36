import { parse as parseCsv } from 'csv-parse/sync';
import type {
  ApiUsageSnapshot,
  BulkOutcome,
  DeleteResult,
  ResultWriterPort,
  RowFailureKind,
  RowResult,
} from '../../app/writeback-ports';
import { AppError } from '../../shared/errors';
import type { CrmApi } from '../api-client';
import { soqlName, soqlString } from '../soql-values';
import { EXTERNAL_KEY, type PlannedWrite } from './plan';
import type { SObjectRecord } from './result-set';

interface SaveResultJson {
  id?: string;
  success: boolean;
  errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
  created?: boolean;
}

interface IngestJob {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  /** Milliseconds the org spent on the job (set when it ends). */
  totalProcessingTime?: number;
  errorMessage?: string;
}

/** Row errors worth sending again: the row was locked, or the org was briefly unable. */
const RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'UNPROCESSED']);
/** Automation on the records hit a per-transaction limit: a smaller chunk may pass. */
const GOVERNOR_MESSAGE = /Apex CPU time limit|Too many (SOQL|DML|query rows)|governor limit/i;
const GOVERNOR_CODES = new Set(['LIMIT_EXCEEDED', 'APEX_CPU_LIMIT_EXCEEDED']);

/** A poll timed by the job's own progress waits this much longer than the projection (rates wobble). */
const POLL_MARGIN = 1.1;
/** The longest single wait between polls. */
const MAX_POLL_WAIT_MS = 120_000;

/** Keys per SOQL lookup: 100 keys of up to 255 characters stay well under the URL limit. */
const KEYS_PER_QUERY = 100;

export interface OrgWriterOptions {
  bulkPollMs: number;
  bulkJobTimeoutSeconds: number;
  /** Largest CSV upload of one Bulk job (Salesforce: 150 MB after base64, so 100 MB raw). */
  maxUploadBytes?: number;
}

const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/**
 * Writes result records to the org: sObject Collections upserts by External_Key__c (PATCH
 * `/composite/sobjects/{SObject}/External_Key__c`, allOrNone=false), updates by Id, deletes, and
 * Bulk 2.0 ingest upserts. Every request goes through CrmApi, so each is counted and none is
 * retried behind our back (jsforce does not retry PATCH/POST anyway).
 */
export class OrgResultWriter implements ResultWriterPort {
  /** How fast this org ingested this run's finished jobs; times the first poll of the next. */
  private readonly speed = new IngestSpeed();
  /** The waits between polls of this run's jobs, cut short when another job ends. */
  private readonly polls = new PollWaits();
  private readonly callsByObject = new Map<string, number>();

  constructor(
    private readonly api: CrmApi,
    private readonly opts: OrgWriterOptions,
  ) {}

  usage(sobject?: string): ApiUsageSnapshot {
    return {
      calls: sobject === undefined ? this.api.meter.calls : (this.callsByObject.get(sobject) ?? 0),
      used: this.api.meter.usage?.used ?? null,
      limit: this.api.meter.usage?.limit ?? null,
    };
  }

  async writeChunk(sobject: string, mode: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]> {
    const name = soqlName(sobject);
    const records = rows.map((r) => ({ attributes: { type: name }, ...r.record }));
    const { body } = await this.counted(
      sobject,
      this.api.request<SaveResultJson[]>({
        method: 'PATCH',
        url: mode === 'upsert' ? `/composite/sobjects/${name}/${EXTERNAL_KEY}` : '/composite/sobjects',
        body: { allOrNone: false, records },
      }),
    );
    if (!Array.isArray(body) || body.length !== rows.length) {
      throw new AppError(
        'CRM_REQUEST_FAILED',
        `${sobject}: the org answered ${rows.length} records with ${Array.isArray(body) ? body.length : 'no'} results`,
      );
    }
    // Collections answer in request order.
    return body.map((res, i) => toRowResult(rows[i]!.key, res));
  }

  async deleteChunk(ids: string[]): Promise<DeleteResult[]> {
    const { body } = await this.api.request<SaveResultJson[]>({
      method: 'DELETE',
      url: `/composite/sobjects?allOrNone=false&ids=${ids.map(encodeURIComponent).join(',')}`,
    });
    return body.map((res, i) => {
      const r = toRowResult(ids[i]!, res);
      return { id: ids[i]!, ok: r.ok || r.failure?.code === 'ENTITY_IS_DELETED', failure: r.failure };
    });
  }

  async findIds(sobject: string, keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const part = keys.slice(i, i + KEYS_PER_QUERY);
      const soql = `SELECT Id, ${EXTERNAL_KEY} FROM ${soqlName(sobject)} WHERE ${EXTERNAL_KEY} IN (${part.map(soqlString).join(', ')})`;
      let url: string | undefined = `/query?q=${encodeURIComponent(soql)}`;
      while (url) {
        const page: { records: Array<Record<string, unknown>>; nextRecordsUrl?: string; done: boolean } =
          await this.counted(sobject, this.api.get(url));
        for (const r of page.records) out.set(String(r[EXTERNAL_KEY]), String(r.Id));
        url = page.done ? undefined : page.nextRecordsUrl;
      }
    }
    return out;
  }

  /**
   * The rows as Bulk 2.0 jobs: one, or as many as the upload size limit needs (rows packed in order).
   * Each part's CSV is built, uploaded and dropped before the next is built, and the parts run in
   * the org side by side.
   */
  async bulkWrite(
    sobject: string,
    mode: 'upsert' | 'update',
    rows: PlannedWrite[],
    hooks: { onQueued?: () => void } = {},
  ): Promise<BulkOutcome> {
    const max = this.opts.maxUploadBytes ?? MAX_UPLOAD_BYTES;
    const running: Array<{ rows: PlannedWrite[]; outcome: Promise<RowResult[]> }> = [];
    let failure: unknown;
    try {
      for (const part of csvParts(
        rows.map((r) => r.record),
        max,
      )) {
        const partRows = part.from === 0 && part.to === rows.length ? rows : rows.slice(part.from, part.to);
        const jobId = await this.startJob(sobject, mode, part.body);
        const outcome = this.finishJob(sobject, jobId, partRows, mode, part.body.length);
        // Settled below; a rejection must not go unhandled while later parts upload.
        outcome.catch(() => undefined);
        running.push({ rows: partRows, outcome });
      }
    } catch (err) {
      failure = err;
    }
    hooks.onQueued?.();
    const settled = await Promise.allSettled(running.map((r) => r.outcome));
    const failed = settled.filter((s) => s.status === 'rejected');
    // Nothing went through: the caller decides (halt, or send the rows by collections).
    if (failed.length === settled.length && (failure !== undefined || failed.length > 0))
      throw failure ?? (failed[0] as PromiseRejectedResult).reason;
    const only = settled.length === 1 && settled[0]!.status === 'fulfilled' ? settled[0]!.value : null;
    if (only && only.length === rows.length) return { results: only, jobs: 1 };
    const results: RowResult[] = [];
    let done = 0;
    settled.forEach((s, i) => {
      const part = running[i]!;
      done += part.rows.length;
      // One push per row: spreading a job's results into push() overflows the stack on big jobs.
      if (s.status === 'fulfilled') for (const r of s.value) results.push(r);
      else for (const r of part.rows) results.push(jobFailed(r.key, s.reason));
    });
    // Rows of parts that never started (a later upload failed) go back as retryable.
    for (let i = done; i < rows.length; i++) results.push(jobFailed(rows[i]!.key, failure));
    return { results, jobs: running.length + (done < rows.length ? 1 : 0) };
  }

  /** Create, upload, close: the job is queued in the org when this returns. */
  private async startJob(sobject: string, mode: 'upsert' | 'update', csv: Buffer): Promise<string> {
    const name = soqlName(sobject);
    const job = (
      await this.counted(
        sobject,
        this.api.request<IngestJob>({
          method: 'POST',
          url: '/jobs/ingest',
          body:
            mode === 'upsert'
              ? {
                  object: name,
                  operation: 'upsert',
                  externalIdFieldName: EXTERNAL_KEY,
                  contentType: 'CSV',
                  lineEnding: 'LF',
                }
              : { object: name, operation: 'update', contentType: 'CSV', lineEnding: 'LF' },
        }),
      )
    ).body;
    try {
      await this.counted(
        sobject,
        this.api.request({
          method: 'PUT',
          url: `/jobs/ingest/${job.id}/batches`,
          rawBody: csv,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
      await this.counted(
        sobject,
        this.api.request({
          method: 'PATCH',
          url: `/jobs/ingest/${job.id}`,
          body: { state: 'UploadComplete' },
        }),
      );
    } catch (err) {
      await this.abort(sobject, job.id);
      throw err;
    }
    return job.id;
  }

  private async finishJob(
    sobject: string,
    jobId: string,
    rows: PlannedWrite[],
    mode: 'upsert' | 'update',
    bytes: number,
  ): Promise<RowResult[]> {
    try {
      const done = await this.waitFor(sobject, jobId, rows.length, bytes);
      return await this.ingestResults(sobject, done, rows, mode === 'upsert' ? EXTERNAL_KEY : 'Id');
    } catch (err) {
      await this.abort(sobject, jobId);
      throw err;
    }
  }

  /** Best effort: a job left open or running would still write rows we are about to resend. */
  private async abort(sobject: string, jobId: string): Promise<void> {
    await this.counted(
      sobject,
      this.api.request({ method: 'PATCH', url: `/jobs/ingest/${jobId}`, body: { state: 'Aborted' } }),
    ).catch(() => undefined);
  }

  /**
   * Counts a request against its object when the org answered it (as the API meter counts), so
   * objects written side by side each see their own calls.
   */
  private async counted<T>(sobject: string, call: Promise<T>): Promise<T> {
    const bump = () => this.callsByObject.set(sobject, (this.callsByObject.get(sobject) ?? 0) + 1);
    try {
      const result = await call;
      bump();
      return result;
    } catch (err) {
      if (err && typeof err === 'object' && 'status' in err) bump();
      throw err;
    }
  }

  /**
   * Polls until the job ends. Every poll is an API call, so polls are timed to the job's expected
   * end instead of a fixed beat: the first after the time the org took per row and byte in this
   * run's finished jobs (a guess before the first one), later ones after the time the rows not yet
   * processed should take at the rate the job itself shows (`numberRecordsProcessed` moves while it
   * runs). A job therefore usually costs one or two polls.
   */
  private async waitFor(sobject: string, jobId: string, rows: number, bytes: number): Promise<IngestJob> {
    const closed = Date.now();
    const deadline = closed + this.opts.bulkJobTimeoutSeconds * 1000;
    this.polls.started(jobId);
    // The org shares itself among this run's jobs: with others in it, this one takes longer.
    let wait = this.speed.estimateMs(rows, bytes) * this.polls.sharing;
    let previous: { processed: number; elapsedMs: number } | undefined;
    let over = false;
    try {
      for (;;) {
        await this.polls.sleep(jobId, clampWait(wait, this.opts.bulkPollMs, deadline - Date.now()));
        const job = await this.counted(sobject, this.api.get<IngestJob>(`/jobs/ingest/${jobId}`));
        if (job.state === 'JobComplete') {
          // Its time in the org was shared with this run's other jobs: the org's own speed is that
          // time divided by how many shared it.
          const sharing = this.polls.ended(jobId);
          over = true;
          this.speed.learn(rows, bytes, (job.totalProcessingTime ?? Date.now() - closed) / sharing);
          return job;
        }
        if (job.state === 'Failed' || job.state === 'Aborted') {
          throw new AppError(
            'CRM_REQUEST_FAILED',
            `Bulk ingest job ${jobId} ended ${job.state}: ${job.errorMessage ?? 'no reason given'}`,
            { jobId },
          );
        }
        const now = Date.now();
        if (now > deadline) {
          throw new AppError(
            'CRM_REQUEST_FAILED',
            `Bulk ingest job ${jobId} did not finish in ${this.opts.bulkJobTimeoutSeconds} s`,
            { jobId },
          );
        }
        const processed = job.state === 'InProgress' ? (job.numberRecordsProcessed ?? 0) : 0;
        wait = nextPollWait(rows, processed, now - closed, this.opts.bulkPollMs, previous);
        previous = { processed, elapsedMs: now - closed };
      }
    } finally {
      if (!over) this.polls.ended(jobId);
    }
  }

  /**
   * Per-row outcomes of a finished job. Rows are matched by external key (or Id), never by position (Bulk
   * does not promise input order). Successful rows are not downloaded when nothing failed: their
   * Ids are looked up later only if a retraction needs them, which keeps a clean job at four calls.
   */
  private async ingestResults(
    sobject: string,
    job: IngestJob,
    rows: PlannedWrite[],
    keyColumn: string,
  ): Promise<RowResult[]> {
    const failed = new Map<string, { code: string; message: string }>();
    if ((job.numberRecordsFailed ?? 0) > 0) {
      const csv = await this.counted(
        sobject,
        this.api.get<string>(`/jobs/ingest/${job.id}/failedResults`, 'text/plain'),
      );
      for (const r of parseRows(csv)) {
        const [code, ...rest] = String(r.sf__Error ?? '').split(':');
        failed.set(String(r[keyColumn]), {
          code: code || 'UNKNOWN_ERROR',
          message: rest.join(':').replace(/\s*--\s*$/, ''),
        });
      }
    }
    const unprocessed = new Set<string>();
    if ((job.numberRecordsProcessed ?? rows.length) < rows.length) {
      const csv = await this.counted(
        sobject,
        this.api.get<string>(`/jobs/ingest/${job.id}/unprocessedrecords`, 'text/plain'),
      );
      for (const r of parseRows(csv)) unprocessed.add(String(r[keyColumn]));
    }
    return rows.map((row) => {
      const f = failed.get(row.key);
      if (f)
        return {
          key: row.key,
          ok: false,
          orgId: null,
          failure: { kind: classifyRowError(f.code, f.message), ...f },
        };
      if (unprocessed.has(row.key))
        return {
          key: row.key,
          ok: false,
          orgId: null,
          failure: { kind: 'retryable', code: 'UNPROCESSED', message: 'not processed by the Bulk job' },
        };
      return { key: row.key, ok: true, orgId: null };
    });
  }
}

export function classifyRowError(code: string, message: string): RowFailureKind {
  if (RETRYABLE_CODES.has(code)) return 'retryable';
  if (GOVERNOR_CODES.has(code) || GOVERNOR_MESSAGE.test(message)) return 'governor';
  return 'permanent';
}

function toRowResult(key: string, res: SaveResultJson): RowResult {
  if (res.success) return { key, ok: true, orgId: res.id ?? null };
  const e = res.errors?.[0];
  const code = e?.statusCode ?? 'UNKNOWN_ERROR';
  const message = `${e?.message ?? 'no message'}${e?.fields?.length ? ` [${e.fields.join(', ')}]` : ''}`;
  return {
    key,
    ok: false,
    orgId: res.id ?? null,
    failure: { kind: classifyRowError(code, message), code, message },
  };
}

function jobFailed(key: string, err: unknown): RowResult {
  const message = err instanceof Error ? err.message : 'the Bulk job did not start';
  return { key, ok: false, orgId: null, failure: { kind: 'retryable', code: 'BULK_JOB_FAILED', message } };
}

/**
 * How long to wait before polling a running job again: the time its unprocessed rows should take
 * at the rate it has shown (plus a margin) — since the last poll when that poll saw progress, since
 * it was closed otherwise (a rate since closing also counts time it sat queued, so it runs slow);
 * before it shows progress (still queued, or its first rows in work), as long again as it has taken
 * so far; once every row is processed and it is only closing, a twentieth of that.
 */
export function nextPollWait(
  rows: number,
  processed: number,
  elapsedMs: number,
  minMs: number,
  previous?: { processed: number; elapsedMs: number },
): number {
  if (processed > 0 && processed < rows) {
    // Plus the job's last step (result files, the final state), which no row count shows.
    const finishing = elapsedMs * FINISHING_SHARE;
    if (
      previous &&
      previous.processed > 0 &&
      processed > previous.processed &&
      elapsedMs > previous.elapsedMs
    )
      return (
        ((rows - processed) * (elapsedMs - previous.elapsedMs) * POLL_MARGIN) /
          (processed - previous.processed) +
        finishing
      );
    return ((rows - processed) * elapsedMs * POLL_MARGIN) / processed + finishing;
  }
  // Every row processed, the job still closing: a moment, not as long again.
  if (processed >= rows && rows > 0) return Math.max(minMs, elapsedMs * FINISHING_SHARE);
  return Math.max(elapsedMs, minMs);
}

/**
 * The waits between polls of the jobs this writer has in the org. An org shares its ingest among
 * the jobs it runs, so when one of them ends the others speed up: every pending wait then shrinks
 * to the share it would have taken with one job fewer (an org that runs jobs truly in parallel only
 * costs an early poll).
 */
export class PollWaits {
  /** This run's jobs in the org: since when, and the job-milliseconds of sharing counted so far. */
  private readonly inOrg = new Map<string, { since: number; shared: number }>();
  private readonly pending = new Map<string, { until: number; timer: NodeJS.Timeout; done: () => void }>();
  private counted = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Jobs of this run the org is working on. */
  get sharing(): number {
    return this.inOrg.size;
  }

  started(jobId: string): void {
    this.count();
    this.inOrg.set(jobId, { since: this.clock(), shared: 0 });
  }

  sleep(jobId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.pending.delete(jobId);
        resolve();
      };
      this.pending.set(jobId, { until: this.clock() + ms, timer: setTimeout(done, ms), done });
    });
  }

  /**
   * The job is over: the others' waits shrink to their share with one job fewer. Returns how many
   * jobs, on average, the org shared itself among while this one ran (1 when it ran alone), so its
   * time can be read as the org's speed.
   */
  ended(jobId: string): number {
    this.count();
    const job = this.inOrg.get(jobId);
    const sharing = this.inOrg.size;
    this.inOrg.delete(jobId);
    const now = this.clock();
    const average = job && now > job.since ? Math.max(1, job.shared / (now - job.since)) : 1;
    if (sharing < 2) return average;
    for (const wait of this.pending.values()) {
      const left = Math.round((Math.max(0, wait.until - now) * (sharing - 1)) / sharing);
      clearTimeout(wait.timer);
      wait.until = now + left;
      wait.timer = setTimeout(wait.done, left);
    }
    return average;
  }

  /** Adds the time since the last change, times the jobs then in the org, to every job in it. */
  private count(): void {
    const now = this.clock();
    const dt = now - this.counted;
    this.counted = now;
    if (dt <= 0) return;
    for (const job of this.inOrg.values()) job.shared += dt * this.inOrg.size;
  }
}

/** The share of a job's time its last step (result files, the final state) is expected to take. */
const FINISHING_SHARE = 0.05;

function clampWait(wait: number, min: number, remaining: number): number {
  return Math.round(Math.max(min, Math.min(wait, MAX_POLL_WAIT_MS, Math.max(remaining, min))));
}

/**
 * The org's ingest speed as this run has seen it, in milliseconds per unit of work (a row, plus a
 * row per BYTES_PER_UNIT of upload: wide rows with long traces cost more to parse), from the
 * processing time the org reports for finished jobs. Before any job finished it guesses a fast org,
 * so the first poll comes early rather than late.
 */
class IngestSpeed {
  private ms = 0;
  private units = 0;

  estimateMs(rows: number, bytes: number): number {
    // A learned speed is trusted with the margin (one poll, a little late); a guess is not.
    const perUnit = this.units > 0 ? (this.ms / this.units) * POLL_MARGIN : GUESS_MS_PER_UNIT;
    return perUnit * unitsOf(rows, bytes);
  }

  learn(rows: number, bytes: number, ms: number): void {
    if (!(ms > 0) || rows === 0) return;
    this.ms += ms;
    this.units += unitsOf(rows, bytes);
  }
}

const BYTES_PER_UNIT = 400;
const GUESS_MS_PER_UNIT = 0.04;

function unitsOf(rows: number, bytes: number): number {
  return rows + bytes / BYTES_PER_UNIT;
}

/**
 * Records as a Bulk CSV: relationship references become `Parent__r.External_Key__c` columns, null
 * is `#N/A` (an empty cell would mean "leave unchanged"), every non-empty value quoted.
 */
export function toCsv(records: SObjectRecord[]): string {
  const [part] = [...csvParts(records, Infinity)];
  return part?.body.toString('utf8') ?? '';
}

export interface CsvPart {
  /** The file, UTF-8. */
  body: Buffer;
  /** The records in this part: records[from, to). */
  from: number;
  to: number;
}

/**
 * The records as CSV files of at most `maxBytes` each (one unless the limit needs more), built one
 * at a time as the caller asks, so only one file is alive at once. Every file has the same header:
 * the union of every record's fields, in the order they first appear. Each line is encoded straight
 * into the file's buffer: no whole-file string is built, and the HTTP client sends the bytes as
 * they are.
 */
export function* csvParts(records: SObjectRecord[], maxBytes: number): Generator<CsvPart> {
  const columns = csvColumns(records);
  const header = `${columns.names.map(quote).join(',')}\n`;
  const width = columns.names.length;
  const cells: string[] = new Array<string>(width);
  const file = new GrowingBuffer(Math.min(maxBytes, INITIAL_PART_BYTES));
  file.write(header);
  let rows = 0;
  let from = 0;
  for (let i = 0; i < records.length; i++) {
    cells.fill('');
    const record = records[i]!;
    for (const field in record) {
      const value = record[field];
      if (value !== null && typeof value === 'object') {
        const nested = columns.nested.get(field)!;
        for (const sub in value as Record<string, unknown>)
          cells[nested.get(sub)!] = quote(cell((value as Record<string, unknown>)[sub]));
      } else cells[columns.plain.get(field)!] = quote(cell(value));
    }
    const line = `${cells.join(',')}\n`;
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit: count exactly only near the limit.
    if (
      rows > 0 &&
      file.length + line.length * 3 > maxBytes &&
      file.length + Buffer.byteLength(line) > maxBytes
    ) {
      yield { body: file.take(), from, to: i };
      file.write(header);
      rows = 0;
      from = i;
    }
    file.write(line);
    // Once the rows' size is known, room for the rest of the file at once: doubling from a small
    // buffer would copy a 100 MB file several times.
    if (++rows === SIZE_SAMPLE_ROWS)
      file.reserve(Math.min(maxBytes, Math.ceil((file.length / rows) * (records.length - from) * 1.05)));
  }
  if (rows > 0) yield { body: file.take(), from, to: records.length };
}

const INITIAL_PART_BYTES = 1 << 20;
const SIZE_SAMPLE_ROWS = 256;

/** A byte buffer strings are encoded into, doubling as it fills. */
class GrowingBuffer {
  private buf: Buffer;
  length = 0;

  constructor(private readonly initial: number) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  write(text: string): void {
    if (this.buf.length - this.length < text.length * 3) this.grow(this.length + Buffer.byteLength(text));
    this.length += this.buf.write(text, this.length, 'utf8');
  }

  /** The bytes written so far; the buffer starts empty again. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(this.initial);
    this.length = 0;
    return out;
  }

  /** Makes room for `bytes` in all (a hint; writes beyond it still grow the buffer). */
  reserve(bytes: number): void {
    if (Number.isFinite(bytes) && bytes > this.buf.length) this.resize(bytes);
  }

  private grow(needed: number): void {
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    this.resize(size);
  }

  private resize(size: number): void {
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

interface CsvColumns {
  names: string[];
  plain: Map<string, number>;
  /** Reference field → its key field → column. */
  nested: Map<string, Map<string, number>>;
}

function csvColumns(records: SObjectRecord[]): CsvColumns {
  const out: CsvColumns = { names: [], plain: new Map(), nested: new Map() };
  for (const record of records) {
    for (const field in record) {
      const value = record[field];
      if (value !== null && typeof value === 'object') {
        let nested = out.nested.get(field);
        if (!nested) out.nested.set(field, (nested = new Map()));
        for (const sub in value as Record<string, unknown>)
          if (!nested.has(sub)) {
            nested.set(sub, out.names.length);
            out.names.push(`${field}.${sub}`);
          }
      } else if (!out.plain.has(field)) {
        out.plain.set(field, out.names.length);
        out.names.push(field);
      }
    }
  }
  return out;
}

const QUOTE = /"/g;

/** csv-stringify's `quoted: true`: every non-empty value in quotes, quotes doubled. */
function quote(value: string): string {
  if (value === '') return '';
  return value.includes('"') ? `"${value.replace(QUOTE, '""')}"` : `"${value}"`;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '#N/A';
  return String(v);
}

function parseRows(csv: string): Array<Record<string, string>> {
  if (!csv || !csv.trim()) return [];
  return parseCsv(csv, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Array<
    Record<string, string>
  >;
}
