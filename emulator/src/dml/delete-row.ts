import { keyPrefixOf, to18 } from '../ids';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { quoteIdent, toSecond } from '../store/codec';
import {
  deleteBlocked,
  entityIsDeleted,
  invalidCrossReference,
  malformedDeleteId,
  notInRecycleBin,
  operationNotAllowed,
  unableToLockRow,
} from './row-errors';
import { isLineItem } from './line-items';
import { ensureDmlTables, loadRow, prepare, updateRow } from './sql';
import type { StoredRow } from './types';
import { rollUpLineItems } from './write-row';

/**
 * Deletion as Salesforce does it: a soft delete moves the row to the recycle bin (IsDeleted = 1,
 * a _delete_log entry for /deleted), deletes master-detail children with it and clears optional
 * lookups that pointed at it; undelete reverses all three. A hard delete removes the rows but keeps
 * the log entry (marked purged), because replication still has to learn about the deletion.
 */
export function resolveAnyId(org: Org, raw: string): { obj: ObjectDef; id: string } {
  const id = to18(String(raw).trim());
  if (!id) throw malformedDeleteId(raw);
  const obj = org.schema.byKeyPrefix(keyPrefixOf(id));
  if (!obj) throw invalidCrossReference();
  return { obj, id };
}

function isDeletable(obj: ObjectDef): boolean {
  return obj.deletable !== false && !obj.readOnly;
}

export function softDeleteOne(org: Org, raw: string, userId: string, locked: boolean): string {
  ensureDmlTables(org);
  const { obj, id } = resolveAnyId(org, raw);
  const row = loadRow(org, obj, id);
  if (!row) throw invalidCrossReference();
  if (row.IsDeleted) throw entityIsDeleted();
  if (!isDeletable(obj)) throw operationNotAllowed(obj, 'deleted');
  if (locked) throw unableToLockRow(id);
  softDelete(org, obj, id, id, userId, toSecond(org.now()));
  afterLineItemChange(org, obj, row, userId);
  return id;
}

function softDelete(
  org: Org,
  obj: ObjectDef,
  id: string,
  rootId: string,
  userId: string,
  stamp: number,
): void {
  for (const rel of org.schema.childRelationships(obj.name)) {
    const child = org.schema.find(rel.childSObject);
    const field = child && org.schema.field(child.name, rel.field);
    if (!child || !field) continue;
    const childIds = liveChildren(org, child, field.name, id);
    if (childIds.length === 0) continue;
    if (rel.cascadeDelete) {
      for (const childId of childIds) {
        if (childId === id) continue;
        softDelete(org, child, childId, rootId, userId, stamp);
        prepare(org, 'INSERT OR REPLACE INTO _dml_cascade (id, root_id) VALUES (?, ?)').run(childId, rootId);
      }
    } else if (rel.restrictedDelete || field.required || field.nillable === false) {
      throw deleteBlocked(obj, child);
    } else {
      for (const childId of childIds) {
        updateRow(org, child, childId, { [field.name]: null, SystemModstamp: stamp });
        prepare(org, 'INSERT INTO _dml_setnull (root_id, object, field, child_id) VALUES (?, ?, ?, ?)').run(
          rootId,
          child.name,
          field.name,
          childId,
        );
      }
    }
  }
  updateRow(org, obj, id, {
    IsDeleted: 1,
    LastModifiedDate: stamp,
    LastModifiedById: userId,
    SystemModstamp: stamp,
  });
  prepare(org, 'INSERT OR REPLACE INTO _delete_log (id, object, deleted_at, purged) VALUES (?, ?, ?, 0)').run(
    id,
    obj.name,
    stamp,
  );
}

function liveChildren(org: Org, child: ObjectDef, field: string, parentId: string): string[] {
  const sql = `SELECT "Id" FROM ${quoteIdent(child.name)} WHERE ${quoteIdent(field)} = ? AND "IsDeleted" = 0`;
  return (prepare(org, sql).all(parentId) as Array<{ Id: string }>).map((r) => r.Id);
}

