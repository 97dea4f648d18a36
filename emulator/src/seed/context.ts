import type { Org } from '../org';
import { FiscalCalendar, type FiscalQuarter, ZonedClock } from './calendar';
import type { RateTable } from './currencies';
import { Random } from './random';
import { TableWriter } from './table-writer';

export interface SeedProgress {
  phase: string;
  done: number;
  total: number;
}

/** Everything the phases of one generation share. */
export class SeedContext {
  readonly cal: FiscalCalendar;
  /** The last eight fiscal quarters, the current one and the next two, in order. */
  readonly quarters: FiscalQuarter[];
  readonly current: FiscalQuarter;
  /** First day of the first window quarter, last day of the last one. */
  readonly windowStart: number;
  readonly windowEnd: number;
  rates!: RateTable;
  private readonly clock: ZonedClock;
  private readonly writers = new Map<string, TableWriter>();

  constructor(
    readonly org: Org,
    readonly seed: string,
    /** The generation's "now" in ms; nothing is created after it. */
    readonly asOf: number,
    /** asOf's calendar date in the org's time zone. */
    readonly today: number,
    readonly adminUserId: string,
    private readonly onProgress: ((p: SeedProgress) => void) | undefined,
  ) {
    this.cal = new FiscalCalendar(org.settings.fiscalYearStartMonth);
    this.clock = new ZonedClock(org.settings.timeZone);
    this.current = this.cal.quarterOfDay(today);
    this.quarters = [];
    for (let i = -8; i <= 2; i++) this.quarters.push(this.cal.quarter(this.current.index + i));
    this.windowStart = this.quarters[0].startDay;
    this.windowEnd = this.quarters[this.quarters.length - 1].endDay;
  }

  rng(label: string): Random {
    return Random.fork(this.seed, label);
  }

  has(objectName: string): boolean {
    return this.org.schema.find(objectName) !== undefined;
  }

  /** The writer of an object (shared, so counts add up across phases). */
  table(objectName: string): TableWriter {
    let w = this.writers.get(objectName);
    if (!w) {
      w = new TableWriter(this.org, objectName);
      this.writers.set(objectName, w);
    }
    return w;
  }

  /** Rows written per object. */
  rowCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of this.writers.values()) if (w.count > 0) out[w.name] = w.count;
    return out;
  }

  progress(phase: string, done: number, total: number): void {
    this.onProgress?.({ phase, done, total });
  }

  /** A time of a day in the org's time zone, as a datetime in ms (so "yesterday 17:00" is before asOf). */
  at(day: number, hour: number, minute = 0): number {
    return this.clock.at(day, hour, minute);
  }

  /** Runs `fn` in one SQLite transaction. */
  tx<T>(fn: () => T): T {
    return this.org.db.transaction(fn)();
  }
}

/** Lets the event loop breathe between batches, so a running org keeps answering while it seeds. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
