import type { ApproverRule, TerritoryConfig } from '../domain/territory';

/**
 * Applies approved Territory_Change_Request__c on the next cycle. For each Approved request: check
 * who approved it (the configured right, and the tamper guard: Approver__c must be the user who last
 * modified the request, i.e. who set it to Approved), then write the Account's territory lookup (and
 * owner, when configured) and mark the request Applied with what was done. Rejected and Applied
 * requests are never read, so applying twice changes nothing; the Account is written before the
 * request, so a crash in between is repaired by the next cycle writing the same values again.
 */

export interface ChangeRequest {
  id: string;
  accountId: string | null;
  fromTerritoryKey: string | null;
  toTerritoryKey: string | null;
  effectiveDate: string | null;
  approverId: string | null;
  lastModifiedById: string | null;
  accountOwnerId: string | null;
}

export interface DirectoryUser {
  id: string;
  username: string | null;
  managerId: string | null;
  isActive: boolean;
}

export interface AppliedChange {
  id: string;
  accountId: string;
  fromTerritoryKey: string | null;
  toTerritoryKey: string;
  effectiveDate: string;
  status: 'Applied';
}

/** What the CRM adapter (server/src/crm/territory-change-requests.ts) provides. */
export interface TerritoryChangePort {
  readApproved(): Promise<ChangeRequest[]>;
  readUsers(ids: readonly string[]): Promise<Map<string, DirectoryUser>>;
  /** Sales_Territory__c Id by External_Key__c (only those that exist). */
  territoryIds(externalKeys: readonly string[]): Promise<Map<string, string>>;
  apply(
    request: ChangeRequest,
    write: { territoryId: string; ownerId: string | null; appliedAt: string; outcome: string },
  ): Promise<void>;
  markInvalid(request: ChangeRequest, reason: string): Promise<void>;
}

export interface ApplyChangesInput {
  config: TerritoryConfig;
  /** The Active model's key and its territory owners (domain/territory territoryOwners). */
  modelKey: string;
  owners: ReadonlyMap<string, string | null>;
  now: () => Date;
}

export interface ApplyChangesResult {
  applied: AppliedChange[];
  invalid: { id: string; reason: string }[];
  /** Left Approved for a later cycle (the target territory is not in the org yet). */
  deferred: { id: string; reason: string }[];
  summary: string[];
}

export async function applyTerritoryChanges(
  port: TerritoryChangePort,
  input: ApplyChangesInput,
): Promise<ApplyChangesResult> {
  const requests = [...(await port.readApproved())].sort((a, b) => (a.id < b.id ? -1 : 1));
  const result: ApplyChangesResult = { applied: [], invalid: [], deferred: [], summary: [] };
  if (requests.length === 0) {
    result.summary.push('territory changes: none approved');
    return result;
  }
  const { approval } = input.config;
  const owner = (key: string | null): string | null =>
    key !== null ? (input.owners.get(key) ?? null) : null;
  const userIds = new Set<string>();
  for (const r of requests) {
    if (r.approverId) userIds.add(r.approverId);
    if (r.accountOwnerId) userIds.add(r.accountOwnerId);
    for (const o of [owner(r.fromTerritoryKey), owner(r.toTerritoryKey)]) if (o) userIds.add(o);
  }
  const users = await port.readUsers([...userIds].sort());
  const opsAdmins = new Set(approval.opsAdmins.map((a) => a.toLowerCase()));
  const territoryKeyOf = (key: string): string => `TERR|${input.modelKey}|${key}`;
  const territoryIds = await port.territoryIds(
    [...new Set(requests.map((r) => r.toTerritoryKey).filter((k): k is string => k !== null))].map(
      territoryKeyOf,
    ),
  );

  for (const r of requests) {
    const reason = invalidReason(r, input, users, opsAdmins, owner);
    if (reason !== null) {
      await port.markInvalid(r, reason);
      result.invalid.push({ id: r.id, reason });
      continue;
    }
    const toKey = r.toTerritoryKey!;
    const territoryId = territoryIds.get(territoryKeyOf(toKey));
    if (!territoryId) {
      result.deferred.push({
        id: r.id,
        reason: `Sales_Territory__c ${territoryKeyOf(toKey)} is not in the org yet`,
      });
      continue;
    }
    const newOwner = approval.ownerChangeOnApply ? owner(toKey) : null;
    const effectiveDate = r.effectiveDate ?? input.now().toISOString().slice(0, 10);
    const appliedAt = input.now().toISOString();
    const outcome = [
      `Applied at ${appliedAt} in model ${input.modelKey}:`,
      `Account ${r.accountId}: Sales_Territory__c → ${territoryKeyOf(toKey)} (${territoryId})`,
      newOwner && newOwner !== r.accountOwnerId
        ? `Account ${r.accountId}: OwnerId ${r.accountOwnerId ?? 'none'} → ${newOwner}`
        : `Account owner unchanged${approval.ownerChangeOnApply ? '' : ' (ownerChangeOnApply is off)'}`,
      `Assignment: ${r.fromTerritoryKey ?? 'none'} ends ${effectiveDate} - 1 day; ${toKey} starts ${effectiveDate} (written by the territory step of this cycle)`,
    ].join('\n');
    await port.apply(r, {
      territoryId,
      ownerId: newOwner && newOwner !== r.accountOwnerId ? newOwner : null,
      appliedAt,
      outcome,
    });
    result.applied.push({
      id: r.id,
      accountId: r.accountId!,
      fromTerritoryKey: r.fromTerritoryKey,
      toTerritoryKey: toKey,
      effectiveDate,
      status: 'Applied',
    });
  }
  result.summary.push(
    `territory changes: ${result.applied.length} applied, ${result.invalid.length} invalid, ${result.deferred.length} deferred`,
    ...result.invalid.map((i) => `  invalid ${i.id}: ${i.reason}`),
    ...result.deferred.map((d) => `  deferred ${d.id}: ${d.reason}`),
  );
  return result;
}

