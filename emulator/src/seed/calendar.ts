import { wallClock } from '../time-zone';

/**
 * Date arithmetic for the generator on whole days (days since 1970-01-01) and month indexes
 * (year * 12 + month0), so date-only fields never pass through a local time zone. Fiscal quarters
 * follow the org's fiscal year start month; a fiscal year is named after the calendar year it ends
 * in, as Salesforce does unless "use start date as fiscal year name" is set.
 */
export const DAY_MS = 86_400_000;

export function dayFromIso(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

const isoCache = new Map<number, string>();

/** Memoised: the generator formats the same few thousand days millions of times. */
export function isoFromDay(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoCache.size < 100_000) isoCache.set(day, iso);
  }
  return iso;
}

export function monthOfDay(day: number): number {
  const dt = new Date(day * DAY_MS);
  return dt.getUTCFullYear() * 12 + dt.getUTCMonth();
}

export function firstDayOfMonth(month: number): number {
  return Math.round(Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS);
}

export function daysInMonth(month: number): number {
  return firstDayOfMonth(month + 1) - firstDayOfMonth(month);
}

export function yearOfMonth(month: number): number {
  return Math.floor(month / 12);
}

/** The calendar date of an instant in an IANA zone (the org's "today"). */
export function dayInZone(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Math.round(Date.UTC(w.y, w.m - 1, w.d) / DAY_MS);
}

/**
 * Turns "day N at hh:mm in the org's zone" into an instant. The zone's offset is taken at noon of
 * that day and cached; a daylight-saving switch shifts a few generated timestamps by an hour,
 * which no invariant depends on.
 */
export class ZonedClock {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly timeZone: string) {}

  at(day: number, hour: number, minute = 0): number {
    return day * DAY_MS + hour * 3_600_000 + minute * 60_000 - this.offset(day);
  }

  private offset(day: number): number {
    let off = this.offsets.get(day);
    if (off === undefined) {
      const noon = day * DAY_MS + 12 * 3_600_000;
      const w = wallClock(noon, this.timeZone);
      off = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi) - noon;
      this.offsets.set(day, off);
    }
    return off;
  }
}

export interface FiscalQuarter {
  /** Absolute quarter number: consecutive quarters differ by one. */
  index: number;
  fiscalYear: number;
  /** 1–4 within the fiscal year. */
  number: number;
  startMonth: number;
  startDay: number;
  /** Last day, inclusive. */
  endDay: number;
}

export class FiscalCalendar {
  /** Month index offset of the fiscal year start (0 = January). */
  private readonly offset: number;

  constructor(fiscalYearStartMonth: number) {
    if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
      throw new Error(`fiscal year start month must be 1–12, got ${fiscalYearStartMonth}`);
    }
    this.offset = fiscalYearStartMonth - 1;
  }

  quarterOfMonth(month: number): FiscalQuarter {
    return this.quarter(Math.floor((month - this.offset) / 3));
  }

  quarterOfDay(day: number): FiscalQuarter {
    return this.quarterOfMonth(monthOfDay(day));
  }

  quarter(index: number): FiscalQuarter {
    const startMonth = index * 3 + this.offset;
    const yearStart = Math.floor((startMonth - this.offset) / 12) * 12 + this.offset;
    return {
      index,
      fiscalYear: yearOfMonth(yearStart + 11),
      number: (startMonth - yearStart) / 3 + 1,
      startMonth,
      startDay: firstDayOfMonth(startMonth),
      endDay: firstDayOfMonth(startMonth + 3) - 1,
    };
  }

  /** First month of the fiscal year that contains `month`. */
  yearStartMonth(month: number): number {
    return Math.floor((month - this.offset) / 12) * 12 + this.offset;
  }

  fiscalYearOfMonth(month: number): number {
    return yearOfMonth(this.yearStartMonth(month) + 11);
  }
}
