/**
 * One opportunity planned end to end before anything is written: its products and amount, how
 * its close date moved, the stages it went through and when, and who owned it along the way.
 * The plan is pure data; `opportunities.ts` turns plans into rows.
 */
import { daysInMonth, firstDayOfMonth, type FiscalQuarter, monthOfDay } from './calendar';
import { CORE_PRODUCTS, PRODUCTS } from './catalog';
import type { SeedContext } from './context';
import { DECIMAL_PLACES } from './currencies';
import type { Rep } from './org-chart';
import type { Random } from './random';
import { SEGMENT_MODEL, type Segment } from './segments';
import { STAGES } from '../schema/standard-objects';

export const WON = 8;
export const LOST = 9;
const LAST_OPEN = 7;

/** Forecast category API values by label (Opportunity.ForecastCategoryName → ForecastCategory). */
export const FORECAST_API: Record<string, string> = {
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  'Most Likely': 'MostLikely',
  Commit: 'Forecast',
  Closed: 'Closed',
  Omitted: 'Omitted',
};

const TYPES = [
  'New Customer',
  'Existing Customer - Upgrade',
  'Renewal',
  'Existing Customer - Replacement',
  'Existing Customer - Downgrade',
];
const TYPE_WEIGHTS = [0.45, 0.35, 0.12, 0.05, 0.03];
const TYPE_SHORT: Record<string, string> = {
  'New Customer': 'New Business',
  'Existing Customer - Upgrade': 'Expansion',
  Renewal: 'Renewal',
  'Existing Customer - Replacement': 'Replacement',
  'Existing Customer - Downgrade': 'Downgrade',
};
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const NEXT_STEPS = [
  'Schedule demo',
  'Send proposal',
  'Security review',
  'Legal redlines',
  'Exec sponsor call',
  'Pricing approval',
  'Confirm budget',
];
/** Share of deals closing in each month of a quarter: the last month carries the push to quota. */
const MONTH_WEIGHTS = [0.24, 0.28, 0.48];
const SLIP_COUNT_WEIGHTS = [0.64, 0.22, 0.09, 0.05];
/** Chance a deal is logged in an intermediate stage on its way (reps skip stages in the CRM). */
const STAGE_VISIT = 0.45;
/** Chance a deal starts with a rough amount before products are quoted. */
const ESTIMATE_FIRST = 0.5;
const LOST_AT_STAGE_WEIGHTS = [0.22, 0.2, 0.17, 0.13, 0.1, 0.08, 0.06, 0.04];

export interface LinePlan {
  product: number;
  quantity: number;
  discount: number;
  unitMinor: number;
  totalMinor: number;
}

export interface HistoryPlan {
  at: number;
  byUserId: string;
  stage: number;
  amountMinor: number;
  closeDay: number;
  forecastCategory: string;
  prevAmountMinor: number | null;
  prevCloseDay: number | null;
}

export interface DealPlan {
  rep: Rep;
  account: number;
  currency: string;
  name: string;
  type: string;
  leadSource: string;
  nextStep: string | null;
  stage: number;
  forecastCategoryName: string;
  closeDay: number;
  pushCount: number;
  amountMinor: number;
  lines: LinePlan[];
  linesAt: number;
  history: HistoryPlan[];
  createdAt: number;
  createdById: string;
  ownerId: string;
  lastModifiedAt: number;
  lastModifiedById: string;
  lastStageChangeAt: number;
  /** Second revenue-split owner and the owner's share, for shared deals. */
  splitWith: { userId: string; ownerPercent: number } | null;
  /** When the deal moved from a rep who left to their successor; null when it never moved. */
  reassignedAt: number | null;
}

interface Event {
  at: number;
  kind: 'stage' | 'slip' | 'products';
  stage?: number;
  closeDay?: number;
}

export class DealPlanner {
  constructor(
    private readonly ctx: SeedContext,
    private readonly rng: Random,
    private readonly listMinor: number[][],
  ) {}

