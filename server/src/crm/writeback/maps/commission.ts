import type { CommissionLineRow, CommissionStatementRow } from '../../../domain/commission/types';
import type { ResultSet, SObjectRecord } from '../result-set';
import { atScale, percent, textOf, traceText } from './fields';

export const STATEMENT_SOBJECT = 'Commission_Statement__c';
export const LINE_SOBJECT = 'Commission_Line__c';

export interface CommissionRecordsInput {
  statements: readonly CommissionStatementRow[];
  lines: readonly CommissionLineRow[];
  /**
   * Reps who are no longer active. Salesforce refuses an inactive owner (INACTIVE_OWNER_OR_USER), so
   * their statements and lines keep the writing user as owner: ops (View All) still sees them, and
   * Rep__c still names the payee.
   */
  inactiveRepIds?: ReadonlySet<string>;
}

/**
 * Statements and lines → Commission_Statement__c and Commission_Line__c (docs/crm-objects.md). Both
 * are owned by the rep (OwnerId), so sharing shows reps their own and managers their team's. Lines
 * point at their statement by its external key (a lookup, not master-detail: see the doc), and the
 * statements come first so the write-back can resolve the reference.
 */
export function commissionRecords(input: CommissionRecordsInput): ResultSet[] {
  return [
    {
      sobject: STATEMENT_SOBJECT,
      records: input.statements.map((s) => ownedBy(statementRecord(s), s.repId, input.inactiveRepIds)),
    },
    {
      sobject: LINE_SOBJECT,
      records: input.lines.map((l) => ownedBy(lineRecord(l), l.repId, input.inactiveRepIds)),
    },
  ];
}

function ownedBy(
  record: SObjectRecord,
  repId: string,
  inactive: ReadonlySet<string> | undefined,
): SObjectRecord {
  if (!inactive?.has(repId)) return record;
  const { OwnerId: _dropped, ...rest } = record;
  return rest;
}

const TWO_PLACES = /^-?\d+\.\d\d$/;
/** Currency(18,2): the engine's text is already at two places for most currencies (JPY is not). */
const money = (v: string | null): string | null => (v !== null && TWO_PLACES.test(v) ? v : atScale(v, 2));
const TRACE_MAX = 32_768;
/** Trace__c: the readable line, then the inputs as one line of JSON (cut so the summary survives). */
function trace(summary: string, inputs: unknown): string {
  const full = `${summary}\n${JSON.stringify(inputs)}`;
  return full.length <= TRACE_MAX ? full : traceText(summary, inputs);
}

function statementRecord(s: CommissionStatementRow): SObjectRecord {
  const [summary, ...rest] = s.trace.split('\n');
  return {
    External_Key__c: s.externalKey,
    Name: textOf(`${s.repName} ${s.periodKey}`, 80),
    OwnerId: s.repId,
    Rep__c: s.repId,
    CurrencyIsoCode: s.currency,
    Plan_Key__c: textOf(s.planKey, 80),
    Plan_Version__c: s.planVersion === null ? null : String(s.planVersion),
    Period_Key__c: s.periodKey,
    Period_Start__c: s.periodStart,
    Period_End__c: s.periodEnd,
    Period_Status__c: s.periodStatus,
    Earned__c: money(s.earned),
    Payable__c: money(s.payable),
    Paid_To_Date__c: money(s.paidToDate),
    Held__c: money(s.held),
    Draw__c: money(s.draw),
    Draw_Recovered__c: money(s.drawRecovered),
    Adjustments__c: money(s.adjustments),
    Clawbacks__c: money(s.clawbacks),
    Credited__c: money(s.credited),
    Quota__c: money(s.quota),
    Attainment__c: percent(s.attainment, 2),
    Attainment_Basis__c: s.attainmentBasis,
    Tier_Reached__c: textOf(s.tierReached, 80),
    Tier_Thresholds__c: textOf(s.tierThresholds, 255),
    Projected_Commit__c: money(s.projectedCommit),
    Projected_Best_Case__c: money(s.projectedBestCase),
    Projected_Pipeline__c: money(s.projectedPipeline),
    Line_Count__c: s.lineCount,
    As_Of__c: s.asOf,
    Trace__c: trace(summary ?? '', { details: rest }),
  };
}

function lineRecord(l: CommissionLineRow): SObjectRecord {
  return {
    External_Key__c: l.externalKey,
    OwnerId: l.repId,
    Statement__r: { External_Key__c: l.statementKey },
    Rep__c: l.repId,
    Opportunity__c: l.opportunityId,
    CurrencyIsoCode: l.currency,
    Line_Type__c: l.lineType,
    Period_Key__c: l.periodKey,
    Credit_Date__c: l.creditDate,
    Credit_Role__c: textOf(l.creditRole, 40),
    Split_Percent__c: atScale(l.splitPercent, 2),
    Credited_Amount__c: money(l.creditedAmount),
    Rate__c: atScale(l.ratePercent, 4),
    Tier__c: textOf(l.tier, 80),
    Amount__c: money(l.amount),
    Payable__c: money(l.payable),
    Hold_Reason__c: textOf(l.holdReason, 255),
    Forecast_Category__c: textOf(l.forecastCategory, 40),
    Original_Line_Key__c: textOf(l.originalLineKey, 255),
    Reason__c: textOf(l.reason, 255),
    Trace__c: trace(l.trace, {
      plan: l.planKey === null ? null : `${l.planKey}@v${l.planVersion ?? '?'}`,
      ...l.traceInputs,
    }),
  };
}
