import type { RouteModule } from './route-module';

/** Not built yet. */
export const registerBulk2IngestRoutes: RouteModule = () => undefined;
