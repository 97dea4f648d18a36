/**
 * The pure domain: engines take (snapshot, config, asOf) and return rows plus traces. Nothing here
 * reads files, the clock or the environment; callers (CLI, app use cases) pass everything in.
 */
export * as calendar from './calendar';
export * as money from './money';
export * from './snapshot';
export { EngineConfigSchema, type EngineConfig, type EngineConfigInput } from './engine-config';
export { DomainError, type EngineWarning } from './engine-context';
export * from './forecast';
export * from './kpi';
