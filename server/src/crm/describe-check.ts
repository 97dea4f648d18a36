import { AppError } from '../shared/errors';
import type { FieldTypes } from './record-normalizer';

interface DescribeField {
  name: string;
  type: string;
}

export interface ObjectDescribe {
  name: string;
  queryable?: boolean;
  fields: DescribeField[];
}

/**
 * Checks a configured field list against the org's describe of the object. Any field the org does
 * not show (deleted, renamed, or hidden by field-level security from the integration user) fails
 * the run with one error that names the object, every missing field, and what to grant; a sync
 * never silently reads zero rows or nulls because of it.
 */
export function checkFields(object: string, wanted: string[], describe: ObjectDescribe): FieldTypes {
  const byLower = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
  const missing = wanted.filter((f) => !byLower.has(f.toLowerCase()));
  if (missing.length > 0) throw fieldsMissing(object, missing);
  const types: FieldTypes = {};
  for (const f of wanted) types[f] = byLower.get(f.toLowerCase())?.type ?? 'string';
  return types;
}

export function fieldsMissing(object: string, fields: string[], cause?: unknown): AppError {
  const list = fields.join(', ');
  return new AppError(
    'CRM_FIELD_MISSING',
    `${object}: field${fields.length > 1 ? 's' : ''} ${list} ${fields.length > 1 ? 'are' : 'is'} not visible to the sync user. ` +
      `Grant Read access to ${fields.map((f) => `${object}.${f}`).join(', ')} (field-level security, e.g. in the integration user's permission set), ` +
      `or remove ${fields.length > 1 ? 'them' : 'it'} from config/sync.yaml.`,
    { object, fields },
    cause === undefined ? undefined : { cause },
  );
}

export function objectMissing(object: string, cause?: unknown): AppError {
  return new AppError(
    'CRM_FIELD_MISSING',
    `${object}: the object is not visible to the sync user. Grant Read on ${object} (object permissions in the integration user's permission set), or disable it in config/sync.yaml.`,
    { object, fields: [] },
    cause === undefined ? undefined : { cause },
  );
}
