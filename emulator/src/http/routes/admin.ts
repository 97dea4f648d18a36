import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { apiUsageOf } from '../../auth/api-usage';
import { secretsEqual } from '../../auth/secrets';
import { SfError } from '../../errors';
import { ZERO_COUNTERS } from '../../faults/faults';
import { describePlanIssues, faultPlanSchema } from '../../faults/plan-schema';
import { jsonObjectBody, sendJson } from '../respond';
import type { RouteModule } from './route-module';

const apiUsageBody = z.strictObject({ used: z.number().int().min(0) });

/**
 * /_admin: the emulator's own control surface (not a Salesforce API), behind its own bearer token:
 * read or replace the fault plan, set today's API usage, expire every session, health and counters.
 */
export const registerAdminRoutes: RouteModule = (router, ctx) => {
  const { org, faults } = ctx;
  const admin = express.Router();

  admin.use((req: Request, _res: Response, next: NextFunction) => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '');
    if (!m)
      throw new SfError(
        401,
        'INVALID_AUTH_HEADER',
        'The admin endpoints need Authorization: Bearer <admin token>',
      );
    if (!secretsEqual(m[1], ctx.adminToken))
      throw new SfError(403, 'INSUFFICIENT_ACCESS', 'Wrong admin token');
    next();
  });

  admin.get('/health', (_req: Request, res: Response) => {
    sendJson(res, 200, {
      status: 'ok',
      orgId: org.orgId,
      instanceUrl: org.settings.instanceUrl,
      now: new Date(org.now()).toISOString(),
    });
  });

  admin.get('/faults', (_req: Request, res: Response) => sendJson(res, 200, faults.plan()));

  admin.put('/faults', (req: Request, res: Response) => {
    const parsed = faultPlanSchema.safeParse(jsonObjectBody(req));
    if (!parsed.success) throw new SfError(400, 'INVALID_FAULT_PLAN', describePlanIssues(parsed.error));
    sendJson(res, 200, faults.configure(parsed.data));
  });

  admin.get('/stats', (_req: Request, res: Response) => {
    sendJson(res, 200, {
      apiUsage: apiUsageOf(org).current(),
      injected: faults.injected?.() ?? { ...ZERO_COUNTERS },
    });
  });

  admin.get('/api-usage', (_req: Request, res: Response) => sendJson(res, 200, apiUsageOf(org).current()));

  admin.put('/api-usage', (req: Request, res: Response) => {
    const parsed = apiUsageBody.safeParse(jsonObjectBody(req));
    if (!parsed.success) throw new SfError(400, 'INVALID_API_USAGE', describePlanIssues(parsed.error));
    sendJson(res, 200, apiUsageOf(org).set(parsed.data.used));
  });

  admin.post('/sessions/expire', (_req: Request, res: Response) => {
    sendJson(res, 200, { expired: org.sessions.expireAllAccessTokens() });
  });

  admin.use(() => {
    throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  });

  router.use('/_admin', admin);
};
