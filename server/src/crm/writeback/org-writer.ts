import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type {
  ApiUsageSnapshot,
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
  errorMessage?: string;
}

/** Row errors worth sending again: the row was locked, or the org was briefly unable. */
const RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'UNPROCESSED']);
/** Automation on the records hit a per-transaction limit: a smaller chunk may pass. */
const GOVERNOR_MESSAGE = /Apex CPU time limit|Too many (SOQL|DML|query rows)|governor limit/i;
const GOVERNOR_CODES = new Set(['LIMIT_EXCEEDED', 'APEX_CPU_LIMIT_EXCEEDED']);

/** Bulk ingest rows per millisecond to expect before the first poll (the embedded org does ~6,000/s). */
const EXPECTED_INGEST_ROWS_PER_MS = 5;

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
  constructor(
    private readonly api: CrmApi,
    private readonly opts: OrgWriterOptions,
  ) {}

  usage(): ApiUsageSnapshot {
    return {
      calls: this.api.meter.calls,
      used: this.api.meter.usage?.used ?? null,
      limit: this.api.meter.usage?.limit ?? null,
    };
  }

  async writeChunk(sobject: string, mode: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]> {
    const name = soqlName(sobject);
    const records = rows.map((r) => ({ attributes: { type: name }, ...r.record }));
    const { body } = await this.api.request<SaveResultJson[]>({
      method: 'PATCH',
      url: mode === 'upsert' ? `/composite/sobjects/${name}/${EXTERNAL_KEY}` : '/composite/sobjects',
      body: { allOrNone: false, records },
    });
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
          await this.api.get(url);
        for (const r of page.records) out.set(String(r[EXTERNAL_KEY]), String(r.Id));
        url = page.done ? undefined : page.nextRecordsUrl;
      }
    }
    return out;
  }

  async bulkWrite(sobject: string, mode: 'upsert' | 'update', rows: PlannedWrite[]): Promise<RowResult[]> {
    const csv = toCsv(rows.map((r) => r.record));
    // Long traces make big files: over the upload limit, the rows go as several jobs (in order).
    if (Buffer.byteLength(csv) > (this.opts.maxUploadBytes ?? MAX_UPLOAD_BYTES) && rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      const first = await this.bulkWrite(sobject, mode, rows.slice(0, half));
      return [...first, ...(await this.bulkWrite(sobject, mode, rows.slice(half)))];
    }
    return this.bulkJob(sobject, mode, rows, csv);
  }

  private async bulkJob(
    sobject: string,
    mode: 'upsert' | 'update',
    rows: PlannedWrite[],
    csv: string,
  ): Promise<RowResult[]> {
    const name = soqlName(sobject);
    const job = (
      await this.api.request<IngestJob>({
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
      })
    ).body;
    try {
      await this.api.request({
        method: 'PUT',
        url: `/jobs/ingest/${job.id}/batches`,
        rawBody: csv,
        headers: { 'Content-Type': 'text/csv' },
      });
      await this.api.request({
        method: 'PATCH',
        url: `/jobs/ingest/${job.id}`,
        body: { state: 'UploadComplete' },
      });
      const done = await this.waitFor(job.id, rows.length);
      return await this.ingestResults(done, rows, mode === 'upsert' ? EXTERNAL_KEY : 'Id');
    } catch (err) {
      // Best effort: a job left open or running would still write rows we are about to resend.
      await this.api
        .request({ method: 'PATCH', url: `/jobs/ingest/${job.id}`, body: { state: 'Aborted' } })
        .catch(() => undefined);
      throw err;
    }
  }

  /**
   * Polls until the job ends. Every poll is an API call, so the first one waits about as long as the
   * rows should take (at the ingest rate assumed below) rather than polling an unfinished job often.
   */
  private async waitFor(jobId: string, rows: number): Promise<IngestJob> {
    const deadline = Date.now() + this.opts.bulkJobTimeoutSeconds * 1000;
    await sleep(
      Math.min(30_000, Math.max(this.opts.bulkPollMs, Math.round(rows / EXPECTED_INGEST_ROWS_PER_MS))),
    );
    let wait = this.opts.bulkPollMs;
    for (;;) {
      const job = await this.api.get<IngestJob>(`/jobs/ingest/${jobId}`);
      if (job.state === 'JobComplete') return job;
      if (job.state === 'Failed' || job.state === 'Aborted') {
        throw new AppError(
          'CRM_REQUEST_FAILED',
          `Bulk ingest job ${jobId} ended ${job.state}: ${job.errorMessage ?? 'no reason given'}`,
          {
            jobId,
          },
        );
      }
      if (Date.now() > deadline) {
        throw new AppError(
          'CRM_REQUEST_FAILED',
          `Bulk ingest job ${jobId} did not finish in ${this.opts.bulkJobTimeoutSeconds} s`,
          { jobId },
        );
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 2000);
    }
  }

  /**
   * Per-row outcomes of a finished job. Rows are matched by external key (or Id), never by position (Bulk
   * does not promise input order). Successful rows are not downloaded when nothing failed: their
   * Ids are looked up later only if a retraction needs them, which keeps a clean job at four calls.
   */
  private async ingestResults(job: IngestJob, rows: PlannedWrite[], keyColumn: string): Promise<RowResult[]> {
    const failed = new Map<string, { code: string; message: string }>();
    if ((job.numberRecordsFailed ?? 0) > 0) {
      const csv = await this.api.get<string>(`/jobs/ingest/${job.id}/failedResults`, 'text/plain');
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
      const csv = await this.api.get<string>(`/jobs/ingest/${job.id}/unprocessedrecords`, 'text/plain');
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

/**
 * Records as a Bulk CSV: relationship references become `Parent__r.External_Key__c` columns, null
 * is `#N/A` (an empty cell would mean "leave unchanged"), every value quoted.
 */
export function toCsv(records: SObjectRecord[]): string {
  const flat = records.map(flatten);
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const cells = flat.map((r) => columns.map((c) => (c in r ? r[c]! : '')));
  return stringifyCsv([columns, ...cells], { quoted: true, record_delimiter: '\n' });
}

function flatten(record: SObjectRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(record)) {
    if (value !== null && typeof value === 'object') {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>))
        out[`${field}.${sub}`] = cell(v);
    } else out[field] = cell(value);
  }
  return out;
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
