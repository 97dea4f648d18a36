import type { FiscalCalendarConfig } from './config';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  fromDayNumber,
  onOrBefore,
  toDayNumber,
  WEEKDAYS,
  type IsoDate,
} from './dates';

export type PeriodType = 'year' | 'quarter' | 'month' | 'week';

export interface Period {
  readonly type: PeriodType;
  /** FY2026, FY2026-Q1, FY2026-M01, FY2026-W01 */
  readonly key: string;
  readonly fiscalYear: number;
  /** 1 for years; quarter 1-4, month 1-12, week 1-53 otherwise. */
  readonly number: number;
  readonly start: IsoDate;
  /** Inclusive. */
  readonly end: IsoDate;
  readonly startDay: number;
  readonly endDay: number;
}

interface FiscalYear {
  label: number;
  startDay: number;
  endDay: number;
  /** First day of each of the 12 fiscal months, plus the day after the year. */
  monthStarts: number[];
}

export interface FiscalCalendar {
  readonly config: FiscalCalendarConfig;
  periodOf(date: IsoDate, type: PeriodType): Period;
  periodOfDay(day: number, type: PeriodType): Period;
  /** The period `offset` steps away (of the same type). */
  shift(period: Period, offset: number): Period;
  byKey(key: string): Period;
  weeksInYear(label: number): number;
}

const KEY = /^FY(-?\d+)(?:-(Q|M|W)(\d{1,2}))?$/;
const PREFIX: Record<Exclude<PeriodType, 'year'>, string> = { quarter: 'Q', month: 'M', week: 'W' };

