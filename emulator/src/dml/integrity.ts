import { keyPrefixOf } from '../ids';
import type { CallLookups, ReferencedRow } from './call-lookups';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { quoteIdent, storageClass } from '../store/codec';
import { duplicateValue, inactiveOwner, invalidCrossReference } from './row-errors';
import { liveIdsWhere, prepare } from './sql';
import type { Stored, StoredRow } from './types';

/**
 * Checks that need other rows: referenced records exist and are not deleted (an owner must also be
 * an active user), and unique fields hold no value another live record already has.
 */
export function checkReferencesExist(
  org: Org,
  obj: ObjectDef,
  row: StoredRow,
  given: Set<string>,
  lookups?: CallLookups,
): void {
  for (const f of obj.fields) {
    if (f.type !== 'reference' || !given.has(f.name)) continue;
    const id = row[f.name];
    if (typeof id !== 'string') continue;
    const target = org.schema.byKeyPrefix(keyPrefixOf(id));
    if (!target) continue;
    const isUser = target.name === 'User';
    const hasActive = isUser && f.name === 'OwnerId';
    let found = lookups?.referencedRow(obj, f, target, id);
    if (found === undefined) {
      const cols = isUser ? '"IsDeleted", "IsActive"' : '"IsDeleted"';
      found =
        (prepare(org, `SELECT ${cols} FROM ${quoteIdent(target.name)} WHERE "Id" = ?`).get(id) as
          ReferencedRow | undefined) ?? null;
      lookups?.rememberRow(target, id, found);
    }
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
  unmatched?: { field: string; value: Stored },
): void {
  for (const f of obj.fields) {
    if (!f.unique || f.type === 'id' || !given.has(f.name)) continue;
    const value = row[f.name];
    if (value === null || value === undefined) continue;
    if (unmatched && unmatched.field === f.name && unmatched.value === value) continue;
    const others = liveIdsWhere(org, obj, f.name, value, { binary: isCaseSensitive(f), limit: 2 }).filter(
      (id) => id !== selfId,
    );
    if (others.length > 0) throw duplicateValue(f, others[0]);
  }
}

export function isCaseSensitive(f: FieldDef): boolean {
  return storageClass(f.type) === 'text' && Boolean(f.caseSensitive);
}
