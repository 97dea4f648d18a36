/*
 * The one set of display formatters: money in the record's currency, percentages as the server
 * wrote them (0-100), dates in the user's locale. Values arrive as numbers or decimal strings from
 * the UI API; nothing here rounds money for arithmetic, it only renders it.
 */
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';

/** Shown for an empty value, so a blank cell is never mistaken for zero. */
export const EMPTY = '—';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isEmpty(value) {
  return value === null || value === undefined || value === '';
}

function toNumber(value) {
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * Money in its own currency (the record's CurrencyIsoCode), e.g. `$120,000.00` or `€4,800.00`.
 * @param {number|string|null} value
 * @param {string} [currencyCode] ISO 4217 code; without one the number is shown with 2 decimals
 */
export function formatCurrency(value, currencyCode) {
  const number = isEmpty(value) ? null : toNumber(value);
  if (number === null) {
    return EMPTY;
  }
  if (!currencyCode) {
    return formatNumber(number, 2, 2);
  }
  try {
    return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: currencyCode }).format(number);
  } catch {
    // An unknown code must not blank the widget: show the amount and the code as written.
    return `${formatNumber(number, 2, 2)} ${currencyCode}`;
  }
}

/**
 * A Percent field as written (0-100+: `112.5` → `112.5%`).
 * @param {number|string|null} value
 * @param {number} [maximumFractionDigits=1]
 */
export function formatPercent(value, maximumFractionDigits = 1) {
  const number = isEmpty(value) ? null : toNumber(value);
  if (number === null) {
    return EMPTY;
  }
  return new Intl.NumberFormat(LOCALE, {
    style: 'percent',
    minimumFractionDigits: 0,
    maximumFractionDigits,
  }).format(number / 100);
}

/** A ratio written as a fraction (`1.125`) shown as a percentage (`112.5%`). */
export function formatRatioAsPercent(value, maximumFractionDigits = 1) {
  const number = isEmpty(value) ? null : toNumber(value);
  if (number === null) {
    return EMPTY;
  }
  return new Intl.NumberFormat(LOCALE, {
    style: 'percent',
    minimumFractionDigits: 0,
    maximumFractionDigits,
  }).format(number);
}

/** A multiple such as a coverage ratio: `3.2` → `3.20×`. */
export function formatMultiple(value) {
  const number = isEmpty(value) ? null : toNumber(value);
  return number === null ? EMPTY : `${formatNumber(number, 2, 2)}×`;
}

/** A plain number in the user's locale. */
export function formatNumber(value, maximumFractionDigits = 0, minimumFractionDigits = 0) {
  const number = isEmpty(value) ? null : toNumber(value);
  if (number === null) {
    return EMPTY;
  }
  return new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits,
    maximumFractionDigits: Math.max(minimumFractionDigits, maximumFractionDigits),
  }).format(number);
}

/**
 * A date-only value (`YYYY-MM-DD`) in the user's locale. It is read as a calendar date, never
 * through a time zone, so 2026-03-31 stays March 31 everywhere.
 */
export function formatDate(value) {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) {
    return isEmpty(value) ? EMPTY : String(value);
  }
  const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' }).format(utc);
}

/** A DateTime (ISO 8601 instant) in the user's locale and time zone. */
export function formatDateTime(value) {
  if (isEmpty(value)) {
    return EMPTY;
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) {
    return String(value);
  }
  return new Intl.DateTimeFormat(LOCALE, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(instant);
}

/** The first line of a long text (a trace's summary sentence, an error list's headline). */
export function firstLine(text) {
  return isEmpty(text) ? '' : String(text).split('\n')[0].trim();
}
