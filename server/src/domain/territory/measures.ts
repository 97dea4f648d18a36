import { decimalToMinor } from '../money/decimal';
import type { CurrencyTable } from '../money/currency-table';
import type { Opportunity, Snapshot } from '../snapshot/types';

/**
 * Per-opportunity corporate amounts and per-account open pipeline, computed once per run. Amounts
 * convert at the rate of their close date (the dated rate in force then), in integer minor units.
 */
export interface AccountMeasures {
  /**
   * Corporate minor units by position in `opportunities` (null amount → 0). By position, not by id:
   * 200k Map inserts and lookups cost more than the figures themselves.
   */
  corporateAmountAt: readonly number[];
  /** The opportunity array the positions refer to. */
  opportunities: readonly Opportunity[];
  openPipeline: Map<string, number>;
  openCount: Map<string, number>;
}

export function corporateAmountOf(currency: CurrencyTable, opp: Opportunity): number {
  if (opp.amount === null) return 0;
  const minor = decimalToMinor(opp.amount, currency.decimalsOf(opp.currency));
  return opp.currency === currency.corporate
    ? minor
    : currency.toCorporate(minor, opp.currency, opp.closeDate);
}

export function accountMeasures(snapshot: Snapshot, currency: CurrencyTable): AccountMeasures {
  const openPipeline = new Map<string, number>();
  const openCount = new Map<string, number>();
  const corporateAmountAt: number[] = [];
  for (const opp of snapshot.opportunities) {
    const amount = corporateAmountOf(currency, opp);
    corporateAmountAt.push(amount);
    if (!opp.isClosed && opp.accountId !== null) {
      openPipeline.set(opp.accountId, (openPipeline.get(opp.accountId) ?? 0) + amount);
      openCount.set(opp.accountId, (openCount.get(opp.accountId) ?? 0) + 1);
    }
  }
  return {
    corporateAmountAt,
    opportunities: snapshot.opportunities,
    openPipeline,
    openCount,
  };
}
