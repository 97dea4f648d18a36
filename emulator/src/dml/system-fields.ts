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
): StoredRow {
  const stamp = toSecond(now);
  const row: StoredRow = { ...values };
  for (const f of obj.fields) {
    if (row[f.name] !== undefined) continue;
    if (f.autoNumber) row[f.name] = nextAutoNumber(org, obj, f, stamp);
    else {
      const fallback =
        f.defaultValue !== undefined && f.defaultValue !== null ? defaultFor(f, stamp) : undefined;
      if (fallback !== undefined) row[f.name] = fallback;
      else if (storageClass(f.type) === 'bool') row[f.name] = 0;
    }
  }
  Object.assign(row, {
    Id: id,
    IsDeleted: 0,
    CreatedDate: stamp,
    CreatedById: userId,
    LastModifiedDate: stamp,
    LastModifiedById: userId,
    SystemModstamp: stamp,
  });
  if (obj.hasOwner && (row.OwnerId === undefined || row.OwnerId === null)) row.OwnerId = userId;
  applyCompoundName(obj, row);
  return keepKnown(obj, row);
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
function applyCompoundName(obj: ObjectDef, row: StoredRow): void {
  const name = obj.fields.find((f) => f.name === 'Name');
  if (!name || name.createable !== false) return;
  if (!obj.fields.some((f) => f.name === 'LastName') || !obj.fields.some((f) => f.name === 'FirstName'))
    return;
  const parts = [row.FirstName, row.LastName].filter((p) => p !== null && p !== undefined && p !== '');
  row.Name = parts.length ? parts.join(' ') : null;
}

function keepKnown(obj: ObjectDef, row: StoredRow): StoredRow {
  const out: StoredRow = {};
  for (const f of obj.fields) if (row[f.name] !== undefined) out[f.name] = row[f.name];
  return out;
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
  const current = prepare(org, 'SELECT last FROM _auto_number WHERE object = ? AND field = ?').get(
    obj.name,
    field.name,
  ) as { last: number } | undefined;
  let next: number;
  if (current) {
    next = current.last + 1;
    prepare(org, 'UPDATE _auto_number SET last = ? WHERE object = ? AND field = ?').run(
      next,
      obj.name,
      field.name,
    );
  } else {
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
  const d = new Date(stamp);
  return format.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_, token: string) => {
    if (token === 'YYYY') return String(d.getUTCFullYear());
    if (token === 'YY') return String(d.getUTCFullYear()).slice(2);
    if (token === 'MM') return String(d.getUTCMonth() + 1).padStart(2, '0');
    if (token === 'DD') return String(d.getUTCDate()).padStart(2, '0');
    return String(n).padStart(token.length, '0');
  });
}
