import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { ensurePreviewBuilt, type PreviewBuildState } from './ensure-built';
import { defaultPreviewPaths, type PreviewPaths } from './paths';
import { passwordLogin, type PreviewViewer, type ViewerLogin } from './viewer-login';

export interface PreviewRouterDeps {
  /** The org the widgets read and write (the embedded org's instance URL). */
  instanceUrl: string;
  apiVersion: string;
  /** Demo users of the "view as" switch; the first is the default viewer. */
  viewers: PreviewViewer[];
  login?: ViewerLogin;
  paths?: Partial<PreviewPaths>;
  /**
   * Called on each page load; defaults to `ensurePreviewBuilt(paths)`, which rebuilds when the
   * sources changed (so an edited widget shows on reload) and returns at once otherwise.
   */
  build?: () => Promise<PreviewBuildState>;
  log?: Logger;
}

/** The documented path `salesops serve` mounts the preview at. */
export const PREVIEW_PATH = '/preview';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'accept', 'content-type', 'sforce-query-options'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'sforce-limit-info', 'www-authenticate'];
const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

/**
 * The local preview: the page, the compiled widgets, SLDS, a login per demo user, and a proxy to
 * the org's REST API so the browser calls the org (with the viewing user's token) from one origin.
 */
export function createPreviewRouter(deps: PreviewRouterDeps): Router {
  const paths = defaultPreviewPaths(deps.paths);
  const build = deps.build ?? (() => ensurePreviewBuilt(deps.paths));
  const login = deps.login ?? passwordLogin(deps.instanceUrl, deps.apiVersion);
  const org = new URL(deps.instanceUrl);
  const router = express.Router();

  router.get('/', async (req, res) => {
    // Relative URLs in the page need the trailing slash: /preview -> /preview/.
    const [pathname, query] = req.originalUrl.split('?');
    if (!pathname.endsWith('/')) {
      res.redirect(301, `${pathname}/${query ? `?${query}` : ''}`);
      return;
    }
    try {
      await build();
    } catch (err) {
      deps.log?.error({ err }, 'preview build failed');
      res
        .status(503)
        .type('text/plain')
        .send(`The preview is not available: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(paths.previewDir, 'index.html'));
  });

  router.get('/status', async (_req, res) => {
    try {
      const state = await build();
      res.json({ ok: true, status: state.status, bundles: state.bundles.map((b) => b.name) });
    } catch (err) {
      res.status(503).json({ ok: false, message: err instanceof Error ? err.message : String(err) });
    }
  });

  // Assets are served as built: the page load above is what waits for a (re)build.
  router.use('/build', express.static(path.join(paths.outDir, 'build'), { fallthrough: false, maxAge: 0 }));
  router.use('/slds', express.static(paths.sldsAssetsDir, { fallthrough: false, maxAge: '1h' }));
  router.get('/app/preview.css', (_req, res) => {
    res.sendFile(path.join(paths.previewDir, 'app', 'preview.css'));
  });

  router.get('/viewers', (_req, res) => {
    res.json(deps.viewers.map(({ key, label, username }) => ({ key, label, username })));
  });

  router.post('/session', express.json(), async (req, res) => {
    const wanted = typeof req.body?.viewer === 'string' ? req.body.viewer : '';
    const viewer = deps.viewers.find((v) => v.key === wanted) ?? deps.viewers[0];
    if (!viewer) {
      res.status(503).json({ message: 'The org lists no demo users to view the preview as' });
      return;
    }
    try {
      const session = await login(viewer);
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        viewer: { key: viewer.key, label: viewer.label, username: viewer.username },
        viewers: deps.viewers.map(({ key, label, username }) => ({ key, label, username })),
        apiVersion: deps.apiVersion,
        ...session,
      });
    } catch (err) {
      deps.log?.warn({ err, viewer: viewer.username }, 'preview login failed');
      res.status(502).json({
        message: `Login as ${viewer.username} failed: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  });

  router.all('/org/services/data/*rest', (req, res) => {
    proxyToOrg(org, req, res).catch((err: unknown) => {
      deps.log?.warn({ err }, 'preview proxy failed');
      if (!res.headersSent) {
        res
          .status(502)
          .json([{ errorCode: 'PREVIEW_PROXY', message: `The org did not answer: ${String(err)}` }]);
      }
    });
  });

  return router;
}

/** Forwards one API call to the org unchanged (the caller's token decides what it may see). */
async function proxyToOrg(org: URL, req: Request, res: Response): Promise<void> {
  const rest = req.originalUrl.slice(req.baseUrl.length + '/org'.length);
  if (!rest.startsWith('/services/data/'))
    throw new AppError('INPUT_INVALID', 'Only the data API is proxied');
  const target = new URL(rest, org);
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const body = BODY_METHODS.has(req.method) ? await requestBody(req) : undefined;
  const upstream = await fetch(target, { method: req.method, headers, body });
  res.status(upstream.status);
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) res.setHeader(name, value);
  }
  res.setHeader('Cache-Control', 'no-store');
  res.send(Buffer.from(await upstream.arrayBuffer()));
}

/** The raw body, or the parsed one re-serialised when an app-wide JSON parser got to it first. */
async function requestBody(req: Request): Promise<string | Buffer | undefined> {
  if (req.body !== undefined && req.readableEnded) {
    return typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? Buffer.concat(chunks) : undefined;
}
