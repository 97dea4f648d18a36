import type { IsoDate } from '../calendar/dates';
import type { CurrencyTable, RateUsed } from '../money/currency-table';
import { mulDivHalfEven, parseDecimal, toSafeNumber } from '../money/decimal';

export interface Conversion {
  from: RateUsed;
  to: RateUsed;
  /** target minor = round(source minor × mul ÷ div), half-even. */
  mul: number;
  div: number;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/**
 * Converts between two currencies in one step through their rates to the corporate currency, so an
 * EUR deal paid in GBP is rounded once, not twice. The rate date is stated per calculation.
 */
export class CrossRates {
  private readonly cache = new Map<string, Map<string, Conversion>>();

  constructor(private readonly table: CurrencyTable) {}

  decimalsOf(code: string): number {
    return this.table.decimalsOf(code);
  }

  conversion(from: string, to: string, rateDate: IsoDate | null): Conversion {
    const pair = `${from}>${to}`;
    let byDate = this.cache.get(pair);
    if (!byDate) {
      byDate = new Map();
      this.cache.set(pair, byDate);
    }
    const hit = byDate.get(rateDate ?? '');
    if (hit) return hit;
    const rFrom = this.table.rateFor(from, rateDate);
    const rTo = this.table.rateFor(to, rateDate);
    const a = parseDecimal(rFrom.rate);
    const b = parseDecimal(rTo.rate);
    // target = source / 10^dFrom × (rTo / rFrom) × 10^dTo
    let mul = b.units * 10n ** BigInt(a.scale + this.table.decimalsOf(to));
    let div = a.units * 10n ** BigInt(b.scale + this.table.decimalsOf(from));
    const g = gcd(mul, div);
    mul /= g;
    div /= g;
    const conv = { from: rFrom, to: rTo, mul: toSafeNumber(mul), div: toSafeNumber(div) };
    byDate.set(rateDate ?? '', conv);
    return conv;
  }

  convert(minor: number, from: string, to: string, rateDate: IsoDate | null): number {
    if (from === to) return minor;
    const c = this.conversion(from, to, rateDate);
    return mulDivHalfEven(minor, c.mul, c.div);
  }
}
