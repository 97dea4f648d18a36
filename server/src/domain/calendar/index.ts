export * from './dates';
export * from './config';
export * from './fiscal-calendar';
