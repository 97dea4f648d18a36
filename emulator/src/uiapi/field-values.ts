import type { Org } from '../org';
import type { FieldDef } from '../schema/types';

/**
 * Field values as the UI API and its GraphQL give them: `value` in API form (numbers as numbers,
 * dates `YYYY-MM-DD`, datetimes `…T…Z`) and `displayValue`, the value formatted for the user
 * (en_US): picklist labels, money with its currency code (the org is multi-currency), numbers with
 * grouping, dates as M/D/YYYY. Text, ids, lookups and booleans have no display value, as on the
 * platform.
 */
export interface FieldValue {
  value: unknown;
  displayValue: string | null;
}

/** REST JSON value → UI API value (only datetimes differ: `+0000` becomes `Z`). */
export function uiValue(field: FieldDef, restValue: unknown): unknown {
  if (restValue === undefined) return null;
  if (field.type === 'datetime' && typeof restValue === 'string') return restValue.replace(/\+0000$/, 'Z');
  return restValue;
}

const grouped = new Map<number, Intl.NumberFormat>();

function numberFormat(scale: number): Intl.NumberFormat {
  let f = grouped.get(scale);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: scale, maximumFractionDigits: scale });
    grouped.set(scale, f);
  }
  return f;
}

/** `currencyIsoCode`: the record's currency, for money fields. */
export function displayValueOf(
  field: FieldDef,
  value: unknown,
  currencyIsoCode: string | null,
  timeZone: string,
): string | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'picklist':
    case 'multipicklist':
    case 'combobox': {
      const labels = String(value)
        .split(';')
        .map((v) => field.picklistValues?.find((p) => p.value === v)?.label ?? v);
      return labels.join(';');
    }
    case 'currency': {
      const amount = numberFormat(field.scale ?? 2).format(Number(value));
      return currencyIsoCode ? `${currencyIsoCode} ${amount}` : amount;
    }
    case 'percent':
      return `${trimNumber(Number(value), field.scale ?? 0)}%`;
    case 'double':
      return trimNumber(Number(value), field.scale ?? 0);
    case 'int':
      return numberFormat(0).format(Number(value));
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
      return m ? `${Number(m[2])}/${Number(m[3])}/${m[1]}` : String(value);
    }
    case 'datetime':
      return formatDateTime(String(value), timeZone);
    default:
      return null;
  }
}

function trimNumber(n: number, scale: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.max(scale, 0) }).format(n);
}

function formatDateTime(iso: string, timeZone: string): string {
  const ms = Date.parse(iso.replace(/\+0000$/, 'Z'));
  if (!Number.isFinite(ms)) return iso;
  try {
    return (
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
      })
        .format(ms)
        // Newer ICU puts a narrow no-break space before AM/PM; the platform shows a plain one.
        .replace(/[\u202f\u00a0]/g, ' ')
    );
  } catch {
    return new Date(ms).toISOString();
  }
}

/** Display values follow the viewing user's time zone (the org's when the user has none). */
export function timeZoneOf(org: Org, userId: string): string {
  const row = org.db.prepare('SELECT "TimeZoneSidKey" AS tz FROM "User" WHERE "Id" = ?').get(userId) as
    { tz: string | null } | undefined;
  return row?.tz ?? org.settings.timeZone;
}
