import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { quoteIdent, storageClass, toSecond } from '../store/codec';
import { coerceInput } from './coerce';
import { ensureDmlTables, prepare } from './sql';
import type { Stored, StoredRow } from './types';

/**
 * The values the org fills in itself: id, audit fields, owner, defaults, auto-numbers and
 * compound names. Everything here runs after the client's values were validated.
 */
export function fillInsertFields(
  org: Org,
  obj: ObjectDef,
  id: string,
  values: StoredRow,
  userId: string,
  now: number,
  autoNumbers: 'now' | 'later' = 'now',
): StoredRow {
  const stamp = toSecond(now);
  const plan = insertPlanOf(obj);
  const row: StoredRow = {};
  // By the object's fields rather than `for (name in values)`: a record of twenty fields or more
  // is a dictionary-mode object in V8, and enumerating its keys per row was a hot spot of Bulk upserts.
  for (const f of obj.fields) {
    const value = values[f.name];
    if (value !== undefined) row[f.name] = value;
  }
  for (const f of plan.filled) {
    if (row[f.name] !== undefined) continue;
    if (f.autoNumber) {
      if (autoNumbers === 'now') row[f.name] = nextAutoNumber(org, obj, f, stamp);
    } else {
      const fallback =
        f.defaultValue !== undefined && f.defaultValue !== null ? defaultFor(f, stamp) : undefined;
      if (fallback !== undefined) row[f.name] = fallback;
      else if (storageClass(f.type) === 'bool') row[f.name] = 0;
    }
  }
  for (const name of plan.system) {
    switch (name) {
      case 'Id':
        row.Id = id;
        break;
      case 'IsDeleted':
        row.IsDeleted = 0;
        break;
      case 'CreatedById':
      case 'LastModifiedById':
        row[name] = userId;
        break;
      default:
        row[name] = stamp;
    }
  }
  if (obj.hasOwner && plan.known.has('OwnerId') && (row.OwnerId === undefined || row.OwnerId === null))
    row.OwnerId = userId;
  applyCompoundName(obj, row);
  return row;
}

const SYSTEM_FIELDS = [
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
];

interface InsertPlan {
  known: Set<string>;
  /** Fields the org may fill when the client left them out: auto-numbers, defaults, checkboxes. */
  filled: FieldDef[];
  /** The audit fields the object has. */
  system: string[];
  compoundName: boolean;
}

const plans = new WeakMap<ObjectDef, InsertPlan>();

/** What an insert fills in, worked out once per object rather than per row. */
function insertPlanOf(obj: ObjectDef): InsertPlan {
  let plan = plans.get(obj);
  if (plan) return plan;
  const known = new Set(obj.fields.map((f) => f.name));
  plan = {
    known,
    filled: obj.fields.filter(
      (f) =>
        f.autoNumber ||
        (f.defaultValue !== undefined && f.defaultValue !== null) ||
        storageClass(f.type) === 'bool',
    ),
    system: SYSTEM_FIELDS.filter((n) => known.has(n)),
    compoundName: compoundNamed(obj),
  };
  plans.set(obj, plan);
  return plan;
}

/**
 * The auto-numbers `fillInsertFields(..., 'later')` left out, now that the row will be written.
 * Counted in memory like `IdAllocator.nextHeld`: the caller stores them with `flushHeldSequences`.
 */
export function fillAutoNumbers(org: Org, obj: ObjectDef, row: StoredRow, now: number): void {
  const stamp = toSecond(now);
  for (const f of insertPlanOf(obj).filled) {
    if (!f.autoNumber || row[f.name] !== undefined) continue;
    row[f.name] = formatAutoNumber(f.autoNumberFormat ?? '{0}', nextHeldAutoNumber(org, obj, f), stamp);
  }
}

interface HeldCounter {
  object: string;
  field: string;
  last: number;
}

/** Per org: `object.field` → auto-number counters advanced in memory, not stored yet. */
const heldCounters = new WeakMap<Org, Map<string, HeldCounter>>();

function nextHeldAutoNumber(org: Org, obj: ObjectDef, field: FieldDef): number {
  let held = heldCounters.get(org);
  if (!held) {
    held = new Map();
    heldCounters.set(org, held);
  }
  const key = `${obj.name}.${field.name}`;
  let counter = held.get(key);
  if (!counter) {
    ensureDmlTables(org);
    const stored = prepare(org, 'SELECT last FROM _auto_number WHERE object = ? AND field = ?').get(
      obj.name,
      field.name,
    ) as { last: number } | undefined;
    const last =
      stored?.last ??
      (prepare(org, `SELECT COUNT(*) AS n FROM ${quoteIdent(obj.name)}`).get() as { n: number }).n;
    counter = { object: obj.name, field: field.name, last };
    held.set(key, counter);
  }
  return ++counter.last;
}

/**
 * Stores the ids and auto-numbers rows were given from memory (inside the open transaction);
 * runRows calls it before it commits and before any row that draws numbers the stored way.
 */
export function flushHeldSequences(org: Org): void {
  org.ids.flush();
  const held = heldCounters.get(org);
  if (!held || held.size === 0) return;
  const store = prepare(
    org,
    'INSERT INTO _auto_number (object, field, last) VALUES (?, ?, ?) ON CONFLICT(object, field) DO UPDATE SET last = excluded.last',
  );
  for (const c of held.values()) store.run(c.object, c.field, c.last);
  held.clear();
}

