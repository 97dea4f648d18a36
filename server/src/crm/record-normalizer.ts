import type { SyncedRecord } from '../store';
import { parseSfDateTime } from './soql-values';
import type { TypedColumn } from './sync-catalog';

/** describe field types that matter for normalising values (everything else stays text). */
export type FieldTypes = Record<string, string>;

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

type Value = string | number | boolean | null;
type Convert = (value: unknown) => Value;

const TYPED_COLUMNS: TypedColumn[] = [
  'ownerId',
  'parentId',
  'accountId',
  'name',
  'amount',
  'closeDate',
  'stage',
  'category',
  'isClosed',
  'isWon',
  'currency',
];

/**
 * Turns records as the org returned them (REST JSON, or Bulk CSV rows of strings) into one
 * canonical form, so the same record read either way is stored identically: attributes dropped,
 * fields in the configured order, empty CSV cells as null, booleans and numbers typed, datetimes in
 * UTC `Z` form. Date-only fields stay `YYYY-MM-DD` text.
 *
 * Compiled once per object and read: how each field is converted, where each typed column comes
 * from and (for CSV) which cell holds which field are decided here, not per value; at two million
 * rows a sync the per-value dispatch and key lookups were a sixth of its CPU.
 */
export class RecordNormalizer {
  private readonly converters: Convert[];
  /** Index into `fields` of each typed column's source field, or -1. */
  private readonly typedAt: Record<TypedColumn, number>;
  private readonly idAt: number;
  private readonly modstampAt: number;
  private readonly deletedAt: number;

  constructor(
    readonly object: string,
    private readonly fields: string[],
    types: FieldTypes,
    typed: Partial<Record<TypedColumn, string>>,
  ) {
    this.converters = fields.map((f) => converterFor(types[f] ?? 'string'));
    const at = (name: string | undefined): number => (name === undefined ? -1 : fields.indexOf(name));
    this.typedAt = Object.fromEntries(TYPED_COLUMNS.map((c) => [c, at(typed[c])])) as Record<
      TypedColumn,
      number
    >;
    this.idAt = at('Id');
    this.modstampAt = at('SystemModstamp');
    this.deletedAt = at('IsDeleted');
  }

  /** One record from a REST (JSON) answer. Field names match case-insensitively, as in SOQL. */
  fromJson(source: Record<string, unknown>): SyncedRecord {
    const values: Value[] = new Array<Value>(this.fields.length);
    let lower: Map<string, string> | undefined;
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i];
      let raw = source[field];
      if (raw === undefined && !(field in source)) {
        lower ??= new Map(Object.keys(source).map((k) => [k.toLowerCase(), k]));
        const key = lower.get(field.toLowerCase());
        raw = key === undefined ? null : source[key];
      }
      values[i] = this.converters[i](raw);
    }
    return this.build(values);
  }

  /**
   * The records of one Bulk CSV page: `rows[0]` is the header, mapped to the configured fields once
   * (case-insensitively; a field the header lacks is null, as a key missing from JSON is).
   */
  fromCsv(rows: string[][]): SyncedRecord[] {
    if (rows.length === 0) return [];
    const byLower = new Map(rows[0].map((h, i) => [h.toLowerCase(), i]));
    const cellAt = this.fields.map((f) => byLower.get(f.toLowerCase()) ?? -1);
    const out = new Array<SyncedRecord>(rows.length - 1);
    const n = this.fields.length;
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r];
      const values: Value[] = new Array<Value>(n);
      for (let i = 0; i < n; i++) {
        const at = cellAt[i];
        values[i] = at < 0 ? null : this.converters[i](row[at]);
      }
      out[r - 1] = this.build(values);
    }
    return out;
  }

  private build(values: Value[]): SyncedRecord {
    const canonical: Record<string, Value> = {};
    for (let i = 0; i < values.length; i++) canonical[this.fields[i]] = values[i];
    const t = this.typedAt;
    const stamp = this.modstampAt < 0 ? null : values[this.modstampAt];
    return {
      object: this.object,
      id: String(this.idAt < 0 ? undefined : values[this.idAt]),
      modstamp: typeof stamp === 'string' ? epochOf(stamp) : parseSfDateTime(String(stamp)),
      deleted: this.deletedAt >= 0 && values[this.deletedAt] === true,
      ownerId: text(values, t.ownerId),
      parentId: text(values, t.parentId),
      accountId: text(values, t.accountId),
      name: text(values, t.name),
      amount: text(values, t.amount),
      closeDate: text(values, t.closeDate),
      stage: text(values, t.stage),
      category: text(values, t.category),
      isClosed: flag(values, t.isClosed),
      isWon: flag(values, t.isWon),
      currency: text(values, t.currency),
      raw: JSON.stringify(canonical),
    };
  }
}

/** One record, normalised (compile a `RecordNormalizer` instead when there are many). */
export function normalizeRecord(
  object: string,
  fields: string[],
  types: FieldTypes,
  typed: Partial<Record<TypedColumn, string>>,
  source: Record<string, unknown>,
): SyncedRecord {
  return new RecordNormalizer(object, fields, types, typed).fromJson(source);
}

function text(values: Value[], at: number): string | null {
  if (at < 0) return null;
  const v = values[at];
  return v === null ? null : String(v);
}

function flag(values: Value[], at: number): boolean | null {
  if (at < 0) return null;
  const v = values[at];
  return v === null ? null : v === true;
}

function converterFor(type: string): Convert {
  if (type === 'boolean') return (v) => (isEmpty(v) ? null : v === true || v === 'true');
  if (NUMERIC.has(type))
    return (v) => {
      if (isEmpty(v)) return null;
      const n = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(n) ? n : null;
    };
  if (type === 'datetime') return (v) => (isEmpty(v) ? null : utcDateTime(String(v)));
  return (v) => {
    if (isEmpty(v)) return null;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ`. Bulk already writes that form and REST writes it with `+0000`: both
 * are recognised by shape and only checked, not rebuilt through a Date; any other offset or
 * precision goes the general way.
 */
function utcDateTime(value: string): string {
  if (value.length === 24 && value.charCodeAt(23) === Z && isCanonical(value)) return value;
  if (value.length === 28 && value.endsWith('+0000')) {
    const z = `${value.slice(0, 23)}Z`;
    if (isCanonical(z)) return z;
  }
  return new Date(parseSfDateTime(value)).toISOString();
}

/** Epoch milliseconds of a datetime, without the general parser for the canonical form. */
function epochOf(value: string): number {
  if (value.length === 24 && value.charCodeAt(23) === Z) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return parseSfDateTime(value);
}

/**
 * The string is exactly what `toISOString` prints for the instant it names. Date.parse accepts
 * rolled-over values (Feb 30, 24:00); those are left to the general path, which rolls them over.
 */
function isCanonical(value: string): boolean {
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(10) !== T || value.charCodeAt(19) !== DOT)
    return false;
  const day = (value.charCodeAt(8) - ZERO) * 10 + value.charCodeAt(9) - ZERO;
  const hour = (value.charCodeAt(11) - ZERO) * 10 + value.charCodeAt(12) - ZERO;
  if (day > 28 || hour > 23) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && ms >= 0 && ms < YEAR_10000;
}

const Z = 90;
const T = 84;
const DOT = 46;
const DASH = 45;
const ZERO = 48;
const YEAR_10000 = 253402300800000;
