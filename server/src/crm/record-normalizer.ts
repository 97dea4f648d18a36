import type { SyncedRecord } from '../store';
import { parseSfDateTime } from './soql-values';
import type { TypedColumn } from './sync-catalog';

/** describe field types that matter for normalising values (everything else stays text). */
export type FieldTypes = Record<string, string>;

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);

type Value = string | number | boolean | null;

/**
 * Turns a record as the org returned it (REST JSON, or a Bulk CSV row of strings) into one
 * canonical form, so the same record read either way is stored identically: attributes dropped,
 * fields in the configured order, empty CSV cells as null, booleans and numbers typed, datetimes in
 * UTC `Z` form. Date-only fields stay `YYYY-MM-DD` text.
 */
export function normalizeRecord(
  object: string,
  fields: string[],
  types: FieldTypes,
  typed: Partial<Record<TypedColumn, string>>,
  source: Record<string, unknown>,
): SyncedRecord {
  const canonical: Record<string, Value> = {};
  const byLower = new Map(Object.keys(source).map((k) => [k.toLowerCase(), k]));
  for (const field of fields) {
    const key = byLower.get(field.toLowerCase());
    canonical[field] = normalizeValue(types[field] ?? 'string', key === undefined ? null : source[key]);
  }
  const pick = (col: TypedColumn): Value => {
    const field = typed[col];
    return field && field in canonical ? canonical[field] : null;
  };
  const text = (v: Value): string | null => (v === null ? null : String(v));
  const flag = (v: Value): boolean | null => (v === null ? null : v === true);
  return {
    object,
    id: String(canonical.Id),
    modstamp: parseSfDateTime(String(canonical.SystemModstamp)),
    deleted: canonical.IsDeleted === true,
    ownerId: text(pick('ownerId')),
    parentId: text(pick('parentId')),
    accountId: text(pick('accountId')),
    name: text(pick('name')),
    amount: text(pick('amount')),
    closeDate: text(pick('closeDate')),
    stage: text(pick('stage')),
    category: text(pick('category')),
    isClosed: flag(pick('isClosed')),
    isWon: flag(pick('isWon')),
    currency: text(pick('currency')),
    raw: JSON.stringify(canonical),
  };
}

function normalizeValue(type: string, value: unknown): Value {
  if (value === null || value === undefined || value === '') return null;
  if (type === 'boolean') return value === true || value === 'true';
  if (NUMERIC.has(type)) {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : null;
  }
  if (type === 'datetime') return new Date(parseSfDateTime(String(value))).toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : String(value);
}
