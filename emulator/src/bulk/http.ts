import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SfError } from '../errors';
import { sendJson } from '../http/respond';

/**
 * Bulk 2.0 routes answer errors in their own dialect, `[{errorCode, message}]`: jsforce's Bulk
 * client reads `body[0].errorCode` and `body[0].message`. Other failures go to the app's handler.
 */
export function bulkRoute(handler: (req: Request, res: Response) => Promise<void> | void): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof SfError && !res.headersSent) {
        sendJson(res, err.status, [{ errorCode: err.errorCode, message: err.message }]);
        return;
      }
      next(err);
    }
  };
}

/** A route parameter as a string (express 5 types allow arrays for wildcards). */
export function param(req: Request, name: string): string {
  const value = req.params[name] as string | string[] | undefined;
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}

/**
 * The CSV body of an upload: express kept a UTF-8 upload as bytes, or decoded another charset to a
 * string; no body at all is an empty upload.
 */
export function csvBody(req: Request): Buffer {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  const length = Number(req.headers['content-length'] ?? 0);
  if (!req.headers['transfer-encoding'] && !(length > 0)) return Buffer.alloc(0);
  const type = req.headers['content-type'] ?? 'none';
  throw new SfError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `Content type '${type}' not supported for job data; use text/csv`,
  );
}
