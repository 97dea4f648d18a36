import type { RouteModule } from './route-module';

/** Not built yet. */
export const registerLimitsRoutes: RouteModule = () => undefined;
