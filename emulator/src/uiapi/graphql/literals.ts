import type { FieldDef } from '../../schema/types';
import { invalidArgument } from './errors';

/**
 * Filter values as SOQL literals. Every value is checked against the field's type and written in
 * a form that cannot end the literal early: strings are quoted with `\` and `'` escaped, numbers
 * must be plain decimals, dates and datetimes must match their patterns, date literals come from a
 * fixed list. Nothing a client sends reaches the SOQL text any other way.
 */
const TEXT_TYPES = new Set([
  'id',
  'reference',
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
]);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

/** SOQL's date literals without a number; `LAST_N_DAYS:n` style ones come as `{ range: … }`. */
const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'THIS_FISCAL_QUARTER',
  'LAST_FISCAL_QUARTER',
  'NEXT_FISCAL_QUARTER',
  'THIS_FISCAL_YEAR',
  'LAST_FISCAL_YEAR',
  'NEXT_FISCAL_YEAR',
]);
const RANGE_LITERALS = new Set([
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
  'LAST_N_QUARTERS',
  'NEXT_N_QUARTERS',
  'LAST_N_YEARS',
  'NEXT_N_YEARS',
  'LAST_N_FISCAL_QUARTERS',
  'NEXT_N_FISCAL_QUARTERS',
  'LAST_N_FISCAL_YEARS',
  'NEXT_N_FISCAL_YEARS',
  'N_DAYS_AGO',
]);

export function soqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** One value for a comparison on `field`; null only where the caller allows it (eq / ne). */
export function literalFor(field: FieldDef, raw: unknown): string {
  if (raw === null) return 'null';
  if (TEXT_TYPES.has(field.type)) {
    if (typeof raw !== 'string') throw wrong(field, raw, 'a string');
    return soqlString(raw);
  }
  if (field.type === 'boolean') {
    if (typeof raw !== 'boolean') throw wrong(field, raw, 'true or false');
    return raw ? 'TRUE' : 'FALSE';
  }
  if (NUMBER_TYPES.has(field.type)) return numberLiteral(field, raw);
  if (field.type === 'date') return dateLiteral(field, raw, /^\d{4}-\d{2}-\d{2}$/);
  if (field.type === 'datetime') return dateLiteral(field, raw, null);
  if (field.type === 'time') {
    const v = unwrap(raw);
    if (typeof v !== 'string' || !/^\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z?$/.test(v))
      throw wrong(field, raw, 'a time');
    return v.endsWith('Z') ? v : `${v}Z`;
  }
  throw invalidArgument(`field ${field.name} cannot be filtered here`);
}

function numberLiteral(field: FieldDef, raw: unknown): string {
  const v = unwrap(raw);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw wrong(field, raw, 'a number');
  const text = String(n);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw wrong(field, raw, 'a plain decimal number');
  return text;
}

/** `{ value: '2026-01-01' }`, `{ literal: TODAY }`, `{ range: { last_n_days: 30 } }` or a plain string. */
function dateLiteral(field: FieldDef, raw: unknown, pattern: RegExp | null): string {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    if (typeof o.literal === 'string') {
      const lit = o.literal.toUpperCase();
      if (!DATE_LITERALS.has(lit)) throw wrong(field, raw, 'a date literal such as TODAY');
      return lit;
    }
    if (typeof o.range === 'object' && o.range !== null) {
      const [entry] = Object.entries(o.range as Record<string, unknown>);
      const name = entry?.[0]?.toUpperCase();
      const n = entry?.[1];
      if (!name || !RANGE_LITERALS.has(name) || typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        throw wrong(field, raw, 'a range such as { last_n_days: 30 }');
      return `${name}:${n}`;
    }
  }
  const v = unwrap(raw);
  if (typeof v !== 'string') throw wrong(field, raw, pattern ? 'a date YYYY-MM-DD' : 'a datetime');
  if (pattern) {
    if (!pattern.test(v)) throw wrong(field, raw, 'a date YYYY-MM-DD');
    return v;
  }
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || !Number.isFinite(ms)) throw wrong(field, raw, 'an ISO-8601 datetime');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function unwrap(raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'value' in raw)
    return (raw as { value: unknown }).value;
  return raw;
}

function wrong(field: FieldDef, raw: unknown, expected: string) {
  return invalidArgument(`${field.name} takes ${expected}, not ${JSON.stringify(raw)}`);
}
