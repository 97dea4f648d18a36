export * from './types';
export * from './schema';
export * from './parse-snapshot';
