import { ADMIN_USERNAME, INTEGRATION_USERNAME } from '../bootstrap';
import type { Org } from '../org';
import { quoteIdent, toSecond } from '../store/codec';
import { RowWriter } from '../store/row-writer';
import { invalidateAccess } from './access';
import type { ObjectPermissionDef, PermissionSetDef } from './permission-set-files';

/** Who gets which permission set in every org, when the set exists in the metadata. */
const STANDING_ASSIGNMENTS: Array<{ username: string; permissionSet: string }> = [
  { username: ADMIN_USERNAME, permissionSet: 'SalesOps_Admin' },
  { username: INTEGRATION_USERNAME, permissionSet: 'SalesOps_Integration' },
];

/** True when the org's schema has the permission objects (a trimmed test schema may not). */
export function hasPermissionObjects(org: Org): boolean {
  return ['PermissionSet', 'ObjectPermissions', 'PermissionSetAssignment'].every((n) => org.schema.find(n));
}

/**
 * Makes the org's PermissionSet and ObjectPermissions rows say what the metadata says: sets are
 * matched by Name and updated in place (ids stay stable across restarts), object rows by object,
 * and object rows the metadata no longer has are removed. Sets that are only in the org (created
 * through the API) are left alone. Then the standing assignments of the admin and integration users.
 */
export function installPermissionSets(org: Org, defs: PermissionSetDef[]): void {
  if (!hasPermissionObjects(org)) return;
  const adminUserId = userIdByUsername(org, ADMIN_USERNAME);
  const tx = org.db.transaction(() => {
    for (const def of defs) installOne(org, def, adminUserId);
    for (const a of STANDING_ASSIGNMENTS) {
      const userId = userIdByUsername(org, a.username);
      if (userId) assignPermissionSet(org, userId, a.permissionSet, adminUserId);
    }
  });
  tx();
  invalidateAccess(org);
}

/** Gives a user a permission set by name; false when the set does not exist. Idempotent. */
export function assignPermissionSet(
  org: Org,
  userId: string,
  permissionSetName: string,
  asUserId: string | null = null,
): boolean {
  if (!hasPermissionObjects(org)) return false;
  const ps = permissionSetId(org, permissionSetName);
  if (!ps) return false;
  const existing = org.db
    .prepare(
      'SELECT 1 FROM "PermissionSetAssignment" WHERE "AssigneeId" = ? AND "PermissionSetId" = ? AND "IsDeleted" = 0',
    )
    .get(userId, ps);
  if (!existing) {
    new RowWriter(org, 'PermissionSetAssignment').insert(
      { AssigneeId: userId, PermissionSetId: ps },
      asUserId,
    );
    invalidateAccess(org);
  }
  return true;
}

export function permissionSetId(org: Org, name: string): string | null {
  const row = org.db
    .prepare('SELECT "Id" FROM "PermissionSet" WHERE "Name" = ? AND "IsDeleted" = 0')
    .get(name) as { Id: string } | undefined;
  return row?.Id ?? null;
}

function installOne(org: Org, def: PermissionSetDef, asUserId: string | null): void {
  const stamp = toSecond(org.now());
  const values = {
    Label: def.label,
    Description: def.description,
    PermissionsViewAllData: def.viewAllData ? 1 : 0,
    PermissionsModifyAllData: def.modifyAllData ? 1 : 0,
    PermissionsApiEnabled: def.apiEnabled ? 1 : 0,
  };
  let psId = permissionSetId(org, def.name);
  if (psId) {
    updateIfChanged(org, 'PermissionSet', psId, values, stamp, asUserId);
  } else {
    psId = new RowWriter(org, 'PermissionSet').insert({ Name: def.name, ...values }, asUserId, stamp);
  }
  const existing = new Map(
    (
      org.db
        .prepare('SELECT "Id", "SobjectType" FROM "ObjectPermissions" WHERE "ParentId" = ?')
        .all(psId) as Array<{ Id: string; SobjectType: string }>
    ).map((r) => [r.SobjectType.toLowerCase(), r.Id]),
  );
  const writer = new RowWriter(org, 'ObjectPermissions');
  for (const p of def.objects) {
    const perm = objectPermissionValues(p);
    const id = existing.get(p.object.toLowerCase());
    existing.delete(p.object.toLowerCase());
    if (id) updateIfChanged(org, 'ObjectPermissions', id, perm, stamp, asUserId);
    else writer.insert({ ParentId: psId, SobjectType: p.object, ...perm }, asUserId, stamp);
  }
  const drop = org.db.prepare('DELETE FROM "ObjectPermissions" WHERE "Id" = ?');
  for (const id of existing.values()) drop.run(id);
}

function objectPermissionValues(p: ObjectPermissionDef): Record<string, number> {
  return {
    PermissionsRead: p.read ? 1 : 0,
    PermissionsCreate: p.create ? 1 : 0,
    PermissionsEdit: p.edit ? 1 : 0,
    PermissionsDelete: p.delete ? 1 : 0,
    PermissionsViewAllRecords: p.viewAll ? 1 : 0,
    PermissionsModifyAllRecords: p.modifyAll ? 1 : 0,
  };
}

/** Rewrites a row only when a value differs, so restarts leave the audit fields alone. */
function updateIfChanged(
  org: Org,
  object: string,
  id: string,
  values: Record<string, unknown>,
  stamp: number,
  asUserId: string | null,
): void {
  const cols = Object.keys(values);
  const current = org.db
    .prepare(`SELECT ${cols.map(quoteIdent).join(', ')} FROM ${quoteIdent(object)} WHERE "Id" = ?`)
    .get(id) as Record<string, unknown>;
  if (cols.every((c) => (current[c] ?? null) === (values[c] ?? null))) return;
  const sets = [...cols, 'LastModifiedDate', 'SystemModstamp', 'LastModifiedById'];
  org.db
    .prepare(
      `UPDATE ${quoteIdent(object)} SET ${sets.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE "Id" = ?`,
    )
    .run(...cols.map((c) => values[c] ?? null), stamp, stamp, asUserId, id);
}

function userIdByUsername(org: Org, username: string): string | null {
  const row = org.db.prepare('SELECT "Id" FROM "User" WHERE "Username" = ?').get(username) as
    { Id: string } | undefined;
  return row?.Id ?? null;
}
