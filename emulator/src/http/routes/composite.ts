import type { Request, Response } from 'express';
import { SfError, invalidType } from '../../errors';
import { keyPrefixOf, to18 } from '../../ids';
import {
  deleteRecords,
  insertTyped,
  updateTyped,
  upsertRecords,
  type DmlContext,
  type SaveResult,
  type TypedRecord,
} from '../../dml';
import { recordJson, selectFields } from '../../dml/record-json';
import { loadRow } from '../../dml/sql';
import type { Org } from '../../org';
import type { ObjectDef } from '../../schema/types';
import { apiVersionOf, sessionOf, type RouteContext } from '../context';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';
import { objectOf } from './sobjects';

/**
 * sObject Collections: create, update, upsert and delete up to 200 records per call, and retrieve
 * up to 2000 ids. Results are per record in request order, with `statusCode` errors.
 */
const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

export const registerCompositeRoutes: RouteModule = (router, ctx) => {
  const { org } = ctx;

  router.post('/composite/sobjects', (req: Request, res: Response) => {
    const { allOrNone, records } = collectionBody(req);
    const typed = records.map((record) => ({ obj: typeOf(org, record), record: withoutAttributes(record) }));
    answerCollection(ctx, req, res, insertTyped(org, typed, dmlContext(res, ctx, allOrNone)));
  });

  router.patch('/composite/sobjects', (req: Request, res: Response) => {
    const { allOrNone, records } = collectionBody(req);
    const typed: TypedRecord[] = records.map((record) => ({
      obj: typeOf(org, record),
      record: withoutAttributes(record),
    }));
    answerCollection(ctx, req, res, updateTyped(org, typed, dmlContext(res, ctx, allOrNone)));
  });

  router.delete('/composite/sobjects', (req: Request, res: Response) => {
    const ids = typeof req.query.ids === 'string' ? req.query.ids.split(',').filter((s) => s !== '') : [];
    if (ids.length === 0) throw new SfError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
    if (ids.length > MAX_RECORDS) throw exceededIdLimit();
    const allOrNone = String(req.query.allOrNone ?? 'false').toLowerCase() === 'true';
    answerCollection(ctx, req, res, deleteRecords(org, ids, dmlContext(res, ctx, allOrNone)));
  });

  router.post('/composite/sobjects/:type', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    const body = jsonObjectBody(req);
    if (!Array.isArray(body.ids)) throw new SfError(400, 'MISSING_ARGUMENT', 'ids is required');
    if (body.ids.length > MAX_RETRIEVE_IDS) throw exceededIdLimit();
    const names = Array.isArray(body.fields) ? body.fields.map(String) : null;
    const fields = selectFields(org, obj, names);
    const version = apiVersionOf(req);
    sendJson(
      res,
      200,
      body.ids.map((raw) => retrieveOne(org, obj, String(raw), fields, version)),
    );
  });

  router.patch('/composite/sobjects/:type/:extField', (req: Request, res: Response) => {
    const obj = objectOf(org, req);
    const { allOrNone, records } = collectionBody(req);
    const results = upsertRecords(
      org,
      obj.name,
      String(req.params.extField),
      records.map(withoutAttributes),
      dmlContext(res, ctx, allOrNone),
    );
    answerCollection(ctx, req, res, results);
  });
};

function dmlContext(res: Response, ctx: RouteContext, allOrNone: boolean): DmlContext {
  return { userId: sessionOf(res).userId, allOrNone, mode: 'json', faults: ctx.faults };
}

const exceededIdLimit = (): SfError =>
  new SfError(
    400,
    'EXCEEDED_ID_LIMIT',
    'record limit reached. cannot submit more than 200 records into this call',
  );

function collectionBody(req: Request): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const body = jsonObjectBody(req);
  const records = body.records;
  if (
    !Array.isArray(records) ||
    records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))
  ) {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'records must be an array of JSON objects');
  }
  if (records.length > MAX_RECORDS) throw exceededIdLimit();
  return {
    allOrNone: body.allOrNone === true || body.allOrNone === 'true',
    records: records as Array<Record<string, unknown>>,
  };
}

/** A collection record's object: `attributes.type`, or for updates the key prefix of its id. */
function typeOf(org: Org, record: Record<string, unknown>): ObjectDef {
  const attributes = record.attributes as { type?: unknown } | undefined;
  if (attributes && typeof attributes.type === 'string') {
    const obj = org.schema.find(attributes.type);
    if (!obj) throw invalidType(attributes.type);
    return obj;
  }
  const idKey = Object.keys(record).find((k) => k.toLowerCase() === 'id');
  const id = idKey ? to18(String(record[idKey])) : null;
  const obj = id ? org.schema.byKeyPrefix(keyPrefixOf(id)) : undefined;
  if (!obj) throw new SfError(400, 'INVALID_TYPE', 'Must specify a type in the attributes of each record');
  return obj;
}

function withoutAttributes(record: Record<string, unknown>): Record<string, unknown> {
  const { attributes: _ignored, ...rest } = record;
  return rest;
}

function retrieveOne(
  org: Org,
  obj: ObjectDef,
  raw: string,
  fields: ReturnType<typeof selectFields>,
  version: string,
): unknown {
  const id = to18(raw.trim());
  if (!id || keyPrefixOf(id) !== obj.keyPrefix) return null;
  const row = loadRow(org, obj, id);
  if (!row || row.IsDeleted) return null;
  return recordJson(obj, row, fields, version);
}

/** Items as Salesforce writes them: no `id` key on rows that have none, `created` only on upserts. */
function renderResult(r: SaveResult): Record<string, unknown> {
  return {
    ...(r.id !== null ? { id: r.id } : {}),
    success: r.success,
    errors: r.errors,
    ...(r.created !== undefined ? { created: r.created } : {}),
  };
}

function answerCollection(ctx: RouteContext, req: Request, res: Response, results: SaveResult[]): void {
  if (results.some((r) => r.success) && ctx.faults.dropAfterCommit()) {
    req.socket.destroy();
    return;
  }
  sendJson(res, 200, results.map(renderResult));
}
