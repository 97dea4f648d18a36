import type { Org } from '../org';
import type { CallLookups } from './call-lookups';
import type { FieldDef, ObjectDef } from '../schema/types';
import { storageClass } from '../store/codec';
import { coerceInput } from './coerce';
import { foreignKeyOf } from './foreign-keys';
import { idInInsert, noSuchColumn, notWritable, requiredMissing } from './row-errors';
import type { InputMode, StoredRow } from './types';
import { checkValue } from './value-checks';

export type WriteKind = 'insert' | 'update';

export interface ParsedRecord {
  /** Canonical field name → storage value, for the fields the client gave. */
  values: StoredRow;
  given: Set<string>;
}

/**
 * Reads a client record: names are matched case-insensitively, `attributes` is ignored, values
 * are coerced and checked. The order of failures follows Salesforce: an unknown column, then a
 * value that cannot be read as its type, then read-only fields, then each value's limits.
 */
export function parseRecord(
  org: Org,
  obj: ObjectDef,
  record: Record<string, unknown>,
  mode: InputMode,
  kind: WriteKind,
  lookups?: CallLookups,
): ParsedRecord {
  const raw: Array<[FieldDef, unknown]> = [];
  const resolved: Array<[FieldDef, StoredRow[string]]> = [];
  const fields = fieldsByKey(org, obj);
  for (const key in record) {
    const value = record[key];
    let field = fields.get(key);
    if (field === undefined) {
      field = org.schema.field(obj.name, key) ?? null;
      // Clients choose the keys: remember a bounded number of them.
      if (fields.size < 2000) fields.set(key, field);
    }
    // A plain field given a plain value cannot be a reference by external id: skip the check.
    if (field === null || (typeof value === 'object' && value !== null)) {
      if (key.length === 10 && key.toLowerCase() === 'attributes') continue;
      const foreign = foreignKeyOf(org, obj, key, value, mode, lookups);
      if (foreign) {
        if (foreign.value !== undefined) resolved.push([foreign.field, foreign.value]);
        continue;
      }
    }
    if (!field) throw noSuchColumn(obj, key);
    if (field.type === 'id') {
      // On update the id names the record; on insert it may not be given at all.
      if (kind === 'insert' && !(mode === 'csv' && value === '') && value !== null && value !== undefined)
        throw idInInsert();
      continue;
    }
    raw.push([field, value]);
  }
  const coerced = resolved;
  for (const [field, value] of raw) {
    const stored = coerceInput(field, value, mode);
    if (stored !== undefined) coerced.push([field, stored]);
  }
  let readOnly: string[] | null = null;
  for (const [f] of coerced) {
    if (kind === 'insert' ? f.createable === false : f.updateable === false) (readOnly ??= []).push(f.name);
  }
  if (readOnly) throw notWritable([...new Set(readOnly)]);
  const values: StoredRow = {};
  const given = new Set<string>();
  for (const [field, stored] of coerced) {
    values[field.name] = checkValue(org.schema, field, stored);
    given.add(field.name);
  }
  return { values, given };
}

/** Record key → field (null: not a field of the object), remembered per object of each schema. */
const keyCache = new WeakMap<object, Map<ObjectDef, Map<string, FieldDef | null>>>();

function fieldsByKey(org: Org, obj: ObjectDef): Map<string, FieldDef | null> {
  let perObject = keyCache.get(org.schema);
  if (!perObject) {
    perObject = new Map();
    keyCache.set(org.schema, perObject);
  }
  let fields = perObject.get(obj);
  if (!fields) {
    fields = new Map();
    perObject.set(obj, fields);
  }
  return fields;
}

/** Fields a new record must have: required, master-detail parents, not filled by the org. */
export function checkRequiredOnInsert(obj: ObjectDef, row: StoredRow): void {
  const missing = obj.fields
    .filter((f) => (f.required || f.cascadeDelete) && f.createable !== false && !f.autoNumber)
    .filter((f) => row[f.name] === null || row[f.name] === undefined)
    .map((f) => f.name);
  if (missing.length) throw requiredMissing(missing);
}

/** An update may not clear a required field. */
export function checkRequiredOnUpdate(obj: ObjectDef, values: StoredRow): void {
  const cleared = obj.fields
    .filter((f) => values[f.name] === null)
    .filter((f) => f.required || f.cascadeDelete || (f.nillable === false && storageClass(f.type) !== 'bool'))
    .map((f) => f.name);
  if (cleared.length) throw requiredMissing(cleared);
}
