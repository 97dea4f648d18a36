import { SfError } from '../errors';
import type { FieldDef, ObjectDef } from '../schema/types';

/**
 * Salesforce's per-row write errors, worded as the platform words them, so clients that match on
 * codes or messages behave the same against the embedded org. The HTTP status is what the single
 * record REST routes answer with when the row error becomes the whole response.
 */
const err = (code: string, message: string, fields: string[] = [], status = 400): SfError =>
  new SfError(status, code, message, fields);

export const noSuchColumn = (obj: ObjectDef, name: string): SfError =>
  err('INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`);

export const notWritable = (fields: string[]): SfError =>
  err(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );

export const idInInsert = (): SfError =>
  err('INVALID_FIELD_FOR_INSERT_UPDATE', 'Record ID: cannot specify Id in an insert call', ['Id']);

export const requiredMissing = (fields: string[]): SfError =>
  err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields);

export const stringTooLong = (field: FieldDef, value: string): SfError =>
  err('STRING_TOO_LONG', `${field.label}: data value too large: ${value} (max length=${field.length})`, [
    field.name,
  ]);

export const badRestrictedPicklist = (field: FieldDef, value: string): SfError =>
  err(
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${field.label}: bad value for restricted picklist field: ${value}`,
    [field.name],
  );

/** REST JSON: Salesforce's deserializer rejects the body before any field logic runs. */
export const jsonParserError = (javaType: string, token: string, value: string): SfError =>
  err(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${token} value ${value} or request may be missing a required field`,
  );

/** CSV (Bulk): the cell could not be converted to the field's type. */
export const notOfRequiredType = (field: FieldDef, value: string): SfError =>
  err('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${value}`, [
    field.name,
  ]);

export const numberOutOfRange = (field: FieldDef, value: number): SfError =>
  err(
    'NUMBER_OUTSIDE_VALID_RANGE',
    `${field.label}: value outside of valid range on numeric field: ${value}`,
    [field.name],
  );

export const invalidEmail = (field: FieldDef, value: string): SfError =>
  err('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]);

export const malformedIdValue = (field: FieldDef, value: string): SfError =>
  err('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [field.name]);

/** A well-formed id of an object the lookup cannot point to. */
export const wrongReferenceType = (field: FieldDef, value: string): SfError =>
  err('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [field.name]);

export const invalidCrossReference = (fields: string[] = []): SfError =>
  err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', fields);

export const inactiveOwner = (userId: string, obj: ObjectDef): SfError =>
  err(
    'INACTIVE_OWNER_OR_USER',
    `operation performed with inactive user [${userId}] as owner of [${obj.label.toLowerCase()}]`,
  );

export const duplicateValue = (field: FieldDef, existingId: string): SfError =>
  err(
    'DUPLICATE_VALUE',
    `duplicate value found: ${field.name} duplicates value on record with id: ${existingId}`,
  );

export const duplicateExternalIdInCall = (field: FieldDef, value: string): SfError =>
  err('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${value}`, [field.name]);

export const multipleExternalIdMatches = (field: FieldDef, ids: string[]): SfError =>
  err(
    'DUPLICATE_EXTERNAL_ID',
    `More than 1 record found for external id field: [${ids.join(', ')}]`,
    [field.name],
    300,
  );

export const missingExternalId = (field: FieldDef): SfError =>
  err('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);

export const malformedRecordId = (obj: ObjectDef, value: string): SfError =>
  err('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${value}`, ['Id']);

export const malformedDeleteId = (value: string): SfError => err('MALFORMED_ID', `malformed id ${value}`);

export const entityIsDeleted = (): SfError => err('ENTITY_IS_DELETED', 'entity is deleted', [], 404);

export const notInRecycleBin = (): SfError => err('UNDELETE_FAILED', 'Entity is not in the recycle bin');

export const operationNotAllowed = (
  obj: ObjectDef,
  verb: 'inserted' | 'updated' | 'deleted' | 'undeleted',
): SfError => err('INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${verb}: ${obj.label}`);

export const deleteBlocked = (obj: ObjectDef, child: ObjectDef): SfError =>
  err(
    'DELETE_FAILED',
    `Your attempt to delete this ${obj.label.toLowerCase()} could not be completed because it is associated with the following ${child.labelPlural.toLowerCase()}.`,
  );

export const unableToLockRow = (id: string): SfError =>
  err('UNABLE_TO_LOCK_ROW', `unable to obtain exclusive access to this record or 1 records: ${id}`);

export const rolledBack = (): SfError =>
  err(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  );
