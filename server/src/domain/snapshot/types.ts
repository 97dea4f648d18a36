import type { z } from 'zod';
import type {
  AccountSchema,
  AdjustmentSchema,
  CurrencySchema,
  DatedRateSchema,
  HistorySchema,
  LineItemSchema,
  OpportunitySchema,
  QuotaSchema,
  RoleAssignmentSchema,
  RoleSchema,
  SnapshotSchema,
  SplitSchema,
  SubmissionSchema,
  TerritorySchema,
  UserSchema,
} from './schema';

/** Plain data every engine reads. Amounts are exact decimal strings; dates are 'YYYY-MM-DD'. */
export type Snapshot = z.output<typeof SnapshotSchema>;
/** What a caller may hand in before defaults are applied (the JSON form). */
export type SnapshotInput = z.input<typeof SnapshotSchema>;
export type Currency = z.output<typeof CurrencySchema>;
export type DatedRate = z.output<typeof DatedRateSchema>;
export type Role = z.output<typeof RoleSchema>;
export type User = z.output<typeof UserSchema>;
export type RoleAssignment = z.output<typeof RoleAssignmentSchema>;
export type Territory = z.output<typeof TerritorySchema>;
export type Account = z.output<typeof AccountSchema>;
export type Opportunity = z.output<typeof OpportunitySchema>;
export type LineItem = z.output<typeof LineItemSchema>;
export type Split = z.output<typeof SplitSchema>;
export type OpportunityHistory = z.output<typeof HistorySchema>;
export type Quota = z.output<typeof QuotaSchema>;
export type Adjustment = z.output<typeof AdjustmentSchema>;
export type Submission = z.output<typeof SubmissionSchema>;
