import { z } from 'zod';
import { isIsoDate } from '../calendar/dates';
import { CREDIT_ROLES } from '../snapshot/schema-commission';

/**
 * A commission plan file (config/commission-plans/<key>.yaml, documented in the README there). A plan
 * is never edited in place: a change is a new version with its own effective date, so lines already
 * posted can always be explained by the version that produced them.
 */

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const money = z
  .union([z.string().regex(DECIMAL_TEXT, 'expected a decimal such as "1500.00"'), z.number().finite()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()));
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine(isIsoDate, 'expected a date as YYYY-MM-DD');
/** Percent with at most 4 decimals (Rate__c is Percent(8,4)): rates are exact in millionths. */
const percent = z
  .number()
  .min(0)
  .max(1000)
  .refine(
    (v) => Number.isInteger(Math.round(v * 10000)) && Math.abs(v * 10000 - Math.round(v * 10000)) < 1e-6,
    {
      message: 'at most 4 decimals',
    },
  );
const multiplier = z.number().min(0).max(100);
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"');

export const TierSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Attainment in percent; bands are half-open [from, to). */
    from: z.number().min(0),
    /** Omitted on the last band: no upper bound. */
    to: z.number().positive().optional(),
    /** Percent paid on credit inside the band… */
    rate: percent.optional(),
    /** …or the plan's baseRate times this (accelerator > 1, decelerator < 1). */
    multiplier: multiplier.optional(),
  })
  .refine((t) => (t.rate === undefined) !== (t.multiplier === undefined), {
    message: 'a tier has either rate or multiplier',
  })
  .refine((t) => t.to === undefined || t.to > t.from, { message: 'to must be above from' });

export const SpiffSchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  name: z.string().min(1),
  /** Credit dates from…to, inclusive. */
  from: isoDate,
  to: isoDate,
  amount: money,
  /** deal: once per qualifying deal; line: once per qualifying line item; unit: per unit of quantity. */
  per: z.enum(['deal', 'line', 'unit']).default('deal'),
  productCodes: z.array(z.string()).default([]),
  productFamilies: z.array(z.string()).default([]),
  dealTypes: z.array(z.string()).default([]),
  /** The deal's amount (opportunity currency) must be at least this. */
  minDealAmount: money.optional(),
});

