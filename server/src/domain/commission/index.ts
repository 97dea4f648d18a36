export * from './plan-schema';
export * from './types';
export { computeCommissions, type CommissionRunOptions } from './compute-commissions';
export { statementKey, lineKey } from './keys';
