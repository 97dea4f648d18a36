import { toDayNumber, type IsoDate } from '../calendar/dates';
import type { EngineContext } from '../engine-context';
import type { RateUsed } from '../money/currency-table';
import { decimalToMinor, formatMinor, mulDivHalfEven } from '../money/decimal';
import type { Outcome } from '../pipeline/stage-book';
import type { Opportunity } from '../snapshot/types';
import type { ForecastCategory, ForecastType } from './config';

/** Quantities are fixed-point with two places (Salesforce's Quantity precision), never floats. */
export const QUANTITY_DECIMALS = 2;

/** One contribution of one deal to one forecast type. */
export interface ForecastEntry {
  opportunityId: string;
  /** The user credited: the owner, or the split owner on split forecasts. */
  userId: string;
  territoryId: string | null;
  /** '' unless the type forecasts by product family ('(none)' for items without one). */
  family: string;
  date: IsoDate;
  dateDay: number;
  category: ForecastCategory;
  outcome: Outcome;
  /** Corporate-currency minor units, or hundredths of a unit for quantity measures. */
  value: number;
  rate: RateUsed | null;
}

export interface EntryStats {
  missingMeasure: number;
  missingDate: number;
}

export const NO_FAMILY = '(none)';

export function isQuantityMeasure(type: ForecastType): boolean {
  return type.measure === 'quantity';
}

/**
 * Calls `visit` for every entry the forecast type makes of the snapshot's deals. Amounts are converted
 * to the corporate currency before being split, so the shares of a revenue split add up exactly.
 * The entry object is reused from one call to the next: a visitor that keeps an entry must copy it.
 */
export function forEachEntry(
  ctx: EngineContext,
  type: ForecastType,
  visit: (e: ForecastEntry) => void,
): EntryStats {
  const stats: EntryStats = { missingMeasure: 0, missingDate: 0 };
  const quantity = isQuantityMeasure(type);
  const rateRule = ctx.config.forecast.currency.rateDate;
  const corporate = ctx.currency.corporate;
  // One entry object, refilled before each visit: the visitor reads it and keeps nothing of it.
  const entry: ForecastEntry = {
    opportunityId: '',
    userId: '',
    territoryId: null,
    family: '',
    date: '',
    dateDay: 0,
    category: 'Omitted',
    outcome: 'open',
    value: 0,
    rate: null,
  };

  for (const opp of ctx.snapshot.opportunities) {
    const date = type.dateField === 'closeDate' ? opp.closeDate : (opp.dates[type.dateField] ?? null);
    if (date === null) {
      stats.missingDate += 1;
      continue;
    }
    const dateDay = toDayNumber(date);
    const category = ctx.stages.categoryOf(opp.stageName, opp.isClosed, opp.isWon);
    const outcome: Outcome = opp.isWon ? 'won' : opp.isClosed ? 'lost' : 'open';
    const territoryId =
      opp.territoryId ??
      (opp.accountId === null ? null : (ctx.accounts.get(opp.accountId)?.territoryId ?? null));
    const rateDate = rateRule === 'dealDate' ? date : rateRule === 'asOf' ? ctx.asOf : null;
    const rate = quantity || opp.currency === corporate ? null : ctx.currency.rateFor(opp.currency, rateDate);
    // What every entry of this deal shares; each visit below sets only owner, family and value.
    entry.opportunityId = opp.id;
    entry.territoryId = territoryId;
    entry.date = date;
    entry.dateDay = dateDay;
    entry.category = category;
    entry.outcome = outcome;
    entry.rate = rate;

    if (type.source === 'productFamily') {
      for (const item of opp.lineItems) {
        const value = measureValue(
          ctx,
          opp.currency,
          quantity ? item.quantity : item.totalPrice,
          quantity,
          rateDate,
          stats,
        );
        entry.userId = opp.ownerId;
        entry.family = item.productFamily ?? NO_FAMILY;
        entry.value = value;
        visit(entry);
      }
      continue;
    }
    const value = measureValue(ctx, opp.currency, measureText(opp, type), quantity, rateDate, stats);
    const splits =
      type.source === 'split' && opp.splits.length > 0
        ? opp.splits
            .filter((s) => type.splitTypes.includes(s.splitType))
            .sort((a, b) => (a.splitType + a.userId < b.splitType + b.userId ? -1 : 1))
        : [];
    if (splits.length === 0) {
      // A deal without splits credits its owner in full, as Salesforce's default 100% owner split does.
      entry.userId = opp.ownerId;
      entry.family = '';
      entry.value = value;
      visit(entry);
      continue;
    }
    let allocated = 0;
    splits.forEach((split, i) => {
      const hundredths = decimalToMinor(split.percent, 2);
      const isLastRevenue = split.splitType === 'revenue' && i === splits.length - 1;
      // The last revenue share takes the rounding remainder so the shares sum to the deal exactly.
      const share = isLastRevenue ? value - allocated : mulDivHalfEven(value, hundredths, 10000);
      if (split.splitType === 'revenue') allocated += share;
      entry.userId = split.userId;
      entry.family = '';
      entry.value = share;
      visit(entry);
    });
  }
  return stats;
}

/** A measure in corporate minor units (or quantity hundredths); a missing value counts as 0 and is reported. */
function measureValue(
  ctx: EngineContext,
  currency: string,
  text: string | null,
  quantity: boolean,
  rateDate: IsoDate | null,
  stats: EntryStats,
): number {
  if (text === null) {
    stats.missingMeasure += 1;
    return 0;
  }
  if (quantity) return decimalToMinor(text, QUANTITY_DECIMALS);
  const minor = decimalToMinor(text, ctx.currency.decimalsOf(currency));
  return currency === ctx.currency.corporate ? minor : ctx.currency.toCorporate(minor, currency, rateDate);
}

function measureText(opp: Opportunity, type: ForecastType): string | null {
  if (type.measure === 'amount') return opp.amount;
  if (type.measure === 'quantity') {
    if (opp.quantity !== null) return opp.quantity;
    if (opp.lineItems.length === 0) return null;
    const total = opp.lineItems.reduce(
      (sum, item) => sum + decimalToMinor(item.quantity, QUANTITY_DECIMALS),
      0,
    );
    return formatMinor(total, QUANTITY_DECIMALS);
  }
  return opp.amounts[type.measure.field] ?? null;
}
