import { formatDateTime, toSecond } from '../store/codec';
import type { JobRecord } from './types';

/**
 * The JSON Salesforce returns for a job. Create, state change, status and list answers each carry
 * a different subset of fields; jsforce reads `id`, `state`, `operation` and `errorMessage`.
 */
type Json = Record<string, unknown>;

function base(job: JobRecord): Json {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(toSecond(job.createdDate)),
    systemModstamp: formatDateTime(toSecond(job.systemModstamp)),
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
  };
}

/** The answer to job creation. */
export function createdJobInfo(job: JobRecord): Json {
  return {
    ...base(job),
    ...(job.kind === 'ingest' ? { contentUrl: contentUrl(job) } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** The answer to a PATCH of the state. */
export function patchedJobInfo(job: JobRecord): Json {
  return base(job);
}

/** GET /jobs/{kind}/{id}. */
export function fullJobInfo(job: JobRecord): Json {
  const counts =
    job.kind === 'ingest'
      ? {
          numberRecordsProcessed: job.numberRecordsProcessed,
          numberRecordsFailed: job.numberRecordsFailed,
          retries: job.retries,
          totalProcessingTime: job.totalProcessingTime,
          apiActiveProcessingTime: job.apiActiveProcessingTime,
          apexProcessingTime: 0,
        }
      : {
          numberRecordsProcessed: job.numberRecordsProcessed,
          retries: job.retries,
          totalProcessingTime: job.totalProcessingTime,
        };
  return {
    ...base(job),
    jobType: jobType(job),
    ...(job.kind === 'ingest' ? { contentUrl: contentUrl(job) } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    ...counts,
    ...(job.state === 'Failed' && job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

/** One element of GET /jobs/{kind}. */
export function listedJobInfo(job: JobRecord): Json {
  return {
    ...base(job),
    jobType: jobType(job),
    ...(job.kind === 'ingest' ? { contentUrl: contentUrl(job) } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

function jobType(job: JobRecord): string {
  return job.kind === 'ingest' ? 'V2Ingest' : 'V2Query';
}

function contentUrl(job: JobRecord): string {
  return `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
}
