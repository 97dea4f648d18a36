export * from './plan-schema';
export * from './types';
export { computeCommissions } from './compute-commissions';
export { statementKey, lineKey } from './keys';