function invalidReason(
  r: ChangeRequest,
  input: ApplyChangesInput,
  users: ReadonlyMap<string, DirectoryUser>,
  opsAdmins: ReadonlySet<string>,
  owner: (key: string | null) => string | null,
): string | null {
  if (r.accountId === null) return 'the request names no account';
  if (r.toTerritoryKey === null) return 'the request names no target territory';
  if (!input.owners.has(r.toTerritoryKey))
    return `target territory ${r.toTerritoryKey} is not in the active model ${input.modelKey}`;
  if (r.approverId === null) return 'Approved without an Approver__c';
  // Tamper guard: whoever set the request to Approved is its last modifier; an Approver__c naming
  // someone else means the approval was not made by the person it names.
  if (r.lastModifiedById !== r.approverId)
    return `Approver__c ${r.approverId} is not the user who approved it (last modified by ${r.lastModifiedById ?? 'unknown'})`;
  const approver = users.get(r.approverId);
  if (approver && !approver.isActive) return `approver ${r.approverId} is inactive`;
  const managerOf = (userId: string | null): string | null =>
    userId !== null ? (users.get(userId)?.managerId ?? null) : null;
  const grants: Record<ApproverRule, () => boolean> = {
    sourceOwnerManager: () => managerOf(owner(r.fromTerritoryKey)) === r.approverId,
    targetOwnerManager: () => managerOf(owner(r.toTerritoryKey)) === r.approverId,
    // The manager of the rep who owns the account today: the usual approver of a rep's own request.
    accountOwnerManager: () => managerOf(r.accountOwnerId) === r.approverId,
    sourceOwner: () => owner(r.fromTerritoryKey) === r.approverId,
    targetOwner: () => owner(r.toTerritoryKey) === r.approverId,
    opsAdmin: () =>
      opsAdmins.has(r.approverId!.toLowerCase()) ||
      (approver?.username !== null &&
        approver?.username !== undefined &&
        opsAdmins.has(approver.username.toLowerCase())),
  };
  const rules = input.config.approval.approvers;
  if (rules.some((rule) => grants[rule]())) return null;
  return `approver ${r.approverId} has no right to approve this change (allowed: ${rules.join(', ')}; source owner ${owner(r.fromTerritoryKey) ?? 'none'}, target owner ${owner(r.toTerritoryKey) ?? 'none'})`;
}
