import path from 'node:path';
import { z } from 'zod';
import { CONFIG_DIR } from './engine-config';
import { loadYamlFile, parseYamlText } from './yaml-file';

const writebackConfigSchema = z
  .strictObject({
    chunkSize: z.number().int().min(1).max(200).default(200),
    minChunkSize: z.number().int().min(1).max(200).default(10),
    bulkThreshold: z.number().int().min(1).default(1000),
    bulkJobTimeoutSeconds: z.number().int().min(1).default(600),
    bulkPollMs: z.number().int().min(1).max(60_000).default(100),
    maxConcurrentObjects: z.number().int().min(1).max(8).default(2),
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().min(0).default(250),
        maxDelayMs: z.number().int().min(0).default(10_000),
      })
      .default({ attempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 }),
  })
  .refine((c) => c.minChunkSize <= c.chunkSize, {
    path: ['minChunkSize'],
    message: 'must not be above chunkSize',
  });

export type WritebackConfig = z.infer<typeof writebackConfigSchema>;

export const DEFAULT_WRITEBACK_CONFIG_FILE = path.join(CONFIG_DIR, 'writeback.yaml');

/** Reads config/writeback.yaml; every problem names the file, the path and the reason. */
export function loadWritebackConfig(file: string = DEFAULT_WRITEBACK_CONFIG_FILE): WritebackConfig {
  return loadYamlFile(file, writebackConfigSchema, 'write-back config');
}

export function parseWritebackConfig(text: string, file: string): WritebackConfig {
  return parseYamlText(text, file, writebackConfigSchema, 'write-back config');
}
