import { createHash } from 'node:crypto';
import type { ResultSet, SObjectRecord } from './result-set';

export const EXTERNAL_KEY = 'External_Key__c';

/**
 * Parents before children: territories before the assignments and the Account lookup that point
 * at them, statements before their lines. Objects not listed are written after these, by name.
 * Retractions run in the reverse order, so no record is deleted while a child still points at it.
 */
export const WRITE_ORDER = [
  'Sales_Territory__c',
  'Territory_Assignment__c',
  'Account',
  'Commission_Statement__c',
  'Commission_Line__c',
  'Forecast_Snapshot__c',
  'Sales_KPI__c',
];

/**
 * The field whose value groups a record's batch: children of one parent land in the same chunk and
 * consecutive chunks, so two requests never fight over one parent's lock. Objects not listed use
 * their first external-id reference, or their external key.
 */
const PARENT_FIELD: Record<string, string> = {
  Sales_Territory__c: 'Parent_Territory__r',
  Territory_Assignment__c: 'Sales_Territory__r',
  Account: 'Sales_Territory__r',
  Commission_Statement__c: 'Rep__c',
  Commission_Line__c: 'Statement__r',
  Forecast_Snapshot__c: 'Parent_Key__c',
  Sales_KPI__c: 'Scope_Key__c',
};

export interface PlannedWrite {
  /** External key, or the record Id for update-by-Id sets. */
  key: string;
  hash: string;
  record: SObjectRecord;
}

export interface Confirmed {
  hash: string;
  orgId: string | null;
}

export interface ObjectPlan {
  sobject: string;
  /** `upsert` by External_Key__c, or `update` by Id (the Account territory lookup). */
  mode: 'upsert' | 'update';
  /** Rows the engines produced for this object. */
  total: number;
  /**
   * Changed rows in write order, grouped in levels: a level's records reference (by external key)
   * only records of earlier levels, so a territory is written before its children.
   */
  levels: PlannedWrite[][];
  unchanged: number;
  /** Rows skipped because the same payload already failed permanently (dead-lettered). */
  skippedDeadLetters: number;
  /** Previously confirmed records the engines no longer produce. */
  retract: Array<{ key: string; orgId: string | null }>;
}

export interface PlanInput {
  sets: ResultSet[];
  /** Last confirmed hash per key, per object (only objects present in `sets` are asked for). */
  confirmed: Map<string, Map<string, Confirmed>>;
  /** Hash of the payload that last failed permanently, per object and key. */
  deadLetters: Map<string, Map<string, string>>;
}

/**
 * Decides what one write-back sends: per object, the records whose content hash differs from the
 * last confirmed write, in parent-first order, and the confirmed records that disappeared. Pure:
 * the same results and store state always give the same plan.
 */
export function planWriteback(input: PlanInput): ObjectPlan[] {
  const bySobject = new Map<string, ResultSet[]>();
  for (const set of input.sets) bySobject.set(set.sobject, [...(bySobject.get(set.sobject) ?? []), set]);
  const plans: ObjectPlan[] = [];
  for (const sobject of orderObjects([...bySobject.keys()])) {
    const sets = bySobject.get(sobject)!;
    const confirmed = input.confirmed.get(sobject) ?? new Map<string, Confirmed>();
    const dead = input.deadLetters.get(sobject) ?? new Map<string, string>();
    const records = sets.flatMap((s) => s.records);
    const mode =
      records.length > 0 && records.every((r) => !(EXTERNAL_KEY in r) && 'Id' in r) ? 'update' : 'upsert';
    const seen = new Map<string, PlannedWrite>();
    for (const record of records) {
      const key = recordKey(record, mode);
      // The last row for a key wins; engines do not repeat keys, but a repeat must not be sent twice.
      seen.set(key, { key, hash: contentHash(record), record });
    }
    let unchanged = 0;
    let skippedDeadLetters = 0;
    const changed: PlannedWrite[] = [];
    for (const w of seen.values()) {
      if (confirmed.get(w.key)?.hash === w.hash) unchanged++;
      else if (dead.get(w.key) === w.hash) skippedDeadLetters++;
      else changed.push(w);
    }
    const retract: ObjectPlan['retract'] = [];
    if (mode === 'upsert') {
      const scopes = sets.map((s) => s.retractScope ?? '');
      for (const [key, c] of confirmed) {
        if (!seen.has(key) && scopes.some((p) => key.startsWith(p))) retract.push({ key, orgId: c.orgId });
      }
      retract.sort((a, b) => compare(a.key, b.key));
    }
    plans.push({
      sobject,
      mode,
      total: seen.size,
      levels: levelsOf(sobject, changed, new Set(seen.keys())),
      unchanged,
      skippedDeadLetters,
      retract,
    });
  }
  return plans;
}

