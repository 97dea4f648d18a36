import * as crypto from 'node:crypto';
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

/**
 * Objects that must be written in full before an object starts: its records reference theirs by
 * external key (the org resolves a reference only to a committed record), or it rewrites records
 * they just pointed at (the Account lookup after the assignments). Objects not listed here or in
 * WRITE_ORDER wait for every object before them.
 */
const WRITE_AFTER: Record<string, string[]> = {
  Sales_Territory__c: [],
  Territory_Assignment__c: ['Sales_Territory__c'],
  Account: ['Sales_Territory__c', 'Territory_Assignment__c'],
  Commission_Statement__c: [],
  Commission_Line__c: ['Commission_Statement__c'],
  Forecast_Snapshot__c: [],
  Sales_KPI__c: [],
  Territory_Change_Request__c: ['Sales_Territory__c', 'Account'],
};

/**
 * CRM records a write of the object locks in the org through its lookups (Salesforce locks the
 * parent of a lookup while a child is saved). Two objects that lock the same kind of record are not
 * written at the same time, so their jobs never wait on each other's row locks. Lookups to User do
 * not lock. `*`: unknown, conflicts with everything.
 */
const LOCKS: Record<string, string[]> = {
  Sales_Territory__c: ['Sales_Territory__c'],
  Territory_Assignment__c: ['Sales_Territory__c', 'Account', 'Opportunity'],
  Account: ['Sales_Territory__c', 'Account'],
  Commission_Statement__c: [],
  Commission_Line__c: ['Commission_Statement__c', 'Opportunity'],
  Forecast_Snapshot__c: [],
  Sales_KPI__c: [],
  Territory_Change_Request__c: ['Sales_Territory__c', 'Account'],
};

/**
 * The objects `sobject` must wait for, among those `present` (null: an object this module does not
 * know, which waits for everything written before it).
 */
export function writeAfter(sobject: string, present: (o: string) => boolean): string[] | null {
  const after = WRITE_AFTER[sobject];
  return after ? after.filter(present) : null;
}

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
  /** Objects of this plan that must be written in full before this one starts. */
  after: string[];
  /** Kinds of CRM records its writes lock (`*`: any); objects sharing one are not written at once. */
  locks: string[];
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
  for (const set of input.sets) {
    const list = bySobject.get(set.sobject);
    if (list) list.push(set);
    else bySobject.set(set.sobject, [set]);
  }
  const hasher = new ContentHasher();
  const plans: ObjectPlan[] = [];
  const ordered = orderObjects([...bySobject.keys()]);
  for (const [index, sobject] of ordered.entries()) {
    const sets = bySobject.get(sobject)!;
    const confirmed = input.confirmed.get(sobject) ?? new Map<string, Confirmed>();
    const dead = input.deadLetters.get(sobject) ?? new Map<string, string>();
    const mode = sets.some((s) => s.records.length > 0) && sets.every(allById) ? 'update' : 'upsert';
    // The last row for a key wins; engines do not repeat keys, but a repeat must not be sent twice.
    // Only the changed rows become PlannedWrites: an incremental run leaves most rows unchanged.
    const seen = new Map<string, SObjectRecord>();
    for (const set of sets) for (const record of set.records) seen.set(recordKey(record, mode), record);
    let unchanged = 0;
    let skippedDeadLetters = 0;
    const changed: PlannedWrite[] = [];
    for (const [key, record] of seen) {
      const hash = hasher.hash(record);
      if (confirmed.get(key)?.hash === hash) unchanged++;
      else if (dead.get(key) === hash) skippedDeadLetters++;
      else changed.push({ key, hash, record });
    }
    const retract: ObjectPlan['retract'] = [];
    if (mode === 'upsert' && confirmed.size > 0) {
      const scopes = sets.map((s) => s.retractScope ?? '');
      for (const [key, c] of confirmed) {
        if (!seen.has(key) && scopes.some((p) => key.startsWith(p))) retract.push({ key, orgId: c.orgId });
      }
      retract.sort((a, b) => compare(a.key, b.key));
    }
    const known = sobject in WRITE_AFTER;
    plans.push({
      sobject,
      mode,
      total: seen.size,
      levels: levelsOf(sobject, changed, seen),
      unchanged,
      skippedDeadLetters,
      retract,
      after: known
        ? WRITE_AFTER[sobject]!.filter((o) => bySobject.has(o))
        : ordered.slice(0, index).filter((o) => o !== sobject),
      locks: known ? LOCKS[sobject]! : ['*'],
    });
  }
  return plans;
}

function allById(set: ResultSet): boolean {
  for (const r of set.records) if (EXTERNAL_KEY in r || !('Id' in r)) return false;
  return true;
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
  return new ContentHasher().hash(record);
}

// One-shot hashing (Node ≥ 20.12) skips a Hash object per row; the digest is the same.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * contentHash for many rows: the records of one object share their field names, so the sorted
 * field list (with each name's JSON prefix) is worked out once per shape, not sorted per row. The
 * canonical text, and so the hash, is exactly contentHash's: stored hashes stay valid.
 */
export class ContentHasher {
  private keys: string[] = [];
  private fields: Array<{ name: string; prefix: string }> = [];

  hash(record: SObjectRecord): string {
    return sha256Hex(this.canonical(record));
  }

  canonical(record: SObjectRecord): string {
    const keys = Object.keys(record);
    if (!sameKeys(keys, this.keys)) {
      this.keys = keys;
      this.fields = keys
        .filter((k) => !UNHASHED_FIELDS.has(k))
        .sort()
        .map((name, i) => ({ name, prefix: `${i === 0 ? '' : ','}${JSON.stringify(name)}:` }));
    }
    let text = '{';
    for (const f of this.fields) {
      const v = record[f.name];
      text +=
        f.prefix +
        (typeof v === 'string'
          ? JSON.stringify(v)
          : v === null || v === undefined
            ? 'null'
            : typeof v === 'object'
              ? canonicalJson(v)
              : JSON.stringify(v));
    }
    return `${text}}`;
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
function levelsOf(
  sobject: string,
  writes: PlannedWrite[],
  keysInSet: ReadonlyMap<string, unknown>,
): PlannedWrite[][] {
  const parentField = PARENT_FIELD[sobject];
  const byParent = (level: PlannedWrite[]) =>
    level
      .map((w) => ({ w, parent: parentOf(w.record, parentField) }))
      .sort((a, b) => compare(a.parent, b.parent) || compare(a.w.key, b.w.key))
      .map(({ w }) => w);
  // Most objects never reference their own records: one level, no depth walk.
  if (!writes.some((w) => selfReferences(w.record, keysInSet).length > 0))
    return writes.length > 0 ? [byParent(writes)] : [];
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
  return levels.filter((l) => l !== undefined).map(byParent);
}

function selfReferences(record: SObjectRecord, keysInSet: ReadonlyMap<string, unknown>): string[] {
  let refs: string[] | undefined;
  for (const field in record) {
    if (!field.endsWith('__r')) continue;
    const value = record[field];
    if (value === null || typeof value !== 'object') continue;
    const key = (value as Record<string, unknown>)[EXTERNAL_KEY];
    if (typeof key === 'string' && keysInSet.has(key)) (refs ??= []).push(key);
  }
  return refs ?? NONE;
}

const NONE: string[] = [];

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
