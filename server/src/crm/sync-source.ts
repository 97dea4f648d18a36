import { setTimeout as sleep } from 'node:timers/promises';
import type { PreparedObject, ReadOutcome, ReadPage, ReadSpec, SyncSource } from '../app/sync-ports';
import type { SyncConfig } from '../config/sync-config';
import type { Logger } from '../shared/logger';
import { AppError } from '../shared/errors';
import type { CursorKey, SyncedRecord, SyncStore } from '../store';
import type { ApiResponse, CrmApi } from './api-client';
import { checkFields, fieldsMissing, objectMissing, type ObjectDescribe } from './describe-check';
import { byIdsSoql, idsSoql, keysetSoql } from './keyset-soql';
import { parseCsvRows } from './csv-rows';
import { RecordNormalizer, type FieldTypes } from './record-normalizer';
import { PageParser, type CsvPagePlan } from './sync-page-parser';
import { classifyFailure, withRetry, type RetryPolicy } from './retry';
import { catalogEntry, CURRENCY_FIELD, SYSTEM_FIELDS, type CatalogEntry } from './sync-catalog';

interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

interface JobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted' | 'Open';
  errorMessage?: string;
  /** Rows the job has read so far (moves while it runs, on orgs that report it). */
  numberRecordsProcessed?: number;
  /** The org's own time on the job, in ms, once it is complete. */
  totalProcessingTime?: number;
}

interface ObjectPlan {
  entry: CatalogEntry;
  fields: string[];
  normalizer: RecordNormalizer;
  /** The normaliser's inputs, for the page worker to compile the same one. */
  csv: CsvPagePlan;
}

interface OrgFeatures {
  multiCurrency: boolean;
  splits: boolean;
}

/** Ids per `WHERE Id IN (…)` query: keeps the URL well under the 16 KB REST limit. */
const IDS_PER_QUERY = 300;
/**
 * Records stored per transaction (each with its checkpoint) from a Bulk result page: the main
 * thread then holds the records of one slice, not of a whole page, which kept the sync's peak RSS
 * under its target with a second heap (the page worker's) in the process.
 */
const STORE_SLICE = 25_000;
const HOUR_MS = 3_600_000;
/** A poll aims a little past the job's expected end: one poll too early costs a whole extra call. */
const POLL_MARGIN = 1.1;
/** Rows per ms a Bulk query job takes until this run has timed one (the embedded org does ~80). */
const FIRST_GUESS_ROWS_PER_MS = 100;

/** Bulk 2.0 jobs that fail, hang or time out make the read fall back to REST paging. */
class BulkUnavailable extends Error {}

/**
 * The sync's reader over jsforce. Reads go through REST `queryAll` first (deletes arrive as
 * IsDeleted rows); when the first page shows more rows than the Bulk threshold, or a REST read
 * reaches that many rows (our deliberate `maxFetch`), it continues from the last checkpointed key
 * with a Bulk 2.0 `queryAll` job whose result pages we fetch ourselves by locator (jsforce
 * 3.10.16 cannot join pages). Every page reaches the caller with its keyset position, so the
 * caller stores it and its checkpoint together.
 */
export class CrmSyncSource implements SyncSource {
  private readonly plans = new Map<string, ObjectPlan>();
  private readonly retry: RetryPolicy;
  /**
   * How fast the org prepares Bulk query jobs: rows and time summed over this run's jobs (null until
   * one is done). Summed, as a small job's fixed cost would make its own rate too slow.
   */
  private bulkSpeed: { rows: number; ms: number } | null = null;
  /**
   * One query job of this source is prepared by the org at a time; the other lane's job is created
   * once it is complete. Two jobs prepared side by side share the org and both finish late, while
   * the client sits idle; one after the other, the org prepares the next object's rows while the
   * client parses and stores the last one's.
   */
  private readonly preparing = new OneAtATime();
  /** Parses Bulk result pages, on a worker thread when that pays. */
  private readonly pages: PageParser;
  private readonly storeSlice: number;

  constructor(
    private readonly api: CrmApi,
    private readonly config: SyncConfig,
    private readonly cache: Pick<SyncStore, 'meta' | 'setMeta'>,
    private readonly log: Logger,
    opts: { pages?: PageParser; storeSlice?: number } = {},
  ) {
    this.retry = config.retry;
    this.pages = opts.pages ?? new PageParser(log);
    this.storeSlice = opts.storeSlice ?? STORE_SLICE;
  }

  usage() {
    const m = this.api.meter;
    return { calls: m.calls, used: m.usage?.used ?? null, limit: m.usage?.limit ?? null };
  }

