import type { Request, Response } from 'express';
import { createRecord, deleteRecord, updateRecord } from '../../uiapi/record-writes';
import { fieldNamesParam, readRecord } from '../../uiapi/records';
import { sessionOf } from '../context';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * The UI API's record resource, as lightning/uiRecordApi uses it: read a record with
 * `fields` / `optionalFields`, create, update and delete. Everything runs as the session's user.
 */
export const registerUiApiRoutes: RouteModule = (router, ctx) => {
  const { org } = ctx;

  router.get('/ui-api/records/:id', (req: Request, res: Response) => {
    const record = readRecord(org, sessionOf(res).userId, String(req.params.id), {
      fields: fieldNamesParam(req.query.fields),
      optionalFields: fieldNamesParam(req.query.optionalFields),
    });
    sendJson(res, 200, record);
  });

  router.post('/ui-api/records', (req: Request, res: Response) => {
    sendJson(res, 201, createRecord(org, sessionOf(res).userId, jsonObjectBody(req)));
  });

  router.patch('/ui-api/records/:id', (req: Request, res: Response) => {
    sendJson(res, 200, updateRecord(org, sessionOf(res).userId, String(req.params.id), jsonObjectBody(req)));
  });

  router.delete('/ui-api/records/:id', (req: Request, res: Response) => {
    deleteRecord(org, sessionOf(res).userId, String(req.params.id));
    res.status(204).end();
  });
};
