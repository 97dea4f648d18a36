import type { IsoDate } from '../calendar/dates';
import type { PeriodType } from '../calendar/fiscal-calendar';
import type { NodeType } from '../pipeline/hierarchy';

/**
 * A Forecast_Snapshot__c record in domain terms: one forecast type × period × hierarchy node ×
 * (product family) × category, as of one weekly snapshot. Money is a decimal string in the corporate
 * currency (exact; the crm layer maps names and types).
 */
export interface ForecastRow {
  externalKey: string;
  snapshotDate: IsoDate;
  asOf: IsoDate;
  forecastType: string;
  periodType: PeriodType;
  periodKey: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  ownerType: NodeType;
  ownerId: string;
  /** Set when the row is a placeholder for a rep's former team. */
  viaRoleId: string | null;
  parentKey: string | null;
  productFamily: string | null;
  /** A rollup name from config (commit, bestCase…) or 'statistical'. */
  category: string;
  unit: 'currency' | 'quantity';
  currency: string | null;
  /** Deals only, no adjustment anywhere below. */
  amountUnadjusted: string;
  /** With owner adjustments (and the adjusted values of the nodes below), before manager adjustment. */
  amountOwnerAdjusted: string;
  /** The forecast: manager adjustment, else owner adjustment, else the roll-up of adjusted values. */
  amountAdjusted: string;
  entryCount: number;
  quota: string | null;
  quotaSource: 'own' | 'derived' | null;
  /** amountAdjusted ÷ quota, 4 places half-even; null when there is no quota or it is zero. */
  attainment: string | null;
  definitionVersion: string;
}

export interface AdjustmentAudit {
  id: string;
  kind: 'owner' | 'manager';
  authorId: string;
  reason: string;
  createdAt: string;
  amount: string;
  /** The value this adjustment replaced when it was applied (base for owner, owner-adjusted for manager). */
  replaced: string;
  status: 'applied' | 'superseded';
}

export interface ForecastTrace {
  externalKey: string;
  definitionVersion: string;
  rule: string;
  inputs: {
    /** The node's own deals (capped at config trace.maxIds; idsTruncated says so). */
    opportunityIds: string[];
    directEntryCount: number;
    idsTruncated: boolean;
    /** Rows of the nodes directly below, whose adjusted values roll into this one. */
    childKeys: string[];
    ratesUsed: string[];
    adjustments: AdjustmentAudit[];
    quotaNote: string | null;
  };
}

export function forecastKey(parts: {
  snapshotDate: string;
  forecastType: string;
  periodKey: string;
  nodeKey: string;
  family: string;
  category: string;
}): string {
  return [
    'FS',
    parts.snapshotDate,
    parts.forecastType,
    parts.periodKey,
    parts.nodeKey,
    parts.family || '-',
    parts.category,
  ].join('|');
}