export function createFiscalCalendar(config: FiscalCalendarConfig): FiscalCalendar {
  const years = new Map<number, FiscalYear>();
  const byDay: Record<PeriodType, Map<number, Period>> = {
    year: new Map(),
    quarter: new Map(),
    month: new Map(),
    week: new Map(),
  };
  const byDate: Record<PeriodType, Map<string, Period>> = {
    year: new Map(),
    quarter: new Map(),
    month: new Map(),
    week: new Map(),
  };

  const yearEndInCalendarYear = (calendarYear: number): number => {
    if (config.type !== 'weeks') throw new Error('unreachable');
    const { month, weekday, rule } = config.yearEnd;
    const lastDay = daysFromCivil(calendarYear, month, daysInMonth(calendarYear, month));
    const wd = WEEKDAYS.indexOf(weekday);
    return rule === 'last' ? onOrBefore(lastDay, wd) : onOrBefore(lastDay + 3, wd);
  };

  const fiscalYear = (label: number): FiscalYear => {
    const cached = years.get(label);
    if (cached) return cached;
    let startDay: number;
    let endDay: number;
    const monthStarts: number[] = [];
    if (config.type === 'standard') {
      const startYear = config.yearLabel === 'start' || config.startMonth === 1 ? label : label - 1;
      for (let i = 0; i <= 12; i += 1) {
        const m = config.startMonth - 1 + i;
        monthStarts.push(daysFromCivil(startYear + Math.floor(m / 12), (m % 12) + 1, 1));
      }
      startDay = monthStarts[0]!;
      endDay = monthStarts[12]! - 1;
    } else {
      // Find the calendar year whose year-end closes this fiscal year.
      let endYear = label;
      if (config.yearLabel === 'start') {
        endYear = civilFromDays(yearEndInCalendarYear(label) + 1).year === label ? label + 1 : label;
      }
      endDay = yearEndInCalendarYear(endYear);
      startDay = yearEndInCalendarYear(endYear - 1) + 1;
      const weeks = (endDay - startDay + 1) / 7;
      const pattern = config.pattern.split('-').map(Number);
      let cursor = startDay;
      for (let m = 0; m < 12; m += 1) {
        monthStarts.push(cursor);
        const extra = m === 11 && weeks === 53 ? 1 : 0;
        cursor += (pattern[m % 3]! + extra) * 7;
      }
      monthStarts.push(cursor);
    }
    const fy = { label, startDay, endDay, monthStarts };
    years.set(label, fy);
    return fy;
  };

  const labelOfDay = (day: number): number => {
    const { year } = civilFromDays(day);
    // The label is within one of the calendar year; probe the neighbours.
    for (const label of [year, year + 1, year - 1]) {
      const fy = fiscalYear(label);
      if (day >= fy.startDay && day <= fy.endDay) return label;
    }
    throw new Error(`no fiscal year contains ${fromDayNumber(day)}`);
  };

  const make = (
    type: PeriodType,
    fy: FiscalYear,
    number: number,
    startDay: number,
    endDay: number,
  ): Period => ({
    type,
    key:
      type === 'year'
        ? `FY${fy.label}`
        : `FY${fy.label}-${PREFIX[type]}${type === 'quarter' ? String(number) : String(number).padStart(2, '0')}`,
    fiscalYear: fy.label,
    number,
    start: fromDayNumber(startDay),
    end: fromDayNumber(endDay),
    startDay,
    endDay,
  });

  const periodIn = (fy: FiscalYear, type: PeriodType, number: number): Period => {
    switch (type) {
      case 'year':
        return make(type, fy, 1, fy.startDay, fy.endDay);
      case 'quarter':
        return make(type, fy, number, fy.monthStarts[(number - 1) * 3]!, fy.monthStarts[number * 3]! - 1);
      case 'month':
        return make(type, fy, number, fy.monthStarts[number - 1]!, fy.monthStarts[number]! - 1);
      case 'week': {
        const start = fy.startDay + (number - 1) * 7;
        return make(type, fy, number, start, Math.min(start + 6, fy.endDay));
      }
    }
  };

  const countIn = (fy: FiscalYear, type: PeriodType): number =>
    type === 'year'
      ? 1
      : type === 'quarter'
        ? 4
        : type === 'month'
          ? 12
          : Math.ceil((fy.endDay - fy.startDay + 1) / 7);

  const periodOfDay = (day: number, type: PeriodType): Period => {
    const cached = byDay[type].get(day);
    if (cached) return cached;
    const fy = fiscalYear(labelOfDay(day));
    let number = 1;
    if (type === 'week') number = Math.floor((day - fy.startDay) / 7) + 1;
    else if (type !== 'year') {
      let month = 1;
      while (fy.monthStarts[month]! <= day) month += 1;
      number = type === 'month' ? month : Math.ceil(month / 3);
    }
    const period = periodIn(fy, type, number);
    byDay[type].set(day, period);
    return period;
  };

  return {
    config,
    periodOfDay,
    periodOf(date, type) {
      const cached = byDate[type].get(date);
      if (cached) return cached;
      const period = periodOfDay(toDayNumber(date), type);
      byDate[type].set(date, period);
      return period;
    },
    shift(period, offset) {
      let fy = fiscalYear(period.fiscalYear);
      let number = period.number + offset;
      while (number > countIn(fy, period.type)) {
        number -= countIn(fy, period.type);
        fy = fiscalYear(fy.label + 1);
      }
      while (number < 1) {
        fy = fiscalYear(fy.label - 1);
        number += countIn(fy, period.type);
      }
      return periodIn(fy, period.type, number);
    },
    byKey(key) {
      const m = KEY.exec(key);
      if (!m) throw new RangeError(`not a fiscal period key: ${key}`);
      const fy = fiscalYear(Number(m[1]));
      const type: PeriodType =
        m[2] === 'Q' ? 'quarter' : m[2] === 'M' ? 'month' : m[2] === 'W' ? 'week' : 'year';
      const number = m[3] ? Number(m[3]) : 1;
      if (number < 1 || number > countIn(fy, type)) throw new RangeError(`no such fiscal period: ${key}`);
      return periodIn(fy, type, number);
    },
    weeksInYear(label) {
      const fy = fiscalYear(label);
      return Math.ceil((fy.endDay - fy.startDay + 1) / 7);
    },
  };
}
