import type { RouteModule } from './route-module';

/** Not built yet. */
export const registerBulk2QueryRoutes: RouteModule = () => undefined;
