import { invalidType, SfError } from '../errors';
import { keyPrefixOf, to18 } from '../ids';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { accessOf, invalidateAccess, type UserAccess } from './access';
import { canReach, recordFilter, type Need } from './record-filter';
import { ACCESS_DEFINING_OBJECTS } from './setup-objects';

/** Salesforce's answer to a write the user's permissions or sharing do not allow. */
export const insufficientAccess = (): SfError =>
  new SfError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');

/**
 * What SOQL needs: whether the object may be queried at all (an object without Read is invisible to
 * the user, so Salesforce answers INVALID_TYPE as for an unknown object) and the sharing predicate.
 */
export interface QueryVisibility {
  /** Throws INVALID_TYPE when the user cannot read the object. */
  checkReadable(obj: ObjectDef): void;
  /** Parameter-free SQL keeping rows of `obj` (table alias `alias`) to those the user sees; null: all. */
  filter(obj: ObjectDef, alias: string): string | null;
}

/** The visibility of a user's queries, or null when the user sees everything (no per-row work). */
export function queryVisibility(org: Org, userId: string | undefined): QueryVisibility | null {
  if (userId === undefined) return null;
  const access = accessOf(org, userId);
  if (access.modifyAllData || access.viewAllData) return null;
  return {
    checkReadable(obj) {
      if (!access.object(obj).read) throw invalidType(obj.name);
    },
    filter: (obj, alias) => recordFilter(org, access, obj, alias, 'read'),
  };
}

/** Checks made by the DML layer for each row; methods throw SfError so the row fails on its own. */
export interface WriteGuard {
  insert(obj: ObjectDef): void;
  update(obj: ObjectDef, id: string): void;
  /** Delete and undelete: the record's object comes from the id. */
  remove(rawId: string): void;
  /** After the call: writes to users, roles or permissions change what people see. */
  done(objects: Iterable<ObjectDef>): void;
}

const noChecks = (org: Org): WriteGuard => ({
  insert() {},
  update() {},
  remove() {},
  done: (objects) => forgetIfAccessChanged(org, objects),
});

/** The write checks for a user; the admin path does nothing per row. */
export function writeGuard(org: Org, userId: string): WriteGuard {
  const access = accessOf(org, userId);
  if (access.modifyAllData) return noChecks(org);
  const need = (obj: ObjectDef, id: string, kind: Need, allowed: boolean): void => {
    if (!allowed || !canReach(org, access, obj, id, kind)) throw insufficientAccess();
  };
  return {
    insert(obj) {
      if (!access.object(obj).create) throw insufficientAccess();
    },
    update(obj, id) {
      need(obj, id, 'edit', access.object(obj).edit);
    },
    remove(rawId) {
      const id = to18(String(rawId).trim());
      const obj = id ? org.schema.byKeyPrefix(keyPrefixOf(id)) : undefined;
      // Unknown ids are left to the DML layer, which words that error itself.
      if (!id || !obj) return;
      need(obj, id, 'delete', access.object(obj).delete);
    },
    done: (objects) => forgetIfAccessChanged(org, objects),
  };
}

function forgetIfAccessChanged(org: Org, objects: Iterable<ObjectDef>): void {
  for (const obj of objects) {
    if (ACCESS_DEFINING_OBJECTS.has(obj.name.toLowerCase())) {
      invalidateAccess(org);
      return;
    }
  }
}

/** For routes: may this user read this record? (Object Read and sharing.) */
export function canRead(org: Org, userId: string, obj: ObjectDef, id: string): boolean {
  const access: UserAccess = accessOf(org, userId);
  if (access.viewAllData || access.modifyAllData) return true;
  return access.object(obj).read && canReach(org, access, obj, id, 'read');
}

/** For routes: may this user see the object at all? */
export function canReadObject(org: Org, userId: string, obj: ObjectDef): boolean {
  const access = accessOf(org, userId);
  return access.viewAllData || access.object(obj).read;
}
