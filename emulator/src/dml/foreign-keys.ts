import { SfError } from '../errors';
import type { CallLookups } from './call-lookups';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { coerceInput } from './coerce';
import { noSuchColumn } from './row-errors';
import type { InputMode, Stored } from './types';
import { findMatches } from './upsert-row';

/**
 * Lookups given by the parent's external id instead of its record id: `Account.External_Key__c`
 * as a CSV column, or `"Account": {"External_Key__c": "K"}` in a JSON body. Salesforce resolves
 * them to the parent's id before any other check, so they behave like the id was given.
 */
export interface ForeignKey {
  field: FieldDef;
  /** The parent's id, null to clear, undefined for a CSV cell left empty. */
  value: Stored | undefined;
}

export function foreignKeyOf(
  org: Org,
  obj: ObjectDef,
  key: string,
  raw: unknown,
  mode: InputMode,
  lookups?: CallLookups,
): ForeignKey | null {
  let relationship: string;
  let extName: string;
  let extRaw: unknown;
  let typeHint: string | undefined;
  if (key.includes('.')) {
    [relationship, extName] = splitOnce(key);
    extRaw = raw;
  } else if (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    org.schema.parentRelationship(obj.name, key)
  ) {
    const nested = raw as Record<string, unknown>;
    const keys = Object.keys(nested).filter((k) => k.toLowerCase() !== 'attributes');
    if (keys.length !== 1)
      throw new SfError(
        400,
        'INVALID_FIELD',
        `The relationship ${key} must name exactly one external id field`,
      );
    relationship = key;
    extName = keys[0];
    extRaw = nested[extName];
    const attributes = nested.attributes as { type?: unknown } | undefined;
    typeHint = typeof attributes?.type === 'string' ? attributes.type : undefined;
  } else {
    return null;
  }
  const field = org.schema.parentRelationship(obj.name, relationship);
  if (!field) throw noSuchColumn(obj, key);
  if (mode === 'csv' && extRaw === '') return { field, value: undefined };
  if (extRaw === null || extRaw === undefined || (mode === 'csv' && extRaw === '#N/A'))
    return { field, value: null };

  const targets = (typeHint ? [typeHint] : (field.referenceTo ?? []))
    .map((name) => org.schema.find(name))
    .filter((o): o is ObjectDef => o !== undefined && org.schema.field(o.name, extName) !== undefined);
  const target = targets[0];
  const extField = target && org.schema.field(target.name, extName);
  if (!target || !extField || !(extField.type === 'id' || extField.externalId || extField.idLookup))
    throw noSuchColumn(obj, key);
  const value = coerceInput(extField, extRaw, mode === 'csv' && typeof extRaw === 'string' ? 'csv' : 'json');
  if (value === undefined || value === null) return { field, value: null };
  let matches = lookups?.foreignMatches(obj, key, target, extField, value);
  if (!matches) {
    matches = findMatches(org, target, extField, value);
    lookups?.rememberMatches(target, extField, value, matches);
  }
  if (matches.length === 0) {
    throw new SfError(
      400,
      'INVALID_FIELD',
      `Foreign key external ID: ${String(extRaw)} not found for field ${extField.name} in entity ${target.name}`,
      [field.name],
    );
  }
  if (matches.length > 1) {
    throw new SfError(
      400,
      'DUPLICATE_EXTERNAL_ID',
      `Foreign key external ID: ${String(extRaw)} matched more than one record`,
      [field.name],
    );
  }
  return { field, value: matches[0] };
}

function splitOnce(key: string): [string, string] {
  const at = key.indexOf('.');
  return [key.slice(0, at), key.slice(at + 1)];
}
