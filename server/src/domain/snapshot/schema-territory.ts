import { z } from 'zod';
import { isIsoDate } from '../calendar/dates';

/**
 * Snapshot sections only the territory engine reads (optional, with defaults). Kept in their own file
 * so the territory engine extends the one snapshot shape without touching the others' sections.
 */

const id = z.string().min(1);
const isoDate = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');

/** Who a user is beyond the engines' `users` section: rules and approvers name people by Username. */
export const UserDirectoryEntrySchema = z.object({
  userId: id,
  username: z.string().nullable().default(null),
  /** User.ManagerId: who may approve a change of this user's territory (by default). */
  managerId: id.nullable().default(null),
});

/**
 * Territory_Assignment__c rows written by earlier cycles: the history that lets past periods keep
 * crediting the old territory and lets an unchanged assignment keep its start date and key.
 */
export const PriorAssignmentSchema = z.object({
  modelKey: z.string().min(1),
  accountId: id.nullable().default(null),
  opportunityId: id.nullable().default(null),
  territoryKey: z.string().min(1),
  effectiveStart: isoDate,
  effectiveEnd: isoDate.nullable().default(null),
  decidedBy: z.string().nullable().default(null),
});

/** Territory_Change_Request__c the engine must honour (Applied ones; Approved ones about to be applied). */
export const TerritoryChangeSchema = z.object({
  id,
  accountId: id,
  fromTerritoryKey: z.string().nullable().default(null),
  toTerritoryKey: z.string().min(1),
  effectiveDate: isoDate,
  status: z.enum(['Approved', 'Applied']),
});

/** A territory set by hand on one opportunity (besides IsExcludedFromTerritory2Filter). */
export const OpportunityTerritoryOverrideSchema = z.object({
  opportunityId: id,
  territoryKey: z.string().nullable(),
});

export const TERRITORY_SECTIONS = {
  userDirectory: z.array(UserDirectoryEntrySchema).default([]),
  territoryAssignments: z.array(PriorAssignmentSchema).default([]),
  territoryChanges: z.array(TerritoryChangeSchema).default([]),
  opportunityTerritoryOverrides: z.array(OpportunityTerritoryOverrideSchema).default([]),
};
