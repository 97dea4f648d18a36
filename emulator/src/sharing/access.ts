import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';

/** What a user may do with an object (object permissions, after the profile and permission sets). */
export interface ObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  /** View All / Modify All on this object: sharing does not filter it. */
  viewAll: boolean;
  modifyAll: boolean;
}

/** A user's access, computed once and cached until a write changes users, roles or permissions. */
export interface UserAccess {
  userId: string;
  /** View All Data (profile or permission set): every record is readable, nothing is filtered. */
  viewAllData: boolean;
  /** Modify All Data: every record is writable too. */
  modifyAllData: boolean;
  /** Row of `temp._sharing_owner` listing the owners whose records the user reaches: self and the roles below. */
  ownerSlot: number;
  object(obj: ObjectDef): ObjectAccess;
}

const FULL: ObjectAccess = {
  read: true,
  create: true,
  edit: true,
  delete: true,
  viewAll: true,
  modifyAll: true,
};
const NONE: ObjectAccess = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
};
const CRUD: ObjectAccess = { ...NONE, read: true, create: true, edit: true, delete: true };
const READ: ObjectAccess = { ...NONE, read: true };

/**
 * Standard objects a Standard User profile may read but not change: setup, reference and catalogue
 * data. Every other standard object the profile may create, read, edit and delete; custom objects
 * need a permission set, as in an org whose custom objects are granted by permission sets only.
 */
const PROFILE_READ_ONLY = new Set(
  [
    'Organization',
    'Profile',
    'UserRole',
    'User',
    'PermissionSet',
    'ObjectPermissions',
    'PermissionSetAssignment',
    'OpportunityStage',
    'Period',
    'FiscalYearSettings',
    'RecordType',
    'CurrencyType',
    'DatedConversionRate',
    'Product2',
    'Pricebook2',
    'PricebookEntry',
    'OpportunitySplitType',
  ].map((n) => n.toLowerCase()),
);

interface OrgAccessState {
  cache: Map<string, UserAccess>;
  nextSlot: number;
}

const states = new WeakMap<Org, OrgAccessState>();

function stateOf(org: Org): OrgAccessState {
  let s = states.get(org);
  if (!s) {
    s = { cache: new Map(), nextSlot: 1 };
    states.set(org, s);
  }
  return s;
}

/** The running user's access; cheap after the first call (a map lookup). */
export function accessOf(org: Org, userId: string): UserAccess {
  const state = stateOf(org);
  let access = state.cache.get(userId);
  if (!access) {
    access = computeAccess(org, state, userId);
    // Owner lists written inside a transaction vanish if it rolls back: keep only what is committed.
    if (!org.db.inTransaction) state.cache.set(userId, access);
  }
  return access;
}

/**
 * Forgets every cached access. The owner lists of old slots stay in the TEMP table: a Bulk query
 * reading in chunks may still name them, and they are a few rows each.
 */
export function invalidateAccess(org: Org): void {
  stateOf(org).cache.clear();
}

interface UserRow {
  roleId: string | null;
  viewAll: number | null;
  modifyAll: number | null;
}

