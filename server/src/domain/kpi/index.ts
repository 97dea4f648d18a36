export * from './config';
export { computeKpis, type KpiOptions, type KpiResult } from './compute-kpis';
export type { KpiRow, KpiTrace, KpiScope } from './rows';
export { IMPLEMENTED_VERSIONS } from './formulas';
