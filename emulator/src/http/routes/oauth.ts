import type { Request, Response } from 'express';
import { exchangeToken } from '../../auth/grants';
import { oauthParams, presentedToken, sendText } from '../../auth/http';
import { userInfoBody } from '../../auth/identity';
import { findUserById } from '../../auth/users';
import { SfError } from '../../errors';
import { sendJson } from '../respond';
import type { RouteModule } from './route-module';

/**
 * OAuth 2.0 on the login origin: the token endpoint (password, refresh_token, client_credentials,
 * JWT bearer), revoke and OpenID userinfo. Errors use OAuth's own dialect, not the REST array.
 */
export const registerOauthRoutes: RouteModule = (router, ctx) => {
  const { org } = ctx;

  router.post('/services/oauth2/token', (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private');
    try {
      sendJson(res, 200, exchangeToken(org, oauthParams(req)));
    } catch (err) {
      if (!(err instanceof SfError)) throw err;
      sendJson(res, err.status, { error: err.errorCode, error_description: err.message });
    }
  });

  // jsforce reads a revoke failure as a query string (error=…&error_description=…).
  const revoke = (req: Request, res: Response): void => {
    const token = oauthParams(req).token;
    if (!token || !org.sessions.isKnown(token)) {
      res
        .status(400)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(Buffer.from('error=invalid_token&error_description=invalid%20token'));
      return;
    }
    org.sessions.revoke(token);
    res.status(200).end();
  };
  router.post('/services/oauth2/revoke', revoke);
  router.get('/services/oauth2/revoke', revoke);

  const userinfo = (req: Request, res: Response): void => {
    const token = presentedToken(req, ['access_token', 'oauth_token']);
    if (!token) return sendText(res, 403, 'Missing_OAuth_Token');
    const session = org.sessions.resolve(token);
    const user = session ? findUserById(org, session.userId) : null;
    if (!user) return sendText(res, 403, 'Bad_OAuth_Token');
    sendJson(res, 200, userInfoBody(org, user));
  };
  router.get('/services/oauth2/userinfo', userinfo);
  router.post('/services/oauth2/userinfo', userinfo);
};
