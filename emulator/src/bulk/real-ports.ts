import {
  deleteRecords,
  hardDeleteRecords,
  insertRecords,
  updateRecords,
  upsertRecords,
  type DmlContext,
} from '../dml';
import { openBulkQuery } from '../soql';
import type { BulkDmlContext, BulkPorts } from './ports';

/** Bulk writes are partial-success calls on CSV cells. */
function dmlContext(ctx: BulkDmlContext): DmlContext {
  return { userId: ctx.userId, allOrNone: false, mode: 'csv', faults: ctx.faults };
}

/** The Bulk ports bound to the org's DML layer and SOQL engine. */
export function realPorts(): BulkPorts {
  return {
    dml: {
      insert: (org, objectName, records, ctx) => insertRecords(org, objectName, records, dmlContext(ctx)),
      update: (org, objectName, records, ctx) => updateRecords(org, objectName, records, dmlContext(ctx)),
      upsert: (org, objectName, field, records, ctx) =>
        upsertRecords(org, objectName, field, records, dmlContext(ctx)),
      delete: (org, ids, ctx) => deleteRecords(org, ids, dmlContext(ctx)),
      hardDelete: (org, ids, ctx) => hardDeleteRecords(org, ids, dmlContext(ctx)),
    },
    query: { open: (org, soql, opts) => openBulkQuery(org, soql, opts) },
  };
}
