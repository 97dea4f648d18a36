import type { Request, Response } from 'express';
import { presentedToken, sendText } from '../../auth/http';
import { identityBody } from '../../auth/identity';
import { findUserById } from '../../auth/users';
import { to18 } from '../../ids';
import { sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * The identity service, GET /id/{orgId}/{userId}. jsforce's identity() sends the token both as a
 * Bearer header and as ?oauth_token=. Failures follow Salesforce's identity error codes: a missing
 * or bad token and another org are 403, an unknown or inactive user 404, each as a plain-text code.
 */
export const registerIdentityRoutes: RouteModule = (router, ctx) => {
  const { org } = ctx;
  router.get('/id/:orgId/:userId', (req: Request, res: Response) => {
    const token = presentedToken(req, ['oauth_token', 'access_token']);
    if (!token) return sendText(res, 403, 'Missing_OAuth_Token');
    const session = org.sessions.resolve(token);
    if (!session) return sendText(res, 403, 'Bad_OAuth_Token');
    if (to18(String(req.params.orgId)) !== org.orgId) return sendText(res, 403, 'Wrong_Org');
    const user = findUserById(org, String(req.params.userId));
    if (!user) return sendText(res, 404, 'Bad_Id');
    if (!user.isActive) return sendText(res, 404, 'Inactive');
    sendJson(res, 200, identityBody(org, user));
  });
};
