import type { NextFunction, Request, Response } from 'express';
import { to18, keyPrefixOf } from '../../ids';
import { notFound, SfError } from '../../errors';
import {
  deleteRecords,
  externalValueOf,
  findMatches,
  insertRecords,
  resolveExternalIdField,
  updateRecords,
  upsertRecords,
  type DmlContext,
  type SaveResult,
} from '../../dml';
import { recordJson, selectFields } from '../../dml/record-json';
import { deletedRecords, replicationWindow, updatedRecords } from '../../dml/replication';
import { restErrorOf } from '../../dml/rest-errors';
import { loadRow, updateRow } from '../../dml/sql';
import type { StoredRow } from '../../dml/types';
import { toSecond } from '../../store/codec';
import { canRead } from '../../sharing';
import type { ObjectDef } from '../../schema/types';
import type { Org } from '../../org';
import { apiVersionNumber, apiVersionOf, sessionOf, type RouteContext } from '../context';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * Single-record REST: create, retrieve, update, delete, upsert by external id, and the
 * replication endpoints /updated and /deleted. Describe paths belong to describe.ts, which is
 * registered first.
 */
export const registerSobjectsRoutes: RouteModule = (router, ctx) => {
  const { org } = ctx;

  router.get('/sobjects/:type/updated', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    sendJson(res, 200, updatedRecords(org, obj, replicationWindow(org, req.query.start, req.query.end)));
  });

  router.get('/sobjects/:type/deleted', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    sendJson(res, 200, deletedRecords(org, obj, replicationWindow(org, req.query.start, req.query.end)));
  });

  router.post('/sobjects/:type', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    const body = jsonObjectBody(req);
    const [result] = insertRecords(org, obj.name, [body], dmlContext(res));
    answerWrite(ctx, req, result, () => sendJson(res, 201, { id: result.id, success: true, errors: [] }));
  });

  router.get('/sobjects/:type/:id', (req: Request, res: Response, next: NextFunction) => {
    // Not an id (listviews, quickActions…): leave it to routes registered later, else 404.
    if (!to18(String(req.params.id))) return next();
    const obj = objectOf(org, req);
    const row = visibleRow(org, res, obj, liveRowOrNotFound(org, obj, String(req.params.id)));
    const fields = selectFields(org, obj, fieldList(req.query.fields));
    sendJson(res, 200, recordJson(obj, row, fields, apiVersionOf(req)));
    markViewed(org, obj, String(row.Id));
  });

  router.patch('/sobjects/:type/:id', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    const id = existingId(org, obj, String(req.params.id));
    const body = withoutKey(jsonObjectBody(req), 'id');
    const [result] = updateRecords(org, obj.name, [{ ...body, Id: id }], dmlContext(res));
    answerWrite(ctx, req, result, () => res.status(204).end());
  });

  router.delete('/sobjects/:type/:id', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    const id = existingId(org, obj, String(req.params.id));
    const [result] = deleteRecords(org, [id], dmlContext(res));
    answerWrite(ctx, req, result, () => res.status(204).end());
  });

  router.post('/sobjects/:type/:id', methodNotAllowed('GET,PATCH,DELETE'));
  router.put('/sobjects/:type/:id', methodNotAllowed('GET,PATCH,DELETE'));
  router.put('/sobjects/:type', methodNotAllowed('HEAD,GET,POST'));
  router.patch('/sobjects/:type', methodNotAllowed('HEAD,GET,POST'));
  router.delete('/sobjects/:type', methodNotAllowed('HEAD,GET,POST'));

  router.get('/sobjects/:type/:extField/:value', (req: Request, res: Response, next: NextFunction) => {
    const obj = objectOf(org, req);
    // Not an external id: leave the path to routes registered later (list views, layouts…), else 404.
    const candidate = org.schema.field(obj.name, String(req.params.extField));
    if (!candidate || !(candidate.type === 'id' || candidate.externalId || candidate.idLookup)) return next();
    const field = resolveExternalIdField(org, obj, String(req.params.extField));
    const value = externalValueOf(field, { [field.name]: String(req.params.value) }, 'json');
    const matches =
      field.type === 'id'
        ? [liveRowOrNotFound(org, obj, String(value)).Id as string]
        : findMatches(org, obj, field, value);
    if (matches.length === 0) throw notFound();
    if (matches.length > 1) return sendJson(res, 300, recordUrls(req, obj, matches));
    const row = visibleRow(org, res, obj, liveRowOrNotFound(org, obj, matches[0]));
    sendJson(
      res,
      200,
      recordJson(obj, row, selectFields(org, obj, fieldList(req.query.fields)), apiVersionOf(req)),
    );
  });

  router.patch('/sobjects/:type/:extField/:value', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    const field = resolveExternalIdField(org, obj, String(req.params.extField));
    const body = withoutKey(jsonObjectBody(req), field.name);
    const rawValue = String(req.params.value);
    if (field.type === 'id') existingId(org, obj, rawValue);
    const value = externalValueOf(field, { [field.name]: rawValue }, 'json');
    const matches = findMatches(org, obj, field, value);
    if (matches.length > 1) return sendJson(res, 300, recordUrls(req, obj, matches));
    const [result] = upsertRecords(
      org,
      obj.name,
      field.name,
      [{ ...body, [field.name]: rawValue }],
      dmlContext(res),
    );
    answerWrite(ctx, req, result, () => {
      if (result.created) {
        const created = apiVersionNumber(req) >= 46 ? { created: true } : {};
        return sendJson(res, 201, { id: result.id, success: true, errors: [], ...created });
      }
      if (apiVersionNumber(req) < 46) return res.status(204).end();
      sendJson(res, 200, { id: result.id, success: true, errors: [], created: false });
    });
  });
};

