import { parseDate, parseDateTime } from '../store/codec';
import { storageClass } from '../store/codec';
import type { FieldDef } from '../schema/types';
import { jsonParserError, notOfRequiredType } from './row-errors';
import type { InputMode, Stored } from './types';

/**
 * Converts one client value into storage form. `undefined` means "not given" (a CSV empty cell),
 * which callers treat as leaving the field unchanged. Type errors are raised in the dialect of the
 * input: JSON_PARSER_ERROR for REST bodies (Salesforce fails while deserializing), and
 * INVALID_TYPE_ON_FIELD_IN_RECORD for CSV cells (Bulk converts per field).
 */
export function coerceInput(field: FieldDef, raw: unknown, mode: InputMode): Stored | undefined {
  if (mode === 'csv' && typeof raw === 'string') return coerceCell(field, raw);
  return coerceJson(field, raw);
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;

function coerceCell(field: FieldDef, cell: string): Stored | undefined {
  if (cell === '') return undefined;
  if (cell === '#N/A') return null;
  const converted = fromText(field, cell, true);
  if (converted === undefined) throw notOfRequiredType(field, cell);
  return converted;
}

function coerceJson(field: FieldDef, raw: unknown): Stored {
  if (raw === null || raw === undefined) return storageClass(field.type) === 'bool' ? 0 : null;
  const cls = storageClass(field.type);
  if (typeof raw === 'object') {
    throw jsonParserError(
      javaType(field),
      Array.isArray(raw) ? 'START_ARRAY' : 'START_OBJECT',
      Array.isArray(raw) ? '[' : '{',
    );
  }
  if (typeof raw === 'boolean') {
    if (cls === 'bool') return raw ? 1 : 0;
    if (cls === 'text' || cls === 'id') return String(raw);
    throw jsonParserError(javaType(field), raw ? 'VALUE_TRUE' : 'VALUE_FALSE', String(raw));
  }
  if (typeof raw === 'number') {
    if (cls === 'int' || cls === 'real') return numberValue(field, raw) ?? failJson(field, raw);
    if (cls === 'text' || cls === 'id') return String(raw);
    throw jsonParserError(
      javaType(field),
      Number.isInteger(raw) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT',
      String(raw),
    );
  }
  const text = String(raw);
  const converted = fromText(field, text, false);
  if (converted === undefined) throw jsonParserError(javaType(field), 'VALUE_STRING', text);
  return converted;
}

function failJson(field: FieldDef, raw: number): never {
  throw jsonParserError(javaType(field), 'VALUE_NUMBER_FLOAT', String(raw));
}

/** A text value in storage form, or undefined when it cannot be one of the field's values. */
function fromText(field: FieldDef, text: string, csv: boolean): Stored | undefined {
  switch (storageClass(field.type)) {
    case 'text':
      if (text === '') return null;
      return field.type === 'multipicklist' ? normaliseMultiPicklist(text) : text;
    case 'id':
      return text.trim() === '' ? null : text.trim();
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || (csv && t === '1')) return 1;
      if (t === 'false' || (csv && t === '0')) return 0;
      return undefined;
    }
    case 'int':
    case 'real': {
      const t = text.trim();
      if (!NUMBER_TEXT.test(t)) return undefined;
      return numberValue(field, Number(t));
    }
    case 'date':
      return parseDate(text) ?? undefined;
    case 'datetime': {
      const ms = parseDateTime(text);
      if (ms !== null) return ms;
      // Bulk files often carry a bare date in a datetime column; Salesforce reads it as midnight UTC.
      const day = csv ? parseDate(text) : null;
      return day ? Date.parse(`${day}T00:00:00Z`) : undefined;
    }
    case 'time': {
      const m = TIME_TEXT.exec(text.trim());
      if (!m || +m[1] > 23 || +m[2] > 59 || +(m[3] ?? 0) > 59) return undefined;
      return `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '').padEnd(3, '0')}`;
    }
  }
}

/** Numbers are rounded half away from zero to the field's scale, as Salesforce stores them. */
function numberValue(field: FieldDef, n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (field.type === 'int') {
    if (!Number.isInteger(n)) return undefined;
    return n;
  }
  const scale = field.scale ?? 0;
  if (scale > 15) return n;
  const factor = 10 ** scale;
  const rounded = (Math.sign(n) * Math.round(Math.abs(n) * factor + 1e-9)) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function normaliseMultiPicklist(text: string): string | null {
  const seen = new Set<string>();
  const values: string[] = [];
  for (const part of text.split(';')) {
    const v = part.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      values.push(v);
    }
  }
  return values.length ? values.join(';') : null;
}

function javaType(field: FieldDef): string {
  switch (storageClass(field.type)) {
    case 'bool':
      return 'boolean';
    case 'int':
      return 'int';
    case 'real':
      return 'double';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'time':
      return 'time';
    case 'id':
      return 'id';
    case 'text':
      return 'string';
  }
}