  plan(
    rep: Rep,
    quarter: FiscalQuarter,
    account: number,
    accountName: string,
    currency: string,
    currencyIdx: number,
    rampFactor: number,
  ): DealPlan {
    const { ctx, rng } = this;
    const seg = SEGMENT_MODEL[rep.segment];
    const today = ctx.today;

    // planned close: seasonality by month and, in the quarter's last month, by day
    const mi = rng.weightedIndex(MONTH_WEIGHTS);
    const plannedClose = this.dayInMonth(quarter.startMonth + mi, mi === 2);
    let createdDay = plannedClose - rng.int(seg.cycleMin, seg.cycleMax);
    const lo = rep.hireDay + 1;
    const hi = Math.min(today - 1, rep.leaveDay !== null ? rep.leaveDay - 1 : Infinity);
    if (createdDay > hi) createdDay = hi - rng.int(0, Math.min(30, hi - lo));
    if (createdDay < lo) createdDay = lo + rng.int(0, Math.min(14, hi - lo));
    let close = Math.max(plannedClose, createdDay + rng.int(7, 21));
    const createdAt = ctx.at(createdDay, rng.int(8, 16), rng.int(0, 59));

    // slipped close dates: each push happens shortly before the date it moves, and only if that was before today
    const events: Event[] = [];
    const slips = rng.weightedIndex(SLIP_COUNT_WEIGHTS);
    const firstClose = close;
    let pushCount = 0;
    let lastSlipDay = createdDay;
    for (let s = 0; s < slips; s++) {
      // pushes are in time order: the rep moves a date shortly before it would pass
      const day = Math.max(close - rng.int(0, 10), lastSlipDay + 1);
      if (day >= today) break;
      const next = this.slipTarget(monthOfDay(close));
      events.push({ at: ctx.at(day, rng.int(9, 17), rng.int(0, 59)), kind: 'slip', closeDay: next });
      close = next;
      lastSlipDay = day;
      pushCount++;
    }

    // outcome: closed once the close date is behind us, except a few overdue deals nobody updated
    const overdue = close < today && close >= today - 45 && rng.chance(0.05);
    const closed = close < today && !overdue;
    const winP = Math.min(0.85, Math.max(0.05, seg.winRate * rep.skill * rampFactor - 0.04 * pushCount));
    const won = closed && rng.chance(winP);
    const first = rng.chance(0.3) ? 1 : 0;
    let target: number;
    if (closed) target = won ? LAST_OPEN : rng.weightedIndex(LOST_AT_STAGE_WEIGHTS);
    else {
      const f = overdue
        ? 0.9
        : Math.min(1, Math.max(0, (today - createdDay) / Math.max(1, close - createdDay)));
      target = Math.min(LAST_OPEN, Math.floor(f * 8 * rng.float(0.6, 1.25)));
    }
    target = Math.max(first, target);
    const path: number[] = [];
    for (let s = first + 1; s <= target; s++) if (s === target || rng.chance(STAGE_VISIT)) path.push(s);
    if (closed) path.push(won ? WON : LOST);

    // stage changes spread between creation and the close (or today, for open deals)
    const closeAt = closed ? ctx.at(close, rng.int(14, 17), rng.int(0, 59)) : 0;
    const end = closed ? closeAt - 3_600_000 : ctx.asOf - 3_600_000;
    const stageTimes = path
      .slice(0, closed ? -1 : undefined)
      .map(() => rng.float(createdAt + 60_000, end))
      .sort((a, b) => a - b);
    path.forEach((stage, k) =>
      events.push({ at: k < stageTimes.length ? Math.floor(stageTimes[k]) : closeAt, kind: 'stage', stage }),
    );

    // products and amount: an early estimate is replaced by the quoted lines, unless quoted at once
    const type = rng.weighted(TYPES, TYPE_WEIGHTS);
    const lines = this.lines(rep.segment, type, currencyIdx);
    const amountMinor = lines.reduce((a, l) => a + l.totalMinor, 0);
    const unit = Math.pow(10, DECIMAL_PLACES[currency]) * (currency === 'JPY' ? 100_000 : 1_000);
    const estimate = rng.chance(ESTIMATE_FIRST)
      ? Math.max(unit, Math.round((amountMinor * rng.float(0.6, 1.4)) / unit) * unit)
      : amountMinor;
    const firstEventAt = events.length ? Math.min(...events.map((e) => e.at)) : end;
    const productsEvent: Event | null =
      estimate === amountMinor
        ? null
        : {
            at: Math.floor(rng.float(createdAt + 30_000, Math.max(createdAt + 60_000, firstEventAt))),
            kind: 'products',
          };
    if (productsEvent) events.push(productsEvent);

    events.sort((a, b) => a.at - b.at);
    let last = createdAt;
    for (const e of events) {
      // history rows are ordered by time: no two changes in the same second
      e.at = Math.max(Math.floor(e.at / 1000) * 1000, last + 1000);
      last = e.at;
    }
    const linesAt = productsEvent ? productsEvent.at : createdAt;

    const stageDef = STAGES[path.length ? path[path.length - 1] : first];
    const finalStage = path.length ? path[path.length - 1] : first;
    let forecastCategoryName: string = stageDef.category;
    if (!closed && finalStage >= 6)
      forecastCategoryName = rng.weighted(['Commit', 'Best Case', 'Pipeline'], [0.45, 0.4, 0.15]);
    else if (!closed && finalStage >= 4 && rng.chance(0.25)) forecastCategoryName = 'Best Case';

    const reassignAt = rep.leaveDay !== null && rep.successor ? this.ctx.at(rep.leaveDay + 1, 9) : Infinity;
    const ownerAt = (t: number): string =>
      t >= reassignAt && rep.successor ? rep.successor.userId : rep.userId;
    const history: HistoryPlan[] = [];
    let state = { stage: first, amountMinor: estimate, closeDay: firstClose };
    const push = (at: number, fc: string, prev: { amountMinor: number; closeDay: number } | null): void => {
      history.push({
        at,
        byUserId: ownerAt(at),
        stage: state.stage,
        amountMinor: state.amountMinor,
        closeDay: state.closeDay,
        forecastCategory: fc,
        prevAmountMinor: prev?.amountMinor ?? null,
        prevCloseDay: prev?.closeDay ?? null,
      });
    };
    push(createdAt, FORECAST_API[STAGES[first].category], null);
    let lastStageChangeAt = createdAt;
    events.forEach((e, k) => {
      const prev = { ...state };
      if (e.kind === 'stage' && e.stage !== undefined) {
        state = { ...state, stage: e.stage };
        lastStageChangeAt = e.at;
      } else if (e.kind === 'slip' && e.closeDay !== undefined) state = { ...state, closeDay: e.closeDay };
      else state = { ...state, amountMinor: amountMinor };
      const isLast = k === events.length - 1;
      push(
        e.at,
        isLast ? FORECAST_API[forecastCategoryName] : FORECAST_API[STAGES[state.stage].category],
        prev,
      );
    });
    // the last change sets the forecast category the rep chose; make sure a row records it
    const lastRow = history[history.length - 1];
    lastRow.forecastCategory = FORECAST_API[forecastCategoryName];

    const finalAt = closed ? closeAt : ctx.asOf;
    const ownerId = ownerAt(finalAt);
    const reassigned = ownerId !== rep.userId;
    const lastModifiedAt = reassigned ? Math.max(last, reassignAt) : last;
    const lastModifiedById = reassigned && reassignAt >= last ? ctx.adminUserId : lastRow.byUserId;
    const teammates = rep.team.reps.filter((r) => r.userId !== ownerId && r !== rep && r.leaveDay === null);
    const splitWith =
      teammates.length && rng.chance(0.1)
        ? { userId: rng.pick(teammates).userId, ownerPercent: rng.pick([50, 60, 70, 80]) }
        : null;
    const core = PRODUCTS[lines[0].product];
    return {
      rep,
      account,
      currency,
      name: `${accountName} - ${core.name} ${TYPE_SHORT[type]}`.slice(0, 120),
      type,
      leadSource: rng.pick(LEAD_SOURCES),
      nextStep: closed ? null : rng.pick(NEXT_STEPS),
      stage: finalStage,
      forecastCategoryName,
      closeDay: close,
      pushCount,
      amountMinor,
      lines,
      linesAt,
      history,
      createdAt,
      createdById: rep.userId,
      ownerId,
      lastModifiedAt,
      lastModifiedById,
      lastStageChangeAt,
      splitWith,
      reassignedAt: reassigned ? reassignAt : null,
    };
  }

