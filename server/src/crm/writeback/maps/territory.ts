import type { AssignmentRow, TerritoryRow } from '../../../domain/territory';
import type { ResultSet, SObjectRecord } from '../result-set';
import { atScale, textOf, traceText } from './fields';

export const TERRITORY_SOBJECT = 'Sales_Territory__c';
export const ASSIGNMENT_SOBJECT = 'Territory_Assignment__c';

export interface TerritoryRecordsInput {
  territoryRows: readonly TerritoryRow[];
  assignmentRows: readonly AssignmentRow[];
  /** Account.Sales_Territory__c of the Active model (updated by Id). */
  accountTerritories?: readonly { accountId: string; territoryExternalKey: string | null }[];
  /** Models whose assignments this run recomputed in full (their missing rows are retracted). */
  assignmentModels?: readonly string[];
}

/**
 * Territory rows → Sales_Territory__c, Territory_Assignment__c and the Account territory lookup
 * (docs/crm-objects.md). Territories come parents first (the engine orders the hierarchy), so a
 * writer that sends records in order never references a parent it has not written yet.
 */
export function territoryRecords(input: TerritoryRecordsInput): ResultSet[] {
  const sets: ResultSet[] = [
    { sobject: TERRITORY_SOBJECT, records: input.territoryRows.map(territoryRecord) },
  ];
  const models = input.assignmentModels ?? [...new Set(input.assignmentRows.map((r) => r.modelKey))];
  for (const model of models)
    sets.push({
      sobject: ASSIGNMENT_SOBJECT,
      records: assignmentRecords(input.assignmentRows, model),
      retractScope: `TA|${model}|`,
    });
  if (input.accountTerritories)
    sets.push({
      sobject: 'Account',
      records: input.accountTerritories.map((a) => ({
        Id: a.accountId,
        ...(a.territoryExternalKey !== null
          ? { Sales_Territory__r: { External_Key__c: a.territoryExternalKey } }
          : { Sales_Territory__c: null }),
      })),
    });
  return sets;
}

export function territoryRecord(row: TerritoryRow): SObjectRecord {
  const record: SObjectRecord = {
    External_Key__c: row.externalKey,
    Name: textOf(row.name, 80),
    Territory_Key__c: textOf(row.territoryKey, 80),
    Model__c: textOf(row.modelKey, 80),
    Model_State__c: row.modelState,
  };
  // Archived models: identity and state only, their figures stay as they were last written.
  if (row.figures === null) return record;
  Object.assign(record, {
    Territory_Type__c: textOf(row.typeName, 80),
    Type_Priority__c: row.typePriority,
    Parent_Territory__r: row.parentExternalKey !== null ? { External_Key__c: row.parentExternalKey } : null,
    Owner_User__c: row.ownerUserId,
    Members__c: row.members.length > 0 ? row.members.map((m) => `${m.name} (${m.role})`).join('\n') : null,
    Account_Count__c: row.figures.accountCount,
    Open_Pipeline__c: atScale(row.figures.openPipeline, 2),
    Closed_Won__c: atScale(row.figures.closedWon, 2),
    Quota__c: atScale(row.figures.quota, 2),
    Coverage_Ratio__c: atScale(row.figures.coverageRatio, 2),
    Effective_Start__c: row.effectiveStart,
    Effective_End__c: row.effectiveEnd,
    As_Of__c: row.asOf,
    Trace__c: traceText(row.trace[0] ?? row.territoryKey, {
      lines: row.trace.slice(1),
      members: row.members,
    }),
    CurrencyIsoCode: row.currency,
  });
  if (row.parentExternalKey === null) {
    delete record.Parent_Territory__r;
    record.Parent_Territory__c = null;
  }
  return record;
}

/**
 * One model's assignment rows. Decisions share their trace arrays (every account of one matched
 * set, every opportunity of one candidate set), so each shared trace is turned into text once.
 */
