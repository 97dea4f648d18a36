import { SfError } from '../errors';
import { keyPrefixOf, to18 } from '../ids';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { storageClass } from '../store/codec';
import { isCaseSensitive } from './integrity';
import { foldKey, liveRowsIn } from './sql';
import { writeGuard, type WriteGuard } from '../sharing/guards';
import { type RowTask, runRows } from './batch';
import { CallLookups } from './call-lookups';
import { hardDeleteOne, softDeleteOne, undeleteOne } from './delete-row';
import { duplicateExternalIdInCall, malformedRecordId } from './row-errors';
import type { DmlContext, SaveResult, Stored, StoredRow } from './types';
import {
  checkSingleMatch,
  externalValueOf,
  findMatches,
  matchKey,
  resolveExternalIdField,
  withoutField,
} from './upsert-row';
import { insertOne, updateOne, writesLast, type RowWrite } from './write-row';

export type { DmlContext, InputMode, SaveResult, RowError } from './types';
export { resolveExternalIdField, externalValueOf, findMatches } from './upsert-row';

/**
 * The write path of the embedded org (ARCHITECTURE.md, "DML"). Every function validates each row
 * the way Salesforce does, runs the call in one SQLite transaction and returns results in input
 * order. REST routes call these with mode 'json', Bulk 2.0 with mode 'csv'.
 */

type Rec = Record<string, unknown>;

const rowWrite = (ctx: DmlContext, locked: boolean, lookups: CallLookups): RowWrite => ({
  userId: ctx.userId,
  mode: ctx.mode,
  locked,
  lookups,
});

/** A record of a collection together with its object (collections may mix object types). */
export interface TypedRecord {
  obj: ObjectDef;
  record: Rec;
}

export function insertRecords(org: Org, objectName: string, records: Rec[], ctx: DmlContext): SaveResult[] {
  const obj = org.schema.get(objectName);
  return insertTyped(
    org,
    records.map((record) => ({ obj, record })),
    ctx,
  );
}

export function insertTyped(org: Org, records: TypedRecord[], ctx: DmlContext): SaveResult[] {
  const guard = writeGuard(org, ctx.userId);
  const lookups = new CallLookups(org, records, ctx.mode);
  const tasks = records.map(({ obj, record }): RowTask => ({
    run: (locked) => {
      guard.insert(obj);
      return { id: insertOne(org, obj, record, rowWrite(ctx, locked, lookups)), success: true, errors: [] };
    },
    failureId: () => null,
    created: () => undefined,
    writesLast: (locked) => writesLast(obj, { locked }),
  }));
  return guarded(guard, records, runRows(org, ctx, tasks));
}

/** The guard is told which objects were written, so access that depends on them is recomputed. */
function guarded(guard: WriteGuard, records: TypedRecord[], results: SaveResult[]): SaveResult[] {
  guard.done(new Set(records.map((r) => r.obj)));
  return results;
}

/** Each record names its row with `Id` (any case). */
export function updateRecords(org: Org, objectName: string, records: Rec[], ctx: DmlContext): SaveResult[] {
  const obj = org.schema.get(objectName);
  return updateTyped(
    org,
    records.map((record) => ({ obj, record })),
    ctx,
  );
}

export function updateTyped(org: Org, records: TypedRecord[], ctx: DmlContext): SaveResult[] {
  const guard = writeGuard(org, ctx.userId);
  const lookups = new CallLookups(org, records, ctx.mode);
  const tasks = records.map(({ obj, record }): RowTask => {
    const raw = idOf(record);
    const id = raw === null ? null : to18(raw);
    return {
      run: (locked) => {
        if (raw === null)
          throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        if (!id || keyPrefixOf(id) !== obj.keyPrefix) throw malformedRecordId(obj, raw);
        guard.update(obj, id);
        updateOne(org, obj, id, record, rowWrite(ctx, locked, lookups));
        return { id, success: true, errors: [] };
      },
      failureId: () => id ?? raw,
      created: () => undefined,
      writesLast: (locked) => writesLast(obj, { locked }),
    };
  });
  return guarded(guard, records, runRows(org, ctx, tasks));
}

