import type { KpiRow, KpiTrace } from '../../../domain';
import type { ResultSet, SObjectRecord } from '../result-set';
import { numberOrNull, textOf, traceText } from './fields';

export const KPI_SOBJECT = 'Sales_KPI__c';

export interface KpiRecordsInput {
  rows: readonly KpiRow[];
  traces: readonly KpiTrace[];
}

/**
 * KpiRow → Sales_KPI__c (docs/crm-objects.md). KPI keys carry no run date: a period's value is
 * updated in place as data changes, and a KPI or scope that is no longer computed is retracted.
 */
export function kpiRecords(input: KpiRecordsInput): ResultSet[] {
  const traces = new Map(input.traces.map((t) => [t.externalKey, t]));
  return [{ sobject: KPI_SOBJECT, records: input.rows.map((r) => kpiRecord(r, traces.get(r.externalKey))) }];
}

function kpiRecord(row: KpiRow, trace: KpiTrace | undefined): SObjectRecord {
  const record: SObjectRecord = {
    External_Key__c: row.externalKey,
    Name: textOf(row.label, 80),
    KPI_Id__c: textOf(row.kpiId, 80),
    KPI_Version__c: row.kpiVersion,
    Definitions_Version__c: textOf(row.definitionsVersion, 40),
    Unit__c: row.unit,
    Period_Type__c: row.periodType,
    Period_Key__c: row.periodKey,
    Period_Start__c: row.periodStart,
    Period_End__c: row.periodEnd,
    Period_Complete__c: row.periodComplete,
    Scope_Type__c: row.scopeType,
    Scope_Key__c: textOf(row.scopeId, 80),
    Scope_User__c: row.scopeType === 'rep' || row.scopeType === 'manager' ? row.scopeId : null,
    Dimension__c: textOf(row.dimension, 80),
    Value__c: numberOrNull(row.value, 4),
    Numerator__c: numberOrNull(row.numerator, 4),
    Denominator__c: numberOrNull(row.denominator, 4),
    As_Of__c: row.asOf,
    Trace__c: trace
      ? traceText(summary(row, trace.inputs.note), {
          rule: trace.rule,
          definitionVersion: trace.definitionVersion,
          ...trace.inputs,
        })
      : summary(row),
  };
  if (row.currency !== null) record.CurrencyIsoCode = row.currency;
  return record;
}

/** The first line of Trace__c, which the KPI tiles show: a KPI without a value says why. */
function summary(row: KpiRow, note: string | null = null): string {
  const scope = row.scopeType === 'org' ? 'the org' : `${row.scopeType} ${row.scopeId}`;
  const dim = row.dimension ? ` (${row.dimension})` : '';
  const value =
    row.value === null
      ? `no value${note ? ` (${note})` : ''}`
      : `${row.value}${row.numerator !== null ? ` = ${row.numerator} ÷ ${row.denominator}` : ''}`;
  return `${row.label}${dim} for ${scope} in ${row.periodKey}: ${value}.`;
}
