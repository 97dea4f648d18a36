import path from 'node:path';
import { z } from 'zod';
import { loadYamlFile, parseYamlText } from './yaml-file';

const apiName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an API name such as Amount or Region__c');

const objectSchema = z.strictObject({
  fields: z.array(apiName).min(1).optional(),
  extraFields: z.array(apiName).optional(),
  enabled: z.boolean().optional(),
});

const ratio = z.number().gt(0).max(1);

const syncConfigSchema = z
  .strictObject({
    lookbackSeconds: z.number().int().min(0).max(86_400).default(600),
    bulkThreshold: z.number().int().min(1).default(8000),
    bulkPageSize: z.number().int().min(1000).max(1_000_000).default(50_000),
    bulkJobTimeoutSeconds: z.number().int().min(1).default(600),
    reconcileEveryHours: z.number().min(0).default(24),
    describeEveryHours: z.number().min(0).default(24),
    budget: z
      .strictObject({ pauseNonCriticalAt: ratio.default(0.8), stopAt: ratio.default(0.9) })
      .default({ pauseNonCriticalAt: 0.8, stopAt: 0.9 }),
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().min(0).default(250),
        maxDelayMs: z.number().int().min(0).default(10_000),
      })
      .default({ attempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 }),
    objects: z
      .record(
        apiName,
        objectSchema.nullable().transform((o) => o ?? {}),
      )
      .refine((o) => Object.keys(o).length > 0, 'must name at least one object'),
  })
  .refine((c) => c.budget.pauseNonCriticalAt <= c.budget.stopAt, {
    path: ['budget', 'pauseNonCriticalAt'],
    message: 'must not be above budget.stopAt',
  });

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type SyncObjectConfig = z.infer<typeof objectSchema>;

export const DEFAULT_SYNC_CONFIG_FILE = path.resolve(__dirname, '..', '..', '..', 'config', 'sync.yaml');

/**
 * Reads config/sync.yaml. Every problem is reported at once, each naming the file, the JSON path
 * (e.g. `budget.stopAt`) and the reason.
 */
export function loadSyncConfig(file: string = DEFAULT_SYNC_CONFIG_FILE): SyncConfig {
  return loadYamlFile(file, syncConfigSchema, 'sync config');
}

export function parseSyncConfig(text: string, file: string): SyncConfig {
  return parseYamlText(text, file, syncConfigSchema, 'sync config');
}
