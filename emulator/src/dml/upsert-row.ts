import { SfError } from '../errors';
import { to18 } from '../ids';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { storageClass } from '../store/codec';
import { coerceInput } from './coerce';
import { isCaseSensitive } from './integrity';
import {
  malformedIdValue,
  missingExternalId,
  multipleExternalIdMatches,
  invalidCrossReference,
} from './row-errors';
import { liveIdsWhere, loadRow } from './sql';
import type { InputMode, Stored } from './types';

/** Fields an upsert can match on: Id, external ids and the idLookup fields Salesforce allows. */
export function resolveExternalIdField(org: Org, obj: ObjectDef, name: string): FieldDef {
  const field = org.schema.field(obj.name, name);
  if (!field || !(field.type === 'id' || field.externalId || field.idLookup)) {
    throw new SfError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
    );
  }
  return field;
}

/** The record's value for the key field, in storage form; null when the record has none. */
export function externalValueOf(field: FieldDef, record: Record<string, unknown>, mode: InputMode): Stored {
  const key = keyNaming(record, field);
  if (key === undefined) return null;
  const raw = record[key];
  if (field.type === 'id') {
    if (raw === null || raw === undefined || raw === '') return null;
    const id = to18(String(raw).trim());
    if (!id) throw malformedIdValue(field, String(raw));
    return id;
  }
  const value = coerceInput(field, raw, mode);
  return value === undefined || value === '' ? null : value;
}

/** The key under which two values are "the same external id" (text ids match case-insensitively). */
export function matchKey(field: FieldDef, value: Stored): string {
  const text = String(value);
  return storageClass(field.type) === 'text' && !isCaseSensitive(field) ? text.toLowerCase() : text;
}

/** Live records whose key field holds the value; an unknown Id is an error rather than a create. */
export function findMatches(org: Org, obj: ObjectDef, field: FieldDef, value: Stored): string[] {
  // Upserting on Id with no Id is a plain create (Bulk files often mix new and existing rows).
  if (value === null && field.type === 'id') return [];
  if (value === null) throw missingExternalId(field);
  if (field.type === 'id') {
    const row = loadRow(org, obj, String(value));
    if (!row || row.IsDeleted) throw invalidCrossReference(['Id']);
    return [String(value)];
  }
  return liveIdsWhere(org, obj, field.name, value, { binary: isCaseSensitive(field), limit: 200 });
}

export function checkSingleMatch(field: FieldDef, matches: string[]): void {
  if (matches.length > 1) throw multipleExternalIdMatches(field, matches);
}

/** The record without its key field, for the update path (the stored key is left as it was). */
export function withoutField(record: Record<string, unknown>, field: FieldDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const wanted = field.name.toLowerCase();
  for (const k of Object.keys(record))
    if (k.length !== wanted.length || k.toLowerCase() !== wanted) out[k] = record[k];
  return out;
}

/** The record's first key that names the field in any case (compared by length first: most keys differ). */
function keyNaming(record: Record<string, unknown>, field: FieldDef): string | undefined {
  const wanted = field.name.toLowerCase();
  for (const k of Object.keys(record)) if (k.length === wanted.length && k.toLowerCase() === wanted) return k;
  return undefined;
}
