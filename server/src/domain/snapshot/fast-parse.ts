import { isIsoDate } from '../calendar/dates';
import type { z } from 'zod';
import { AccountSchema, HistorySchema, OpportunitySchema, SnapshotSchema } from './schema';
import type { Account, LineItem, Opportunity, OpportunityHistory, Snapshot, Split } from './types';

/**
 * A fast path for the big sections (accounts, opportunities with their lines and splits, history:
 * ~1.7M objects on a medium org), where zod's generic checks cost seconds. It accepts a SUBSET of what
 * the zod schema accepts and, for what it accepts, builds exactly zod's output (same values, same
 * defaults, same key order). An element outside that subset goes through its zod element schema; if
 * anything at all is invalid, the caller runs the whole zod schema, so every error keeps its JSON path.
 * The small sections always go through zod. A property test checks the subset against the schema.
 */

/** The small sections, validated by zod as they are. */
const SmallSections = SnapshotSchema.omit({ accounts: true, opportunities: true, history: true });

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Thrown inside the fast path: this element is not in the fast subset. */
const MISS = Symbol('fast-parse miss');

type Obj = Record<string, unknown>;

function isPlain(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function id(v: unknown): string {
  if (typeof v === 'string' && v.length > 0) return v;
  throw MISS;
}

function idOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : id(v);
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  throw MISS;
}

function strOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : str(v);
}

function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  throw MISS;
}

function decimal(v: unknown): string {
  if (typeof v === 'string' && DECIMAL_TEXT.test(v)) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw MISS;
}

function decimalOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : decimal(v);
}

function isoDate(v: unknown): string {
  if (typeof v === 'string' && isIsoDate(v)) return v;
  throw MISS;
}

function dateOrDateTime(v: unknown): string {
  if (typeof v === 'string' && isIsoDate(v.slice(0, 10)) && (v.length === 10 || v[10] === 'T'))
    return v.slice(0, 10);
  throw MISS;
}

function currency(v: unknown): string {
  if (typeof v === 'string' && CURRENCY.test(v)) return v;
  throw MISS;
}

/** Custom-field records: only the empty one is in the fast subset. */
function emptyRecord(v: unknown): Record<string, never> {
  if (v === undefined || (isPlain(v) && Object.keys(v).length === 0)) return {};
  throw MISS;
}

function account(a: unknown): Account {
  if (!isPlain(a)) throw MISS;
  const employees = a.numberOfEmployees;
  if (!(
    employees === undefined ||
    employees === null ||
    (Number.isSafeInteger(employees) && (employees as number) >= 0)
  ))
    throw MISS;
  return {
    id: id(a.id),
    name: str(a.name),
    ownerId: idOrNull(a.ownerId),
    segment: strOrNull(a.segment),
    territoryId: idOrNull(a.territoryId),
    parentId: idOrNull(a.parentId),
    type: strOrNull(a.type),
    industry: strOrNull(a.industry),
    billingCountry: strOrNull(a.billingCountry),
    billingState: strOrNull(a.billingState),
    billingPostalCode: strOrNull(a.billingPostalCode),
    billingCity: strOrNull(a.billingCity),
    annualRevenue: decimalOrNull(a.annualRevenue),
    numberOfEmployees: employees === undefined || employees === null ? null : (employees as number),
    attributes: emptyRecord(a.attributes),
  };
}

function lineItem(l: unknown): LineItem {
  if (!isPlain(l)) throw MISS;
  return {
    id: id(l.id),
    productId: idOrNull(l.productId),
    productCode: strOrNull(l.productCode),
    productFamily: strOrNull(l.productFamily),
    quantity: l.quantity === undefined ? '1' : decimal(l.quantity),
    totalPrice: decimal(l.totalPrice),
    cost: decimalOrNull(l.cost),
  };
}

function split(s: unknown): Split {
  if (!isPlain(s)) throw MISS;
  const type = s.splitType;
  if (type !== 'revenue' && type !== 'overlay') throw MISS;
  return { userId: id(s.userId), splitType: type, percent: decimal(s.percent) };
}

function list<T>(v: unknown, item: (x: unknown) => T): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw MISS;
  const out = new Array<T>(v.length);
  for (let i = 0; i < v.length; i += 1) out[i] = item(v[i]);
  return out;
}

function opportunity(o: unknown): Opportunity {
  if (!isPlain(o)) throw MISS;
  const stageName = str(o.stageName);
  if (stageName.length === 0) throw MISS;
  return {
    id: id(o.id),
    name: o.name === undefined ? '' : str(o.name),
    accountId: idOrNull(o.accountId),
    ownerId: id(o.ownerId),
    stageName,
    amount: decimalOrNull(o.amount),
    currency: currency(o.currency),
    closeDate: isoDate(o.closeDate),
    createdDate: dateOrDateTime(o.createdDate),
    isClosed: bool(o.isClosed),
    isWon: bool(o.isWon),
    probability: decimalOrNull(o.probability),
    quantity: decimalOrNull(o.quantity),
    territoryId: idOrNull(o.territoryId),
    excludedFromTerritoryFilter:
      o.excludedFromTerritoryFilter === undefined ? false : bool(o.excludedFromTerritoryFilter),
    type: strOrNull(o.type),
    lastActivityDate:
      o.lastActivityDate === undefined || o.lastActivityDate === null ? null : isoDate(o.lastActivityDate),
    dates: emptyRecord(o.dates),
    amounts: emptyRecord(o.amounts),
    lineItems: list(o.lineItems, lineItem),
    splits: list(o.splits, split),
  };
}

function history(h: unknown): OpportunityHistory {
  if (!isPlain(h)) throw MISS;
  const stageName = str(h.stageName);
  if (stageName.length === 0) throw MISS;
  return {
    opportunityId: id(h.opportunityId),
    changedAt: dateOrDateTime(h.changedAt),
    stageName,
    amount: decimalOrNull(h.amount),
    closeDate: isoDate(h.closeDate),
    probability: decimalOrNull(h.probability),
    ownerId: idOrNull(h.ownerId),
  };
}

/** Each element fast, or through its zod schema; null as soon as one element is invalid. */
function section<T>(v: unknown, fast: (x: unknown) => T, schema: z.ZodType<T, unknown>): T[] | null {
  if (!Array.isArray(v)) return null;
  const out = new Array<T>(v.length);
  for (let i = 0; i < v.length; i += 1) {
    try {
      out[i] = fast(v[i]);
    } catch (err) {
      if (err !== MISS) throw err;
      const slow = schema.safeParse(v[i]);
      if (!slow.success) return null;
      out[i] = slow.data;
    }
  }
  return out;
}

/**
 * The snapshot zod would produce, or null when anything is invalid (then only zod can say what and
 * where). Never accepts what the schema rejects.
 */
export function fastParseSnapshot(json: unknown): Snapshot | null {
  if (!isPlain(json)) return null;
  const small = SmallSections.safeParse(json);
  if (!small.success) return null;
  const accounts = json.accounts === undefined ? [] : section(json.accounts, account, AccountSchema);
  const opportunities = section(json.opportunities, opportunity, OpportunitySchema);
  const historyRows = json.history === undefined ? [] : section(json.history, history, HistorySchema);
  if (accounts === null || opportunities === null || historyRows === null) return null;
  // Keys in the schema's order, as zod builds them.
  const out: Obj = {};
  for (const key of Object.keys(SnapshotSchema.shape)) {
    out[key] =
      key === 'accounts'
        ? accounts
        : key === 'opportunities'
          ? opportunities
          : key === 'history'
            ? historyRows
            : (small.data as Obj)[key];
  }
  return out as Snapshot;
}
