import { to18 } from '../ids';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { storageClass } from '../store/codec';
import { coerceInput } from './coerce';
import { isCaseSensitive } from './integrity';
import { foldKey, liveIdsIn, liveRowsById } from './sql';
import type { InputMode, Stored } from './types';

/** What a reference check needs of a referenced row. */
export interface ReferencedRow {
  IsDeleted: number;
  IsActive?: number;
}

/** A record of the call with its object (collections may mix object types). */
interface CallRecord {
  obj: ObjectDef;
  record: Record<string, unknown>;
}

/**
 * Lookups one DML call makes of rows it does not write: parents named by external id
 * (`Parent__r.External_Key__c`) and referenced records whose existence is checked. Asked row by
 * row they cost a query each; here the first question about a column asks for the whole call's
 * values in one query, and later rows read the answer.
 *
 * Answers stay true for the whole call only for objects the call does not write, so those are
 * the only ones served; questions about written objects (a territory naming a parent territory
 * upserted earlier in the same call) go to the database each time, as before. Opportunities and
 * their line items write other objects too (history, amount roll-ups): calls on them use no cache.
 */
export class CallLookups {
  private readonly written: Set<string>;
  private readonly disabled: boolean;
  /** `target.field` → folded key → live ids (ordered by Id, at most 200). */
  private readonly matches = new Map<string, Map<string, string[]>>();
  /** `target.field` → relationship keys whose column was already prefetched. */
  private readonly prefetchedColumns = new Map<string, Set<string>>();
  /** target → id → row (null: no such row). */
  private readonly rows = new Map<string, Map<string, ReferencedRow | null>>();
  private readonly prefetchedRefs = new Set<string>();

  constructor(
    private readonly org: Org,
    private readonly records: readonly CallRecord[],
    private readonly mode: InputMode,
  ) {
    this.written = new Set(records.map((r) => r.obj.name.toLowerCase()));
    this.disabled = [...this.written].some(
      (n) => n === 'opportunity' || n === 'opportunitylineitem' || n === 'opportunityhistory',
    );
  }

  private serves(target: ObjectDef): boolean {
    return !this.disabled && !this.written.has(target.name.toLowerCase());
  }

  /**
   * Live ids of `target` whose `field` holds `value` (as `findMatches` answers), or undefined when
   * the cache cannot answer and the caller must ask the database. `key` is the record key the
   * value came from (`Parent__r.External_Key__c`, or `Parent__r` for a nested JSON reference).
   */
  foreignMatches(
    obj: ObjectDef,
    key: string,
    target: ObjectDef,
    field: FieldDef,
    value: Stored,
  ): string[] | undefined {
    if (!this.serves(target) || field.type === 'id' || storageClass(field.type) !== 'text') return undefined;
    if (value === null) return undefined;
    const slot = `${target.name}.${field.name}`;
    let found = this.matches.get(slot);
    if (!found) {
      found = new Map();
      this.matches.set(slot, found);
    }
    const binary = isCaseSensitive(field);
    const folded = foldKey(String(value), binary);
    const known = found.get(folded);
    if (known) return known;
    let columns = this.prefetchedColumns.get(slot);
    if (!columns) {
      columns = new Set();
      this.prefetchedColumns.set(slot, columns);
    }
    if (!columns.has(key)) {
      columns.add(key);
      const values = this.columnValues(obj, key, field);
      values.add(String(value));
      const hits = liveIdsIn(this.org, target, field.name, [...values], binary);
      for (const v of values) {
        const f = foldKey(v, binary);
        if (!found.has(f)) found.set(f, hits.get(f) ?? []);
      }
      const answer = found.get(folded);
      if (answer) return answer;
    }
    return undefined;
  }

  /** Remembers an answer the caller got from the database. */
  rememberMatches(target: ObjectDef, field: FieldDef, value: Stored, ids: string[]): void {
    if (!this.serves(target) || value === null || storageClass(field.type) !== 'text') return;
    const slot = `${target.name}.${field.name}`;
    let found = this.matches.get(slot);
    if (!found) {
      found = new Map();
      this.matches.set(slot, found);
    }
    found.set(foldKey(String(value), isCaseSensitive(field)), ids);
  }

  /**
   * The referenced row behind `id` in `target` (null when there is none), or undefined when the
   * cache cannot answer. The first question about a reference field asks for every id the call's
   * records give in that field.
   */
  referencedRow(
    obj: ObjectDef,
    field: FieldDef,
    target: ObjectDef,
    id: string,
  ): ReferencedRow | null | undefined {
    if (!this.serves(target)) return undefined;
    let rows = this.rows.get(target.name);
    if (!rows) {
      rows = new Map();
      this.rows.set(target.name, rows);
    }
    const known = rows.get(id);
    if (known !== undefined) return known;
    const slot = `${obj.name}.${field.name}`;
    if (this.prefetchedRefs.has(slot)) return undefined;
    this.prefetchedRefs.add(slot);
    const ids = this.referenceValues(obj, field);
    ids.add(id);
    const withActive = target.name === 'User';
    const found = liveRowsById(this.org, target, [...ids], withActive);
    for (const one of ids) rows.set(one, found.get(one) ?? null);
    return rows.get(id);
  }

  rememberRow(target: ObjectDef, id: string, row: ReferencedRow | null): void {
    if (!this.serves(target)) return;
    let rows = this.rows.get(target.name);
    if (!rows) {
      rows = new Map();
      this.rows.set(target.name, rows);
    }
    rows.set(id, row);
  }

  /** The call's values of one relationship key, coerced as `foreignKeyOf` coerces them. */
  private columnValues(obj: ObjectDef, key: string, field: FieldDef): Set<string> {
    const out = new Set<string>();
    const nested = !key.includes('.');
    for (const { obj: o, record } of this.records) {
      if (o !== obj) continue;
      let raw = record[key];
      if (nested) {
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
        const inner = Object.keys(raw).filter((k) => k.toLowerCase() !== 'attributes');
        if (inner.length !== 1 || inner[0].toLowerCase() !== field.name.toLowerCase()) continue;
        raw = (raw as Record<string, unknown>)[inner[0]];
      }
      if (raw === null || raw === undefined) continue;
      try {
        const mode = this.mode === 'csv' && typeof raw === 'string' ? 'csv' : 'json';
        const v = coerceInput(field, raw, mode);
        if (v !== null && v !== undefined) out.add(String(v));
      } catch {
        // A value that does not coerce fails its own row later; it has nothing to look up.
      }
    }
    return out;
  }

  /** The call's ids given directly in one reference field (any spelling of its name). */
  private referenceValues(obj: ObjectDef, field: FieldDef): Set<string> {
    const out = new Set<string>();
    const wanted = field.name.toLowerCase();
    for (const { obj: o, record } of this.records) {
      if (o !== obj) continue;
      for (const k in record) {
        if (k.length !== wanted.length || k.toLowerCase() !== wanted) continue;
        const raw = record[k];
        if (typeof raw !== 'string') continue;
        const id = to18(raw.trim());
        if (id) out.add(id);
      }
    }
    return out;
  }
}