function computeAccess(org: Org, state: OrgAccessState, userId: string): UserAccess {
  const user = org.db
    .prepare(
      `SELECT u."UserRoleId" AS roleId, p."PermissionsViewAllData" AS viewAll, p."PermissionsModifyAllData" AS modifyAll
       FROM "User" u LEFT JOIN "Profile" p ON p."Id" = u."ProfileId" WHERE u."Id" = ?`,
    )
    .get(userId) as UserRow | undefined;
  let viewAllData = Boolean(user?.viewAll) || Boolean(user?.modifyAll);
  let modifyAllData = Boolean(user?.modifyAll);
  const granted = new Map<string, ObjectAccess>();
  if (!modifyAllData && org.schema.find('PermissionSetAssignment') && org.schema.find('PermissionSet')) {
    const sets = org.db
      .prepare(
        `SELECT ps."Id" AS id, ps."PermissionsViewAllData" AS viewAll, ps."PermissionsModifyAllData" AS modifyAll
         FROM "PermissionSetAssignment" a JOIN "PermissionSet" ps ON ps."Id" = a."PermissionSetId"
         WHERE a."AssigneeId" = ? AND a."IsDeleted" = 0 AND ps."IsDeleted" = 0`,
      )
      .all(userId) as Array<{ id: string; viewAll: number; modifyAll: number }>;
    for (const s of sets) {
      if (s.modifyAll) modifyAllData = true;
      if (s.viewAll || s.modifyAll) viewAllData = true;
    }
    if (sets.length && org.schema.find('ObjectPermissions')) {
      const perms = org.db
        .prepare(
          `SELECT "SobjectType" AS object, "PermissionsRead" AS r, "PermissionsCreate" AS c, "PermissionsEdit" AS e,
             "PermissionsDelete" AS d, "PermissionsViewAllRecords" AS va, "PermissionsModifyAllRecords" AS ma
           FROM "ObjectPermissions" WHERE "IsDeleted" = 0 AND "ParentId" IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(sets.map((s) => s.id))) as Array<Record<string, number> & { object: string }>;
      for (const p of perms) {
        const key = p.object.toLowerCase();
        const was = granted.get(key) ?? NONE;
        granted.set(key, {
          read: was.read || Boolean(p.r || p.e || p.d || p.va || p.ma),
          create: was.create || Boolean(p.c),
          edit: was.edit || Boolean(p.e || p.d || p.ma),
          delete: was.delete || Boolean(p.d || p.ma),
          viewAll: was.viewAll || Boolean(p.va || p.ma),
          modifyAll: was.modifyAll || Boolean(p.ma),
        });
      }
    }
  }
  const ownerSlot = modifyAllData ? 0 : writeOwnerSlot(org, state, userId, user?.roleId ?? null);
  const memo = new Map<string, ObjectAccess>();
  return {
    userId,
    viewAllData,
    modifyAllData,
    ownerSlot,
    object(obj: ObjectDef): ObjectAccess {
      if (modifyAllData) return FULL;
      const key = obj.name.toLowerCase();
      let a = memo.get(key);
      if (!a) {
        a = objectAccess(obj, granted.get(key), viewAllData);
        memo.set(key, a);
      }
      return a;
    },
  };
}

function objectAccess(obj: ObjectDef, granted: ObjectAccess | undefined, viewAllData: boolean): ObjectAccess {
  const profile = obj.custom ? NONE : PROFILE_READ_ONLY.has(obj.name.toLowerCase()) ? READ : CRUD;
  const g = granted ?? NONE;
  const read = profile.read || g.read || viewAllData;
  return {
    read,
    create: profile.create || g.create,
    edit: profile.edit || g.edit,
    delete: profile.delete || g.delete,
    viewAll: g.viewAll || viewAllData,
    modifyAll: g.modifyAll,
  };
}

/**
 * Owners whose records the user reaches through ownership and the role hierarchy: the user and every
 * user in a role below theirs (peers in the same role do not see each other's records). Kept in a
 * TEMP table under a slot number, so that the sharing predicate is a parameter-free subquery that
 * can sit anywhere in a compiled statement.
 */
function writeOwnerSlot(org: Org, state: OrgAccessState, userId: string, roleId: string | null): number {
  // Every time, not once: a table created inside a transaction that rolled back is gone again.
  org.db.exec(
    'CREATE TEMP TABLE IF NOT EXISTS _sharing_owner (slot INTEGER NOT NULL, owner_id TEXT NOT NULL, PRIMARY KEY (slot, owner_id)) WITHOUT ROWID',
  );
  const slot = state.nextSlot++;
  const insert = org.db.prepare('INSERT OR IGNORE INTO temp._sharing_owner (slot, owner_id) VALUES (?, ?)');
  insert.run(slot, userId);
  if (roleId) {
    const below = org.db
      .prepare(
        `WITH RECURSIVE below(id) AS (
           SELECT "Id" FROM "UserRole" WHERE "ParentRoleId" = ? AND "IsDeleted" = 0
           UNION SELECT r."Id" FROM "UserRole" r JOIN below ON r."ParentRoleId" = below.id WHERE r."IsDeleted" = 0
         )
         SELECT "Id" AS id FROM "User" WHERE "UserRoleId" IN (SELECT id FROM below)`,
      )
      .all(roleId) as Array<{ id: string }>;
    for (const u of below) insert.run(slot, u.id);
  }
  return slot;
}
