/** How big a demo org is: named sizes from the foundation issue, or N reps with the rest scaled. */
export type DemoSize = 'small' | 'medium' | 'large' | number;

export interface DemoCounts {
  reps: number;
  accounts: number;
  opportunities: number;
}

const NAMED: Record<'small' | 'medium' | 'large', DemoCounts> = {
  small: { reps: 40, accounts: 2_000, opportunities: 8_000 },
  medium: { reps: 400, accounts: 40_000, opportunities: 200_000 },
  large: { reps: 2_000, accounts: 200_000, opportunities: 1_000_000 },
};

export const MIN_REPS = 3;
export const MAX_REPS = 20_000;

/**
 * Small orgs have fewer accounts and deals per rep than big ones (50 and 200 at 40 reps, 100 and
 * 500 from 400 reps on); in between the ratios move geometrically, so counts grow smoothly with N.
 */
export function resolveSize(size: DemoSize): DemoCounts {
  if (typeof size === 'string') {
    const named = NAMED[size];
    if (!named)
      throw new Error(`unknown demo size '${String(size)}' (small, medium, large or a number of reps)`);
    return named;
  }
  if (!Number.isInteger(size) || size < MIN_REPS || size > MAX_REPS) {
    throw new Error(`demo size must be a whole number of reps from ${MIN_REPS} to ${MAX_REPS}, got ${size}`);
  }
  const t = Math.min(1, Math.max(0, Math.log(size / 40) / Math.log(10)));
  const accountsPerRep = 50 * Math.pow(2, t);
  const oppsPerRep = 200 * Math.pow(2.5, t);
  return {
    reps: size,
    accounts: Math.round(size * accountsPerRep),
    opportunities: Math.round(size * oppsPerRep),
  };
}

export function sizeLabel(size: DemoSize): string {
  return typeof size === 'number' ? String(size) : size;
}
