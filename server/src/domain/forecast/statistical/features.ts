import { sigmoid } from './logistic';
import type { StatisticalConfig } from '../config';

/** What the model knows about one open deal at one observation day. */
export interface DealFeatures {
  stageName: string;
  ageInStageDays: number;
  pushes: number;
  /** Corporate major units (the amount bands are written in them). */
  amountMajor: number;
  /** CloseDate − observation day (negative when past due). */
  daysToClose: number;
  /** The close date falls in the quarter being called. */
  closesThisQuarter: boolean;
  /** Days since the start of the quarter holding the observation day: calls made early and late differ. */
  daysElapsed: number;
  /** logit(smoothed rate) − logit(org rate): 0 for a rep or segment with no closed history. */
  repSignal: number;
  segmentSignal: number;
}

const PUSH_BANDS = [1, 2, 3];
const TO_CLOSE_BANDS = [0, 31, 91, 181];
const ELAPSED_BANDS = [15, 45, 75];

/** Lays features out as a dense vector: intercept, one-hot bands, two continuous win-rate signals. */
export class FeatureEncoder {
  readonly names: string[] = ['intercept'];
  private readonly stageIndex = new Map<string, number>();
  private readonly otherStage: number;
  private readonly ageStart: number;
  private readonly pushStart: number;
  private readonly amountStart: number;
  private readonly toCloseStart: number;
  private readonly thisQuarterIndex: number;
  private readonly elapsedStart: number;
  private readonly repIndex: number;
  private readonly segmentIndex: number;

  constructor(
    openStages: readonly string[],
    private readonly config: StatisticalConfig,
  ) {
    for (const s of openStages) {
      this.stageIndex.set(s, this.names.length);
      this.names.push(`stage=${s}`);
    }
    this.otherStage = this.names.length;
    this.names.push('stage=(other)');
    this.ageStart = this.bands('ageInStage', config.ageBandsDays, 'd');
    this.pushStart = this.bands('pushes', PUSH_BANDS, '');
    this.amountStart = this.bands('amount', config.amountBands, '');
    this.toCloseStart = this.bands('daysToClose', TO_CLOSE_BANDS, 'd');
    this.thisQuarterIndex = this.names.length;
    this.names.push('closesThisQuarter');
    this.elapsedStart = this.bands('daysElapsed', ELAPSED_BANDS, 'd');
    this.repIndex = this.names.length;
    this.names.push('repWinRateSignal');
    this.segmentIndex = this.names.length;
    this.names.push('segmentWinRateSignal');
  }

  get dims(): number {
    return this.names.length;
  }

  encode(f: DealFeatures): number[] {
    const x = new Array<number>(this.names.length).fill(0);
    x[0] = 1;
    x[this.stageIndex.get(f.stageName) ?? this.otherStage] = 1;
    x[this.ageStart + band(f.ageInStageDays, this.config.ageBandsDays)] = 1;
    x[this.pushStart + band(f.pushes, PUSH_BANDS)] = 1;
    x[this.amountStart + band(f.amountMajor, this.config.amountBands)] = 1;
    x[this.toCloseStart + band(f.daysToClose, TO_CLOSE_BANDS)] = 1;
    x[this.thisQuarterIndex] = f.closesThisQuarter ? 1 : 0;
    x[this.elapsedStart + band(f.daysElapsed, ELAPSED_BANDS)] = 1;
    x[this.repIndex] = f.repSignal;
    x[this.segmentIndex] = f.segmentSignal;
    return x;
  }