  setGuard(guard: () => void): void {
    this.api.beforeRequest = guard;
  }

  async prepare(objects: string[], opts: { forceDescribe: boolean; now: number }): Promise<PreparedObject[]> {
    const fresh = (updatedAt: number) =>
      !opts.forceDescribe && opts.now - updatedAt < this.config.describeEveryHours * HOUR_MS;
    const features = await this.features(objects, fresh, opts.now);
    const prepared: PreparedObject[] = [];
    for (const object of objects) {
      const entry = catalogEntry(object) ?? {
        object,
        fields: [],
        when: 'always' as const,
        critical: false,
        typed: {},
      };
      if (entry.when === 'multiCurrency' && !features.multiCurrency) continue;
      if (entry.when === 'splits' && !features.splits) continue;
      const wanted = this.fieldList(entry);
      // CurrencyIsoCode is read where the object has it in a multi-currency org, never required.
      const optional =
        features.multiCurrency && Object.values(entry.typed).includes(CURRENCY_FIELD) ? [CURRENCY_FIELD] : [];
      const { fields, types } = await this.describedTypes(entry.object, wanted, optional, fresh, opts.now);
      this.plans.set(entry.object, {
        entry,
        fields,
        normalizer: new RecordNormalizer(entry.object, fields, types, entry.typed),
        csv: { object: entry.object, fields, types, typed: entry.typed },
      });
      prepared.push({ object: entry.object, critical: entry.critical });
    }
    return prepared;
  }

  async read(spec: ReadSpec, onPage: (page: ReadPage) => Promise<void>): Promise<ReadOutcome> {
    const plan = this.plan(spec.object);
    const started = Date.now();
    let body: QueryResult;
    let orgStart: number;
    try {
      const res = await this.call(`query ${spec.object}`, () =>
        this.api.request<QueryResult>({
          method: 'GET',
          url: `/queryAll?q=${encodeURIComponent(keysetSoql(spec.object, plan.fields, spec.from, spec.after))}`,
        }),
      );
      body = res.body;
      orgStart = orgStartFrom(res.headers.date, started);
    } catch (err) {
      throw this.explain(spec.object, err);
    }
    let rows = 0;
    let last: CursorKey | null = spec.after;
    const expected = body.totalSize;
    let bulkTried = false;
    for (let first = true; ; first = false) {
      const records = body.records.map((r) => this.normalize(plan, r));
      rows += records.length;
      if (records.length > 0) last = keyOf(records[records.length - 1]);
      await onPage({ records, last: records.length > 0 ? last : null, orgStart, expected });
      if (body.done || !body.nextRecordsUrl) return { mode: 'rest', rows, orgStart };
      const tooBig =
        (first && body.totalSize > this.config.bulkThreshold) || rows >= this.config.bulkThreshold;
      if (tooBig && !bulkTried) {
        // One Bulk attempt per read: a job that failed once is not worth recreating every page.
        bulkTried = true;
        try {
          const bulkRows = await this.readBulk(
            plan,
            spec.object,
            last,
            orgStart,
            expected,
            expected - rows,
            onPage,
          );
          return { mode: 'bulk', rows: rows + bulkRows, orgStart };
        } catch (err) {
          if (!(err instanceof BulkUnavailable)) throw err;
          this.log.warn(
            { object: spec.object, reason: err.message },
            'Bulk 2.0 query unavailable; continuing over REST',
          );
        }
      }
      const next = body.nextRecordsUrl;
      try {
        body = (
          await this.call(`query ${spec.object}`, () =>
            this.api.request<QueryResult>({ method: 'GET', url: next }),
          )
        ).body;
      } catch (err) {
        // An expired locator: start a new query right after the last stored key.
        if (classifyFailure(err).kind !== 'locator') throw this.explain(spec.object, err);
        const rest = await this.read({ object: spec.object, from: spec.from, after: last }, (p) =>
          onPage({ ...p, orgStart, expected }),
        );
        return { mode: rest.mode, rows: rows + rest.rows, orgStart };
      }
    }
  }

  async readIds(object: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const soql = idsSoql(object);
    const first = (
      await this.call(`ids ${object}`, () =>
        this.api.request<QueryResult>({ method: 'GET', url: `/queryAll?q=${encodeURIComponent(soql)}` }),
      )
    ).body;
    if (!first.done && first.totalSize > this.config.bulkThreshold) {
      try {
        const parse = async (text: string) => parseCsvRows(text);
        await this.bulkPages(object, soql, first.totalSize, parse, async (rows) => {
          if (rows.length === 0) return;
          const at = rows[0].findIndex((h) => h.toLowerCase() === 'id');
          for (let i = 1; i < rows.length; i++) ids.add(rows[i][at]);
        });
        return ids;
      } catch (err) {
        if (!(err instanceof BulkUnavailable)) throw err;
      }
    }
    let body = first;
    for (;;) {
      for (const r of body.records) ids.add(String(r.Id));
      if (body.done || !body.nextRecordsUrl) return ids;
      const next = body.nextRecordsUrl;
      body = (
        await this.call(`ids ${object}`, () => this.api.request<QueryResult>({ method: 'GET', url: next }))
      ).body;
    }
  }

