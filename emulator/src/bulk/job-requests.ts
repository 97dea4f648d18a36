import { SfError } from '../errors';
import type { Schema } from '../schema/registry';
import {
  COLUMN_DELIMITERS,
  INGEST_OPERATIONS,
  LINE_ENDINGS,
  QUERY_OPERATIONS,
  type ColumnDelimiter,
  type IngestOperation,
  type LineEnding,
  type QueryOperation,
} from './types';

/** Validation of job-creation bodies, answered with Salesforce's INVALIDJOB. */
const invalidJob = (message: string): SfError => new SfError(400, 'INVALIDJOB', message);

export interface IngestJobRequest {
  object: string;
  operation: IngestOperation;
  externalIdFieldName: string | null;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
}

export interface QueryJobRequest {
  operation: QueryOperation;
  query: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
}

export function parseIngestJobRequest(body: Record<string, unknown>, schema: Schema): IngestJobRequest {
  const operation = oneOf(body.operation, INGEST_OPERATIONS, 'operation');
  if (typeof body.object !== 'string' || body.object === '')
    throw invalidJob('InvalidJob : Object is required');
  const obj = schema.find(body.object);
  if (!obj) throw invalidJob(`InvalidJob : Unable to find object: ${body.object}`);
  if (body.contentType !== undefined && body.contentType !== 'CSV') {
    throw invalidJob(
      `InvalidJob : Unsupported content type: ${String(body.contentType)}. Only CSV is supported.`,
    );
  }
  let externalIdFieldName: string | null = null;
  if (operation === 'upsert') {
    const name = body.externalIdFieldName;
    if (typeof name !== 'string' || name === '') {
      throw invalidJob(
        `InvalidJob : External ID was blank for ${obj.name}. An External ID must be specified for upsert.`,
      );
    }
    const field = schema.field(obj.name, name);
    if (!field) throw invalidJob(`InvalidJob : Field name not found : ${name}`);
    if (!(field.externalId || field.idLookup || field.type === 'id')) {
      throw invalidJob(`InvalidJob : The field ${field.name} is not an External Id field on ${obj.name}`);
    }
    externalIdFieldName = field.name;
  }
  return {
    object: obj.name,
    operation,
    externalIdFieldName,
    lineEnding: optionalOneOf(body.lineEnding, LINE_ENDINGS, 'lineEnding', 'LF'),
    columnDelimiter: optionalOneOf(body.columnDelimiter, COLUMN_DELIMITERS, 'columnDelimiter', 'COMMA'),
  };
}

export function parseQueryJobRequest(body: Record<string, unknown>): QueryJobRequest {
  const operation = oneOf(body.operation, QUERY_OPERATIONS, 'operation');
  if (typeof body.query !== 'string' || body.query.trim() === '')
    throw invalidJob('InvalidJob : Query is required');
  if (body.contentType !== undefined && body.contentType !== 'CSV') {
    throw invalidJob(
      `InvalidJob : Unsupported content type: ${String(body.contentType)}. Only CSV is supported.`,
    );
  }
  return {
    operation,
    query: body.query,
    lineEnding: optionalOneOf(body.lineEnding, LINE_ENDINGS, 'lineEnding', 'LF'),
    columnDelimiter: optionalOneOf(body.columnDelimiter, COLUMN_DELIMITERS, 'columnDelimiter', 'COMMA'),
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidJob(
    value === undefined || value === null
      ? `InvalidJob : ${name} is required`
      : `InvalidJob : Invalid ${name}: ${String(value)}. Valid values are ${allowed.join(', ')}`,
  );
}

/** jsforce sends `columnDelimiter: undefined`, which JSON drops; null is treated the same. */
function optionalOneOf<T extends string>(
  value: unknown,
  allowed: Record<T, string>,
  name: string,
  fallback: T,
): T {
  if (value === undefined || value === null) return fallback;
  return oneOf(value, Object.keys(allowed) as T[], name);
}