function assignmentRecords(rows: readonly AssignmentRow[], model: string): SObjectRecord[] {
  const traces = new Map<readonly string[], string>();
  const out: SObjectRecord[] = [];
  for (const row of rows) {
    if (row.modelKey !== model) continue;
    let trace = traces.get(row.trace);
    if (trace === undefined) {
      trace = assignmentTrace(row);
      // An empty trace falls back on the row's territory key: not shareable.
      if (row.trace.length > 0 && Object.isFrozen(row.trace)) traces.set(row.trace, trace);
    }
    out.push(assignmentRecord(row, trace));
  }
  return out;
}

function assignmentTrace(row: AssignmentRow): string {
  return traceText(row.trace[0] ?? row.territoryKey, { lines: row.trace.slice(1), model: row.modelKey });
}

export function assignmentRecord(row: AssignmentRow, trace = assignmentTrace(row)): SObjectRecord {
  return row.territoryExternalKey !== null
    ? {
        External_Key__c: row.externalKey,
        Assignment_Type__c: row.assignmentType,
        Account__c: row.accountId,
        Opportunity__c: row.opportunityId,
        Sales_Territory__r: { External_Key__c: row.territoryExternalKey },
        Territory_Key__c: textOf(row.territoryKey, 80),
        Effective_Start__c: row.effectiveStart,
        Effective_End__c: row.effectiveEnd,
        Is_Current__c: row.isCurrent,
        Rule_Matched__c: textOf(row.ruleMatched, 255),
        Decided_By__c: row.decidedBy,
        Trace__c: trace,
      }
    : {
        External_Key__c: row.externalKey,
        Assignment_Type__c: row.assignmentType,
        Account__c: row.accountId,
        Opportunity__c: row.opportunityId,
        Sales_Territory__c: null,
        Territory_Key__c: textOf(row.territoryKey, 80),
        Effective_Start__c: row.effectiveStart,
        Effective_End__c: row.effectiveEnd,
        Is_Current__c: row.isCurrent,
        Rule_Matched__c: textOf(row.ruleMatched, 255),
        Decided_By__c: row.decidedBy,
        Trace__c: trace,
      };
}

export interface ChangeProposal {
  externalKey: string;
  accountId: string;
  fromTerritoryKey: string | null;
  toTerritoryKey: string;
  fromTerritoryExternalKey: string | null;
  toTerritoryExternalKey: string;
  effectiveDate: string;
  reason: string;
  source: 'Balancing' | 'Rep' | 'Manager' | 'Ops';
  pipelineMoved: string;
  quotaMoved: string;
  impactSummary: string;
  currency: string;
}

/** Server-proposed changes (balancing) → Territory_Change_Request__c in Submitted, awaiting a manager. */
export function changeRequestRecords(proposals: readonly ChangeProposal[]): ResultSet[] {
  return [
    {
      sobject: 'Territory_Change_Request__c',
      retractScope: 'TCR|',
      records: proposals.map((p) => ({
        External_Key__c: p.externalKey,
        Account__c: p.accountId,
        From_Territory_Key__c: textOf(p.fromTerritoryKey, 80),
        To_Territory_Key__c: textOf(p.toTerritoryKey, 80),
        ...(p.fromTerritoryExternalKey !== null
          ? { From_Territory__r: { External_Key__c: p.fromTerritoryExternalKey } }
          : {}),
        To_Territory__r: { External_Key__c: p.toTerritoryExternalKey },
        Effective_Date__c: p.effectiveDate,
        Reason__c: p.reason,
        Status__c: 'Submitted',
        Source__c: p.source,
        Accounts_Moved__c: 1,
        Pipeline_Moved__c: atScale(p.pipelineMoved, 2),
        Quota_Moved__c: atScale(p.quotaMoved, 2),
        Impact_Summary__c: textOf(p.impactSummary, 32_768),
        CurrencyIsoCode: p.currency,
      })),
    },
  ];
}
