import { SfError } from '../errors';
import { deleteRecords, insertRecords, updateRecords, type DmlContext } from '../dml';
import { restErrorOf } from '../dml/rest-errors';
import type { Org } from '../org';
import { addField, emptyTree } from './field-tree';
import { objectOfId, readTree } from './records';
import type { RecordRepresentation } from './record-representation';

/**
 * The UI API's record writes (`createRecord`, `updateRecord`, `deleteRecord` of
 * lightning/uiRecordApi): the DML layer does the work, with the user's permissions and sharing,
 * and the answer is the record with the fields that were written.
 */
export function createRecord(org: Org, userId: string, body: Record<string, unknown>): RecordRepresentation {
  const apiName = body.apiName;
  if (typeof apiName !== 'string' || apiName.trim() === '')
    throw new SfError(400, 'INVALID_INPUT', 'apiName is required');
  const object = org.schema.get(apiName);
  const fields = fieldsOf(body);
  const [result] = insertRecords(org, object.name, [fields], dmlContext(userId));
  if (!result.success || !result.id) throw restErrorOf(result.errors[0]);
  return written(org, userId, result.id, fields);
}

export function updateRecord(
  org: Org,
  userId: string,
  rawId: string,
  body: Record<string, unknown>,
): RecordRepresentation {
  const { id, object } = objectOfId(org, rawId);
  const fields = fieldsOf(body);
  const [result] = updateRecords(org, object.name, [{ ...withoutId(fields), Id: id }], dmlContext(userId));
  if (!result.success) throw restErrorOf(result.errors[0]);
  return written(org, userId, id, fields);
}

export function deleteRecord(org: Org, userId: string, rawId: string): void {
  const { id } = objectOfId(org, rawId);
  const [result] = deleteRecords(org, [id], dmlContext(userId));
  if (!result.success) throw restErrorOf(result.errors[0]);
}

function written(
  org: Org,
  userId: string,
  id: string,
  fields: Record<string, unknown>,
): RecordRepresentation {
  const { object } = objectOfId(org, id);
  const tree = emptyTree(object);
  for (const name of Object.keys(fields)) addField(org, tree, name);
  return readTree(org, userId, tree, id);
}

function fieldsOf(body: Record<string, unknown>): Record<string, unknown> {
  const fields = body.fields;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new SfError(400, 'INVALID_INPUT', 'fields must be an object of field names and values');
  return fields as Record<string, unknown>;
}

function withoutId(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => k.toLowerCase() !== 'id'));
}

function dmlContext(userId: string): DmlContext {
  return { userId, allOrNone: true, mode: 'json' };
}
