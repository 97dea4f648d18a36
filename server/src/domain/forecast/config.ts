import { z } from 'zod';
import { WEEKDAYS } from '../calendar/dates';

export const FORECAST_CATEGORIES = [
  'Pipeline',
  'BestCase',
  'MostLikely',
  'Commit',
  'Closed',
  'Omitted',
] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

export const StageSchema = z.object({
  name: z.string().min(1),
  category: z.enum(FORECAST_CATEGORIES),
  /** Default probability in percent (Salesforce's OpportunityStage.DefaultProbability): the naive forecast. */
  probability: z.number().min(0).max(100),
  outcome: z.enum(['open', 'won', 'lost']).default('open'),
});

const measure = z.union([z.enum(['amount', 'quantity']), z.object({ field: z.string().min(1) })]);

export const ForecastTypeSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().optional(),
  /** opportunity: one entry per deal; productFamily: per line item by family; split: per split owner. */
  source: z.enum(['opportunity', 'productFamily', 'split']),
  measure: measure.default('amount'),
  /** 'closeDate' or the name of a custom date in opportunity.dates. */
  dateField: z.string().default('closeDate'),
  hierarchy: z.enum(['role', 'territory']).default('role'),
  splitTypes: z.array(z.enum(['revenue', 'overlay'])).default(['revenue']),
});
export type ForecastType = z.infer<typeof ForecastTypeSchema>;

const DEFAULT_ROLLUPS: Record<string, ForecastCategory[]> = {
  closed: ['Closed'],
  commit: ['Commit', 'Closed'],
  mostLikely: ['MostLikely', 'Commit', 'Closed'],
  bestCase: ['BestCase', 'MostLikely', 'Commit', 'Closed'],
  openPipeline: ['Pipeline', 'BestCase', 'MostLikely', 'Commit'],
  commitOnly: ['Commit'],
  bestCaseOnly: ['BestCase'],
  pipelineOnly: ['Pipeline'],
};

export const StatisticalConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** The forecast type whose open deals get a probability (must measure amount). */
  forecastType: z.string().default('opportunity_revenue'),
  /** Past quarters used as training windows. */
  trainingQuarters: z.number().int().min(1).max(40).default(8),
  /** Observation points inside each training quarter, in days after its start. */
  observationDays: z.array(z.number().int().min(0)).default([0, 30, 60]),
  ageBandsDays: z.array(z.number().int().positive()).default([14, 30, 60, 90]),
  amountBands: z.array(z.number().positive()).default([10000, 50000, 250000]),
  /** Beta-prior strength (pseudo-deals) that shrinks rep and segment win rates to the org rate. */
  priorStrength: z.number().positive().default(20),
  /** L2 penalty of the logistic regression. */
  l2: z.number().min(0).default(1),
  /** Above this many (deal, observation day) pairs, a stable hash of the deal id samples the deals. */
  maxTrainingExamples: z.number().int().positive().default(200000),
  iterations: z.number().int().min(1).max(100).default(25),
  backtestQuarters: z.number().int().min(0).max(20).default(4),
  calibrationBins: z.number().int().min(2).max(20).default(10),
});
export type StatisticalConfig = z.infer<typeof StatisticalConfigSchema>;

export const ForecastConfigSchema = z.object({
  /** Stamped on every row and trace. */
  version: z.string().min(1),
  stages: z.array(StageSchema).min(1),
  /** Cumulative and single-category rollups: name → the categories summed. */
  rollups: z
    .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), z.array(z.enum(FORECAST_CATEGORIES)).min(1))
    .default(DEFAULT_ROLLUPS),
  periodTypes: z
    .array(z.enum(['month', 'quarter', 'year']))
    .min(1)
    .default(['quarter']),
  /** How many periods before and after the one containing asOf get rows. */
  horizon: z
    .object({ past: z.number().int().min(0).default(0), future: z.number().int().min(0).default(1) })
    .default({ past: 0, future: 1 }),
  currency: z
    .object({
      /**
       * dealDate: the rate in force on the deal's forecast date (Salesforce Advanced Currency Management);
       * asOf: the rate in force on asOf, for every deal; static: the currency's static rate.
       */
      rateDate: z.enum(['dealDate', 'asOf', 'static']).default('dealDate'),
    })
    .default({ rateDate: 'dealDate' }),
  hierarchy: z
    .object({
      /**
       * current: a rep's deals roll up to the team they are in at asOf (history moves with the rep).
       * atDealDate: deals dated before a move stay with the old team under a placeholder node.
       */
      teamAttribution: z.enum(['current', 'atDealDate']).default('current'),
    })
    .default({ teamAttribution: 'current' }),
  quotas: z
    .object({
      /** false (Salesforce): managers have only their own quota; true: a manager without one gets the sum below. */
      rollUpToManagers: z.boolean().default(false),
    })
    .default({ rollUpToManagers: false }),
  forecastTypes: z.array(ForecastTypeSchema).min(1),
  snapshots: z
    .object({
      /** Weekly snapshots are keyed by the lock day on or before asOf. */
      lockWeekday: z.enum(WEEKDAYS).default('monday'),
      /** The rollup whose week-over-week change the waterfall explains. */
      waterfallRollup: z.string().default('bestCase'),
    })
    .default({ lockWeekday: 'monday', waterfallRollup: 'bestCase' }),
  statistical: StatisticalConfigSchema.default(StatisticalConfigSchema.parse({})),
  trace: z.object({ maxIds: z.number().int().min(0).default(50) }).default({ maxIds: 50 }),
});
export type ForecastConfig = z.infer<typeof ForecastConfigSchema>;
export type ForecastConfigInput = z.input<typeof ForecastConfigSchema>;
