import type { Connection } from 'jsforce';
import type { ChangeRequest, DirectoryUser, TerritoryChangePort } from '../app/apply-territory-changes';
import { AppError } from '../shared/errors';
import { soqlId, soqlString } from './soql-values';

/**
 * Territory_Change_Request__c, Sales_Territory__c ids and the approvers' User rows over the REST API:
 * the CRM side of applying approved territory changes. The only SOQL values are ids and external
 * keys, formatted through soql-values.
 */

const CHANGE_FIELDS = [
  'Id',
  'Account__c',
  'From_Territory_Key__c',
  'To_Territory_Key__c',
  'Effective_Date__c',
  'Approver__c',
  'LastModifiedById',
  'Account__r.OwnerId',
].join(', ');

/** Ids per IN list: keeps each query well under the URI length limit. */
const CHUNK = 200;

type Row = Record<string, unknown>;
interface Writer {
  update(records: Row[], options?: { allOrNone?: boolean }): Promise<unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function territoryChangePort(conn: Connection): TerritoryChangePort {
  const queryAll = async (soql: string): Promise<Row[]> => {
    const result = await conn.query<Row>(soql, { autoFetch: true, maxFetch: 1_000_000 });
    return result.records;
  };
  const update = async (sobject: string, record: Row): Promise<void> => {
    const writer = conn.sobject(sobject) as unknown as Writer;
    const results = (await writer.update([record], { allOrNone: true })) as {
      success: boolean;
      errors: { message?: string; statusCode?: string }[];
    }[];
    const failed = results.find((r) => !r.success);
    if (failed)
      throw new AppError(
        'CRM_REQUEST_FAILED',
        `Updating ${sobject} ${String(record.Id)} failed: ${failed.errors.map((e) => `${e.statusCode ?? ''} ${e.message ?? ''}`.trim()).join('; ')}`,
        { sobject, id: record.Id },
      );
  };
  return {
    async readApproved(): Promise<ChangeRequest[]> {
      const rows = await queryAll(
        `SELECT ${CHANGE_FIELDS} FROM Territory_Change_Request__c WHERE Status__c = 'Approved' ORDER BY Id`,
      );
      return rows.map((r) => ({
        id: String(r.Id),
        accountId: str(r.Account__c),
        fromTerritoryKey: str(r.From_Territory_Key__c),
        toTerritoryKey: str(r.To_Territory_Key__c),
        effectiveDate: str(r.Effective_Date__c),
        approverId: str(r.Approver__c),
        lastModifiedById: str(r.LastModifiedById),
        accountOwnerId: str((r.Account__r as Row | null | undefined)?.OwnerId),
      }));
    },
    async readUsers(ids): Promise<Map<string, DirectoryUser>> {
      const out = new Map<string, DirectoryUser>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const list = ids
          .slice(i, i + CHUNK)
          .map(soqlId)
          .join(', ');
        for (const r of await queryAll(
          `SELECT Id, Username, ManagerId, IsActive FROM User WHERE Id IN (${list})`,
        ))
          out.set(String(r.Id), {
            id: String(r.Id),
            username: str(r.Username),
            managerId: str(r.ManagerId),
            isActive: r.IsActive !== false,
          });
      }
      return out;
    },
    async territoryIds(keys): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        const list = keys
          .slice(i, i + CHUNK)
          .map(soqlString)
          .join(', ');
        for (const r of await queryAll(
          `SELECT Id, External_Key__c FROM Sales_Territory__c WHERE External_Key__c IN (${list})`,
        ))
          out.set(String(r.External_Key__c), String(r.Id));
      }
      return out;
    },
    async apply(request, write): Promise<void> {
      if (request.accountId === null) return;
      await update('Account', {
        Id: request.accountId,
        Sales_Territory__c: write.territoryId,
        ...(write.ownerId !== null ? { OwnerId: write.ownerId } : {}),
      });
      await update('Territory_Change_Request__c', {
        Id: request.id,
        Status__c: 'Applied',
        Applied_At__c: write.appliedAt,
        Outcome__c: write.outcome,
        Error__c: null,
      });
    },
    async markInvalid(request, reason): Promise<void> {
      await update('Territory_Change_Request__c', { Id: request.id, Status__c: 'Invalid', Error__c: reason });
    },
  };
}

/**
 * Applied requests in the snapshot's `territoryChanges` form, so the territory engine keeps the
 * accounts where the approvals put them (until a later change or a new model moves them).
 */
export async function readAppliedTerritoryChanges(conn: Connection): Promise<
  {
    id: string;
    accountId: string;
    fromTerritoryKey: string | null;
    toTerritoryKey: string;
    effectiveDate: string;
    status: 'Applied';
  }[]
> {
  const result = await conn.query<Row>(
    "SELECT Id, Account__c, From_Territory_Key__c, To_Territory_Key__c, Effective_Date__c, Applied_At__c FROM Territory_Change_Request__c WHERE Status__c = 'Applied' ORDER BY Id",
    { autoFetch: true, maxFetch: 1_000_000 },
  );
  return result.records
    .filter((r) => str(r.Account__c) !== null && str(r.To_Territory_Key__c) !== null)
    .map((r) => ({
      id: String(r.Id),
      accountId: String(r.Account__c),
      fromTerritoryKey: str(r.From_Territory_Key__c),
      toTerritoryKey: String(r.To_Territory_Key__c),
      effectiveDate: str(r.Effective_Date__c) ?? String(r.Applied_At__c ?? '').slice(0, 10),
      status: 'Applied' as const,
    }));
}
