import type { Request, Response } from 'express';
import { identityUrl } from '../../auth/tokens';
import { apiVersionOf, sessionOf } from '../context';
import { sendJson } from '../respond';
import type { RouteModule } from './route-module';

/** Versions the version list advertises; 59.0 is Winter '24. */
const LISTED_MIN = 20;
const LISTED_MAX = 62;
/** Versions accepted in URLs: clients newer than the list still work, as on a real org a release ahead. */
const ACCEPTED_MAX = 66;

/** Release name of an API version: three releases a year, v20.0 being Winter '11. */
export function releaseLabel(major: number): string {
  const season = ['Winter', 'Spring', 'Summer'][(major - LISTED_MIN) % 3];
  const year = 11 + Math.floor((major - LISTED_MIN) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function isSupportedVersion(version: string): boolean {
  const m = /^(\d+)\.0$/.exec(version);
  return m !== null && Number(m[1]) >= LISTED_MIN && Number(m[1]) <= ACCEPTED_MAX;
}

/** GET /services/data: the API versions, unauthenticated and not counted against the allocation. */
export const registerVersionsRoutes: RouteModule = (router) => {
  router.get('/services/data', (_req: Request, res: Response) => {
    const versions = [];
    for (let major = LISTED_MIN; major <= LISTED_MAX; major++) {
      versions.push({ label: releaseLabel(major), url: `/services/data/v${major}.0`, version: `${major}.0` });
    }
    sendJson(res, 200, versions);
  });
};

/** Resources of the versioned root; jsforce reads only `identity`, the rest are for completeness. */
const RESOURCES = [
  'tooling',
  'metadata',
  'eclair',
  'folders',
  'prechatForms',
  'jobs',
  'recent',
  'connect',
  'licensing',
  'limits',
  'process',
  'dedupe',
  'async-queries',
  'query',
  'consent',
  'compactLayouts',
  'knowledgeManagement',
  'sobjects',
  'actions',
  'support',
  'queryAll',
  'search',
  'quickActions',
  'event',
  'analytics',
  'theme',
  'composite',
  'chatter',
  'parameterizedSearch',
  'tabs',
  'appMenu',
  'wave',
  'sites',
  'localizedvalue',
  'ui-api',
  'scheduling',
];

/**
 * GET /services/data/vNN.N/: the resource map, on the versioned (authenticated, counted) router.
 * Every value is a path except identity, which is absolute and names the caller.
 */
export const registerVersionRootRoutes: RouteModule = (router, ctx) => {
  router.get('/', (req: Request, res: Response) => {
    const base = `/services/data/v${apiVersionOf(req)}`;
    const map: Record<string, string> = {};
    for (const name of RESOURCES) map[name] = `${base}/${name}`;
    map.identity = identityUrl(ctx.org, sessionOf(res).userId);
    sendJson(res, 200, map);
  });
};