export const PlanVersionSchema = z
  .object({
    version: z.number().int().positive(),
    effectiveFrom: isoDate,
    /** Inclusive; omitted: until the next version starts. */
    effectiveTo: isoDate.optional(),
    /** Why this version exists: shown in prior-period adjustment reasons. */
    note: z.string().optional(),
    period: z.enum(['month', 'quarter']).default('quarter'),
    /** Payout currency; an assignment's currency wins; neither: the corporate currency. */
    currency: currencyCode.optional(),
    crediting: z
      .object({
        roles: z.array(z.enum(CREDIT_ROLES)).min(1).default(['Owner', 'Revenue Split']),
        /** close: CloseDate; booking / invoice: that date when the deal has it, else CloseDate. */
        creditDate: z.enum(['close', 'booking', 'invoice']).default('close'),
        /** Territory roles that earn Territory credit, and at what percent. */
        territoryRoles: z.array(z.string()).default([]),
        territoryPercent: z.number().min(0).max(1000).default(100),
        /** How many role levels above the rep a manager is credited from. */
        managerLevels: z.number().int().min(1).max(10).default(1),
      })
      .prefault({}),
    measure: z
      .object({
        base: z.enum(['amount', 'margin']).default('amount'),
        /** A sale below cost: floor its margin at 0 (no negative commission) or keep it negative. */
        negativeMargin: z.enum(['floor', 'keep']).default('floor'),
        /** A line without cost: count its full price as margin, or leave it out. */
        missingCost: z.enum(['price', 'exclude']).default('price'),
        productFamilies: z
          .object({
            include: z.array(z.string()).default([]),
            exclude: z.array(z.string()).default([]),
            multipliers: z.record(z.string(), multiplier).default({}),
          })
          .prefault({}),
        /** Opportunity.Type values; `null` type is "(none)". */
        dealTypes: z
          .object({
            include: z.array(z.string()).default([]),
            exclude: z.array(z.string()).default([]),
            multipliers: z.record(z.string(), multiplier).default({}),
          })
          .prefault({}),
      })
      .prefault({}),
    /** snapshot: the rep's quota for the period from the snapshot; or a fixed amount per period. */
    quota: z
      .union([
        z.object({ source: z.literal('snapshot') }),
        z.object({ amount: money, currency: currencyCode }),
      ])
      .default({ source: 'snapshot' }),
    attainment: z
      .object({
        basis: z.enum(['period', 'ytd']).default('period'),
        /** ytd with retroactive tiers: each period pays year-to-date earnings minus what earlier periods earned. */
        ytdMinusEarned: z.boolean().default(false),
      })
      .prefault({}),
    rates: z
      .object({
        mode: z.enum(['flat', 'marginal', 'retroactive']),
        /** flat: the rate; tiers: what `multiplier` tiers multiply. */
        rate: percent.optional(),
        baseRate: percent.optional(),
        tiers: z.array(TierSchema).default([]),
      })
      .superRefine((r, ctx) => {
        if (r.mode === 'flat' && r.rate === undefined)
          ctx.addIssue({ code: 'custom', path: ['rate'], message: 'a flat plan needs rate' });
        if (r.mode !== 'flat') {
          if (r.tiers.length === 0)
            ctx.addIssue({ code: 'custom', path: ['tiers'], message: `${r.mode} rates need tiers` });
          if (r.tiers[0] && r.tiers[0].from !== 0)
            ctx.addIssue({
              code: 'custom',
              path: ['tiers', 0, 'from'],
              message: 'the first tier starts at 0',
            });
          r.tiers.forEach((t, i) => {
            const next = r.tiers[i + 1];
            if (next && t.to !== next.from)
              ctx.addIssue({
                code: 'custom',
                path: ['tiers', i, 'to'],
                message: `tiers must be contiguous: to (${t.to ?? 'none'}) must equal the next tier's from (${next.from})`,
              });
            if (!next && t.to !== undefined)
              ctx.addIssue({
                code: 'custom',
                path: ['tiers', i, 'to'],
                message: 'the last tier has no upper bound',
              });
            if (t.multiplier !== undefined && r.baseRate === undefined)
              ctx.addIssue({
                code: 'custom',
                path: ['tiers', i, 'multiplier'],
                message: 'multiplier tiers need baseRate',
              });
          });
        }
      }),
    caps: z
      .object({
        /** Most a rep earns in commission lines per period (plan currency). */
        periodEarnings: money.optional(),
        /** Most one deal pays one rep. */
        perDeal: money.optional(),
        /** Credit above this attainment (percent) earns nothing. */
        attainment: z.number().positive().optional(),
      })
      .prefault({}),
    floors: z
      .object({
        /** Below this attainment (percent) at period end, commission lines earn nothing. */
        attainment: z.number().min(0).optional(),
      })
      .prefault({}),
    spiffs: z.array(SpiffSchema).default([]),
    draw: z
      .object({
        type: z.enum(['recoverable', 'nonRecoverable']),
        /** Guaranteed per period (plan currency). */
        amount: money,
        from: isoDate.optional(),
        to: isoDate.optional(),
      })
      .optional(),
    clawback: z
      .object({
        /** A paid deal lost, cancelled or reduced within this many days of its credit date is clawed back. */
        windowDays: z.number().int().min(0).default(180),
        reducesAttainment: z.boolean().default(false),
      })
      .prefault({}),
    payable: z
      .object({
        /** close: payable when earned; invoice: once the deal has an invoice date; payment: by share paid. */
        on: z.enum(['close', 'invoice', 'payment']).default('close'),
      })
      .prefault({}),
  })
  .refine((v) => !v.effectiveTo || v.effectiveTo >= v.effectiveFrom, {
    message: 'effectiveTo is before effectiveFrom',
    path: ['effectiveTo'],
  });

export const AssignmentSchema = z
  .object({
    users: z.array(z.string().min(1)).default([]),
    /** Role ids, or a regular expression on role names (ids differ between orgs, names do not). */
    roles: z.array(z.string().min(1)).default([]),
    roleNameMatches: z.string().optional(),
    territoryTypes: z.array(z.string().min(1)).default([]),
    from: isoDate,
    /** Inclusive. */
    to: isoDate.optional(),
    currency: currencyCode.optional(),
  })
  .refine((a) => a.users.length + a.roles.length + a.territoryTypes.length > 0 || a.roleNameMatches, {
    message: 'an assignment names users, roles, roleNameMatches or territoryTypes',
  })
  .refine(
    (a) => {
      if (!a.roleNameMatches) return true;
      try {
        new RegExp(a.roleNameMatches);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'roleNameMatches is not a valid regular expression', path: ['roleNameMatches'] },
  );

export const PlanSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and - only'),
    name: z.string().min(1),
    description: z.string().optional(),
    versions: z.array(PlanVersionSchema).min(1),
    assignments: z.array(AssignmentSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<number>();
    p.versions.forEach((v, i) => {
      if (seen.has(v.version))
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i, 'version'],
          message: `version ${v.version} twice`,
        });
      seen.add(v.version);
      const prev = p.versions[i - 1];
      if (prev && !(v.version > prev.version && v.effectiveFrom > prev.effectiveFrom))
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i],
          message: 'versions are listed oldest first, with rising numbers and effective dates',
        });
    });
  });

export type Tier = z.output<typeof TierSchema>;
export type Spiff = z.output<typeof SpiffSchema>;
export type PlanVersion = z.output<typeof PlanVersionSchema>;
export type PlanAssignment = z.output<typeof AssignmentSchema>;
export type Plan = z.output<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;
