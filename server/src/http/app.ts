import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { ServerMetrics } from '../jobs/metrics';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { bearerAuth } from './auth';
import { errorHandler, sendError } from './errors';
import type { EnginePorts, JobsPort, Readiness } from './ports';
import { enginesRouter } from './routes/engines';
import { jobsRouter } from './routes/jobs';

export interface AppDeps {
  /** The API's bearer token (SALESOPS_API_TOKEN). */
  apiToken: string;
  jobs: JobsPort;
  engines: EnginePorts;
  readiness: () => Promise<Readiness>;
  metrics: ServerMetrics;
  log: Logger;
  /** Requests per client per window on /api (default 300 a minute). */
  rateLimit?: { windowMs: number; limit: number };
  /** Trust X-Forwarded-For from this many proxies (the rate limit keys on the client address). */
  trustProxy?: number | false;
  /**
   * Extra routers outside the API (no bearer token, no /api rate limit), e.g. the widget preview at
   * `/preview`. Helmet's headers apply; a router that needs another Content-Security-Policy sets it
   * on its responses.
   */
  mounts?: Array<{ path: string; router: RequestHandler }>;
}

/**
 * The companion server's HTTP app; only the entry point listens (tests use port 0).
 * - `/healthz`, `/readyz`: no auth (orchestrators probe them; they reveal nothing).
 * - `/metrics`: bearer token too. Counts of rows, API calls and jobs describe business activity,
 *   and Prometheus scrapes with a bearer token (`authorization.credentials` in its scrape config).
 * - `/api/*`: rate limited (before auth, so token guessing is limited too), bearer token, JSON.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(requestMetrics(deps.metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await deps.readiness();
    res.status(r.ready ? 200 : 503).json(r);
  });

  const auth = bearerAuth(deps.apiToken);
  app.get('/metrics', auth, async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(
    rateLimit({
      windowMs: deps.rateLimit?.windowMs ?? 60_000,
      limit: deps.rateLimit?.limit ?? 300,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) =>
        sendError(
          res,
          new AppError('RATE_LIMITED', 'too many requests; slow down and retry after the reset'),
        ),
    }),
  );
  api.use(auth);
  api.use(express.json({ limit: '1mb' }));
  api.use('/jobs', jobsRouter(deps.jobs));
  api.use(enginesRouter(deps.engines));
  app.use('/api', api);
  for (const m of deps.mounts ?? []) app.use(m.path, m.router);

  app.use((req, res) => sendError(res, new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log));
  return app;
}

function requestMetrics(metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // Route patterns, not raw paths: job ids would make a label per request.
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  };
}