  /** Where a slipped deal lands: often the end of a quarter ("next quarter, for sure"), else a month or two later. */
  private slipTarget(fromMonth: number): number {
    const later = fromMonth + 1 + this.rng.weightedIndex([0.7, 0.3]);
    const month = this.rng.chance(0.5) ? this.ctx.cal.quarterOfMonth(later).startMonth + 2 : later;
    return this.dayInMonth(month, this.ctx.cal.quarterOfMonth(month).startMonth + 2 === month);
  }

  /** A day of the month; in a quarter's last month, deals bunch up towards the end. */
  private dayInMonth(month: number, quarterEnd: boolean): number {
    const dim = daysInMonth(month);
    const day = quarterEnd
      ? Math.max(1, dim - Math.floor(Math.abs(this.rng.normal()) * 6))
      : this.rng.int(1, dim);
    return firstDayOfMonth(month) + day - 1;
  }

  private lines(segment: Segment, type: string, currencyIdx: number): LinePlan[] {
    const { rng } = this;
    const seg = SEGMENT_MODEL[segment];
    const expansion = type !== 'New Customer' && type !== 'Renewal';
    const cores = CORE_PRODUCTS.filter(({ prod }) => (expansion ? true : prod.family === 'Platform'));
    // smaller customers buy the cheaper editions
    const tierBias =
      segment === 'SMB'
        ? [0.5, 0.35, 0.1, 0.05]
        : segment === 'Mid-Market'
          ? [0.15, 0.45, 0.3, 0.1]
          : [0.05, 0.2, 0.45, 0.3];
    const core = cores[rng.weightedIndex(cores.map((_, i) => tierBias[i % tierBias.length]))].i;
    const seats = Math.max(1, Math.round(rng.logNormal(seg.seatsMedian * (expansion ? 0.5 : 1), 0.5)));
    const chosen = [core];
    const extras = Math.min(
      4,
      rng.weightedIndex([0.12, 0.3, 0.33, 0.25]) + (segment === 'Enterprise' ? 1 : 0),
    );
    while (chosen.length < 1 + extras) {
      const p = rng.int(0, PRODUCTS.length - 1);
      const secondPlatform = CORE_PRODUCTS.some((c) => c.i === p && PRODUCTS[p].family === 'Platform');
      if (!chosen.includes(p) && !secondPlatform && PRODUCTS[p].listUsd <= seg.maxExtraUsd) chosen.push(p);
    }
    return chosen.map((product, k) => {
      const prod = PRODUCTS[product];
      const quantity =
        k === 0
          ? seats
          : prod.unit === 'seat'
            ? Math.max(1, Math.round(seats * rng.float(0.2, 1)))
            : prod.unit === 'day'
              ? rng.int(3, segment === 'Enterprise' ? 40 : 12)
              : rng.int(1, segment === 'Enterprise' ? 4 : 2);
      const discount = rng.chance(0.35) ? 0 : 5 * rng.int(1, seg.maxDiscount / 5);
      const unitMinor = this.listMinor[product][currencyIdx];
      return {
        product,
        quantity,
        discount,
        unitMinor,
        totalMinor: Math.round((quantity * unitMinor * (100 - discount)) / 100),
      };
    });
  }
}
