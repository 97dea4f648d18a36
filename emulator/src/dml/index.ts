import { SfError } from '../errors';
import { keyPrefixOf, to18 } from '../ids';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { writeGuard, type WriteGuard } from '../sharing/guards';
import { type RowTask, runRows } from './batch';
import { hardDeleteOne, softDeleteOne, undeleteOne } from './delete-row';
import { duplicateExternalIdInCall, malformedRecordId } from './row-errors';
import type { DmlContext, SaveResult } from './types';
import {
  checkSingleMatch,
  externalValueOf,
  findMatches,
  matchKey,
  resolveExternalIdField,
  withoutField,
} from './upsert-row';
import { insertOne, updateOne, type RowWrite } from './write-row';

export type { DmlContext, InputMode, SaveResult, RowError } from './types';
export { resolveExternalIdField, externalValueOf, findMatches } from './upsert-row';

/**
 * The write path of the embedded org (ARCHITECTURE.md, "DML"). Every function validates each row
 * the way Salesforce does, runs the call in one SQLite transaction and returns results in input
 * order. REST routes call these with mode 'json', Bulk 2.0 with mode 'csv'.
 */

type Rec = Record<string, unknown>;

const rowWrite = (ctx: DmlContext, locked: boolean): RowWrite => ({
  userId: ctx.userId,
  mode: ctx.mode,
  locked,
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
  const tasks = records.map(({ obj, record }): RowTask => ({
    run: (locked) => {
      guard.insert(obj);
      return { id: insertOne(org, obj, record, rowWrite(ctx, locked)), success: true, errors: [] };
    },
    failureId: () => null,
    created: () => undefined,
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
  const tasks = records.map(({ obj, record }): RowTask => {
    const raw = idOf(record);
    const id = raw === null ? null : to18(raw);
    return {
      run: (locked) => {
        if (raw === null)
          throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        if (!id || keyPrefixOf(id) !== obj.keyPrefix) throw malformedRecordId(obj, raw);
        guard.update(obj, id);
        updateOne(org, obj, id, record, rowWrite(ctx, locked));
        return { id, success: true, errors: [] };
      },
      failureId: () => id ?? raw,
      created: () => undefined,
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
  const keys = records.map((record) => {
    try {
      const value = externalValueOf(field, record, ctx.mode);
      return value === null ? null : matchKey(field, value);
    } catch {
      return null;
    }
  });
  const seen = new Map<string, number>();
  for (const k of keys) if (k !== null) seen.set(k, (seen.get(k) ?? 0) + 1);
  const guard = writeGuard(org, ctx.userId);

  const tasks = records.map((record, i): RowTask => {
    let matchedId: string | null = null;
    let created: boolean | undefined;
    return {
      run: (locked) => {
        const value = externalValueOf(field, record, ctx.mode);
        const key = keys[i];
        if (key !== null && (seen.get(key) ?? 0) > 1) throw duplicateExternalIdInCall(field, String(value));
        const matches = findMatches(org, obj, field, value);
        checkSingleMatch(field, matches);
        if (matches.length === 0) {
          created = true;
          guard.insert(obj);
          const fresh = field.type === 'id' ? withoutField(record, field) : record;
          const id = insertOne(org, obj, fresh, rowWrite(ctx, locked));
          return { id, success: true, errors: [], created: true };
        }
        created = false;
        matchedId = matches[0];
        guard.update(obj, matchedId);
        updateOne(org, obj, matchedId, withoutField(record, field), rowWrite(ctx, locked));
        return { id: matchedId, success: true, errors: [], created: false };
      },
      failureId: () => matchedId,
      created: () => created ?? false,
    };
  });
  return guarded(guard, [{ obj, record: {} }], runRows(org, ctx, tasks));
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
