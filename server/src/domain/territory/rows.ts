import type { ModelState } from './config';
import type { DecidedBy } from './assign-accounts';

/** A Sales_Territory__c record in domain terms. Money is an exact decimal string in the corporate currency. */
export interface TerritoryRow {
  externalKey: string;
  modelKey: string;
  modelState: ModelState;
  territoryKey: string;
  name: string;
  typeName: string;
  typePriority: number;
  parentKey: string | null;
  parentExternalKey: string | null;
  ownerUserId: string | null;
  members: { userId: string; name: string; role: string }[];
  /** Archived models carry identity and state only: their figures stay as they were written. */
  figures: {
    accountCount: number;
    openPipeline: string;
    closedWon: string;
    quota: string;
    /** Open pipeline ÷ remaining quota, two places; null when nothing remains. */
    coverageRatio: string | null;
  } | null;
  currency: string;
  effectiveStart: string | null;
  effectiveEnd: string | null;
  asOf: string;
  trace: string[];
}

export interface AssignmentRow {
  externalKey: string;
  modelKey: string;
  assignmentType: 'Account' | 'Opportunity';
  accountId: string | null;
  opportunityId: string | null;
  territoryKey: string;
  /** null when the territory is no longer in the model (a history row kept as it was). */
  territoryExternalKey: string | null;
  effectiveStart: string;
  effectiveEnd: string | null;
  isCurrent: boolean;
  ruleMatched: string | null;
  decidedBy: DecidedBy | null;
  trace: string[];
}

export const territoryKeyOf = (modelKey: string, territoryKey: string): string =>
  `TERR|${modelKey}|${territoryKey}`;

/**
 * `TA|model|record|territory|start`. Built by join: a template literal leaves a chain of five cons
 * strings per key (about 100 bytes more than the flat string), and a cycle keeps 200k of them.
 */
export const assignmentKeyOf = (
  modelKey: string,
  recordId: string,
  territoryKey: string,
  effectiveStart: string,
): string => ['TA', modelKey, recordId, territoryKey, effectiveStart].join('|');
