import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { loadYamlFile, parseYamlText } from './yaml-file';

/** Job types the server runs; the first five are SalesOps_Job__c's Type__c values. */
export const JOB_TYPES = [
  'Sync',
  'FullSync',
  'Recompute',
  'Writeback',
  'Cycle',
  'ApplyTerritoryChanges',
] as const;

const cronExpression = z.string().superRefine((expr, ctx) => {
  const v = cron.validateDetailed(expr);
  if (!v.valid) {
    const why = v.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'not a cron expression';
    ctx.addIssue({ code: 'custom', message: `invalid cron expression (${why})` });
  }
});

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as UTC or Europe/Berlin');

const scheduleSchema = z.strictObject({
  cron: cronExpression,
  job: z.enum(JOB_TYPES),
  enabled: z.boolean().default(true),
  timezone: timeZone.optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

const scheduleConfigSchema = z.strictObject({
  timezone: timeZone.default('UTC'),
  commandPollSeconds: z.number().int().min(60, 'must be at least 60 (once a minute)').default(60),
  schedules: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase slug'), scheduleSchema)
    .default({}),
});

export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;
export type ScheduleEntry = z.infer<typeof scheduleSchema>;

export const DEFAULT_SCHEDULE_CONFIG_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'config',
  'schedules.yaml',
);

/** Reads config/schedules.yaml; every problem is reported at once (file, path, reason). */
export function loadScheduleConfig(file: string = DEFAULT_SCHEDULE_CONFIG_FILE): ScheduleConfig {
  return loadYamlFile(file, scheduleConfigSchema, 'schedule config');
}

export function parseScheduleConfig(text: string, file = 'schedules.yaml'): ScheduleConfig {
  return parseYamlText(text, file, scheduleConfigSchema, 'schedule config');
}
