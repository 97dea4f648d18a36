import { registerAdminRoutes } from './admin';
import { registerApiGuardRoutes } from './api-guard';
import { registerBulk2IngestRoutes } from './bulk2-ingest';
import { registerBulk2QueryRoutes } from './bulk2-query';
import { registerCompositeRoutes } from './composite';
import { registerDescribeRoutes } from './describe';
import { registerGraphQlRoutes } from './graphql';
import { registerIdentityRoutes } from './identity';
import { registerLimitsRoutes } from './limits';
import { registerOauthRoutes } from './oauth';
import { registerQueryRoutes } from './query';
import type { RouteModule } from './route-module';
import { registerSoapRoutes } from './soap';
import { registerSobjectsRoutes } from './sobjects';
import { registerUiApiRoutes } from './ui-api';
import { registerVersionRootRoutes, registerVersionsRoutes } from './versions';

/** Routes outside /services/data/vNN.N; each handles its own authentication. */
export const unversionedRouteModules: RouteModule[] = [
  registerOauthRoutes,
  registerSoapRoutes,
  registerIdentityRoutes,
  registerVersionsRoutes,
  registerAdminRoutes,
];

/**
 * Routes under /services/data/vNN.N, after the session check. The guard comes first: it counts
 * the request against the daily allocation and applies injected faults.
 */
export const versionedRouteModules: RouteModule[] = [
  registerApiGuardRoutes,
  registerVersionRootRoutes,
  registerLimitsRoutes,
  registerDescribeRoutes,
  registerQueryRoutes,
  registerSobjectsRoutes,
  registerCompositeRoutes,
  registerBulk2IngestRoutes,
  registerBulk2QueryRoutes,
  registerUiApiRoutes,
  registerGraphQlRoutes,
];
