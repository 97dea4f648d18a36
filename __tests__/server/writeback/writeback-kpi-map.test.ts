import { describe, expect, it } from '@jest/globals';
import type { KpiRow, KpiTrace } from '../../../server/src/domain';
import { kpiRecords } from '../../../server/src/crm/writeback/maps/kpi';

const row = (over: Partial<KpiRow>): KpiRow => ({
  externalKey: 'KPI|forecast_accuracy|rep|005A|FY2026-Q4|-',
  asOf: '2026-11-23',
  definitionsVersion: 'kpis-2026.1',
  kpiId: 'forecast_accuracy',
  kpiVersion: 1,
  label: 'Forecast accuracy (submitted)',
  unit: 'ratio',
  currency: null,
  periodType: 'quarter',
  periodKey: 'FY2026-Q4',
  periodStart: '2026-08-01',
  periodEnd: '2026-10-31',
  periodComplete: true,
  scopeType: 'rep',
  scopeId: '005A',
  dimension: null,
  value: null,
  numerator: null,
  denominator: null,
  ...over,
});

const trace = (r: KpiRow, note: string | null): KpiTrace => ({
  externalKey: r.externalKey,
  definitionVersion: 'kpis-2026.1/forecast_accuracy@v1',
  rule: 'Forecast accuracy (submitted): 1 − |submitted − closed won| ÷ closed won.',
  inputs: {
    numerator: r.numerator,
    denominator: r.denominator,
    note,
    opportunityIds: [],
    idsTruncated: false,
    quota: null,
    rateRule: 'amounts in USD',
  },
});

const firstLine = (r: KpiRow, note: string | null) =>
  String(kpiRecords({ rows: [r], traces: [trace(r, note)] })[0]!.records[0]!.Trace__c).split('\n')[0];

describe('the Sales_KPI__c trace summary (the line the KPI tiles show)', () => {
  it('When a KPI has no value, then the summary says so and why, instead of "undefined"', () => {
    expect(firstLine(row({}), 'no submission for this scope and period')).toBe(
      'Forecast accuracy (submitted) for rep 005A in FY2026-Q4: no value (no submission for this scope and period).',
    );
    expect(firstLine(row({}), null)).toBe(
      'Forecast accuracy (submitted) for rep 005A in FY2026-Q4: no value.',
    );
  });

  it('When a KPI has a value from a ratio, then the summary shows the value and its terms', () => {
    const r = row({
      value: '0.8500',
      numerator: '85000',
      denominator: '100000',
      scopeType: 'org',
      scopeId: 'org',
    });
    expect(firstLine(r, null)).toBe(
      'Forecast accuracy (submitted) for the org in FY2026-Q4: 0.8500 = 85000 ÷ 100000.',
    );
  });
});
