import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../shared/errors';
import { sendError } from './errors';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bearer-token check. No credentials (or not a Bearer header) is 401, with `WWW-Authenticate`, so
 * the client knows to authenticate; a token that is presented but wrong is 403, refused. Tokens are
 * compared as SHA-256 digests with timingSafeEqual: equal lengths, and time independent of where
 * they differ.
 */
export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!m) {
      res.set('WWW-Authenticate', 'Bearer realm="salesops"');
      return sendError(
        res,
        new AppError('UNAUTHENTICATED', 'a bearer token is required (Authorization: Bearer <token>)'),
      );
    }
    if (!timingSafeEqual(digest(m[1]), expected)) {
      return sendError(res, new AppError('FORBIDDEN', 'the bearer token is not valid for this server'));
    }
    next();
  };
}
