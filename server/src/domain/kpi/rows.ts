import type { IsoDate } from '../calendar/dates';
import type { PeriodType } from '../calendar/fiscal-calendar';
import type { KpiDefinition, KpiId } from './config';

export type KpiScope = 'rep' | 'manager' | 'territory' | 'org';

/** A Sales_KPI__c record in domain terms. Values are exact decimal strings; null when undefined. */
export interface KpiRow {
  externalKey: string;
  asOf: IsoDate;
  definitionsVersion: string;
  kpiId: KpiId;
  kpiVersion: number;
  label: string;
  unit: KpiDefinition['unit'];
  currency: string | null;
  periodType: PeriodType;
  periodKey: string;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** The period ended before asOf: the value will not change unless the data does. */
  periodComplete: boolean;
  scopeType: KpiScope;
  scopeId: string;
  /** The stage, for per-stage KPIs. */
  dimension: string | null;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
}

export interface KpiTrace {
  externalKey: string;
  /** <kpiId>@v<version> within the definitions file version. */
  definitionVersion: string;
  rule: string;
  inputs: {
    numerator: string | null;
    denominator: string | null;
    note: string | null;
    /** The scope's own deals that fed its counters (capped at trace.maxIds). */
    opportunityIds: string[];
    idsTruncated: boolean;
    quota: string | null;
    /** How amounts reached the corporate currency (the configured rate-date rule). */
    rateRule: string;
  };
}

export function kpiKey(
  id: KpiId,
  version: number,
  periodKey: string,
  scopeType: KpiScope,
  scopeId: string,
  dimension: string | null,
): string {
  return ['KPI', id, `v${version}`, periodKey, `${scopeType}:${scopeId}`, dimension ?? '-'].join('|');
}
