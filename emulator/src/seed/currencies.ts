/**
 * Currencies of the demo org and their rates. USD is the corporate currency; the others move on a
 * seeded, mean-reverting monthly walk, which becomes both DatedConversionRate rows and the rates
 * the generator itself converts with (so quotas and bookings agree with what the org reports).
 */
import { firstDayOfMonth, isoFromDay, monthOfDay } from './calendar';
import type { Random } from './random';

export const CURRENCY_CODES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD'] as const;

/** Units of the currency per 1 USD, around which the walk moves. */
const BASE_RATE: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 148, CAD: 1.36, AUD: 1.52 };

export const DECIMAL_PLACES: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, JPY: 0, CAD: 2, AUD: 2 };

/** Salesforce's open ends of the dated-rate timeline. */
export const FIRST_START_DATE = '0001-01-01';
export const LAST_NEXT_START_DATE = '9999-12-31';

export class RateTable {
  /** rates[currency][month - firstMonth] */
  private readonly rates = new Map<string, number[]>();

  constructor(
    readonly firstMonth: number,
    readonly lastMonth: number,
    rng: Random,
  ) {
    for (const code of CURRENCY_CODES) {
      const base = BASE_RATE[code];
      const path: number[] = [];
      let level = 0;
      for (let m = firstMonth; m <= lastMonth; m++) {
        // log-rate walks with 1.5 % monthly volatility and pulls back towards the base
        level = level * 0.9 + (code === 'USD' ? 0 : 0.015 * rng.normal());
        path.push(code === 'USD' ? 1 : roundRate(base * Math.exp(level)));
      }
      this.rates.set(code, path);
    }
  }

  /** Currency units per USD in the month containing `day` (clamped to the table's range). */
  rateOnDay(code: string, day: number): number {
    return this.rateInMonth(code, monthOfDay(day));
  }

  rateInMonth(code: string, month: number): number {
    const path = this.rates.get(code);
    if (!path) throw new Error(`no rates for ${code}`);
    const i = Math.min(Math.max(month - this.firstMonth, 0), path.length - 1);
    return path[i];
  }

  /** DatedConversionRate rows: one per month, the first open to the past, the last to the future. */
  datedRows(
    code: string,
  ): Array<{ IsoCode: string; ConversionRate: number; StartDate: string; NextStartDate: string }> {
    const path = this.rates.get(code) ?? [];
    if (code === 'USD')
      return [
        {
          IsoCode: code,
          ConversionRate: 1,
          StartDate: FIRST_START_DATE,
          NextStartDate: LAST_NEXT_START_DATE,
        },
      ];
    return path.map((rate, i) => {
      const month = this.firstMonth + i;
      return {
        IsoCode: code,
        ConversionRate: rate,
        StartDate: i === 0 ? FIRST_START_DATE : isoFromDay(firstDayOfMonth(month)),
        NextStartDate: i === path.length - 1 ? LAST_NEXT_START_DATE : isoFromDay(firstDayOfMonth(month + 1)),
      };
    });
  }
}

/** Salesforce keeps six decimal places of a conversion rate. */
function roundRate(rate: number): number {
  return Math.round(rate * 1e6) / 1e6;
}

/** Converts an amount in minor units of `code` to USD (a float, for aggregation only). */
export function toUsd(minor: number, code: string, rate: number): number {
  return minor / Math.pow(10, DECIMAL_PLACES[code]) / rate;
}

/** A USD list price in another currency, rounded the way a price list would be. */
export function localListPrice(usd: number, code: string, rate: number): number {
  const raw = usd * rate;
  if (code === 'JPY') return Math.max(100, Math.round(raw / 100) * 100);
  return raw >= 100 ? Math.round(raw / 10) * 10 : Math.round(raw);
}
