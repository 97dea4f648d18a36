import { z } from 'zod';
import { isIsoDate } from '../calendar/dates';

/**
 * The territory configuration (config/territories.yaml): territory types, models with a lifecycle,
 * their hierarchy, people and assignment rules, plus the approval policy for change requests.
 * Cross-references (parents, types, filter items) are checked in `checkTerritoryConfig`, so a bad
 * file reports every problem with its path at once.
 */

const isoDate = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');
const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'expected a key of letters, digits, _ . -');

export const RULE_OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'startsWith',
  'contains',
  'between',
  'greaterThan',
  'greaterOrEqual',
  'lessThan',
  'lessOrEqual',
  'isNull',
  'isNotNull',
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

const scalar = z.union([z.string(), z.number()]).transform((v) => String(v));

/**
 * One numbered criterion on an Account field. `field` is a snapshot account field
 * (billingCountry, industry, annualRevenue…) or `attributes.<name>` for custom fields.
 * `between` is a numeric range when both bounds are numbers, otherwise a text range compared on the
 * value's leading characters (postal codes `941`–`945`, states `A`–`M`).
 */
export const RuleItemSchema = z.object({
  field: z.string().min(1),
  op: z.enum(RULE_OPERATORS),
  value: scalar.optional(),
  values: z.array(scalar).optional(),
  from: z.union([z.string(), z.number()]).optional(),
  to: z.union([z.string(), z.number()]).optional(),
});
export type RuleItem = z.infer<typeof RuleItemSchema>;
export type RuleItemInput = z.input<typeof RuleItemSchema>;

export const RuleSchema = z.object({
  id: z.string().min(1).optional(),
  /** Items are numbered from 1 in the order written. */
  items: z.array(RuleItemSchema).min(1),
  /** Boolean filter such as `(1 AND 2) OR 3`; default: every item ANDed (Salesforce's default). */
  filter: z.string().optional(),
  /** true: the rule scopes this territory and its whole subtree; false: local to this territory. */
  inherit: z.boolean().default(false),
});
export type RuleInput = z.infer<typeof RuleSchema>;

/**
 * Who a territory's owner or members are. A user is named by Id, Username or full name; or a role is
 * named (exact, `*` as a wildcard) with an optional user segment. Several matches are sorted by name
 * then id; an owner takes the first (and the trace says so).
 */
export const UserSelectorSchema = z.union([
  z.object({ user: z.string().min(1) }).strict(),
  z.object({ role: z.string().min(1), segment: z.string().optional() }).strict(),
]);
export type UserSelector = z.infer<typeof UserSelectorSchema>;

export const MemberSchema = z.object({
  /** Role in the territory: AE, SE overlay, CSM… */
  role: z.string().min(1),
  users: UserSelectorSchema,
  /** Whether the members' own quotas make up the territory's quota when it has none of its own. */
  quotaBearing: z.boolean().default(true),
});

export const TerritoryInputSchema = z.object({
  key,
  name: z.string().min(1).max(80),
  type: z.string().min(1),
  parent: key.nullable().default(null),
  owner: UserSelectorSchema.nullable().default(null),
  members: z.array(MemberSchema).default([]),
  rules: z.array(RuleSchema).default([]),
  /** Named-account exceptions: always in this territory, whatever the rules say (Id or exact name). */
  namedAccounts: z.array(z.string().min(1)).default([]),
  /** Accounts this territory's rules never take (Id or exact name). */
  excludedAccounts: z.array(z.string().min(1)).default([]),
});
export type TerritoryInput = z.infer<typeof TerritoryInputSchema>;
export type TerritoryInputInput = z.input<typeof TerritoryInputSchema>;

export const MODEL_STATES = ['Planning', 'Active', 'Archived'] as const;
export type ModelState = (typeof MODEL_STATES)[number];

export const ModelSchema = z.object({
  key,
  name: z.string().min(1),
  state: z.enum(MODEL_STATES),
  /** First day the model's assignments count (start of the first history rows). */
  activatedOn: isoDate.nullable().default(null),
  deactivatedOn: isoDate.nullable().default(null),
  /** Accounts that keep their current territory whatever the rules say (Salesforce IsExcludedFromRealign). */
  excludeFromRealignment: z
    .object({
      accounts: z.array(z.string().min(1)).default([]),
      /** An account attribute that, when "true", excludes the account. */
      attribute: z.string().min(1).nullable().default(null),
    })
    .prefault({}),
  territories: z.array(TerritoryInputSchema).min(1),
});
export type ModelInput = z.infer<typeof ModelSchema>;

export const TypeSchema = z.object({
  name: z.string().min(1),
  /** Lower wins. Unique across types, as Salesforce requires of Territory2Type.Priority. */
  priority: z.number().int().min(0).max(99999),
  description: z.string().optional(),
});

export const TIE_BREAKS = ['keep-current-or-none', 'keep-current-or-first-key'] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];

export const APPROVER_RULES = [
  'sourceOwnerManager',
  'accountOwnerManager',
  'targetOwnerManager',
  'sourceOwner',
  'targetOwner',
  'opsAdmin',
] as const;
export type ApproverRule = (typeof APPROVER_RULES)[number];

export const BALANCE_MEASURES = [
  'accountCount',
  'openPipeline',
  'potentialRevenue',
  'potentialEmployees',
  'workload',
] as const;
export type BalanceMeasure = (typeof BALANCE_MEASURES)[number];

export const TerritoryConfigSchema = z.object({
  version: z.literal(1),
  types: z.array(TypeSchema).min(1),
  models: z.array(ModelSchema).min(1),
  /** What happens when candidates tie on type priority (see the territory README). */
  tieBreak: z.enum(TIE_BREAKS).default('keep-current-or-none'),
  quota: z
    .object({
      /** Fiscal period the Quota__c of a territory is for. */
      periodType: z.enum(['month', 'quarter', 'year']).default('quarter'),
      /** How a territory's quota is shared among its accounts when an account moves. */
      moveBasis: z.enum(['accountCount', 'openPipeline']).default('accountCount'),
    })
    .prefault({}),
  workload: z
    .object({
      perAccount: z.number().min(0).default(1),
      perOpenOpportunity: z.number().min(0).default(0.5),
      /** Extra weight per account by its segment (Enterprise accounts take more work). */
      segmentWeights: z.record(z.string(), z.number().min(0)).prefault({}),
    })
    .prefault({}),
  approval: z
    .object({
      /** Any one of these grants the right to approve a change. */
      approvers: z.array(z.enum(APPROVER_RULES)).min(1).default(['sourceOwnerManager', 'targetOwnerManager']),
      /** Users (Id or Username) allowed to approve any change when `opsAdmin` is listed. */
      opsAdmins: z.array(z.string().min(1)).default([]),
      /** Applying a change also sets Account.OwnerId to the target territory's owner. */
      ownerChangeOnApply: z.boolean().default(false),
    })
    .prefault({}),
});
export type TerritoryConfig = z.infer<typeof TerritoryConfigSchema>;
export type TerritoryConfigInput = z.input<typeof TerritoryConfigSchema>;

export interface ConfigProblem {
  path: string;
  message: string;
}
