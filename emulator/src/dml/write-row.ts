import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import type { CallLookups } from './call-lookups';
import { checkReferencesExist, checkUnique } from './integrity';
import { applyLineItemRules, isLineItem, lineItemTotals } from './line-items';
import { applyOpportunityRules, isOpportunity, writeOpportunityHistory } from './opportunity';
import { checkRequiredOnInsert, checkRequiredOnUpdate, parseRecord } from './parse-record';
import { entityIsDeleted, invalidCrossReference, operationNotAllowed, unableToLockRow } from './row-errors';
import { insertRow, loadRow, updateRow } from './sql';
import { toSecond } from '../store/codec';
import { noteRecordChange } from '../streaming/change-feed';
import { fillAutoNumbers, fillInsertFields, fillUpdateFields, hasCompoundName } from './system-fields';
import type { InputMode, Stored, StoredRow } from './types';

export interface RowWrite {
  userId: string;
  mode: InputMode;
  /** The fault injector said this row cannot get its lock. */
  locked: boolean;
  /** The call's cache of parent and reference lookups. */
  lookups?: CallLookups;
  /**
   * An upsert that found no live record with this value in this unique field: the uniqueness
   * check of that field (the same query) is already answered.
   */
  unmatched?: { field: string; value: Stored };
  /** The live row being updated, as the call read it beforehand (an upsert's match). */
  before?: StoredRow;
}

export function isCreateable(obj: ObjectDef): boolean {
  return obj.createable !== false && !obj.readOnly;
}

export function isUpdateable(obj: ObjectDef): boolean {
  return obj.updateable !== false && !obj.readOnly;
}

/** Validates and inserts one record; returns its new id. Throws SfError when the row fails. */
export function insertOne(org: Org, obj: ObjectDef, record: Record<string, unknown>, w: RowWrite): string {
  if (!isCreateable(obj)) throw operationNotAllowed(obj, 'inserted');
  const { values, given } = parseRecord(org, obj, record, w.mode, 'insert', w.lookups);
  const now = org.now();
  if (writesLast(obj, w)) {
    // Every check first, then the writes (id, auto-numbers, row): a failing row wrote nothing.
    const row = fillInsertFields(org, obj, PENDING_ID, values, w.userId, now, 'later');
    checkRequiredOnInsert(obj, row);
    checkReferencesExist(org, obj, row, given, w.lookups);
    checkUnique(org, obj, row, given, PENDING_ID, w.unmatched);
    // Drawn from memory; runRows stores the sequences before the call commits.
    const id = org.ids.nextHeld(obj.keyPrefix);
    if ('Id' in row) row.Id = id;
    fillAutoNumbers(org, obj, row, now);
    insertRow(org, obj, row);
    noteRecordChange(org, { object: obj.name, id, kind: 'created', changedFields: [] });
    return id;
  }
  const id = org.ids.next(obj.keyPrefix);
  if (w.locked) throw unableToLockRow(id);
  const row = fillInsertFields(org, obj, id, values, w.userId, now);
  checkRequiredOnInsert(obj, row);
  if (isOpportunity(obj)) applyOpportunityRules(org, obj, null, row, given, now);
  checkReferencesExist(org, obj, row, given, w.lookups);
  if (isLineItem(obj)) applyLineItemRules(org, null, row, given);
  checkUnique(org, obj, row, given, id, w.unmatched);
  insertRow(org, obj, row);
  if (isOpportunity(obj)) writeOpportunityHistory(org, null, row, w.userId, now);
  if (isLineItem(obj) && typeof row.OpportunityId === 'string')
    rollUpLineItems(org, row.OpportunityId, w.userId);
  noteRecordChange(org, { object: obj.name, id, kind: 'created', changedFields: [] });
  return id;
}

/** Never an id: stands in for the new record's id until its checks have passed. */
const PENDING_ID = '';

/**
 * Whether a row of this object, written with `w`, fails (throws SfError) only before its first
 * write, so the call needs no savepoint to undo a failed row. Opportunities and line items write
 * history and roll-ups after checks that can still fail; a row the fault injector locks fails after
 * its id was drawn (the message names it).
 */
export function writesLast(obj: ObjectDef, w: Pick<RowWrite, 'locked'>): boolean {
  return !w.locked && !isOpportunity(obj) && !isLineItem(obj);
}

/** The live row behind an id of this object, or the row error Salesforce gives for it. */
export function liveRow(org: Org, obj: ObjectDef, id: string): StoredRow {
  const row = loadRow(org, obj, id);
  if (!row) throw invalidCrossReference();
  if (row.IsDeleted) throw entityIsDeleted();
  return row;
}

/** Validates and applies one update to the record `id` (18 characters, of this object). */
export function updateOne(
  org: Org,
  obj: ObjectDef,
  id: string,
  record: Record<string, unknown>,
  w: RowWrite,
): void {
  if (!isUpdateable(obj)) throw operationNotAllowed(obj, 'updated');
  const before = w.before ?? liveRow(org, obj, id);
  if (w.locked) throw unableToLockRow(id);
  const { values, given } = parseRecord(org, obj, record, w.mode, 'update', w.lookups);
  checkRequiredOnUpdate(obj, values);
  const now = org.now();
  // Checks read the given fields only; Opportunity rules, line items and compound names (Name from
  // FirstName and LastName) also need the fields the update leaves as they were.
  const whole = isOpportunity(obj) || isLineItem(obj) || hasCompoundName(obj);
  const row: StoredRow = whole ? { ...before, ...values } : values;
  fillUpdateFields(obj, row, w.userId, now);
  if (isOpportunity(obj)) applyOpportunityRules(org, obj, before, row, given, now);
  checkReferencesExist(org, obj, row, given, w.lookups);
  if (isLineItem(obj)) applyLineItemRules(org, before, row, given);
  checkUnique(org, obj, row, given, id);
  const changes: StoredRow = {};
  for (const f of obj.fields) {
    if (row[f.name] !== undefined && row[f.name] !== before[f.name]) changes[f.name] = row[f.name];
  }
  updateRow(org, obj, id, changes);
  if (isOpportunity(obj)) writeOpportunityHistory(org, before, row, w.userId, now);
  if (isLineItem(obj) && typeof row.OpportunityId === 'string')
    rollUpLineItems(org, row.OpportunityId, w.userId);
  noteRecordChange(org, { object: obj.name, id, kind: 'updated', changedFields: Object.keys(changes) });
}

/**
 * After its line items change, an Opportunity's Amount is their total (written as an ordinary
 * update, so expected revenue and history follow) and HasOpportunityLineItem says whether any remain.
 */
export function rollUpLineItems(org: Org, opportunityId: string, userId: string): void {
  const opp = org.schema.find('Opportunity');
  const row = opp && loadRow(org, opp, opportunityId);
  if (!opp || !row || row.IsDeleted) return;
  const { amount, hasItems } = lineItemTotals(org, opportunityId);
  if (amount !== undefined && amount !== row.Amount) {
    updateOne(org, opp, opportunityId, { Amount: amount }, { userId, mode: 'json', locked: false });
  }
  if (Boolean(row.HasOpportunityLineItem) !== hasItems) {
    updateRow(org, opp, opportunityId, {
      HasOpportunityLineItem: hasItems ? 1 : 0,
      SystemModstamp: toSecond(org.now()),
    });
  }
}
