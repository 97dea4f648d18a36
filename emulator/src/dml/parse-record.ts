import type { Org } from '../org';
import type { CallLookups } from './call-lookups';
import type { FieldDef, ObjectDef } from '../schema/types';
import { storageClass } from '../store/codec';
import { coerceInput } from './coerce';
import { foreignKeyOf } from './foreign-keys';
import { idInInsert, noSuchColumn, notWritable, requiredMissing } from './row-errors';
import type { InputMode, Stored, StoredRow } from './types';
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
  // Parallel arrays rather than a [field, value] pair per cell: a Bulk write-back parses millions
  // of cells, and each pair was an allocation for the collector.
  const rawFields: FieldDef[] = [];
  const rawValues: unknown[] = [];
  const fieldsOut: FieldDef[] = [];
  const storedOut: Stored[] = [];
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
        if (foreign.value !== undefined) {
          fieldsOut.push(foreign.field);
          storedOut.push(foreign.value);
        }
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
    rawFields.push(field);
    rawValues.push(value);
  }
  for (let i = 0; i < rawFields.length; i++) {
    const stored = coerceInput(rawFields[i], rawValues[i], mode);
    if (stored !== undefined) {
      fieldsOut.push(rawFields[i]);
      storedOut.push(stored);
    }
  }
  let readOnly: string[] | null = null;
  for (const f of fieldsOut) {
    if (kind === 'insert' ? f.createable === false : f.updateable === false) (readOnly ??= []).push(f.name);
  }
  if (readOnly) throw notWritable([...new Set(readOnly)]);
  const values: StoredRow = {};
  const given = new Set<string>();
  for (let i = 0; i < fieldsOut.length; i++) {
    const field = fieldsOut[i];
    values[field.name] = checkValue(org.schema, field, storedOut[i]);
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
  let missing: string[] | null = null;
  for (const f of requiredOnInsert(obj)) {
    if (row[f.name] === null || row[f.name] === undefined) (missing ??= []).push(f.name);
  }
  if (missing) throw requiredMissing(missing);
}

const requiredFields = new WeakMap<ObjectDef, FieldDef[]>();

/** The fields `checkRequiredOnInsert` looks at, in field order, found once per object. */
function requiredOnInsert(obj: ObjectDef): FieldDef[] {
  let fields = requiredFields.get(obj);
  if (!fields) {
    fields = obj.fields.filter(
      (f) => (f.required || f.cascadeDelete) && f.createable !== false && !f.autoNumber,
    );
    requiredFields.set(obj, fields);
  }
  return fields;
}

/** An update may not clear a required field. */
export function checkRequiredOnUpdate(obj: ObjectDef, values: StoredRow): void {
  const cleared = obj.fields
    .filter((f) => values[f.name] === null)
    .filter((f) => f.required || f.cascadeDelete || (f.nillable === false && storageClass(f.type) !== 'bool'))
    .map((f) => f.name);
  if (cleared.length) throw requiredMissing(cleared);
}
