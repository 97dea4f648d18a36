import { invalidField, malformedQuery, SfError } from '../errors';
import { to18 } from '../ids';
import type { FieldDef, FieldType } from '../schema/types';
import { parseDate, parseDateTime, storageClass } from '../store/codec';
import { dateLiteralRange, formatDay, rangeInstants, type DateContext } from './date-literals';

/** A WHERE value in storage form: one value, null, or a half-open range from a date literal. */
export type Literal =
  | { kind: 'null' }
  | { kind: 'value'; value: string | number }
  | { kind: 'range'; start: string | number; end: string | number };

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/**
 * The text of a quoted SOQL string literal (the parser keeps quotes and escapes). With `forLike`,
 * the result is a SQLite LIKE pattern for `ESCAPE '\'`: `\_` and `\%` stay literal, other
 * backslashes are doubled.
 */
export function unescapeString(raw: string, forLike = false): string {
  const body = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    i++;
    if (next !== undefined && next in SIMPLE_ESCAPES) {
      const plain = SIMPLE_ESCAPES[next];
      out += forLike && plain === '\\' ? '\\\\' : plain;
    } else if (forLike && (next === '_' || next === '%')) {
      out += '\\' + next;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      throw malformedQuery(
        `Invalid string literal '${body}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
      );
    }
  }
  return out;
}

/** How Salesforce names a field type in "must be of type X" messages. */
function soapTypeName(type: FieldType): string {
  switch (type) {
    case 'datetime':
      return 'dateTime';
    case 'int':
      return 'integer';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    default:
      return 'string';
  }
}

function wrongType(field: FieldDef): SfError {
  const type = soapTypeName(field.type);
  const quotes =
    type === 'string' || type === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return invalidField(
    `value of filter criterion for field '${field.name}' must be of type ${type} and ${quotes}`,
  );
}

export function invalidId(value: string): SfError {
  return new SfError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${value}`);
}

/**
 * Converts one literal of a condition on `field` to storage form, enforcing Salesforce's typing:
 * quoted values only for text and ids, date literals only for dates, datetimes only for datetimes.
 */
export function toLiteral(
  field: FieldDef,
  literalType: string,
  raw: string,
  dates: DateContext,
  dateN?: number,
): Literal {
  if (literalType === 'NULL') return { kind: 'null' };
  const cls = storageClass(field.type);
  const quoted = literalType === 'STRING';
  switch (cls) {
    case 'text':
      if (!quoted) throw wrongType(field);
      return { kind: 'value', value: unescapeString(raw) };
    case 'id': {
      if (!quoted) throw wrongType(field);
      const text = unescapeString(raw);
      const id = to18(text);
      if (!id) throw invalidId(text);
      return { kind: 'value', value: id };
    }
    case 'bool':
      if (literalType !== 'BOOLEAN') throw wrongType(field);
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' ? 1 : 0 };
    case 'int':
    case 'real': {
      if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw wrongType(field);
      const n = Number(raw);
      if (!Number.isFinite(n)) throw wrongType(field);
      return { kind: 'value', value: n };
    }
    case 'date': {
      if (literalType === 'DATE') {
        const d = parseDate(raw);
        if (!d) throw wrongType(field);
        return { kind: 'value', value: d };
      }
      if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
        const range = dateLiteralRange(withN(raw, dateN), dates);
        return { kind: 'range', start: formatDay(range.start), end: formatDay(range.end) };
      }
      throw wrongType(field);
    }
    case 'datetime': {
      if (literalType === 'DATETIME') {
        const ms = parseDateTime(raw);
        if (ms === null) throw wrongType(field);
        return { kind: 'value', value: ms };
      }
      if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
        const [start, end] = rangeInstants(dateLiteralRange(withN(raw, dateN), dates), dates.timeZone);
        return { kind: 'range', start, end };
      }
      throw wrongType(field);
    }
    case 'time':
      throw invalidField(`field '${field.name}' can not be filtered in a query call`);
  }
}

function withN(raw: string, n: number | undefined): string {
  return raw.includes(':') || n === undefined ? raw : `${raw}:${n}`;
}
