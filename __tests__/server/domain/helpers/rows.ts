import type { ForecastResult, ForecastRow, ForecastTrace } from '../../../../server/src/domain/forecast';

export interface RowQuery {
  type?: string;
  period?: string;
  node: string;
  category: string;
  family?: string;
}

/** The row (and its trace) for one forecast type × period × node × category, by its external key. */
export function findRow(result: ForecastResult, q: RowQuery): { row: ForecastRow; trace: ForecastTrace } {
  const key = [
    'FS',
    result.snapshotDate,
    q.type ?? 'opportunity_revenue',
    q.period ?? 'FY2026-Q2',
    q.node,
    q.family ?? '-',
    q.category,
  ].join('|');
  const row = result.rows.find((r) => r.externalKey === key);
  const trace = result.traces.find((t) => t.externalKey === key);
  if (!row || !trace) throw new Error(`no row ${key}`);
  return { row, trace };
}

export function amount(result: ForecastResult, q: RowQuery): string {
  return findRow(result, q).row.amountAdjusted;
}
