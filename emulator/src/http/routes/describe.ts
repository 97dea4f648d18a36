import type { Request, Response } from 'express';
import { notFound } from '../../errors';
import { describeGlobal, describeSObject, globalEntry } from '../../schema/describe';
import type { ObjectDef } from '../../schema/types';
import type { RouteContext } from '../context';
import { apiVersionOf } from '../context';
import { sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * describeGlobal, describe and the sObject basic-information resource. Only these three exact paths:
 * record CRUD under /sobjects/:type/:id belongs to sobjects.ts.
 */
export const registerDescribeRoutes: RouteModule = (router, ctx) => {
  router.get('/sobjects', (req: Request, res: Response) => {
    sendJson(res, 200, describeGlobal(ctx.org, apiVersionOf(req)));
  });

  router.get('/sobjects/:type/describe', (req: Request, res: Response) => {
    sendJson(res, 200, describeSObject(ctx.org, objectOf(ctx, req), apiVersionOf(req)));
  });

  router.get('/sobjects/:type', (req: Request, res: Response) => {
    const obj = objectOf(ctx, req);
    // Recently viewed records are not tracked yet; Salesforce answers an empty list when there are none.
    sendJson(res, 200, { objectDescribe: globalEntry(obj, apiVersionOf(req)), recentItems: [] });
  });
};

/** Salesforce answers an unknown type on these resources with 404 NOT_FOUND (not INVALID_TYPE). */
function objectOf(ctx: RouteContext, req: Request): ObjectDef {
  const obj = ctx.org.schema.find(String(req.params.type));
  if (!obj) throw notFound();
  return obj;
}
