import type { FiscalCalendarConfig } from '../calendar/config';
import type { IsoDate } from '../calendar/dates';
import type { EngineWarning } from '../engine-context';
import type { StageDefinition } from '../pipeline/stage-book';
import type { CommissionLineType, CreditRole } from '../snapshot/schema-commission';
import type { Plan } from './plan-schema';

/**
 * Everything the commission engine reads besides the snapshot: the plans, and the fiscal calendar and
 * stage map the other engines use too (so a commission period is the forecast's period).
 */
export interface CommissionPlanBook {
  plans: Plan[];
  fiscalCalendar: FiscalCalendarConfig;
  /** Stage → forecast category and outcome (config/forecast.yaml), for projections and as-of views. */
  stages: StageDefinition[];
}

/** A Commission_Line__c in domain terms. Money is exact decimal text in the statement's currency. */
export interface CommissionLineRow {
  externalKey: string;
  statementKey: string;
  repId: string;
  periodKey: string;
  lineType: CommissionLineType;
  opportunityId: string | null;
  creditDate: IsoDate | null;
  creditRole: CreditRole | null;
  /** 0-100 (1000 for overlays) as decimal text. */
  splitPercent: string | null;
  creditedAmount: string;
  /** Effective rate in percent (8 = 8%), 4 decimals at most. */
  ratePercent: string | null;
  tier: string | null;
  amount: string;
  payable: string;
  currency: string;
  holdReason: string | null;
  forecastCategory: string | null;
  originalLineKey: string | null;
  reason: string | null;
  planKey: string | null;
  planVersion: number | null;
  /** Readable: "$120,000.00 × 50% split × 8% (tier 2: 100–150% attainment) = $4,800.00". */
  trace: string;
  traceInputs: Record<string, unknown>;
}

export interface CommissionStatementRow {
  externalKey: string;
  repId: string;
  repName: string;
  planKey: string | null;
  planVersion: number | null;
  periodKey: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  periodStatus: 'Open' | 'Closed';
  currency: string;
  /** Sum of every non-projected line, exactly. */
  earned: string;
  payable: string;
  paidToDate: string;
  held: string;
  draw: string;
  /** Positive: what draw recovery lines took back. */
  drawRecovered: string;
  adjustments: string;
  clawbacks: string;
  credited: string;
  quota: string | null;
  /** Ratio with 4 decimals (1.1250 = 112.5%); null without a quota. */
  attainment: string | null;
  attainmentBasis: 'Period' | 'Year to date';
  tierReached: string | null;
  /** Attainment bounds in percent, comma separated ("0,100,150"). */
  tierThresholds: string | null;
  projectedCommit: string;
  projectedBestCase: string;
  projectedPipeline: string;
  lineCount: number;
  asOf: IsoDate;
  trace: string;
}

export interface CommissionResult {
  asOf: IsoDate;
  statements: CommissionStatementRow[];
  /** Every line, projected ones included (they are excluded from statement totals). */
  lines: CommissionLineRow[];
  warnings: EngineWarning[];
  stats: {
    opportunitiesRead: number;
    credits: number;
    duplicateCreditsRemoved: number;
    reps: number;
    clawbacks: number;
    priorPeriodAdjustments: number;
  };
}