function methodNotAllowed(allowed: string) {
  return (req: Request) => {
    throw new SfError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are ${allowed}`,
    );
  };
}

/** A single retrieve counts as viewing the record (recent items), where the object tracks it. */
function markViewed(org: Org, obj: ObjectDef, id: string): void {
  const stamp = toSecond(org.now());
  const changes: StoredRow = {};
  if (obj.fields.some((f) => f.name === 'LastViewedDate')) changes.LastViewedDate = stamp;
  if (obj.fields.some((f) => f.name === 'LastReferencedDate')) changes.LastReferencedDate = stamp;
  updateRow(org, obj, id, changes);
}

function dmlContext(res: Response): DmlContext {
  return { userId: sessionOf(res).userId, allOrNone: true, mode: 'json' };
}

/**
 * Answers a single-record write: its row error as the REST error, or — once committed — the
 * success body, unless the fault plan drops the connection after the commit.
 */
function answerWrite(ctx: RouteContext, req: Request, result: SaveResult, answer: () => void): void {
  if (!result.success) throw restErrorOf(result.errors[0]);
  if (ctx.faults.dropAfterCommit()) {
    req.socket.destroy();
    return;
  }
  answer();
}

/** Objects in URLs are matched case-insensitively; an unknown one is a missing resource. */
export function objectOf(org: Org, req: Request): ObjectDef {
  const obj = org.schema.find(String(req.params.type));
  if (!obj) throw notFound();
  return obj;
}

function idOfObject(obj: ObjectDef, raw: string): string | null {
  const id = to18(raw);
  return id && keyPrefixOf(id) === obj.keyPrefix ? id : null;
}

function liveRowOrNotFound(org: Org, obj: ObjectDef, raw: string) {
  const id = idOfObject(obj, raw);
  const row = id ? loadRow(org, obj, id) : undefined;
  if (!row || row.IsDeleted) throw notFound();
  return row;
}

/** A record the running user may not see is, to them, not there (sharing filters silently). */
function visibleRow<T extends StoredRow>(org: Org, res: Response, obj: ObjectDef, row: T): T {
  if (!canRead(org, sessionOf(res).userId, obj, String(row.Id))) throw notFound();
  return row;
}

/** The 18-character id of an existing record; a deleted one is ENTITY_IS_DELETED, as Salesforce answers writes. */
function existingId(org: Org, obj: ObjectDef, raw: string): string {
  const id = idOfObject(obj, raw);
  const row = id ? loadRow(org, obj, id) : undefined;
  if (!id || !row) throw notFound();
  if (row.IsDeleted) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return id;
}

function fieldList(param: unknown): string[] | null {
  if (typeof param !== 'string' || param.trim() === '') return null;
  return param.split(',');
}

function withoutKey(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() !== key.toLowerCase()) out[k] = v;
  return out;
}

function recordUrls(req: Request, obj: ObjectDef, ids: string[]): string[] {
  return ids.map((id) => `/services/data/v${apiVersionOf(req)}/sobjects/${obj.name}/${id}`);
}
