import type { Request, Response } from 'express';
import type { Faults } from '../faults/faults';
import type { Session } from '../auth/sessions';
import type { Org } from '../org';

/** What every route module receives. */
export interface RouteContext {
  org: Org;
  faults: Faults;
  /** Bearer token of the /_admin endpoints. */
  adminToken: string;
}

/** The session the auth middleware attached to a versioned API request. */
export function sessionOf(res: Response): Session {
  const session = res.locals.session as Session | undefined;
  if (!session) throw new Error('route used outside the authenticated API');
  return session;
}

/** The API version of the request URL without the `v`, e.g. `59.0`. */
export function apiVersionOf(req: Request): string {
  return String(req.params.version ?? '59.0');
}

export function apiVersionNumber(req: Request): number {
  return Number(apiVersionOf(req));
}
