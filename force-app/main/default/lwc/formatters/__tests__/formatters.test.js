import {
  EMPTY,
  formatCurrency,
  formatPercent,
  formatRatioAsPercent,
  formatMultiple,
  formatNumber,
  formatDate,
  formatDateTime,
} from 'c/formatters';

// sfdx-lwc-jest resolves @salesforce/i18n/locale to en-US and timeZone to America/Los_Angeles.
describe('c/formatters', () => {
  it('formats money in the record currency', () => {
    expect(formatCurrency(120000, 'USD')).toBe('$120,000.00');
    expect(formatCurrency('4800.5', 'EUR')).toBe('€4,800.50');
    expect(formatCurrency(-250, 'GBP')).toBe('-£250.00');
    expect(formatCurrency(0, 'JPY')).toBe('¥0');
  });

  it('shows an amount without a currency with two decimals, and an unknown code as written', () => {
    expect(formatCurrency(1234.5)).toBe('1,234.50');
    expect(formatCurrency(10, 'NOT-A-CODE')).toBe('10.00 NOT-A-CODE');
  });

  it('shows empty values as a dash, never as zero', () => {
    expect(formatCurrency(null, 'USD')).toBe(EMPTY);
    expect(formatCurrency('', 'USD')).toBe(EMPTY);
    expect(formatPercent(undefined)).toBe(EMPTY);
    expect(formatDate(null)).toBe(EMPTY);
    expect(formatDateTime(null)).toBe(EMPTY);
    expect(formatMultiple('abc')).toBe(EMPTY);
  });

  it('formats Percent fields written 0-100', () => {
    expect(formatPercent(112.5)).toBe('112.5%');
    expect(formatPercent(8)).toBe('8%');
    expect(formatPercent('33.333', 2)).toBe('33.33%');
    expect(formatRatioAsPercent(1.125)).toBe('112.5%');
  });

  it('formats multiples and numbers', () => {
    expect(formatMultiple(3.2)).toBe('3.20×');
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(2.345, 1)).toBe('2.3');
  });

  it('formats date-only values as calendar dates, whatever the time zone', () => {
    expect(formatDate('2026-03-31')).toBe('Mar 31, 2026');
    expect(formatDate('2026-01-01')).toBe('Jan 1, 2026');
    expect(formatDate('not a date')).toBe('not a date');
    // Leap day and year end stay on their calendar day.
    expect(formatDate('2028-02-29')).toBe('Feb 29, 2028');
    expect(formatDate('2026-12-31')).toBe('Dec 31, 2026');
  });

  it('formats instants in the user time zone', () => {
    // 2026-11-27T06:30Z is 10:30 PM on the 26th in Los Angeles (PST, UTC-8).
    expect(formatDateTime('2026-11-27T06:30:00.000Z')).toBe('Nov 26, 2026, 10:30 PM');
    expect(formatDateTime('yesterday')).toBe('yesterday');
  });
});
