import type { RouteModule } from './route-module';

/** Not built yet. */
export const registerVersionsRoutes: RouteModule = () => undefined;
