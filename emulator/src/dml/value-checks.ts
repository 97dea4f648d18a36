import { keyPrefixOf, to18 } from '../ids';
import type { Schema } from '../schema/registry';
import type { FieldDef, ObjectDef } from '../schema/types';
import { storageClass } from '../store/codec';
import {
  badRestrictedPicklist,
  invalidEmail,
  malformedIdValue,
  numberOutOfRange,
  stringTooLong,
  wrongReferenceType,
} from './row-errors';
import type { Stored } from './types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks one coerced value against its field's declared limits and returns it in canonical form
 * (18-character ids, canonical picklist spelling). Checks that need other rows (existence of a
 * referenced record, uniqueness) happen later, once the whole row is known.
 */
export function checkValue(schema: Schema, field: FieldDef, value: Stored): Stored {
  if (value === null) return null;
  switch (storageClass(field.type)) {
    case 'text':
      return checkText(field, String(value));
    case 'id':
      return checkReferenceShape(schema, field, String(value));
    case 'int':
    case 'real':
      return checkRange(field, Number(value));
    default:
      return value;
  }
}

function checkText(field: FieldDef, value: string): string {
  if (field.length !== undefined && value.length > field.length) throw stringTooLong(field, value);
  if (field.type === 'email' && !EMAIL.test(value)) throw invalidEmail(field, value);
  if ((field.type === 'picklist' || field.type === 'multipicklist') && field.restrictedPicklist) {
    const members = field.type === 'multipicklist' ? value.split(';') : [value];
    return members.map((m) => canonicalPicklistValue(field, m)).join(';');
  }
  return value;
}

function canonicalPicklistValue(field: FieldDef, value: string): string {
  const wanted = value.toLowerCase();
  const match = field.picklistValues?.find((p) => p.active !== false && p.value.toLowerCase() === wanted);
  if (!match) throw badRestrictedPicklist(field, value);
  return match.value;
}

function checkRange(field: FieldDef, value: number): number {
  const precision = field.precision ?? 18;
  const scale = field.type === 'int' ? 0 : (field.scale ?? 0);
  const integerDigits = Math.max(precision - scale, 0);
  if (Math.abs(value) >= 10 ** integerDigits) throw numberOutOfRange(field, value);
  return value;
}

/**
 * A reference must be an id (15 or 18 characters, valid suffix) of one of the objects the lookup
 * points to. Objects the org does not model are let through: their ids cannot be checked.
 */
function checkReferenceShape(schema: Schema, field: FieldDef, value: string): string {
  const id = to18(value);
  if (!id) throw malformedIdValue(field, value);
  if (field.type !== 'reference') return id;
  const targets = targetsOf(schema, field);
  if (targets.length === 0) return id;
  const target = schema.byKeyPrefix(keyPrefixOf(id));
  if (!target) throw malformedIdValue(field, value);
  if (!targets.some((t) => t.name === target.name)) throw wrongReferenceType(field, value);
  return id;
}

const targetCache = new WeakMap<Schema, Map<FieldDef, ObjectDef[]>>();

/** The objects a lookup points to that the org models, worked out once per field. */
function targetsOf(schema: Schema, field: FieldDef): ObjectDef[] {
  let perField = targetCache.get(schema);
  if (!perField) {
    perField = new Map();
    targetCache.set(schema, perField);
  }
  let targets = perField.get(field);
  if (!targets) {
    targets = (field.referenceTo ?? []).map((t) => schema.find(t)).filter((o) => o !== undefined);
    perField.set(field, targets);
  }
  return targets;
}
