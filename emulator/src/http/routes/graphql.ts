import type { Request, Response } from 'express';
import { executeGraphQl } from '../../uiapi/graphql/execute';
import { apiVersionOf, sessionOf } from '../context';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * `POST /services/data/vNN.N/graphql`: the UI API GraphQL subset of shared-contracts.md, run as the
 * session's user. Like the platform it answers 200 with `{ data, errors }` for query errors too.
 */
export const registerGraphQlRoutes: RouteModule = (router, ctx) => {
  router.post('/graphql', (req: Request, res: Response) => {
    const body = jsonObjectBody(req);
    sendJson(res, 200, executeGraphQl(ctx.org, sessionOf(res).userId, apiVersionOf(req), body));
  });
};
