import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { Faults } from '../faults/faults';
import type { Logger } from '../logger';
import type { Org } from '../org';
import { SfError } from '../errors';
import { toSecond } from '../store/codec';
import { BackgroundWork } from './background';
import { runIngestJob } from './ingest-runner';
import { JobStore } from './job-store';
import type { IngestJobRequest, QueryJobRequest } from './job-requests';
import type { BulkPorts, BulkQueryCursor } from './ports';
import { runQueryJob } from './query-runner';
import type { RunnerDeps } from './runner-deps';
import { FINAL_STATES, type JobKind, type JobRecord } from './types';

export const jobNotFound = (): SfError =>
  new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');

const invalidState = (message: string): SfError => new SfError(409, 'INVALIDJOBSTATE', message);

/** Salesforce deletes finished jobs, with their data and results, seven days after they finish. */
export const JOB_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Bulk API 2.0 jobs of one org: creation, upload, state changes and the background runs. The
 * HTTP routes translate requests into these calls; result files are served by `results.ts`.
 */
export class BulkService {
  readonly store: JobStore;
  private readonly work: BackgroundWork;
  private readonly deps: RunnerDeps;
  /** Query cursors prepared at creation (the validation already built them), used once by the run. */
  private readonly prepared = new Map<string, BulkQueryCursor>();

  constructor(
    readonly org: Org,
    faults: Faults,
    ports: BulkPorts,
    log: Logger,
  ) {
    this.store = new JobStore(org.db);
    this.work = new BackgroundWork(log);
    this.deps = { org, store: this.store, ports, faults, log };
    this.resumeAfterRestart();
  }

  /**
   * A reopened org file may hold jobs that were running when it closed: queued ones run now, and
   * half-done ones fail (rerunning them would write their first rows twice).
   */
  private resumeAfterRestart(): void {
    for (const kind of ['ingest', 'query'] as const) {
      for (const job of this.store.list(kind)) {
        if (job.state === 'UploadComplete') this.startRun(job);
        if (job.state === 'InProgress') {
          const errorMessage =
            'InternalServerError : the embedded org restarted while this job was in progress';
          this.store.update(job.id, { state: 'Failed', errorMessage }, this.org.now());
        }
      }
    }
  }

  private startRun(job: JobRecord): void {
    if (job.kind === 'ingest') {
      this.work.start(job.id, () => runIngestJob(this.deps, job.id));
      return;
    }
    this.work.start(job.id, () => {
      const prepared = this.prepared.get(job.id);
      this.prepared.delete(job.id);
      return runQueryJob(this.deps, job.id, prepared);
    });
  }

  createIngestJob(req: IngestJobRequest, userId: string, apiVersion: string): JobRecord {
    this.purgeExpired();
    return this.store.create({
      id: this.org.ids.next('750'),
      kind: 'ingest',
      operation: req.operation,
      object: req.object,
      externalIdFieldName: req.externalIdFieldName,
      lineEnding: req.lineEnding,
      columnDelimiter: req.columnDelimiter,
      state: 'Open',
      createdById: userId,
      apiVersion,
      query: null,
      createdDate: toSecond(this.org.now()),
    });
  }

  /** Validates the SOQL (throws the engine's SfError) before the job exists, then queues the run. */
  createQueryJob(req: QueryJobRequest, userId: string, apiVersion: string): JobRecord {
    const cursor = this.deps.ports.query.open(this.org, req.query, {
      scanAll: req.operation === 'queryAll',
      userId,
    });
    this.purgeExpired();
    const job = this.store.create({
      id: this.org.ids.next('750'),
      kind: 'query',
      operation: req.operation,
      object: this.objectOf(req.query),
      externalIdFieldName: null,
      lineEnding: req.lineEnding,
      columnDelimiter: req.columnDelimiter,
      state: 'UploadComplete',
      createdById: userId,
      apiVersion,
      query: req.query,
      createdDate: toSecond(this.org.now()),
    });
    this.prepared.set(job.id, cursor);
    this.startRun(job);
    return job;
  }

  job(kind: JobKind, id: string): JobRecord {
    const job = this.store.get(id);
    if (!job || job.kind !== kind) throw jobNotFound();
    return job;
  }

  list(kind: JobKind): JobRecord[] {
    return this.store.list(kind);
  }

  /** The one upload Salesforce allows per ingest job, while it is Open. */
  upload(id: string, data: Buffer): void {
    const job = this.job('ingest', id);
    if (job.state !== 'Open')
      throw invalidState(`Job ${id} is not in Open state; data can be uploaded only to an Open job`);
    if (job.uploaded) {
      throw new SfError(
        400,
        'BULK_API_ERROR',
        `Found multiple contents for job: <${id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
      );
    }
    this.store.saveUpload(id, data, this.org.now());
  }

  /** PATCH {state}: UploadComplete closes an Open ingest job and queues it; Aborted stops any unfinished job. */
  changeState(kind: JobKind, id: string, state: unknown): JobRecord {
    const job = this.job(kind, id);
    if (state === 'Aborted') {
      if (FINAL_STATES.has(job.state))
        throw invalidState(`Job ${id} is already ${job.state} and cannot be aborted`);
      this.store.setState(id, 'Aborted', this.org.now());
      this.prepared.delete(id);
      return this.job(kind, id);
    }
    if (state === 'UploadComplete' && kind === 'ingest') {
      if (job.state !== 'Open')
        throw invalidState(`Job ${id} is ${job.state}; only an Open job can be closed`);
      this.store.setState(id, 'UploadComplete', this.org.now());
      const closed = this.job(kind, id);
      this.startRun(closed);
      return closed;
    }
    throw new SfError(
      400,
      'INVALIDJOB',
      `InvalidJob : Invalid state: ${String(state)}. ${kind === 'ingest' ? 'Use UploadComplete or Aborted' : 'Use Aborted'}`,
    );
  }

  /** Salesforce deletes only jobs that are not being worked on. */
  delete(kind: JobKind, id: string): void {
    const job = this.job(kind, id);
    if (job.state === 'Open' || job.state === 'InProgress') {
      throw invalidState(
        `Job ${id} is ${job.state}; only UploadComplete, JobComplete, Aborted or Failed jobs can be deleted`,
      );
    }
    this.prepared.delete(id);
    this.store.delete(id);
  }

  private purgeExpired(): void {
    for (const id of this.store.expired(this.org.now() - JOB_RETENTION_MS)) this.store.delete(id);
  }

  /** Resolves when no job is running (tests). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** The FROM object for the job info; the SOQL engine has already accepted the query. */
  private objectOf(soql: string): string {
    let name = '';
    try {
      name = parseQuery(soql).sObject ?? '';
    } catch {
      // The engine accepted the query; the object name is only informational here.
    }
    return this.org.schema.find(name)?.name ?? name;
  }
}
