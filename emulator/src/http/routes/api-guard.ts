import type { NextFunction, Request, Response } from 'express';
import { setTimeout as delay } from 'node:timers/promises';
import { apiUsageOf } from '../../auth/api-usage';
import { invalidSession, SfError } from '../../errors';
import type { RequestFault } from '../../faults/faults';
import { sessionOf } from '../context';
import type { RouteModule } from './route-module';

const NO_FAULT: RequestFault = { latencyMs: 0, fault: null };

export const requestLimitExceeded = (): SfError =>
  new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/**
 * Runs first on every versioned API request, after the session check: applies the plan's latency,
 * counts the request against the daily allocation (Sforce-Limit-Info on every answer, errors
 * included; 403 REQUEST_LIMIT_EXCEEDED once it is spent) and answers with an injected fault
 * instead of the route when the seeded dice say so.
 *
 * The dice are rolled before the allocation is checked so that the fault sequence depends only on
 * the seed and the order of requests, not on the counter.
 */
export const registerApiGuardRoutes: RouteModule = (router, ctx) => {
  const usage = apiUsageOf(ctx.org);
  router.use(async (_req: Request, res: Response, next: NextFunction) => {
    const decision = ctx.faults.beforeRequest?.() ?? NO_FAULT;
    if (decision.latencyMs > 0) await delay(decision.latencyMs);
    const counted = usage.tryConsume();
    res.set('Sforce-Limit-Info', `api-usage=${counted.used}/${counted.limit}`);
    if (!counted.allowed) throw requestLimitExceeded();
    switch (decision.fault) {
      case 'serverError':
        throw new SfError(
          503,
          'SERVER_UNAVAILABLE',
          'Server temporarily unavailable. Please retry your request.',
        );
      case 'rateLimit':
        // Not a Salesforce REST code (the platform has none for 429); named so clients can tell it
        // from the daily REQUEST_LIMIT_EXCEEDED, which is not worth retrying today.
        res.set('Retry-After', '1');
        throw new SfError(
          ctx.faults.plan().rateLimitStatus,
          'TOO_MANY_REQUESTS',
          'Too many requests. Retry after a short wait.',
        );
      case 'requestLimit':
        throw requestLimitExceeded();
      case 'sessionExpiry':
        // The caller's token really ends, so a client must refresh rather than just retry.
        ctx.org.sessions.expire(sessionOf(res).token);
        throw invalidSession();
      case null:
        next();
    }
  });
};
