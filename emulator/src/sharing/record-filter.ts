import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { quoteIdent } from '../store/codec';
import type { UserAccess } from './access';

/**
 * Record-level sharing as SQL: the predicates that keep a user's queries and writes to the records
 * the org-wide default and the role hierarchy give them. Each predicate is parameter-free (the
 * owner list is a TEMP table slot, a number the org made), so it can be added to any compiled
 * statement without disturbing the order of its parameters. `null` means "no filter": the user
 * reaches every record, which is also the fast path for admins.
 */
export type Need = 'read' | 'edit' | 'delete';

/** Objects whose visibility follows a parent record, where the schema does not say it by master-detail. */
const CONTROLLING_FIELD: Record<string, string> = {
  opportunitylineitem: 'OpportunityId',
  opportunityhistory: 'OpportunityId',
  opportunityfieldhistory: 'OpportunityId',
  opportunitysplit: 'OpportunityId',
  contact: 'AccountId',
};

const MAX_PARENT_DEPTH = 3;

export function recordFilter(
  org: Org,
  access: UserAccess,
  obj: ObjectDef,
  alias: string,
  need: Need,
  depth = 0,
): string | null {
  if (access.modifyAllData) return null;
  if (need === 'read' && access.viewAllData) return null;
  const perms = access.object(obj);
  if (perms.modifyAll) return null;
  if (need === 'read' && perms.viewAll) return null;

  const parent = controllingParent(org, obj);
  if (parent) {
    if (depth >= MAX_PARENT_DEPTH) return null;
    // Deleting a detail needs edit access to its parent, as on Salesforce.
    const inner = `${alias}s${depth + 1}`;
    const filter = recordFilter(
      org,
      access,
      parent.object,
      inner,
      need === 'read' ? 'read' : 'edit',
      depth + 1,
    );
    if (filter === null) return null;
    return `${alias}.${quoteIdent(parent.field)} IN (SELECT ${inner}."Id" FROM ${quoteIdent(parent.object.name)} ${inner} WHERE ${filter})`;
  }
  if (!obj.fields.some((f) => f.name === 'OwnerId')) return null;
  const model = obj.sharingModel ?? 'ReadWrite';
  const ownerOnly =
    need === 'delete' ||
    model === 'Private' ||
    (need === 'edit' && (model === 'Read' || model === 'ReadSelect'));
  return ownerOnly ? ownerIn(access, alias) : null;
}

function ownerIn(access: UserAccess, alias: string): string {
  const slot = access.ownerSlot;
  if (!Number.isSafeInteger(slot)) throw new Error('sharing slot is not an integer');
  return `${alias}."OwnerId" IN (SELECT owner_id FROM temp._sharing_owner WHERE slot = ${slot})`;
}

/** The parent whose sharing a detail object follows, or null when the object has its own. */
function controllingParent(org: Org, obj: ObjectDef): { field: string; object: ObjectDef } | null {
  const known = CONTROLLING_FIELD[obj.name.toLowerCase()];
  const field =
    (known ? obj.fields.find((f) => f.name === known) : undefined) ??
    (obj.sharingModel === 'ControlledByParent'
      ? obj.fields.find((f) => f.type === 'reference' && f.cascadeDelete)
      : undefined);
  const target = field?.referenceTo?.map((n) => org.schema.find(n)).find((o) => o !== undefined);
  return field && target ? { field: field.name, object: target } : null;
}

/**
 * True when the user reaches the record for `need`; one lookup by id. A record that does not exist
 * counts as reachable, so the DML layer answers with its own error for it. Deleted rows count
 * (undelete).
 */
export function canReach(org: Org, access: UserAccess, obj: ObjectDef, id: string, need: Need): boolean {
  const filter = recordFilter(org, access, obj, 'r', need);
  if (filter === null) return true;
  const row = org.db
    .prepare(`SELECT (${filter}) AS ok FROM ${quoteIdent(obj.name)} r WHERE r."Id" = ?`)
    .get(id) as { ok: number } | undefined;
  return row === undefined || row.ok === 1;
}
