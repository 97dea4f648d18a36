import type { ForecastRow, ForecastTrace } from '../../../domain';
import { forecastKey } from '../../../domain/forecast/rows';
import type { ResultSet, SObjectRecord } from '../result-set';
import { atScale, percent, textOf, traceText } from './fields';

export const FORECAST_SOBJECT = 'Forecast_Snapshot__c';

export interface ForecastRecordsInput {
  snapshotDate: string;
  rows: readonly ForecastRow[];
  traces: readonly ForecastTrace[];
  /** Territory id → its forecast manager (snapshot.territories), for Owner_User__c of territory rows. */
  territoryManagers?: ReadonlyMap<string, string | null>;
}

/**
 * ForecastRow → Forecast_Snapshot__c (docs/crm-objects.md). Rows are keyed by their weekly
 * snapshot date, so the set's retraction scope is this snapshot only: last week's rows are history
 * and stay.
 */
export function forecastRecords(input: ForecastRecordsInput): ResultSet[] {
  const traces = new Map(input.traces.map((t) => [t.externalKey, t]));
  const records = input.rows.map((row) =>
    forecastRecord(row, traces.get(row.externalKey), input.territoryManagers),
  );
  return [{ sobject: FORECAST_SOBJECT, records, retractScope: `FS|${input.snapshotDate}|` }];
}

function forecastRecord(
  row: ForecastRow,
  trace: ForecastTrace | undefined,
  managers: ReadonlyMap<string, string | null> | undefined,
): SObjectRecord {
  const quantity = row.unit === 'quantity';
  const nodeKey = nodeKeyOf(row);
  const record: SObjectRecord = {
    External_Key__c: row.externalKey,
    Snapshot_Date__c: row.snapshotDate,
    As_Of__c: row.asOf,
    Forecast_Type__c: textOf(row.forecastType, 80),
    Period_Type__c: row.periodType,
    Period_Key__c: row.periodKey,
    Period_Start__c: row.periodStart,
    Period_End__c: row.periodEnd,
    Owner_Type__c: row.ownerType,
    Owner_Key__c: textOf(nodeKey, 80),
    Owner_User__c:
      row.ownerType === 'user'
        ? row.ownerId
        : row.ownerType === 'territory'
          ? (managers?.get(row.ownerId) ?? null)
          : null,
    Parent_Key__c:
      row.parentKey === null
        ? null
        : forecastKey({
            snapshotDate: row.snapshotDate,
            forecastType: row.forecastType,
            periodKey: row.periodKey,
            nodeKey: row.parentKey,
            family: row.productFamily ?? '',
            category: row.category,
          }),
    Product_Family__c: textOf(row.productFamily, 80),
    Category__c: textOf(row.category, 40),
    Unit__c: row.unit,
    Amount__c: quantity ? null : atScale(row.amountAdjusted, 2),
    Amount_Unadjusted__c: quantity ? null : atScale(row.amountUnadjusted, 2),
    Amount_Owner_Adjusted__c: quantity ? null : atScale(row.amountOwnerAdjusted, 2),
    Quantity__c: quantity ? atScale(row.amountAdjusted, 2) : null,
    Entry_Count__c: row.entryCount,
    Quota__c: atScale(row.quota, 2),
    Quota_Source__c: row.quotaSource,
    Attainment__c: percent(row.attainment),
    Definition_Version__c: textOf(row.definitionVersion, 80),
    Trace__c: trace
      ? traceText(summary(row, nodeKey), { rule: trace.rule, ...trace.inputs })
      : summary(row, nodeKey),
  };
  if (row.currency !== null) record.CurrencyIsoCode = row.currency;
  return record;
}

/** The forecast node the row belongs to, in the hierarchy's key form (`user:<id>`, `territory:<id>`, `org`). */
function nodeKeyOf(row: ForecastRow): string {
  if (row.ownerType === 'org') return 'org';
  if (row.ownerType === 'territory') return `territory:${row.ownerId}`;
  return row.viaRoleId ? `user:${row.ownerId}@role:${row.viaRoleId}` : `user:${row.ownerId}`;
}

function summary(row: ForecastRow, nodeKey: string): string {
  const amount =
    row.unit === 'quantity'
      ? `${row.amountAdjusted} units`
      : `${row.amountAdjusted} ${row.currency ?? ''}`.trim();
  const quota = row.attainment === null ? '' : `, ${percent(row.attainment)}% of quota ${row.quota}`;
  return `${row.category} forecast for ${nodeKey} in ${row.periodKey}: ${amount} from ${row.entryCount} entries${quota}.`;
}
