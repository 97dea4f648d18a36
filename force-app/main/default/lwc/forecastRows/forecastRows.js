/*
 * Reading Forecast_Snapshot__c rows the way the widgets show them: the rows of the latest weekly
 * snapshot, for the period holding that snapshot's as-of date, one per category. Shared by
 * repCoverage and forecastSummary so both pick the same rows.
 */
import { valueOf } from 'c/ldsUtils';

/** Readable names of the forecast.yaml rollups; unknown ones show as written. */
const CATEGORY_LABELS = {
  closed: 'Closed won',
  commit: 'Commit',
  mostLikely: 'Most likely',
  bestCase: 'Best case',
  openPipeline: 'Open pipeline',
  commitOnly: 'Commit only',
  bestCaseOnly: 'Best case only',
  pipelineOnly: 'Pipeline only',
  statistical: 'Statistical forecast',
};

export function categoryLabel(category) {
  return CATEGORY_LABELS[category] || category;
}

/** Parses a comma-separated design attribute (`closed, commit`) into a clean list. */
export function parseList(text) {
  return String(text || '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A Forecast_Snapshot__c GraphQL node as plain values. */
export function toForecastRow(node) {
  return {
    id: node.Id,
    externalKey: valueOf(node, 'External_Key__c'),
    parentKey: valueOf(node, 'Parent_Key__c'),
    ownerKey: valueOf(node, 'Owner_Key__c'),
    ownerName: valueOf(node, 'Owner_User__r.Name'),
    snapshotDate: valueOf(node, 'Snapshot_Date__c'),
    asOf: valueOf(node, 'As_Of__c'),
    periodKey: valueOf(node, 'Period_Key__c'),
    periodStart: valueOf(node, 'Period_Start__c'),
    periodEnd: valueOf(node, 'Period_End__c'),
    productFamily: valueOf(node, 'Product_Family__c'),
    category: valueOf(node, 'Category__c'),
    amount: valueOf(node, 'Amount__c'),
    quota: valueOf(node, 'Quota__c'),
    attainment: valueOf(node, 'Attainment__c'),
    currency: valueOf(node, 'CurrencyIsoCode'),
  };
}

/** Snapshot dates present in the rows, newest first (YYYY-MM-DD sorts as text). */
export function snapshotDates(rows) {
  return [...new Set(rows.map((row) => row.snapshotDate).filter(Boolean))].sort().reverse();
}

/**
 * The rows of one snapshot date for the period holding that snapshot's as-of date, without
 * product-family breakdowns (the total rows have no family).
 */
export function currentPeriodRows(rows, snapshotDate) {
  const ofSnapshot = rows.filter((row) => row.snapshotDate === snapshotDate && !row.productFamily);
  const asOf = ofSnapshot.length ? ofSnapshot[0].asOf || snapshotDate : snapshotDate;
  return ofSnapshot.filter((row) => row.periodStart <= asOf && asOf <= row.periodEnd);
}

/** The rows of one period keyed by category (the first row wins if a category repeats). */
export function byCategory(rows) {
  const map = new Map();
  for (const row of rows) {
    if (!map.has(row.category)) {
      map.set(row.category, row);
    }
  }
  return map;
}

/**
 * Difference between two Currency(18,2) values, computed in cents so that binary floats do not
 * leak into the display (0.3 - 0.1 must show 0.20). Null when either side is missing.
 */
export function moneyDifference(latest, previous) {
  if (latest === null || latest === undefined || previous === null || previous === undefined) {
    return null;
  }
  return (Math.round(Number(latest) * 100) - Math.round(Number(previous) * 100)) / 100;
}
