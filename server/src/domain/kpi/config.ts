import { z } from 'zod';

export const KPI_IDS = [
  'quota_attainment',
  'commit_attainment',
  'pipeline_coverage',
  'win_rate_count',
  'win_rate_amount',
  'average_deal_size',
  'sales_cycle_days',
  'stage_conversion',
  'days_in_stage',
  'sales_velocity',
  'slip_rate',
  'forecast_accuracy',
  'forecast_bias',
  'statistical_forecast_accuracy',
  'statistical_forecast_bias',
  'pipeline_created',
  'past_due_open',
  'missing_amount',
  'stale_opportunities',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export const KpiDefinitionSchema = z.object({
  id: z.enum(KPI_IDS),
  /** The engine implements one version of each formula; a config naming another version is rejected. */
  version: z.number().int().positive(),
  label: z.string(),
  formula: z.string().min(1),
  cohort: z.string().min(1),
  unit: z.enum(['ratio', 'currency', 'days', 'count', 'currencyPerDay']),
  enabled: z.boolean().default(true),
});
export type KpiDefinition = z.infer<typeof KpiDefinitionSchema>;

export const KpiConfigSchema = z.object({
  version: z.string().min(1),
  periodTypes: z
    .array(z.enum(['month', 'quarter', 'year']))
    .min(1)
    .default(['quarter']),
  horizon: z
    .object({ past: z.number().int().min(0).default(4), future: z.number().int().min(0).default(0) })
    .default({ past: 4, future: 0 }),
  scopes: z
    .array(z.enum(['rep', 'manager', 'territory', 'org']))
    .default(['rep', 'manager', 'territory', 'org']),
  parameters: z
    .object({
      /** An open deal with no change (history row or activity) for this many days is stale. */
      staleDays: z.number().int().positive().default(30),
      /** Deals at or past this stage count as qualified pipeline in sales velocity. */
      qualifiedStage: z.string().nullable().default(null),
      /** Ratios are written with this many decimal places (half-even). */
      ratioPlaces: z.number().int().min(0).max(8).default(4),
      /** Forecast accuracy compares the latest submission made on or before this many days into the period. */
      submissionCutoffDays: z.number().int().min(0).default(0),
      /** Sales velocity reads win rate, deal size and cycle over this many periods ending with its own. */
      velocityLookbackPeriods: z.number().int().min(1).default(4),
    })
    .default({
      staleDays: 30,
      qualifiedStage: null,
      ratioPlaces: 4,
      submissionCutoffDays: 0,
      velocityLookbackPeriods: 4,
    }),
  definitions: z.array(KpiDefinitionSchema).min(1),
});
export type KpiConfig = z.infer<typeof KpiConfigSchema>;
export type KpiConfigInput = z.input<typeof KpiConfigSchema>;