export function upsertRecords(
  org: Org,
  objectName: string,
  externalIdField: string,
  records: Rec[],
  ctx: DmlContext,
): SaveResult[] {
  const obj = org.schema.get(objectName);
  const field = resolveExternalIdField(org, obj, externalIdField);
  // Each row's key value, read once (a value that cannot be read fails its row when it runs).
  const values = records.map((record): { value: Stored } | { error: unknown } => {
    try {
      return { value: externalValueOf(field, record, ctx.mode) };
    } catch (error) {
      return { error };
    }
  });
  const keys = values.map((v) => ('value' in v && v.value !== null ? matchKey(field, v.value) : null));
  const seen = new Map<string, number>();
  for (const k of keys) if (k !== null) seen.set(k, (seen.get(k) ?? 0) + 1);
  const guard = writeGuard(org, ctx.userId);
  const lookups = new CallLookups(
    org,
    records.map((record) => ({ obj, record })),
    ctx.mode,
  );
  const matcher = callMatcher(org, obj, field, records, values, keys);

  const tasks = records.map((record, i): RowTask => {
    let matchedId: string | null = null;
    let created: boolean | undefined;
    return {
      run: (locked) => {
        const read = values[i];
        if ('error' in read) throw read.error;
        const value = read.value;
        const key = keys[i];
        if (key !== null && (seen.get(key) ?? 0) > 1) throw duplicateExternalIdInCall(field, String(value));
        const matches = matcher.ids(value);
        checkSingleMatch(field, matches);
        if (matches.length === 0) {
          created = true;
          guard.insert(obj);
          const fresh = field.type === 'id' ? withoutField(record, field) : record;
          const w = rowWrite(ctx, locked, lookups);
          if (field.type !== 'id') w.unmatched = { field: field.name, value };
          const id = insertOne(org, obj, fresh, w);
          return { id, success: true, errors: [], created: true };
        }
        created = false;
        matchedId = matches[0];
        guard.update(obj, matchedId);
        const w = rowWrite(ctx, locked, lookups);
        w.before = matcher.before(matchedId);
        updateOne(org, obj, matchedId, withoutField(record, field), w);
        return { id: matchedId, success: true, errors: [], created: false };
      },
      failureId: () => matchedId,
      created: () => created ?? false,
      writesLast: (locked) => writesLast(obj, { locked }),
    };
  });
  return guarded(guard, [{ obj, record: {} }], runRows(org, ctx, tasks));
}

/**
 * Finds the records each upsert row matches. For a text key the whole call's keys are looked up
 * in one query first: rows of the same call cannot change the answer, because two rows with the
 * same key both fail (DUPLICATE_EXTERNAL_ID) and an update never changes the key it matched on.
 * For the same reason a matched record is written by its own row only, so where rows write
 * nothing but their own record (`writesLast`) the query also brings the rows as they stand.
 */
function callMatcher(
  org: Org,
  obj: ObjectDef,
  field: FieldDef,
  records: Rec[],
  read: ReadonlyArray<{ value: Stored } | { error: unknown }>,
  keys: Array<string | null>,
): { ids(value: Stored): string[]; before(id: string): StoredRow | undefined } {
  const perRow = (value: Stored): string[] => findMatches(org, obj, field, value);
  if (field.type === 'id' || storageClass(field.type) !== 'text' || records.length < 2)
    return { ids: perRow, before: () => undefined };
  const binary = isCaseSensitive(field);
  const values: string[] = [];
  read.forEach((r, i) => {
    if (keys[i] === null || !('value' in r) || r.value === null) return;
    values.push(String(r.value));
  });
  const whole = writesLast(obj, { locked: false });
  const found = liveRowsIn(org, obj, field.name, values, binary, whole);
  const rows = new Map<string, StoredRow>();
  if (whole) for (const list of found.values()) if (list.length === 1) rows.set(String(list[0].Id), list[0]);
  return {
    ids: (value) =>
      value === null
        ? perRow(value)
        : (found.get(foldKey(String(value), binary))?.map((r) => String(r.Id)) ?? []),
    before: (id) => rows.get(id),
  };
}

export function deleteRecords(org: Org, ids: string[], ctx: DmlContext): SaveResult[] {
  const guard = writeGuard(org, ctx.userId);
  const results = runRows(
    org,
    ctx,
    ids.map((raw) =>
      idTask(raw, (locked) => {
        guard.remove(raw);
        return softDeleteOne(org, raw, ctx.userId, locked);
      }),
    ),
  );
  guard.done(objectsOf(org, ids));
  return results;
}

export function hardDeleteRecords(org: Org, ids: string[], ctx: DmlContext): SaveResult[] {
  const guard = writeGuard(org, ctx.userId);
  const results = runRows(
    org,
    ctx,
    ids.map((raw) =>
      idTask(raw, (locked) => {
        guard.remove(raw);
        return hardDeleteOne(org, raw, ctx.userId, locked);
      }),
    ),
  );
  guard.done(objectsOf(org, ids));
  return results;
}

export function undeleteRecords(org: Org, ids: string[], ctx: DmlContext): SaveResult[] {
  const guard = writeGuard(org, ctx.userId);
  const results = runRows(
    org,
    ctx,
    ids.map((raw) =>
      idTask(raw, (locked) => {
        guard.remove(raw);
        return undeleteOne(org, raw, ctx.userId, locked);
      }),
    ),
  );
  guard.done(objectsOf(org, ids));
  return results;
}

function idTask(raw: string, run: (locked: boolean) => string): RowTask {
  return {
    run: (locked) => ({ id: run(locked), success: true, errors: [] }),
    failureId: () => to18(String(raw).trim()) ?? String(raw),
    created: () => undefined,
  };
}

function objectsOf(org: Org, ids: string[]): ObjectDef[] {
  const out: ObjectDef[] = [];
  for (const raw of ids) {
    const obj = org.schema.byKeyPrefix(String(raw).trim().slice(0, 3));
    if (obj) out.push(obj);
  }
  return out;
}

function idOf(record: Rec): string | null {
  for (const [k, v] of Object.entries(record)) {
    if (k.toLowerCase() === 'id' && v !== null && v !== undefined && v !== '') return String(v);
  }
  return null;
}