export function recordKey(record: SObjectRecord, mode: 'upsert' | 'update'): string {
  const value = mode === 'upsert' ? record[EXTERNAL_KEY] : record.Id;
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `A result record has no ${mode === 'upsert' ? EXTERNAL_KEY : 'Id'}: ${JSON.stringify(record).slice(0, 200)}`,
    );
  }
  return value;
}

/**
 * Fields left out of the content hash: `As_Of__c` moves every day even when nothing else does, and
 * rewriting every record daily for it alone would cost the whole volume in API calls and fire the
 * org's automation for nothing. The org's As_Of__c therefore says when the values last changed.
 */
export const UNHASHED_FIELDS = new Set(['As_Of__c']);

/** sha256 of the record's canonical JSON: keys sorted at every level, nulls kept, undefined as null. */
export function contentHash(record: SObjectRecord): string {
  const hashed: SObjectRecord = {};
  for (const [k, v] of Object.entries(record)) if (!UNHASHED_FIELDS.has(k)) hashed[k] = v;
  return createHash('sha256').update(canonicalJson(hashed)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function orderObjects(names: string[]): string[] {
  const rank = (n: string) => {
    const i = WRITE_ORDER.indexOf(n);
    return i === -1 ? WRITE_ORDER.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || compare(a, b));
}

/** Groups records by parent (then key) and splits self-referencing records into levels. */
function levelsOf(sobject: string, writes: PlannedWrite[], keysInSet: Set<string>): PlannedWrite[][] {
  const byKey = new Map(writes.map((w) => [w.key, w]));
  const depth = new Map<string, number>();
  const depthOf = (w: PlannedWrite, guard: Set<string>): number => {
    const known = depth.get(w.key);
    if (known !== undefined) return known;
    let d = 0;
    for (const ref of selfReferences(w.record, keysInSet)) {
      const parent = byKey.get(ref);
      // An unchanged parent is already in the org; a cycle is left to the org to refuse.
      if (parent && !guard.has(ref)) d = Math.max(d, depthOf(parent, new Set([...guard, w.key])) + 1);
    }
    depth.set(w.key, d);
    return d;
  };
  const levels: PlannedWrite[][] = [];
  for (const w of writes) {
    const d = depthOf(w, new Set([w.key]));
    (levels[d] ??= []).push(w);
  }
  const parentField = PARENT_FIELD[sobject];
  return levels
    .filter((l) => l !== undefined)
    .map((level) =>
      level
        .map((w) => ({ w, parent: parentOf(w.record, parentField) }))
        .sort((a, b) => compare(a.parent, b.parent) || compare(a.w.key, b.w.key))
        .map(({ w }) => w),
    );
}

function selfReferences(record: SObjectRecord, keysInSet: Set<string>): string[] {
  const refs: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (!field.endsWith('__r') || value === null || typeof value !== 'object') continue;
    const key = (value as Record<string, unknown>)[EXTERNAL_KEY];
    if (typeof key === 'string' && keysInSet.has(key)) refs.push(key);
  }
  return refs;
}

function parentOf(record: SObjectRecord, field: string | undefined): string {
  const named = field === undefined ? undefined : record[field];
  const value =
    named ??
    Object.entries(record).find(([f, v]) => f.endsWith('__r') && v !== null && typeof v === 'object')?.[1];
  if (value !== null && typeof value === 'object') {
    const key = (value as Record<string, unknown>)[EXTERNAL_KEY];
    return typeof key === 'string' ? key : '';
  }
  return typeof value === 'string' ? value : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