/** The transaction that used the held numbers rolled back: forget them. */
export function discardHeldSequences(org: Org): void {
  org.ids.discard();
  heldCounters.get(org)?.clear();
}

/** Every update bumps the audit stamps, even when no value changed (Salesforce does). */
export function fillUpdateFields(obj: ObjectDef, row: StoredRow, userId: string, now: number): void {
  const stamp = toSecond(now);
  row.LastModifiedDate = stamp;
  row.LastModifiedById = userId;
  row.SystemModstamp = stamp;
  applyCompoundName(obj, row);
}

/** User, Contact, Lead: a read-only Name made of FirstName and LastName. */
export function hasCompoundName(obj: ObjectDef): boolean {
  return insertPlanOf(obj).compoundName;
}

function compoundNamed(obj: ObjectDef): boolean {
  const name = obj.fields.find((f) => f.name === 'Name');
  if (!name || name.createable !== false) return false;
  return obj.fields.some((f) => f.name === 'LastName') && obj.fields.some((f) => f.name === 'FirstName');
}

function applyCompoundName(obj: ObjectDef, row: StoredRow): void {
  if (!hasCompoundName(obj)) return;
  const parts = [row.FirstName, row.LastName].filter((p) => p !== null && p !== undefined && p !== '');
  row.Name = parts.length ? parts.join(' ') : null;
}

/**
 * A declared default in storage form. Metadata defaults can be formulas; the common ones
 * (quoted text, TODAY(), NOW(), true/false, numbers) are understood and anything else is skipped.
 */
function defaultFor(field: FieldDef, stamp: number): Stored | undefined {
  let value = field.defaultValue;
  if (typeof value === 'string') {
    const t = value.trim();
    if (/^TODAY\(\)$/i.test(t))
      return field.type === 'datetime' ? stamp : new Date(stamp).toISOString().slice(0, 10);
    if (/^NOW\(\)$/i.test(t))
      return field.type === 'date' ? new Date(stamp).toISOString().slice(0, 10) : stamp;
    const quoted = /^(['"])(.*)\1$/s.exec(t);
    if (quoted) value = quoted[2];
  }
  try {
    return coerceInput(field, value, 'json') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Auto-numbers count per object and field. The counter starts after the rows already in the
 * table, so rows written by the demo generator do not collide with API inserts.
 */
function nextAutoNumber(org: Org, obj: ObjectDef, field: FieldDef, stamp: number): string {
  ensureDmlTables(org);
  if (heldCounters.get(org)?.size) flushHeldSequences(org);
  const bumped = prepare(
    org,
    'UPDATE _auto_number SET last = last + 1 WHERE object = ? AND field = ? RETURNING last',
  ).get(obj.name, field.name) as { last: number } | undefined;
  let next: number;
  if (bumped) next = bumped.last;
  else {
    const { n } = prepare(org, `SELECT COUNT(*) AS n FROM ${quoteIdent(obj.name)}`).get() as { n: number };
    next = n + 1;
    prepare(org, 'INSERT INTO _auto_number (object, field, last) VALUES (?, ?, ?)').run(
      obj.name,
      field.name,
      next,
    );
  }
  return formatAutoNumber(field.autoNumberFormat ?? '{0}', next, stamp);
}

export function formatAutoNumber(format: string, n: number, stamp: number): string {
  let out = '';
  let d: Date | undefined;
  for (const part of autoNumberParts(format)) {
    if (typeof part === 'string') out += part;
    else if (part.digits !== undefined) out += String(n).padStart(part.digits, '0');
    else {
      d ??= new Date(stamp);
      if (part.date === 'YYYY') out += String(d.getUTCFullYear());
      else if (part.date === 'YY') out += String(d.getUTCFullYear()).slice(2);
      else if (part.date === 'MM') out += String(d.getUTCMonth() + 1).padStart(2, '0');
      else out += String(d.getUTCDate()).padStart(2, '0');
    }
  }
  return out;
}

/** Literal text, the number padded to `digits`, or a part of the date. */
type AutoNumberPart = string | { digits: number; date?: undefined } | { digits?: undefined; date: string };

/** Formats split into text and tokens once, rather than a regular expression run per record. */
const autoNumberFormats = new Map<string, AutoNumberPart[]>();

function autoNumberParts(format: string): AutoNumberPart[] {
  let parts = autoNumberFormats.get(format);
  if (parts) return parts;
  parts = [];
  const token = /\{(0+|YYYY|YY|MM|DD)\}/g;
  let at = 0;
  for (let m = token.exec(format); m !== null; m = token.exec(format)) {
    if (m.index > at) parts.push(format.slice(at, m.index));
    parts.push(m[1][0] === '0' ? { digits: m[1].length } : { date: m[1] });
    at = m.index + m[0].length;
  }
  if (at < format.length) parts.push(format.slice(at));
  // Formats come from metadata, a handful per org; the bound only guards odd callers.
  if (autoNumberFormats.size < 1000) autoNumberFormats.set(format, parts);
  return parts;
}
