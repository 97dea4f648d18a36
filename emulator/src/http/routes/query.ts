import type { Request, Response } from 'express';
import { malformedQuery } from '../../errors';
import { explainQuery, queryMoreJson, runQueryJson } from '../../soql';
import { apiVersionOf, sessionOf } from '../context';
import { sendJson } from '../respond';
import type { RouteModule } from './route-module';

/** `Sforce-Query-Options: batchSize=500` → 500; the engine clamps it into 200–2000. */
function batchSizeOf(req: Request): number | undefined {
  const header = req.headers['sforce-query-options'];
  const text = Array.isArray(header) ? header.join(',') : header;
  const m = text ? /batchSize\s*=\s*(\d+)/i.exec(text) : null;
  return m ? Number(m[1]) : undefined;
}

/** Query pages are rendered as JSON text by the engine; send them as they are. */
function sendJsonText(res: Response, body: string): void {
  res.status(200).set('Content-Type', 'application/json;charset=UTF-8').send(Buffer.from(body));
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** GET /query?q=, /queryAll?q=, /query/{locator}, /queryAll/{locator}, /query/?explain=. */
export const registerQueryRoutes: RouteModule = (router, ctx) => {
  const first = (scanAll: boolean) => (req: Request, res: Response) => {
    const explain = stringParam(req.query.explain);
    if (explain !== undefined && !scanAll) return sendJson(res, 200, explainQuery(ctx.org, explain));
    const q = stringParam(req.query.q);
    if (q === undefined || q.trim() === '') throw malformedQuery('A query string is required: ?q=SELECT …');
    const body = runQueryJson(ctx.org, q, {
      scanAll,
      userId: sessionOf(res).userId,
      apiVersion: apiVersionOf(req),
      batchSize: batchSizeOf(req),
    });
    sendJsonText(res, body);
  };
  const more = (req: Request, res: Response) => {
    const body = queryMoreJson(ctx.org, String(req.params.locator), {
      userId: sessionOf(res).userId,
      apiVersion: apiVersionOf(req),
      batchSize: batchSizeOf(req),
    });
    sendJsonText(res, body);
  };
  router.get('/query', first(false));
  router.get('/queryAll', first(true));
  router.get('/query/:locator', more);
  router.get('/queryAll/:locator', more);
};
