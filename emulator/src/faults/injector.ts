import { type BulkOutcome, type FaultPlan, type Faults, NO_FAULTS } from './faults';

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

export class FaultInjector implements Faults {
  private current: FaultPlan;
  private random: () => number;

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
    return this.plan();
  }

  /** One roll of the dice; a zero rate never consumes randomness, so unrelated faults stay put. */
  roll(rate: number): boolean {
    if (rate <= 0) return false;
    return this.random() < rate;
  }

  lockRow(): boolean {
    return this.roll(this.current.lockRowRate);
  }

  dropAfterCommit(): boolean {
    return this.roll(this.current.dropAfterCommitRate);
  }

  bulkJobOutcome(): BulkOutcome {
    if (this.roll(this.current.bulkFailRate)) return 'fail';
    if (this.roll(this.current.bulkStuckRate)) return 'stuck';
    return 'ok';
  }
}
