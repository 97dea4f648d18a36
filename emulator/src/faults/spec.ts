import type { FaultPlan } from './faults';
import { MAX_LATENCY_MS } from './plan-schema';

/** A `--faults` string that cannot be used; the message names the offending key. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

type Setter = (value: string, key: string) => Partial<FaultPlan>;

const rate =
  (field: Extract<keyof FaultPlan, `${string}Rate`>): Setter =>
  (value, key) => ({ [field]: parseRate(value, key) });

/** Short keys of the CLI spec in the order the help text gives them, each with the plan fields it sets. */
const ENTRIES: Array<[string, Setter]> = [
  ['seed', (value, key) => ({ seed: parseInteger(value, key, -(2 ** 31), 2 ** 32) })],
  ['5xx', rate('serverErrorRate')],
  ['429', (value, key) => ({ rateLimitRate: parseRate(value, key), rateLimitStatus: 429 })],
  ['420', (value, key) => ({ rateLimitRate: parseRate(value, key), rateLimitStatus: 420 })],
  ['limit', rate('requestLimitRate')],
  ['lock', rate('lockRowRate')],
  ['expire', rate('sessionExpiryRate')],
  ['latency', (value, key) => ({ latencyMs: parseInteger(value, key, 0, MAX_LATENCY_MS) })],
  ['drop', rate('dropAfterCommitRate')],
  ['bulkfail', rate('bulkFailRate')],
  ['bulkstuck', rate('bulkStuckRate')],
];
// A Map, not an object: keys are client text, and `constructor` must not find Object's.
const KEYS = new Map(ENTRIES);

/**
 * Parses the CLI's `--faults` spec, e.g. `seed=7,5xx=0.05,429=0.02,lock=0.1,latency=50`, into the
 * plan fields it sets. Keys are case-insensitive; each may appear once (429 and 420 share one rate,
 * so only one of them). Every problem is an error that names the key, never a silent default.
 */
export function parseFaultSpec(spec: string): Partial<FaultPlan> {
  const plan: Partial<FaultPlan> = {};
  const seen = new Set<string>();
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    if (eq < 0) throw new FaultSpecError(`fault "${entry}" needs a value, like ${entry}=0.05`);
    const key = entry.slice(0, eq).trim().toLowerCase();
    const value = entry.slice(eq + 1).trim();
    const setter = KEYS.get(key);
    if (!setter) throw new FaultSpecError(`unknown fault "${key}"; known: ${[...KEYS.keys()].join(', ')}`);
    const slot = key === '420' ? '429' : key;
    if (seen.has(slot)) {
      throw new FaultSpecError(
        key === slot ? `fault "${key}" is given twice` : 'faults "429" and "420" cannot both be given',
      );
    }
    seen.add(slot);
    Object.assign(plan, setter(value, key));
  }
  return plan;
}

function parseRate(value: string, key: string): number {
  const n = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 1))
    throw new FaultSpecError(`fault "${key}" must be a rate from 0 to 1, got "${value}"`);
  return n;
}

function parseInteger(value: string, key: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new FaultSpecError(`fault "${key}" must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