  /**
   * The same vector in sparse form: the features that are set, in increasing order, with their values
   * (zeros left out). Training holds hundreds of thousands of these, so no dense array is kept.
   */
  encodeSparse(f: DealFeatures): SparseFeatures {
    const index = [
      0,
      this.stageIndex.get(f.stageName) ?? this.otherStage,
      this.ageStart + band(f.ageInStageDays, this.config.ageBandsDays),
      this.pushStart + band(f.pushes, PUSH_BANDS),
      this.amountStart + band(f.amountMajor, this.config.amountBands),
      this.toCloseStart + band(f.daysToClose, TO_CLOSE_BANDS),
    ];
    const value = [1, 1, 1, 1, 1, 1];
    if (f.closesThisQuarter) {
      index.push(this.thisQuarterIndex);
      value.push(1);
    }
    index.push(this.elapsedStart + band(f.daysElapsed, ELAPSED_BANDS));
    value.push(1);
    if (f.repSignal !== 0) {
      index.push(this.repIndex);
      value.push(f.repSignal);
    }
    if (f.segmentSignal !== 0) {
      index.push(this.segmentIndex);
      value.push(f.segmentSignal);
    }
    return { index, value };
  }

  private bands(name: string, limits: readonly number[], unit: string): number {
    const start = this.names.length;
    let lower = '';
    for (const limit of limits) {
      this.names.push(`${name}${lower ? `>=${lower}` : ''}<${limit}${unit}`);
      lower = String(limit);
    }
    this.names.push(`${name}>=${lower}${unit}`);
    return start;
  }
}

/** A feature vector as its non-zero entries, in increasing feature order. */
export interface SparseFeatures {
  index: number[];
  value: number[];
}

/**
 * Groups vectors exactly as their dense forms joined with commas would (values print as their
 * shortest round-trip text, and 0 and -0 both count as absent).
 */
export function sparseKey(x: SparseFeatures): string {
  let key = '';
  for (let e = 0; e < x.index.length; e += 1) key += `${x.index[e]}:${x.value[e]},`;
  return key;
}

/** `predict` on the sparse form: the same terms in the same order, without the zeros. */
export function predictSparse(weights: readonly number[], x: SparseFeatures): number {
  let z = 0;
  for (let e = 0; e < x.index.length; e += 1) z += weights[x.index[e]!]! * x.value[e]!;
  return sigmoid(z);
}

/** Index of the half-open band [limit[i-1], limit[i]) holding the value. */
export function band(value: number, limits: readonly number[]): number {
  let i = 0;
  while (i < limits.length && value >= limits[i]!) i += 1;
  return i;
}

/**
 * Win rates of reps and segments from deals closed before a day, shrunk toward the org rate with a
 * Beta prior of `strength` pseudo-deals, so a rep with three deals is not called a 100% closer.
 */
export class WinRates {
  private readonly closed: { day: number; rep: string; segment: string; won: boolean }[];
  private cursor = 0;
  private wins = 0;
  private total = 0;
  private readonly rep = new Map<string, [number, number]>();
  private readonly segment = new Map<string, [number, number]>();

  constructor(
    deals: readonly { day: number; rep: string; segment: string; won: boolean }[],
    private readonly strength: number,
  ) {
    this.closed = [...deals].sort((a, b) => a.day - b.day);
  }

  /** Counts every deal closed strictly before `day`; days must not go backwards. */
  advanceTo(day: number): void {
    while (this.cursor < this.closed.length && this.closed[this.cursor]!.day < day) {
      const d = this.closed[this.cursor]!;
      this.cursor += 1;
      this.total += 1;
      if (d.won) this.wins += 1;
      bump(this.rep, d.rep, d.won);
      bump(this.segment, d.segment, d.won);
    }
  }

  repSignal(rep: string): number {
    return this.signal(this.rep.get(rep));
  }

  segmentSignal(segment: string): number {
    return this.signal(this.segment.get(segment));
  }

  private signal(counts: [number, number] | undefined): number {
    if (!counts) return 0;
    const base = (this.wins + 1) / (this.total + 2);
    const smoothed = (counts[0] + this.strength * base) / (counts[1] + this.strength);
    return logit(smoothed) - logit(base);
  }
}

function bump(map: Map<string, [number, number]>, key: string, won: boolean): void {
  const c = map.get(key) ?? [0, 0];
  if (won) c[0] += 1;
  c[1] += 1;
  map.set(key, c);
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** FNV-1a: a stable hash for deterministic sampling. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
