import { z } from 'zod';
import { isIsoDate } from '../calendar/dates';

/**
 * Snapshot sections only the commission engine reads (optional, with defaults). Kept in their own
 * file so the commission engine extends the one snapshot shape without touching the others' sections.
 *
 * - `territoryMembers`: who holds which role in a territory, effective-dated (territory crediting and
 *   assignment of plans by territory type).
 * - `commissionLedger`: what earlier runs posted and what was paid: the periods that are closed
 *   (locked), the lines posted in them, and payouts. The engine never changes a closed period; it
 *   compares its recalculation with these lines and posts the difference into the open period.
 * - `commissionHolds`: payouts held for a rep, a deal or both, with a reason, between two dates.
 */

// Local copies of the base schema's scalars: schema.ts imports this file, so importing back would cycle.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const decimal = z
  .union([z.string().regex(DECIMAL_TEXT, 'expected a decimal such as "1234.50"'), z.number().finite()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()));
const isoDate = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');
const id = z.string().min(1);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"');

export const COMMISSION_LINE_TYPES = [
  'Commission',
  'SPIFF',
  'Draw',
  'Draw Recovery',
  'Clawback',
  'Prior Period Adjustment',
  'Hold Release',
  'Projected',
] as const;
export type CommissionLineType = (typeof COMMISSION_LINE_TYPES)[number];

export const CREDIT_ROLES = ['Owner', 'Revenue Split', 'Overlay', 'Territory', 'Manager'] as const;
export type CreditRole = (typeof CREDIT_ROLES)[number];

export const TerritoryMemberSchema = z.object({
  territoryId: id,
  userId: id,
  /** Role in the territory (Salesforce RoleInTerritory2): "Owner", "Sales Engineer", "Overlay"… */
  role: z.string().min(1),
  /** The territory's type (Territory2Type), for plans assigned by territory type. */
  territoryType: z.string().nullable().default(null),
  startDate: isoDate.nullable().default(null),
  /** Inclusive; null while current. */
  endDate: isoDate.nullable().default(null),
});

/** One line as an earlier run posted it in a period that is now closed. Amounts in `currency`. */
export const LedgerLineSchema = z.object({
  key: z.string().min(1),
  repId: id,
  periodKey: z.string().min(1),
  lineType: z.enum(COMMISSION_LINE_TYPES),
  opportunityId: id.nullable().default(null),
  creditRole: z.enum(CREDIT_ROLES).nullable().default(null),
  creditDate: isoDate.nullable().default(null),
  /** Measure credited, plan currency. */
  creditedAmount: decimal.default('0'),
  /** Effective rate in percent (8 = 8%), as written to Rate__c. */
  ratePercent: decimal.nullable().default(null),
  tier: z.string().nullable().default(null),
  amount: decimal,
  payable: decimal.default('0'),
  currency: currencyCode,
  planKey: z.string().nullable().default(null),
  planVersion: z.number().int().nullable().default(null),
  /** Clawbacks and adjustments: the line they correct. */
  originalLineKey: z.string().nullable().default(null),
});

export const ClosedPeriodSchema = z.object({
  periodKey: z.string().min(1),
  /** The day the period was locked; a reconstruction as of an earlier day sees it open. */
  closedOn: isoDate,
});

export const PayoutSchema = z.object({
  repId: id,
  periodKey: z.string().min(1),
  date: isoDate,
  amount: decimal,
  currency: currencyCode,
});

export const CommissionLedgerSchema = z.object({
  closedPeriods: z.array(ClosedPeriodSchema).default([]),
  lines: z.array(LedgerLineSchema).default([]),
  payouts: z.array(PayoutSchema).default([]),
});

export const CommissionHoldSchema = z.object({
  id,
  /** Null: every rep credited on the deal. */
  repId: id.nullable().default(null),
  /** Null: every line of the rep. */
  opportunityId: id.nullable().default(null),
  reason: z.string().min(1).max(255),
  from: isoDate,
  /** Inclusive; null until lifted. */
  until: isoDate.nullable().default(null),
});

export const COMMISSION_SECTIONS = {
  territoryMembers: z.array(TerritoryMemberSchema).default([]),
  commissionLedger: CommissionLedgerSchema.prefault({}),
  commissionHolds: z.array(CommissionHoldSchema).default([]),
};

export type TerritoryMember = z.output<typeof TerritoryMemberSchema>;
export type LedgerLine = z.output<typeof LedgerLineSchema>;
export type CommissionLedger = z.output<typeof CommissionLedgerSchema>;
export type CommissionLedgerInput = z.input<typeof CommissionLedgerSchema>;
export type CommissionHold = z.output<typeof CommissionHoldSchema>;
export type Payout = z.output<typeof PayoutSchema>;
