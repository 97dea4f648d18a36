import { DomainError } from '../engine-context';
import { mulDivHalfEven } from '../money/decimal';
import { pct, ppmPercent } from './format';
import type { PlanVersion } from './plan-schema';

/**
 * Rates as integers: a rate is held in millionths (8% = 80,000 ppm, the 4 decimals of Rate__c), so
 * credit (minor units) × rate is an exact integer in millionths of a minor unit ("micro"). Numbers
 * stay exact below 2^53: one line's credit × rate and a statement's running total must stay under
 * 9.007e15 micro (90 million in major units at a 100% rate); beyond that the engine stops with
 * COMMISSION.AMOUNT_RANGE rather than round silently.
 */
export const MICRO = 1_000_000;

export function percentToPpm(percent: number): number {
  return Math.round(percent * 10_000);
}

export function mulExact(a: number, b: number): number {
  const p = a * b;
  if (!Number.isSafeInteger(p))
    throw new DomainError(
      'COMMISSION.AMOUNT_RANGE',
      `amount out of the exact range (${a} × ${b}): a line or statement above 90 million at 100% rate`,
    );
  return p;
}

export function addExact(a: number, b: number): number {
  const s = a + b;
  if (!Number.isSafeInteger(s))
    throw new DomainError('COMMISSION.AMOUNT_RANGE', `running total out of the exact range (${a} + ${b})`);
  return s;
}

/** Micro → minor units, half-even. */
export function roundMicro(x: number): number {
  let q = Math.floor(x / MICRO);
  let r = x - q * MICRO;
  if (r < 0) {
    q -= 1;
    r += MICRO;
  } else if (r >= MICRO) {
    q += 1;
    r -= MICRO;
  }
  if (2 * r > MICRO || (2 * r === MICRO && q % 2 !== 0)) q += 1;
  return q;
}

export interface Band {
  /** Credit in minor units where the band starts (inclusive) and ends (exclusive; Infinity for the last). */
  from: number;
  to: number;
  ratePpm: number;
  label: string;
  index: number;
  fromPct: number;
  toPct: number | null;
}

/** A plan version's rates for one rep and period, with the attainment bounds turned into credit. */
export interface Schedule {
  mode: 'flat' | 'marginal' | 'retroactive';
  bands: Band[];
  /** Credit above this earns nothing (caps.attainment); Infinity when uncapped. */
  cap: number;
  /** Below this credit at period end nothing is earned (floors.attainment); -Infinity when none. */
  floor: number;
  /** The quota the bands are based on (null: flat, or no quota → first tier only). */
  quota: number | null;
  thresholds: string | null;
}

export function tierLabel(
  t: { name?: string | undefined; from: number; to?: number | undefined },
  index: number,
): string {
  const range = t.to === undefined ? `${pct(t.from)}%+` : `${pct(t.from)}–${pct(t.to)}%`;
  return `${t.name ? `${t.name}, ` : ''}tier ${index + 1}: ${range} attainment`;
}

const thresholdMinor = (quota: number, percent: number): number =>
  mulDivHalfEven(quota, percentToPpm(percent), 100 * 10_000);

export function buildSchedule(version: PlanVersion, quota: number | null): Schedule {
  const r = version.rates;
  const cap =
    version.caps.attainment !== undefined && quota !== null
      ? thresholdMinor(quota, version.caps.attainment)
      : Infinity;
  const floor =
    version.floors.attainment !== undefined && quota !== null
      ? thresholdMinor(quota, version.floors.attainment)
      : -Infinity;
  if (r.mode === 'flat') {
    const ratePpm = percentToPpm(r.rate ?? 0);
    return {
      mode: 'flat',
      bands: [
        {
          from: -Infinity,
          to: Infinity,
          ratePpm,
          label: `flat ${ppmPercent(ratePpm)}%`,
          index: 0,
          fromPct: 0,
          toPct: null,
        },
      ],
      cap,
      floor,
      quota,
      thresholds: null,
    };
  }
  const tierRate = (t: PlanVersion['rates']['tiers'][number]): number =>
    t.rate !== undefined
      ? percentToPpm(t.rate)
      : Math.round(percentToPpm(r.baseRate ?? 0) * (t.multiplier ?? 1));
  const thresholds = r.tiers.map((t) => pct(t.from)).join(',');
  if (quota === null || quota <= 0) {
    // Without a quota attainment is undefined: every credit earns the first tier (reported as a warning).
    const t = r.tiers[0]!;
    return {
      mode: r.mode,
      bands: [
        {
          from: -Infinity,
          to: Infinity,
          ratePpm: tierRate(t),
          label: `${tierLabel(t, 0)} (no quota)`,
          index: 0,
          fromPct: t.from,
          toPct: t.to ?? null,
        },
      ],
      cap,
      floor,
      quota: null,
      thresholds,
    };
  }
  const bands = r.tiers.map((t, i) => ({
    from: i === 0 ? -Infinity : thresholdMinor(quota, t.from),
    to: t.to === undefined ? Infinity : thresholdMinor(quota, t.to),
    ratePpm: tierRate(t),
    label: tierLabel(t, i),
    index: i,
    fromPct: t.from,
    toPct: t.to ?? null,
  }));
  return { mode: r.mode, bands, cap, floor, quota, thresholds };
}

export function bandAt(s: Schedule, credit: number): Band {
  for (const b of s.bands) if (credit < b.to) return b;
  return s.bands[s.bands.length - 1]!;
}

export interface Slice {
  credit: number;
  band: Band;
  micro: number;
}

/**
 * Marginal earnings of the credit between c0 and c1 (either order; negative when c1 < c0): each part
 * of it at the rate of the band it falls in, nothing above the attainment cap.
 */
export function marginalSlices(s: Schedule, c0: number, c1: number): Slice[] {
  const sign = c1 >= c0 ? 1 : -1;
  const lo = Math.min(Math.min(c0, c1), s.cap);
  const hi = Math.min(Math.max(c0, c1), s.cap);
  const out: Slice[] = [];
  if (hi <= lo) return out;
  for (const b of s.bands) {
    const a = Math.max(lo, b.from);
    const z = Math.min(hi, b.to);
    if (z > a) out.push({ credit: sign * (z - a), band: b, micro: sign * mulExact(z - a, b.ratePpm) });
  }
  return out;
}

/** The part of [c0, c1) that is under the attainment cap (signed like c1 − c0). */
export function uncappedCredit(s: Schedule, c0: number, c1: number): number {
  const sign = c1 >= c0 ? 1 : -1;
  const lo = Math.min(Math.min(c0, c1), s.cap);
  const hi = Math.min(Math.max(c0, c1), s.cap);
  return hi > lo ? sign * (hi - lo) : 0;
}