  async readByIds(object: string, ids: string[]): Promise<SyncedRecord[]> {
    const plan = this.plan(object);
    const out: SyncedRecord[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const soql = byIdsSoql(object, plan.fields, ids.slice(i, i + IDS_PER_QUERY));
      const body = (
        await this.call(`query ${object}`, () =>
          this.api.request<QueryResult>({ method: 'GET', url: `/queryAll?q=${encodeURIComponent(soql)}` }),
        )
      ).body;
      out.push(...body.records.map((r) => this.normalize(plan, r)));
    }
    return out;
  }

  private async readBulk(
    plan: ObjectPlan,
    object: string,
    after: CursorKey | null,
    orgStart: number,
    expected: number,
    remaining: number,
    onPage: (page: ReadPage) => Promise<void>,
  ): Promise<number> {
    let rows = 0;
    const parse = (text: string) => this.pages.parse(plan.csv, plan.normalizer, text);
    const store = async (records: SyncedRecord[]): Promise<void> => {
      rows += records.length;
      await onPage({
        records,
        last: records.length > 0 ? keyOf(records[records.length - 1]) : null,
        orgStart,
        expected,
      });
    };
    this.pages.acquire();
    try {
      await this.bulkPages(
        object,
        keysetSoql(object, plan.fields, null, after),
        remaining,
        parse,
        async (page) => {
          if (page.count === 0) return store([]);
          // Stored in slices, each with its checkpoint (any key is a valid resume point): the main
          // thread then holds the records of one slice, not of a whole result page.
          const n = this.storeSlice;
          for (let i = 0; i < page.count; i += n) await store(page.slice(i, i + n));
        },
      );
    } finally {
      this.pages.release();
    }
    return rows;
  }

