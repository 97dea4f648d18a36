import { z } from 'zod';
import { isIsoDate } from '../calendar/dates';
import { COMMISSION_SECTIONS } from './schema-commission';
import { TERRITORY_SECTIONS } from './schema-territory';

/**
 * The documented JSON form of a snapshot (see README.md). Every engine reads this one shape; the
 * territory and commission engines extend it by adding optional sections with defaults here, never
 * by forking it, so an older snapshot file stays valid.
 */

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Money and quantities arrive as decimal strings (preferred) or JSON numbers; both become strings. */
export const decimal = z
  .union([z.string().regex(DECIMAL_TEXT, 'expected a decimal such as "1234.50"'), z.number().finite()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()));

export const isoDate = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');

/** Salesforce datetimes (CreatedDate) count on their UTC date: the date part is kept. */
export const dateOrDateTime = z
  .string()
  .refine(
    (v) => isIsoDate(v.slice(0, 10)) && (v.length === 10 || v[10] === 'T'),
    'expected YYYY-MM-DD or an ISO datetime',
  )
  .transform((v) => v.slice(0, 10));

const id = z.string().min(1);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"');

export const CurrencySchema = z.object({
  code: currencyCode,
  decimalPlaces: z.number().int().min(0).max(6).default(2),
  staticRate: decimal.default('1'),
});

export const DatedRateSchema = z.object({ currency: currencyCode, startDate: isoDate, rate: decimal });

export const RoleSchema = z.object({
  id,
  name: z.string(),
  parentRoleId: id.nullable().default(null),
  forecastManagerId: id.nullable().default(null),
});

export const UserSchema = z.object({
  id,
  name: z.string(),
  roleId: id.nullable().default(null),
  isActive: z.boolean().default(true),
  segment: z.string().nullable().default(null),
});

/** Effective-dated role membership, for reps who move teams. The latest start on or before a date wins. */
export const RoleAssignmentSchema = z.object({ userId: id, roleId: id, startDate: isoDate });

export const TerritorySchema = z.object({
  id,
  name: z.string(),
  parentId: id.nullable().default(null),
  forecastManagerId: id.nullable().default(null),
});

const text = z.string().nullable().default(null);

export const AccountSchema = z.object({
  id,
  name: z.string(),
  ownerId: id.nullable().default(null),
  segment: z.string().nullable().default(null),
  territoryId: id.nullable().default(null),
  parentId: id.nullable().default(null),
  /** Firmographics and address: what territory assignment rules test. */
  type: text,
  industry: text,
  billingCountry: text,
  billingState: text,
  billingPostalCode: text,
  billingCity: text,
  annualRevenue: decimal.nullable().default(null),
  numberOfEmployees: z.number().int().min(0).nullable().default(null),
  /** Custom Account fields by domain name, as text, for rules that test them. */
  attributes: z.record(z.string(), z.string().nullable()).default({}),
});

export const LineItemSchema = z.object({
  id,
  productId: id.nullable().default(null),
  productCode: z.string().nullable().default(null),
  productFamily: z.string().nullable().default(null),
  quantity: decimal.default('1'),
  totalPrice: decimal,
  /** Total cost of the line in the opportunity's currency, when the org tracks it (for margin). */
  cost: decimal.nullable().default(null),
});

export const SplitSchema = z.object({
  userId: id,
  splitType: z.enum(['revenue', 'overlay']),
  /** 0-100 for revenue splits (they must total 100), 0-1000 for overlay splits. */
  percent: decimal,
});

export const OpportunitySchema = z.object({
  id,
  name: z.string().default(''),
  accountId: id.nullable().default(null),
  ownerId: id,
  stageName: z.string().min(1),
  amount: decimal.nullable().default(null),
  currency: currencyCode,
  closeDate: isoDate,
  createdDate: dateOrDateTime,
  isClosed: z.boolean(),
  isWon: z.boolean(),
  probability: decimal.nullable().default(null),
  quantity: decimal.nullable().default(null),
  territoryId: id.nullable().default(null),
  /** Salesforce's IsExcludedFromTerritory2Filter: the territory was set by hand and stays. */
  excludedFromTerritoryFilter: z.boolean().default(false),
  /** New Business, Existing Business, Renewal… (Opportunity.Type). */
  type: z.string().nullable().default(null),
  lastActivityDate: isoDate.nullable().default(null),
  /** Custom date fields a forecast may use instead of CloseDate, by domain name. */
  dates: z.record(z.string(), isoDate.nullable()).default({}),
  /** Custom currency fields (ARR, TCV…) a forecast may measure, in the opportunity's currency. */
  amounts: z.record(z.string(), decimal.nullable()).default({}),
  lineItems: z.array(LineItemSchema).default([]),
  splits: z.array(SplitSchema).default([]),
});

/** One row per change, holding the values after it (Salesforce's OpportunityHistory). */
export const HistorySchema = z.object({
  opportunityId: id,
  changedAt: dateOrDateTime,
  stageName: z.string().min(1),
  amount: decimal.nullable().default(null),
  closeDate: isoDate,
  probability: decimal.nullable().default(null),
  /** Owner after the change, when the export includes owner history. */
  ownerId: id.nullable().default(null),
});

export const QuotaSchema = z.object({
  ownerType: z.enum(['user', 'territory']),
  ownerId: id,
  periodType: z.enum(['month', 'quarter', 'year']),
  /** Must equal the first day of a fiscal period exactly, or the quota attaches to no period. */
  periodStart: isoDate,
  productFamily: z.string().nullable().default(null),
  amount: decimal,
  currency: currencyCode,
});

export const AdjustmentSchema = z.object({
  id,
  forecastType: z.string().min(1),
  periodKey: z.string().min(1),
  nodeType: z.enum(['user', 'territory']),
  nodeId: id,
  /** A cumulative or single-category rollup name from the forecast config (e.g. "commit"). */
  category: z.string().min(1),
  productFamily: z.string().nullable().default(null),
  kind: z.enum(['owner', 'manager']),
  authorId: id,
  amount: decimal,
  currency: currencyCode,
  reason: z.string().max(255),
  createdAt: z.string().min(10),
});

/** The number a rep or manager submitted for a period: input to forecast accuracy and bias. */
export const SubmissionSchema = z.object({
  ownerId: id,
  periodKey: z.string().min(1),
  amount: decimal,
  currency: currencyCode,
  submittedOn: isoDate,
});

/** Money received against a deal (for commissions released by share of payment). */
export const PaymentSchema = z.object({
  opportunityId: id,
  date: isoDate,
  amount: decimal,
  currency: currencyCode,
});

export const SnapshotSchema = z.object({
  version: z.literal(1),
  corporateCurrency: currencyCode,
  currencies: z.array(CurrencySchema).default([]),
  datedRates: z.array(DatedRateSchema).default([]),
  roles: z.array(RoleSchema).default([]),
  users: z.array(UserSchema),
  roleAssignments: z.array(RoleAssignmentSchema).default([]),
  territories: z.array(TerritorySchema).default([]),
  accounts: z.array(AccountSchema).default([]),
  opportunities: z.array(OpportunitySchema),
  history: z.array(HistorySchema).default([]),
  quotas: z.array(QuotaSchema).default([]),
  adjustments: z.array(AdjustmentSchema).default([]),
  submissions: z.array(SubmissionSchema).default([]),
  payments: z.array(PaymentSchema).default([]),
  ...TERRITORY_SECTIONS,
  ...COMMISSION_SECTIONS,
});
