import { SfError } from '../errors';
import type { BulkPorts } from './ports';

/** Placeholder until src/dml and src/soql land: every job fails with a clear message. */
export function realPorts(): BulkPorts {
  const unavailable = (): never => {
    throw new SfError(501, 'NOT_IMPLEMENTED', 'The DML layer or SOQL engine is not available in this build');
  };
  return {
    dml: { insert: unavailable, update: unavailable, upsert: unavailable, delete: unavailable, hardDelete: unavailable },
    query: { open: unavailable },
  };
}
