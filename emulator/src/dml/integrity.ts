import { keyPrefixOf } from '../ids';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { quoteIdent, storageClass } from '../store/codec';
import { duplicateValue, inactiveOwner, invalidCrossReference } from './row-errors';
import { liveIdsWhere, prepare } from './sql';
import type { StoredRow } from './types';

/**
 * Checks that need other rows: referenced records exist and are not deleted (an owner must also be
 * an active user), and unique fields hold no value another live record already has.
 */
export function checkReferencesExist(org: Org, obj: ObjectDef, row: StoredRow, given: Set<string>): void {
  for (const f of obj.fields) {
    if (f.type !== 'reference' || !given.has(f.name)) continue;
    const id = row[f.name];
    if (typeof id !== 'string') continue;
    const target = org.schema.byKeyPrefix(keyPrefixOf(id));
    if (!target) continue;
    const hasActive = target.name === 'User' && f.name === 'OwnerId';
    const cols = hasActive ? '"IsDeleted", "IsActive"' : '"IsDeleted"';
    const found = prepare(org, `SELECT ${cols} FROM ${quoteIdent(target.name)} WHERE "Id" = ?`).get(id) as
      { IsDeleted: number; IsActive?: number } | undefined;
    if (!found || found.IsDeleted) throw invalidCrossReference([f.name]);
    if (hasActive && !found.IsActive) throw inactiveOwner(id, obj);
  }
}

export function checkUnique(
  org: Org,
  obj: ObjectDef,
  row: StoredRow,
  given: Set<string>,
  selfId: string,
): void {
  for (const f of obj.fields) {
    if (!f.unique || f.type === 'id' || !given.has(f.name)) continue;
    const value = row[f.name];
    if (value === null || value === undefined) continue;
    const others = liveIdsWhere(org, obj, f.name, value, { binary: isCaseSensitive(f), limit: 2 }).filter(
      (id) => id !== selfId,
    );
    if (others.length > 0) throw duplicateValue(f, others[0]);
  }
}

export function isCaseSensitive(f: FieldDef): boolean {
  return storageClass(f.type) === 'text' && Boolean(f.caseSensitive);
}
