import type { RouteModule } from './route-module';

/** Not built yet. */
export const registerOauthRoutes: RouteModule = () => undefined;
