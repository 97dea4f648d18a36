import { invalidField, notFound, SfError } from '../errors';
import { keyPrefixOf, to18 } from '../ids';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { canReadObject } from '../sharing';
import { runQuery } from '../soql';
import { quoteIdent } from '../store/codec';
import { timeZoneOf } from './field-values';
import { addPath, emptyTree, selectList, type FieldTree } from './field-tree';
import { recordRepresentation, type RecordRepresentation } from './record-representation';

/** The UI API's answer to a record the user may not see (object permission or sharing). */
export const noRecordAccess = (): SfError =>
  new SfError(
    403,
    'INSUFFICIENT_ACCESS',
    "You don't have access to this record. Ask your administrator for help or to request access.",
  );

export interface RecordRequest {
  /** `Object.Field` or `Object.Relationship.Field` names that must exist. */
  fields: string[];
  /** Same form; names that do not resolve are left out instead of failing. */
  optionalFields: string[];
}

/** `?fields=A.B,A.C` (or repeated parameters) → names; empty or absent → []. */
export function fieldNamesParam(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : [value];
  return parts
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The object of a record id, or 404 as the UI API answers unknown ids. */
export function objectOfId(org: Org, raw: string): { id: string; object: ObjectDef } {
  const id = to18(raw);
  const object = id ? org.schema.byKeyPrefix(keyPrefixOf(id)) : undefined;
  if (!id || !object) throw notFound();
  return { id, object };
}

/**
 * `GET /ui-api/records/{id}`: the record with the fields asked for, read with the user's
 * visibility. Names for other objects are ignored (Lightning Data Service sends fields of several
 * objects); with no field at all, every field of the object is returned (like layoutTypes=Full).
 */
export function readRecord(
  org: Org,
  userId: string,
  rawId: string,
  req: RecordRequest,
): RecordRepresentation {
  const { id, object } = objectOfId(org, rawId);
  const exists = org.db
    .prepare(`SELECT "IsDeleted" AS d FROM ${quoteIdent(object.name)} WHERE "Id" = ?`)
    .get(id) as { d: number } | undefined;
  if (!exists || exists.d === 1) throw notFound();
  if (!canReadObject(org, userId, object)) throw noRecordAccess();

  const tree = emptyTree(object);
  const mine = (name: string): string[] | null => {
    const parts = name.split('.');
    return parts.length >= 2 && parts[0].toLowerCase() === object.name.toLowerCase() ? parts.slice(1) : null;
  };
  for (const name of req.fields) {
    const path = mine(name);
    if (path && !addPath(org, tree, path)) {
      throw invalidField(
        `No such column '${path.join('.')}' on entity '${object.name}'. ` +
          "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      );
    }
  }
  for (const name of req.optionalFields) {
    const path = mine(name);
    if (path) addPath(org, tree, path);
  }
  if (req.fields.length === 0 && req.optionalFields.length === 0) allFields(tree);
  return readTree(org, userId, tree, id);
}

/** Reads one record for a tree through SOQL, so sharing applies; 403 when the user cannot see it. */
export function readTree(org: Org, userId: string, tree: FieldTree, id: string): RecordRepresentation {
  const soql = `SELECT ${selectList(tree).join(', ')} FROM ${tree.object.name} WHERE Id = '${id}'`;
  const page = runQuery(org, soql, { userId });
  if (page.records.length === 0) throw noRecordAccess();
  return recordRepresentation(tree, page.records[0], timeZoneOf(org, userId));
}

function allFields(tree: FieldTree): void {
  for (const f of tree.object.fields) tree.fields.set(f.name, f);
}
