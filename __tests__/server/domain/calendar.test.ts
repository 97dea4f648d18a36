import fc from 'fast-check';
import {
  addDays,
  createFiscalCalendar,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  toDayNumber,
  FiscalCalendarConfigSchema,
  type FiscalCalendarConfigInput,
} from '../../../server/src/domain/calendar';

const calendar = (c: FiscalCalendarConfigInput) => createFiscalCalendar(FiscalCalendarConfigSchema.parse(c));

describe('dates', () => {
  it.each([
    ['1970-01-01', 0],
    ['2000-02-29', 11016],
    ['2026-05-15', 20588],
    ['1969-12-31', -1],
  ])('When %s is read, then it is day %d and reads back the same', (date, day) => {
    expect(toDayNumber(date)).toBe(day);
    expect(fromDayNumber(day)).toBe(date);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-00', 'not a date'])(
    'When %s is read, then it is rejected',
    (date) => {
      expect(isIsoDate(date)).toBe(false);
      expect(() => toDayNumber(date)).toThrow(RangeError);
    },
  );

  it('When a datetime is read, then its date part counts and no time zone is applied', () => {
    expect(toDayNumber('2026-03-31T23:30:00.000+0000')).toBe(toDayNumber('2026-03-31'));
  });

  it('When dates round-trip through day numbers, then nothing shifts (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100000, max: 100000 }),
        (day) => toDayNumber(fromDayNumber(day)) === day,
      ),
    );
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2025-12-31', '2026-03-01')).toBe(60);
  });
});

describe('standard fiscal calendar', () => {
  it.each([
    // start month, label, date, quarter key, quarter start, quarter end, year key
    [1, 'end', '2026-03-31', 'FY2026-Q1', '2026-01-01', '2026-03-31', 'FY2026'],
    [1, 'end', '2026-04-01', 'FY2026-Q2', '2026-04-01', '2026-06-30', 'FY2026'],
    [2, 'end', '2026-01-31', 'FY2026-Q4', '2025-11-01', '2026-01-31', 'FY2026'],
    [2, 'end', '2026-02-01', 'FY2027-Q1', '2026-02-01', '2026-04-30', 'FY2027'],
    [2, 'start', '2026-02-01', 'FY2026-Q1', '2026-02-01', '2026-04-30', 'FY2026'],
    [7, 'end', '2026-06-30', 'FY2026-Q4', '2026-04-01', '2026-06-30', 'FY2026'],
    [7, 'end', '2026-07-01', 'FY2027-Q1', '2026-07-01', '2026-09-30', 'FY2027'],
    [10, 'start', '2024-02-29', 'FY2023-Q2', '2024-01-01', '2024-03-31', 'FY2023'],
  ] as const)(
    'When the year starts in month %d (label %s), then %s is in %s (%s..%s) of %s',
    (startMonth, yearLabel, date, key, start, end, year) => {
      const cal = calendar({ type: 'standard', startMonth, yearLabel });
      const q = cal.periodOf(date, 'quarter');
      expect([q.key, q.start, q.end]).toEqual([key, start, end]);
      expect(cal.periodOf(date, 'year').key).toBe(year);
    },
  );

  it('When months of a mid-calendar fiscal year are listed, then they are calendar months in fiscal order', () => {
    const cal = calendar({ type: 'standard', startMonth: 7 });
    const m1 = cal.byKey('FY2027-M01');
    expect([m1.start, m1.end]).toEqual(['2026-07-01', '2026-07-31']);
    const m8 = cal.byKey('FY2027-M08');
    expect([m8.start, m8.end]).toEqual(['2027-02-01', '2027-02-28']);
    expect(cal.shift(cal.byKey('FY2027-Q4'), 1).key).toBe('FY2028-Q1');
    expect(cal.shift(cal.byKey('FY2027-M01'), -1).key).toBe('FY2026-M12');
  });
});

describe('4-4-5 fiscal calendar', () => {
  // The retail (NRF) rule: the year ends on the Saturday nearest 31 January; named by its start year.
  const retail = calendar({
    type: 'weeks',
    pattern: '4-4-5',
    yearEnd: { month: 1, weekday: 'saturday', rule: 'nearest' },
    yearLabel: 'start',
  });

  it('When a year spans 371 days, then it has 53 weeks and the extra week goes to the last month', () => {
    const fy = retail.byKey('FY2023');
    expect([fy.start, fy.end]).toEqual(['2023-01-29', '2024-02-03']);
    expect(retail.weeksInYear(2023)).toBe(53);
    // Months 1-11 take 4+4+5+4+4+5+4+4+5+4+4 = 47 weeks; month 12 has its 5 weeks plus the 53rd.
    const m12 = retail.byKey('FY2023-M12');
    expect([m12.start, m12.end]).toEqual(['2023-12-24', '2024-02-03']);
    expect(daysBetween(m12.start, m12.end) + 1).toBe(42);
    expect(retail.byKey('FY2023-W53').end).toBe('2024-02-03');
  });

  it('When a year has 52 weeks, then months run 4, 4 and 5 weeks', () => {
    expect(retail.weeksInYear(2024)).toBe(52);
    const fy = retail.byKey('FY2024');
    expect([fy.start, fy.end]).toEqual(['2024-02-04', '2025-02-01']);
    const months = [1, 2, 3].map((m) => retail.byKey(`FY2024-M0${m}`));
    expect(months.map((m) => daysBetween(m.start, m.end) + 1)).toEqual([28, 28, 35]);
    expect(retail.periodOf('2024-05-04', 'quarter').key).toBe('FY2024-Q1');
    expect(retail.periodOf('2024-05-05', 'quarter').key).toBe('FY2024-Q2');
  });

  it.each([
    ['4-5-4', [28, 35, 28]],
    ['5-4-4', [35, 28, 28]],
  ] as const)('When the pattern is %s, then the first quarter months last %j days', (pattern, lengths) => {
    const cal = calendar({
      type: 'weeks',
      pattern,
      yearEnd: { month: 12, weekday: 'saturday', rule: 'last' },
      yearLabel: 'end',
    });
    const months = [1, 2, 3].map((m) => cal.byKey(`FY2026-M0${m}`));
    expect(months.map((m) => daysBetween(m.start, m.end) + 1)).toEqual(lengths);
    expect(cal.byKey('FY2026').end).toBe('2026-12-26');
  });

  it('When any date is mapped, then it lies inside its period and periods tile with no gap (property)', () => {
    const configs = [
      retail,
      calendar({ type: 'standard', startMonth: 4 }),
      calendar({ type: 'weeks', pattern: '5-4-4', yearEnd: { month: 9, weekday: 'friday', rule: 'last' } }),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 10000, max: 30000 }),
        fc.constantFrom('week', 'month', 'quarter', 'year' as const),
        fc.nat(2),
        (day, type, i) => {
          const cal = configs[i]!;
          const p = cal.periodOfDay(day, type);
          const next = cal.shift(p, 1);
          return (
            p.startDay <= day &&
            day <= p.endDay &&
            next.startDay === p.endDay + 1 &&
            cal.byKey(p.key).startDay === p.startDay
          );
        },
      ),
    );
  });
});
