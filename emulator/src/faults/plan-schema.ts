import { z } from 'zod';
import type { FaultPlan } from './faults';

const rate = z.number().min(0).max(1);

/** Longer delays would only trip client timeouts, which is not what latency injection is for. */
export const MAX_LATENCY_MS = 60_000;

/**
 * A FaultPlan as a client may send it (admin PUT /_admin/faults): every key optional, unknown keys
 * refused so a misspelt rate is an error rather than a silent no-op. The shape `satisfies` every
 * key of FaultPlan, so a new plan field cannot be forgotten here.
 */
export const faultPlanSchema = z
  .strictObject({
    seed: z
      .number()
      .int()
      .min(-(2 ** 31))
      .max(2 ** 32),
    serverErrorRate: rate,
    rateLimitRate: rate,
    rateLimitStatus: z.union([z.literal(420), z.literal(429)]),
    requestLimitRate: rate,
    lockRowRate: rate,
    sessionExpiryRate: rate,
    latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS),
    dropAfterCommitRate: rate,
    bulkFailRate: rate,
    bulkStuckRate: rate,
  } satisfies Record<keyof FaultPlan, z.ZodType>)
  .partial();

/** Every problem of an invalid body, each naming its key, in one message. */
export function describePlanIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
