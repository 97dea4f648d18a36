import type { FieldDef, FieldType } from '../schema/types';

/**
 * How each field type is stored in SQLite and rendered in REST JSON.
 * - ids and references: TEXT holding the 18-character id (case-sensitive, BINARY collation)
 * - text types: TEXT COLLATE NOCASE, so `=`, `<`, ORDER BY and indexes are case-insensitive like SOQL
 * - boolean: INTEGER 0/1, never null
 * - int: INTEGER; double, currency, percent: REAL (the org stores what the API stores: a double)
 * - date: TEXT `YYYY-MM-DD` (never converted through a time zone)
 * - datetime: INTEGER milliseconds since the epoch, truncated to the second like Salesforce
 * - time: TEXT `HH:MM:SS.sss`
 */
export type StorageClass = 'id' | 'text' | 'bool' | 'int' | 'real' | 'date' | 'datetime' | 'time';

const STORAGE: Record<FieldType, StorageClass> = {
  id: 'id',
  reference: 'id',
  string: 'text',
  textarea: 'text',
  picklist: 'text',
  multipicklist: 'text',
  combobox: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  boolean: 'bool',
  int: 'int',
  double: 'real',
  currency: 'real',
  percent: 'real',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
};

export function storageClass(type: FieldType): StorageClass {
  return STORAGE[type];
}

export function columnDefinition(field: FieldDef): string {
  const name = quoteIdent(field.name);
  switch (storageClass(field.type)) {
    case 'id':
      return field.type === 'id' ? `${name} TEXT PRIMARY KEY` : `${name} TEXT`;
    case 'text':
      return `${name} TEXT COLLATE NOCASE`;
    case 'bool':
      return `${name} INTEGER NOT NULL DEFAULT 0`;
    case 'int':
    case 'datetime':
      return `${name} INTEGER`;
    case 'real':
      return `${name} REAL`;
    case 'date':
    case 'time':
      return `${name} TEXT`;
  }
}

/** SQLite identifiers: API names are [A-Za-z0-9_] only, but quote defensively anyway. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A stored value as REST JSON. */
export function toJson(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return type === 'boolean' ? false : null;
  switch (storageClass(type)) {
    case 'bool':
      return value === 1 || value === true;
    case 'datetime':
      return formatDateTime(value as number);
    default:
      return value;
  }
}

/** Salesforce's REST datetime form: `2024-01-15T10:00:00.000+0000`. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Bulk 2.0 CSV datetime form: `2024-01-15T10:00:00.000Z`. */
export function formatDateTimeCsv(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses an ISO-8601 datetime (`Z`, offset, optional milliseconds); truncates to the second. */
export function parseDateTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, , zone] = m;
  const offset = zone === 'Z' ? 0 : parseOffset(zone);
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - offset * 60_000;
  if (Number.isNaN(utc) || !sameCalendar(+y, +mo, +d)) return null;
  return utc;
}

function parseOffset(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** A strict `YYYY-MM-DD`, or null. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m || !sameCalendar(+m[1], +m[2], +m[3])) return null;
  return m[0];
}

function sameCalendar(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Truncates a millisecond timestamp to the second, as Salesforce stores datetimes. */
export function toSecond(ms: number): number {
  return ms - (((ms % 1000) + 1000) % 1000);
}
