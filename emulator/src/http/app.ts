import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { receivingUpload } from '../bulk/background';
import { invalidSession, SfError } from '../errors';
import type { Logger } from '../logger';
import type { RouteContext } from './context';
import { sendJson } from './respond';
import { versionedRouteModules, unversionedRouteModules } from './routes';

/**
 * The embedded org's HTTP surface. Unversioned routes (OAuth, SOAP login, identity, the version
 * list, admin) handle their own auth; everything under /services/data/vNN.N needs a session,
 * counts against the daily API allocation and passes through fault injection.
 */
export function createOrgApp(ctx: RouteContext, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // The Date header is the org's clock, as on Salesforce: sync bookmarks are taken from it.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Date', new Date(ctx.org.now()).toUTCString());
    next();
  });

  app.use((req, _res, next) => {
    if (req.method === 'PUT' && BULK_UPLOAD_PATH.test(req.path)) receivingUpload(req);
    next();
  });
  app.use(express.json({ limit: '100mb', type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: '1mb', type: 'application/x-www-form-urlencoded' }));
  // A Bulk upload in UTF-8 stays bytes: the job stores and parses them itself, and decoding a
  // large CSV to a string only to encode it back was a tenth of a write-back's org time.
  app.use(express.raw({ limit: '512mb', type: isUtf8BulkUpload }));
  app.use(express.text({ limit: '512mb', type: ['text/csv', 'text/xml', 'application/xml', 'text/plain'] }));

  for (const register of unversionedRouteModules) register(app, ctx);

  const api = express.Router({ mergeParams: true });
  api.use((req: Request, res: Response, next: NextFunction) => {
    const session = ctx.org.sessions.resolve(bearerToken(req) ?? '');
    if (!session) throw invalidSession();
    res.locals.session = session;
    next();
  });
  for (const register of versionedRouteModules) register(api, ctx);
  api.use(() => {
    throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  });
  app.use('/services/data/v:version', api);

  app.use((_req: Request, res: Response) => {
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof SfError) return sendJson(res, err.status, err.toRestBody());
    const parseFailed = (err as { type?: string }).type === 'entity.parse.failed';
    if (parseFailed) {
      return sendJson(res, 400, [
        { errorCode: 'JSON_PARSER_ERROR', message: 'The request body is not valid JSON' },
      ]);
    }
    const tooLarge = (err as { type?: string }).type === 'entity.too.large';
    if (tooLarge)
      return sendJson(res, 413, [
        { errorCode: 'REQUEST_TOO_LARGE', message: 'The request body is too large' },
      ]);
    log.error({ err, method: req.method, path: req.path }, 'unhandled error in the embedded org');
    sendJson(res, 500, [
      { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred in the embedded org' },
    ]);
  });
  return app;
}

/** `Authorization: Bearer x` (REST, Bulk 2.0) or `OAuth x` (older clients, streaming). */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
  return m ? m[1] : null;
}

const BULK_UPLOAD_PATH = /\/jobs\/ingest\/[^/]+\/batches\/?$/;

/** PUT of a Bulk 2.0 job's CSV with no charset or UTF-8 (other charsets are decoded as text, as before). */
function isUtf8BulkUpload(req: IncomingMessage): boolean {
  if (req.method !== 'PUT' || !BULK_UPLOAD_PATH.test((req.url ?? '').split('?')[0])) return false;
  const type = req.headers['content-type'];
  if (!type || !/^text\/csv\s*(;|$)/i.test(type)) return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1].toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}
