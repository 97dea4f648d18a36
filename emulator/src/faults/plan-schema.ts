import { z } from 'zod';
import type { FaultPlan } from './faults';

const rate = z.number().min(0).max(1);

/** Longer delays would only trip client timeouts, which is not what latency injection is for. */
export const MAX_LATENCY_MS = 60_000;

/**
 * A FaultPlan as a client may send it (admin PUT /_admin/faults): every key optional, unknown keys
 * refused so a misspelt rate is an error rather than a silent no-op.
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
  })
  .partial();

// Fails to compile when FaultPlan gains a key the schema does not know.
type SchemaKeys = keyof z.infer<typeof faultPlanSchema>;
const exhaustive: Record<keyof FaultPlan, true> = {} as Record<SchemaKeys, true>;
void exhaustive;

/** Describes every problem of an invalid plan, one per line, naming the key. */
export function describePlanIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
