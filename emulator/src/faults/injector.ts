import {
  type BulkOutcome,
  type FaultCounters,
  type FaultPlan,
  type Faults,
  NO_FAULTS,
  type RequestFault,
  type RequestFaults,
  ZERO_COUNTERS,
} from './faults';

/** mulberry32: a tiny seeded PRNG, enough to make injected faults repeatable. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector implements Faults, RequestFaults {
  private current: FaultPlan;
  private random: () => number;
  private counters: FaultCounters = { ...ZERO_COUNTERS };

  constructor(plan: Partial<FaultPlan> = {}) {
    this.current = { ...NO_FAULTS, ...plan };
    this.random = mulberry32(this.current.seed);
  }

  plan(): FaultPlan {
    return { ...this.current };
  }

  configure(plan: Partial<FaultPlan>): FaultPlan {
    this.current = { ...NO_FAULTS, ...plan };
    this.random = mulberry32(this.current.seed);
    this.counters = { ...ZERO_COUNTERS };
    return this.plan();
  }

  /** One roll of the dice; a zero rate never consumes randomness, so unrelated faults stay put. */
  roll(rate: number): boolean {
    if (rate <= 0) return false;
    return this.random() < rate;
  }

  /**
   * Rolls the request-level faults in a fixed order (5xx, rate limit, request limit, session
   * expiry); the first that hits wins and the rest are not rolled, so one request gets one fault.
   */
  beforeRequest(): RequestFault {
    this.counters.requests++;
    const p = this.current;
    const fault = this.roll(p.serverErrorRate)
      ? 'serverError'
      : this.roll(p.rateLimitRate)
        ? 'rateLimit'
        : this.roll(p.requestLimitRate)
          ? 'requestLimit'
          : this.roll(p.sessionExpiryRate)
            ? 'sessionExpiry'
            : null;
    if (fault) this.counters[fault]++;
    return { latencyMs: p.latencyMs, fault };
  }

  injected(): FaultCounters {
    return { ...this.counters };
  }

  lockRow(): boolean {
    return this.count('lockRow', this.roll(this.current.lockRowRate));
  }

  dropAfterCommit(): boolean {
    return this.count('dropAfterCommit', this.roll(this.current.dropAfterCommitRate));
  }

  bulkJobOutcome(): BulkOutcome {
    if (this.count('bulkFail', this.roll(this.current.bulkFailRate))) return 'fail';
    if (this.count('bulkStuck', this.roll(this.current.bulkStuckRate))) return 'stuck';
    return 'ok';
  }

  private count(kind: keyof FaultCounters, hit: boolean): boolean {
    if (hit) this.counters[kind]++;
    return hit;
  }
}