  /**
   * One Bulk 2.0 queryAll job: create, wait, fetch result pages by locator, delete. Each page's
   * CSV text goes to `parse` as soon as it arrives; the parsed pages reach `onPage` one at a time,
   * in order, and a page's fetch or parse error is thrown once the pages before it were handed over.
   */
  private async bulkPages<T>(
    object: string,
    soql: string,
    expectedRows: number,
    parse: (text: string) => Promise<T>,
    onPage: (page: T) => Promise<void>,
  ): Promise<void> {
    let job: JobInfo;
    const release = await this.preparing.take();
    try {
      job = (
        await this.call(`bulk job ${object}`, () =>
          this.api.request<JobInfo>({
            method: 'POST',
            url: '/jobs/query',
            body: {
              operation: 'queryAll',
              query: soql,
              contentType: 'CSV',
              columnDelimiter: 'COMMA',
              lineEnding: 'LF',
            },
          }),
        )
      ).body;
    } catch (err) {
      release();
      if (err instanceof AppError) throw err;
      throw new BulkUnavailable(`job creation failed: ${(err as Error).message}`);
    }
    let finished = false;
    try {
      try {
        await this.pollJob(job.id, expectedRows);
      } finally {
        release();
      }
      // Settled into values at once: a prefetch (or its parse) that fails while the previous page
      // is being stored must not surface as an unhandled rejection before we get to it.
      type Parsed = { ok: true; page: T } | { ok: false; err: unknown };
      type Fetched = { ok: true; next: string | null; parsed: Promise<Parsed> } | { ok: false; err: unknown };
      const fetchPage = (locator: string | null): Promise<Fetched> => {
        const url = `/jobs/query/${job.id}/results?maxRecords=${this.config.bulkPageSize}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
        return this.call(`bulk results ${object}`, () =>
          this.api.request<string>({
            method: 'GET',
            url,
            responseType: 'text/plain',
            headers: { Accept: 'text/csv' },
          }),
        ).then(
          (res: ApiResponse<string>): Fetched => {
            const next = res.headers['sforce-locator'];
            // Parsing starts as soon as the page arrives: on the page worker, while the main
            // thread is still storing the page before it.
            const parsed = parse(typeof res.body === 'string' ? res.body : '').then(
              (page): Parsed => ({ ok: true, page }),
              (err: unknown): Parsed => ({ ok: false, err }),
            );
            return { ok: true, next: next && next !== 'null' ? next : null, parsed };
          },
          (err: unknown): Fetched => ({ ok: false, err }),
        );
      };
      // The next page is requested before this one is stored, so the org serialises it (and the
      // page worker parses it) while the main thread stores: the processes overlap instead of
      // taking turns. One page ahead: more would only hold more pages in memory.
      let pending: Promise<Fetched> | null = fetchPage(null);
      while (pending) {
        const got: Fetched = await pending;
        if (!got.ok) throw got.err;
        pending = got.next ? fetchPage(got.next) : null;
        const parsed: Parsed = await got.parsed;
        if (!parsed.ok) throw parsed.err;
        await onPage(parsed.page);
      }
      finished = true;
    } finally {
      // A finished job is deleted; an unfinished one is aborted first so it stops using the org.
      await this.dropJob(job.id, !finished);
    }
  }

  /**
   * Status polls are API calls too, so the first one waits about as long as the job should take
   * (expected rows at the org's speed seen so far), and later ones as long as the rows left take at
   * the pace the job itself shows (or half the time spent, on an org that shows no progress).
   */
  private async pollJob(id: string, expectedRows: number): Promise<void> {
    const started = Date.now();
    const deadline = started + this.config.bulkJobTimeoutSeconds * 1000;
    const rowsPerMs = this.bulkSpeed ? this.bulkSpeed.rows / this.bulkSpeed.ms : FIRST_GUESS_ROWS_PER_MS;
    let wait = clamp((expectedRows / rowsPerMs) * POLL_MARGIN + 100, 200, 30_000);
    for (;;) {
      await sleep(Math.max(0, Math.min(wait, deadline - Date.now())));
      const info = (
        await this.call('bulk job status', () =>
          this.api.request<JobInfo>({ method: 'GET', url: `/jobs/query/${id}` }),
        )
      ).body;
      const elapsed = Date.now() - started;
      const processed = info.numberRecordsProcessed ?? 0;
      if (info.state === 'JobComplete') {
        // The org's own time when it gives one: a job found complete at the first poll took at
        // most the time waited, and learning that would only ever make the next wait longer.
        const took =
          info.totalProcessingTime && info.totalProcessingTime > 0 ? info.totalProcessingTime : elapsed;
        const rows = processed > 0 ? processed : expectedRows;
        if (rows >= 10_000) {
          this.bulkSpeed ??= { rows: 0, ms: 0 };
          this.bulkSpeed.rows += rows;
          this.bulkSpeed.ms += Math.max(took, 1);
        }
        return;
      }
      if (info.state === 'Failed' || info.state === 'Aborted')
        throw new BulkUnavailable(`job ${id} ended ${info.state}: ${info.errorMessage ?? ''}`);
      if (Date.now() >= deadline)
        throw new BulkUnavailable(
          `job ${id} still ${info.state} after ${this.config.bulkJobTimeoutSeconds} s`,
        );
      wait =
        processed > 0 && processed < expectedRows
          ? clamp(((expectedRows - processed) * elapsed * POLL_MARGIN) / processed + 100, 200, 5000)
          : clamp(elapsed / 2, 200, 5000);
    }
  }

  private async dropJob(id: string, abort: boolean): Promise<void> {
    try {
      if (abort)
        await this.api.request({ method: 'PATCH', url: `/jobs/query/${id}`, body: { state: 'Aborted' } });
    } catch {
      // Already finished or failed: deleting is what matters.
    }
    try {
      await this.api.request({ method: 'DELETE', url: `/jobs/query/${id}` });
    } catch (err) {
      this.log.warn(
        { job: id, err: (err as Error).message },
        'could not delete a Bulk query job; the org removes it after 7 days',
      );
    }
  }

  private fieldList(entry: CatalogEntry): string[] {
    const cfg = this.config.objects[entry.object] ?? {};
    const base = cfg.fields ?? entry.fields;
    const extra = cfg.extraFields ?? [];
    const seen = new Set<string>();
    return [...SYSTEM_FIELDS, ...base, ...extra].filter((f) => {
      const k = f.toLowerCase();
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }

  /**
   * Multi-currency (Opportunity has CurrencyIsoCode) and splits (OpportunitySplit can be described),
   * cached like describes. Both come from describes the run needs anyway, so no describeGlobal.
   */
  private async features(
    objects: string[],
    fresh: (updatedAt: number) => boolean,
    now: number,
  ): Promise<OrgFeatures> {
    const cached = await this.cache.meta('org-features');
    if (cached && fresh(cached.updatedAt)) return JSON.parse(cached.value) as OrgFeatures;
    const opp = await this.describeCached('Opportunity', fresh, now);
    let splits = false;
    if (objects.some((o) => o.toLowerCase() === 'opportunitysplit')) {
      splits = (await this.describeCached('OpportunitySplit', fresh, now, { optional: true })) !== null;
    }
    const features: OrgFeatures = { multiCurrency: opp.some((f) => f.name === CURRENCY_FIELD), splits };
    await this.cache.setMeta('org-features', JSON.stringify(features), now);
    return features;
  }

  /** The object's fields (name, type), from the cache while fresh; null for an absent optional object. */
  private async describeCached(
    object: string,
    fresh: (updatedAt: number) => boolean,
    now: number,
  ): Promise<ObjectDescribe['fields']>;
  private async describeCached(
    object: string,
    fresh: (updatedAt: number) => boolean,
    now: number,
    opts: { optional: true },
  ): Promise<ObjectDescribe['fields'] | null>;
  private async describeCached(
    object: string,
    fresh: (updatedAt: number) => boolean,
    now: number,
    opts?: { optional: true },
  ): Promise<ObjectDescribe['fields'] | null> {
    const key = `describe:${object}`;
    const cached = await this.cache.meta(key);
    if (cached && fresh(cached.updatedAt)) return JSON.parse(cached.value) as ObjectDescribe['fields'];
    try {
      const fields = (await this.describe(object)).fields.map((f) => ({ name: f.name, type: f.type }));
      await this.cache.setMeta(key, JSON.stringify(fields), now);
      return fields;
    } catch (err) {
      if (opts?.optional && err instanceof AppError && err.code === 'CRM_FIELD_MISSING') return null;
      throw err;
    }
  }

  private async describedTypes(
    object: string,
    wanted: string[],
    optional: string[],
    fresh: (updatedAt: number) => boolean,
    now: number,
  ): Promise<{ fields: string[]; types: FieldTypes }> {
    const described = await this.describeCached(object, fresh, now);
    const present = new Set(described.map((f) => f.name.toLowerCase()));
    const fields = [
      ...wanted,
      ...optional.filter(
        (f) => present.has(f.toLowerCase()) && !wanted.some((w) => w.toLowerCase() === f.toLowerCase()),
      ),
    ];
    return { fields, types: checkFields(object, fields, { name: object, fields: described }) };
  }

  private async describe(object: string): Promise<ObjectDescribe> {
    try {
      return await this.call(`describe ${object}`, () =>
        this.api.get<ObjectDescribe>(`/sobjects/${encodeURIComponent(object)}/describe`),
      );
    } catch (err) {
      if ((err as { errorCode?: string }).errorCode === 'NOT_FOUND') throw objectMissing(object, err);
      throw err;
    }
  }

  private plan(object: string): ObjectPlan {
    const plan = this.plans.get(object);
    if (!plan) throw new AppError('INTERNAL', `${object} was read before prepare()`);
    return plan;
  }

  private normalize(plan: ObjectPlan, record: Record<string, unknown>): SyncedRecord {
    return plan.normalizer.fromJson(record);
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(what, this.retry, fn, (attempt, err) =>
      this.log.warn({ what, attempt, err: (err as Error).message }, 'transient API failure; backing off'),
    );
  }

  /** A field or object that vanished between describe checks still fails loudly, with the same advice. */
  private explain(object: string, err: unknown): unknown {
    const failure = classifyFailure(err);
    if (failure.kind !== 'field') return err;
    const message = (err as Error).message ?? '';
    const column = /No such column '([^']+)'/.exec(message)?.[1];
    if (column) return fieldsMissing(object, [column], err);
    if (failure.errorCode === 'INVALID_TYPE') return objectMissing(object, err);
    return new AppError('CRM_FIELD_MISSING', `${object}: ${message}`, { object }, { cause: err });
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

function keyOf(r: SyncedRecord): CursorKey {
  return { modstamp: r.modstamp, id: r.id };
}

/**
 * The org's time when a query began, from the HTTP Date of its answer: that Date is taken after
 * the query ran and is truncated to the second, so subtract the round trip and one second to be
 * sure the result is not later than the query's start as the org saw it.
 */
function orgStartFrom(dateHeader: string | undefined, sentAt: number): number {
  const roundTrip = Date.now() - sentAt;
  const orgDate = Date.parse(dateHeader ?? '');
  const base = Number.isNaN(orgDate) ? sentAt : orgDate;
  return base - roundTrip - 1000;
}

/** A first-come, first-served slot: `take()` resolves with the release once the holder before lets go. */
class OneAtATime {
  private tail: Promise<void> = Promise.resolve();

  take(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const turn = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return turn;
  }
}
