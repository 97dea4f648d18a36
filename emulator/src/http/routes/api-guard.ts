import type { RouteModule } from './route-module';

/** Not built yet. */
export const registerApiGuardRoutes: RouteModule = () => undefined;
