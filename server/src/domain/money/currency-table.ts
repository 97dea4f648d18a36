import { toDayNumber, type IsoDate } from '../calendar/dates';
import { divRoundHalfEven, parseDecimal, toSafeNumber } from './decimal';

export interface CurrencyDefinition {
  code: string;
  decimalPlaces: number;
  /** Units of this currency per one unit of the corporate currency (Salesforce's ConversionRate). */
  staticRate: string;
}

export interface DatedRateInput {
  currency: string;
  /** The rate applies from this date until the next dated rate's start (Salesforce's DatedConversionRate). */
  startDate: IsoDate;
  rate: string;
}

/** Which rate a conversion used: stated per calculation in the traces. */
export interface RateUsed {
  currency: string;
  rate: string;
  source: 'corporate' | 'dated' | 'static';
  /** The date the rate was looked up for. */
  rateDate: IsoDate | null;
  /** Start of the dated-rate range that applied. */
  rateStart: IsoDate | null;
}

interface RateFactor {
  used: RateUsed;
  /** corporateMinor = round(minor × mul ÷ div) */
  mul: bigint;
  div: bigint;
}

interface DatedRange {
  startDay: number;
  start: IsoDate;
  rate: string;
}

export class CurrencyError extends Error {
  constructor(
    readonly code: 'MONEY.UNKNOWN_CURRENCY',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Converts integer minor units between a transaction currency and the corporate currency.
 * Dated rates follow Salesforce's Advanced Currency Management: the range whose start is the latest
 * on or before the rate date; before the first dated range the static rate applies.
 */
export class CurrencyTable {
  private readonly currencies = new Map<string, CurrencyDefinition>();
  private readonly dated = new Map<string, DatedRange[]>();
  /** currency → rate date ('' = static) → factor: nested so a lookup builds no string. */
  private readonly factorCache = new Map<string, Map<string, RateFactor>>();

  constructor(
    readonly corporate: string,
    currencies: readonly CurrencyDefinition[],
    datedRates: readonly DatedRateInput[] = [],
  ) {
    for (const c of currencies) this.currencies.set(c.code, c);
    if (!this.currencies.has(corporate)) {
      this.currencies.set(corporate, { code: corporate, decimalPlaces: 2, staticRate: '1' });
    }
    for (const r of datedRates) {
      const list = this.dated.get(r.currency) ?? [];
      list.push({ startDay: toDayNumber(r.startDate), start: r.startDate, rate: r.rate });
      this.dated.set(r.currency, list);
    }
    for (const list of this.dated.values()) list.sort((a, b) => a.startDay - b.startDay);
  }

  decimalsOf(code: string): number {
    return this.definition(code).decimalPlaces;
  }

  get corporateDecimals(): number {
    return this.decimalsOf(this.corporate);
  }

  has(code: string): boolean {
    return this.currencies.has(code);
  }

  /** rateDate null = use the static rate. */
  rateFor(code: string, rateDate: IsoDate | null): RateUsed {
    return this.factor(code, rateDate).used;
  }

  toCorporate(minor: number, code: string, rateDate: IsoDate | null): number {
    if (code === this.corporate) return minor;
    const f = this.factor(code, rateDate);
    return toSafeNumber(divRoundHalfEven(BigInt(minor) * f.mul, f.div));
  }

  fromCorporate(corporateMinor: number, code: string, rateDate: IsoDate | null): number {
    if (code === this.corporate) return corporateMinor;
    const f = this.factor(code, rateDate);
    return toSafeNumber(divRoundHalfEven(BigInt(corporateMinor) * f.div, f.mul));
  }

  private definition(code: string): CurrencyDefinition {
    const def = this.currencies.get(code);
    if (!def)
      throw new CurrencyError(
        'MONEY.UNKNOWN_CURRENCY',
        `currency ${code} is not in the snapshot's currencies`,
      );
    return def;
  }

  private factor(code: string, rateDate: IsoDate | null): RateFactor {
    let byDate = this.factorCache.get(code);
    if (!byDate) {
      byDate = new Map();
      this.factorCache.set(code, byDate);
    }
    const cached = byDate.get(rateDate ?? '');
    if (cached) return cached;
    const def = this.definition(code);
    let used: RateUsed;
    if (code === this.corporate) {
      used = { currency: code, rate: '1', source: 'corporate', rateDate, rateStart: null };
    } else {
      const range = rateDate === null ? undefined : this.rangeAt(code, toDayNumber(rateDate));
      used = range
        ? { currency: code, rate: range.rate, source: 'dated', rateDate, rateStart: range.start }
        : { currency: code, rate: def.staticRate, source: 'static', rateDate, rateStart: null };
    }
    const rate = parseDecimal(used.rate);
    const corpDecimals = this.corporateDecimals;
    // corporate = source / rate, rescaled from the source's minor units to the corporate's.
    const mul = 10n ** BigInt(corpDecimals + rate.scale);
    const div = rate.units * 10n ** BigInt(def.decimalPlaces);
    const factor = { used, mul, div };
    byDate.set(rateDate ?? '', factor);
    return factor;
  }

  private rangeAt(code: string, day: number): DatedRange | undefined {
    const list = this.dated.get(code);
    if (!list || list.length === 0 || list[0]!.startDay > day) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.startDay <= day) lo = mid;
      else hi = mid - 1;
    }
    return list[lo];
  }
}
