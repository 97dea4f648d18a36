import { malformedQuery } from '../errors';
import { wallClock } from '../time-zone';

/** A calendar day as plain numbers; never passes through a local time zone. */
export interface Day {
  y: number;
  m: number; // 1-12
  d: number;
}

/** A relative date literal as a half-open range of whole days [start, end). */
export interface DayRange {
  start: Day;
  end: Day;
}

export interface DateContext {
  now: number;
  timeZone: string;
  /** 1 = January. */
  fiscalYearStartMonth: number;
}

const DAY_MS = 86_400_000;

const dayNumber = (day: Day): number => Date.UTC(day.y, day.m - 1, day.d) / DAY_MS;
const fromDayNumber = (n: number): Day => {
  const dt = new Date(n * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
};
const addDays = (day: Day, n: number): Day => fromDayNumber(dayNumber(day) + n);
/** Months counted from year 0, so that month arithmetic is integer arithmetic. */
const monthIndex = (day: Day): number => day.y * 12 + (day.m - 1);
const firstOfMonthIndex = (mi: number): Day => ({ y: Math.floor(mi / 12), m: (mi % 12) + 1, d: 1 });

export function formatDay(day: Day): string {
  return `${String(day.y).padStart(4, '0')}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

/** The calendar day an instant falls on in a time zone. */
export function zonedDay(ms: number, timeZone: string): Day {
  const p = wallClock(ms, timeZone);
  return { y: p.y, m: p.m, d: p.d };
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffset(ms: number, timeZone: string): number {
  const p = wallClock(ms, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant a day starts (00:00 local) in a time zone; checked twice so DST edges land right. */
export function startOfDayInstant(day: Day, timeZone: string): number {
  const wall = Date.UTC(day.y, day.m - 1, day.d);
  let guess = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(guess, timeZone);
  if (second !== guess) guess = second;
  return guess;
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'fquarter' | 'fyear';

/** Start of the period of `unit` that contains `day`. */
function periodStart(day: Day, unit: Unit, fiscalStart: number): Day {
  switch (unit) {
    case 'day':
      return day;
    case 'week': {
      // en_US weeks start on Sunday; 1970-01-01 (day 0) was a Thursday.
      const n = dayNumber(day);
      const dow = (((n + 4) % 7) + 7) % 7;
      return fromDayNumber(n - dow);
    }
    default: {
      const [len, anchor] = monthPeriod(unit, fiscalStart);
      const mi = monthIndex(day);
      return firstOfMonthIndex(Math.floor((mi - anchor) / len) * len + anchor);
    }
  }
}

function monthPeriod(unit: Unit, fiscalStart: number): [number, number] {
  switch (unit) {
    case 'month':
      return [1, 0];
    case 'quarter':
      return [3, 0];
    case 'year':
      return [12, 0];
    case 'fquarter':
      return [3, (fiscalStart - 1) % 3];
    case 'fyear':
      return [12, fiscalStart - 1];
    default:
      throw new Error(`not a month-based unit: ${unit}`);
  }
}

/** Moves a period start by n periods. */
function shift(start: Day, unit: Unit, n: number, fiscalStart: number): Day {
  if (unit === 'day') return addDays(start, n);
  if (unit === 'week') return addDays(start, 7 * n);
  const [len] = monthPeriod(unit, fiscalStart);
  return firstOfMonthIndex(monthIndex(start) + len * n);
}

const UNIT_NAMES: Record<string, Unit> = {
  DAY: 'day',
  DAYS: 'day',
  WEEK: 'week',
  WEEKS: 'week',
  MONTH: 'month',
  MONTHS: 'month',
  QUARTER: 'quarter',
  QUARTERS: 'quarter',
  YEAR: 'year',
  YEARS: 'year',
  FISCAL_QUARTER: 'fquarter',
  FISCAL_QUARTERS: 'fquarter',
  FISCAL_YEAR: 'fyear',
  FISCAL_YEARS: 'fyear',
};

/**
 * The range a relative date literal denotes, evaluated in the org's time zone and fiscal year.
 * `literal` is e.g. `THIS_FISCAL_QUARTER` or `LAST_N_DAYS:30`.
 */
export function dateLiteralRange(literal: string, ctx: DateContext): DayRange {
  const upper = literal.toUpperCase();
  const today = zonedDay(ctx.now, ctx.timeZone);
  const fs = ctx.fiscalYearStartMonth;
  const period = (unit: Unit, offset: number, count = 1): DayRange => {
    const start = shift(periodStart(today, unit, fs), unit, offset, fs);
    return { start, end: shift(start, unit, count, fs) };
  };
  switch (upper) {
    case 'TODAY':
      return period('day', 0);
    case 'YESTERDAY':
      return period('day', -1);
    case 'TOMORROW':
      return period('day', 1);
    case 'LAST_90_DAYS':
      return { start: addDays(today, -90), end: addDays(today, 1) };
    case 'NEXT_90_DAYS':
      return { start: addDays(today, 1), end: addDays(today, 91) };
  }
  const simple = /^(THIS|LAST|NEXT)_(WEEK|MONTH|QUARTER|YEAR|FISCAL_QUARTER|FISCAL_YEAR)$/.exec(upper);
  if (simple) return period(UNIT_NAMES[simple[2]], simple[1] === 'THIS' ? 0 : simple[1] === 'LAST' ? -1 : 1);

  const withN = /^([A-Z_]+):(\d+)$/.exec(upper);
  if (withN) {
    const n = Number(withN[2]);
    const name = withN[1];
    if (name === 'LAST_N_DAYS') return { start: addDays(today, -n), end: addDays(today, 1) };
    if (name === 'NEXT_N_DAYS') return { start: addDays(today, 1), end: addDays(today, n + 1) };
    const ago = /^N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)_AGO$/.exec(name);
    if (ago) return period(UNIT_NAMES[ago[1]], -n);
    const lastNext = /^(LAST|NEXT)_N_(WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)$/.exec(name);
    if (lastNext)
      return lastNext[1] === 'LAST'
        ? period(UNIT_NAMES[lastNext[2]], -n, n)
        : period(UNIT_NAMES[lastNext[2]], 1, n);
  }
  throw malformedQuery(`unexpected token: '${literal}'`);
}

/** Start and end of a day range as instants (ms) in the org's time zone. */
export function rangeInstants(range: DayRange, timeZone: string): [number, number] {
  return [startOfDayInstant(range.start, timeZone), startOfDayInstant(range.end, timeZone)];
}
