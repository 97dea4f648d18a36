import type { RouteContext } from '../http/context';
import { createLogger, type Logger } from '../logger';
import type { Org } from '../org';
import { realPorts } from './real-ports';
import { BulkService } from './service';

export { BulkService } from './service';
export type { BulkPorts } from './ports';

const services = new WeakMap<Org, BulkService>();

/** Uses this service for the org's Bulk routes (tests that swap the DML or SOQL ports). */
export function installBulkService(org: Org, service: BulkService): void {
  services.set(org, service);
}

/** The org's Bulk service, made on first use with the real DML layer and SOQL engine. */
export function bulkServiceFor(ctx: RouteContext, log: Logger = defaultLogger()): BulkService {
  let service = services.get(ctx.org);
  if (!service) {
    service = new BulkService(ctx.org, ctx.faults, realPorts(), log);
    services.set(ctx.org, service);
  }
  return service;
}

let logger: Logger | null = null;
function defaultLogger(): Logger {
  logger ??= createLogger(process.env.LOG_LEVEL ?? 'info', 'embedded-org-bulk');
  return logger;
}