export function undeleteOne(org: Org, raw: string, userId: string, locked: boolean): string {
  ensureDmlTables(org);
  const { obj, id } = resolveAnyId(org, raw);
  const row = loadRow(org, obj, id);
  if (!row) throw invalidCrossReference();
  if (!row.IsDeleted) throw notInRecycleBin();
  if (!isDeletable(obj)) throw operationNotAllowed(obj, 'undeleted');
  if (locked) throw unableToLockRow(id);
  const stamp = toSecond(org.now());
  restore(org, obj, id, userId, stamp);
  const cascaded = prepare(org, 'SELECT id FROM _dml_cascade WHERE root_id = ?').all(id) as Array<{
    id: string;
  }>;
  for (const c of cascaded) {
    const child = org.schema.byKeyPrefix(keyPrefixOf(c.id));
    if (child && loadRow(org, child, c.id)?.IsDeleted) restore(org, child, c.id, userId, stamp);
  }
  prepare(org, 'DELETE FROM _dml_cascade WHERE root_id = ? OR id = ?').run(id, id);
  const cleared = prepare(org, 'SELECT object, field, child_id FROM _dml_setnull WHERE root_id = ?').all(
    id,
  ) as Array<{
    object: string;
    field: string;
    child_id: string;
  }>;
  for (const c of cleared) {
    const child = org.schema.find(c.object);
    const field = child && org.schema.field(child.name, c.field);
    if (!child || !field) continue;
    const sql = `UPDATE ${quoteIdent(child.name)} SET ${quoteIdent(field.name)} = ?, "SystemModstamp" = ? WHERE "Id" = ? AND ${quoteIdent(field.name)} IS NULL`;
    prepare(org, sql).run(id, stamp, c.child_id);
  }
  prepare(org, 'DELETE FROM _dml_setnull WHERE root_id = ?').run(id);
  afterLineItemChange(org, obj, row, userId);
  return id;
}

function afterLineItemChange(org: Org, obj: ObjectDef, row: StoredRow, userId: string): void {
  if (isLineItem(obj) && typeof row.OpportunityId === 'string')
    rollUpLineItems(org, row.OpportunityId, userId);
}

function restore(org: Org, obj: ObjectDef, id: string, userId: string, stamp: number): void {
  updateRow(org, obj, id, {
    IsDeleted: 0,
    LastModifiedDate: stamp,
    LastModifiedById: userId,
    SystemModstamp: stamp,
  });
  prepare(org, 'DELETE FROM _delete_log WHERE id = ?').run(id);
}

export function hardDeleteOne(org: Org, raw: string, userId: string, locked: boolean): string {
  ensureDmlTables(org);
  const { obj, id } = resolveAnyId(org, raw);
  const row = loadRow(org, obj, id);
  if (!row) throw invalidCrossReference();
  if (!isDeletable(obj)) throw operationNotAllowed(obj, 'deleted');
  if (locked) throw unableToLockRow(id);
  hardDelete(org, obj, id, toSecond(org.now()));
  afterLineItemChange(org, obj, row, userId);
  return id;
}

function hardDelete(org: Org, obj: ObjectDef, id: string, stamp: number): void {
  for (const rel of org.schema.childRelationships(obj.name)) {
    const child = org.schema.find(rel.childSObject);
    const field = child && org.schema.field(child.name, rel.field);
    if (!child || !field) continue;
    const sql = `SELECT "Id", "IsDeleted" FROM ${quoteIdent(child.name)} WHERE ${quoteIdent(field.name)} = ?`;
    const children = prepare(org, sql).all(id) as Array<{ Id: string; IsDeleted: number }>;
    if (children.length === 0) continue;
    if (rel.cascadeDelete) {
      for (const c of children) if (c.Id !== id) hardDelete(org, child, c.Id, stamp);
    } else if (
      (rel.restrictedDelete || field.required || field.nillable === false) &&
      children.some((c) => !c.IsDeleted)
    ) {
      throw deleteBlocked(obj, child);
    } else {
      const clear = `UPDATE ${quoteIdent(child.name)} SET ${quoteIdent(field.name)} = NULL, "SystemModstamp" = ? WHERE ${quoteIdent(field.name)} = ?`;
      prepare(org, clear).run(stamp, id);
    }
  }
  const logged = prepare(org, 'SELECT deleted_at FROM _delete_log WHERE id = ?').get(id) as
    { deleted_at: number } | undefined;
  prepare(org, `DELETE FROM ${quoteIdent(obj.name)} WHERE "Id" = ?`).run(id);
  prepare(org, 'INSERT OR REPLACE INTO _delete_log (id, object, deleted_at, purged) VALUES (?, ?, ?, 1)').run(
    id,
    obj.name,
    logged?.deleted_at ?? stamp,
  );
  prepare(org, 'DELETE FROM _dml_cascade WHERE root_id = ? OR id = ?').run(id, id);
  prepare(org, 'DELETE FROM _dml_setnull WHERE root_id = ?').run(id);
}
