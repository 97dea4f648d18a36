import { fromDayNumber, isIsoDate, toDayNumber, type IsoDate } from '../calendar/dates';
import { createFiscalCalendar, type FiscalCalendar, type Period } from '../calendar/fiscal-calendar';
import { DomainError, type EngineWarning } from '../engine-context';
import { CurrencyTable } from '../money/currency-table';
import { decimalToMinor, formatMinor, mulDivHalfEven, ratio } from '../money/decimal';
import { StageBook } from '../pipeline/stage-book';
import type {
  CommissionHold,
  CommissionLedger,
  CommissionLineType,
  CreditRole,
  LedgerLine,
} from '../snapshot/schema-commission';
import type { Opportunity, Snapshot } from '../snapshot/types';
import { CrossRates } from './conversion';
import { Crediting } from './credits';
import { money, ppmPercent } from './format';
import { lineKey, statementKey } from './keys';
import { measureOf } from './measure';
import { PlanResolver, type ResolvedPlan } from './plan-resolver';
import type { PlanVersion, Spiff } from './plan-schema';
import {
  addExact,
  bandAt,
  buildSchedule,
  marginalSlices,
  MICRO,
  mulExact,
  percentToPpm,
  roundMicro,
  uncappedCredit,
  type Schedule,
} from './rates';
import type {
  CommissionLineRow,
  CommissionPlanBook,
  CommissionResult,
  CommissionStatementRow,
} from './types';

/** The deal as it stood on asOf (replayed from history when it changed after). */
interface DealView {
  opp: Opportunity;
  amount: string | null;
  closeDate: IsoDate;
  closeDay: number;
  stageName: string;
  isClosed: boolean;
  isWon: boolean;
}

/** One payee's credit on a won deal, priced later with the period's attainment. */
interface Credit {
  deal: DealView;
  payee: string;
  role: CreditRole;
  percentH: number;
  via: string | null;
  creditDate: IsoDate;
  creditDay: number;
  resolved: ResolvedPlan;
  period: Period;
  currency: string;
  /** Measure in the statement currency before the split share. */
  measure: number;
  credited: number;
  steps: string[];
}

interface Draft {
  lineType: CommissionLineType;
  code: string;
  sourceId: string;
  opportunityId: string | null;
  creditDate: IsoDate | null;
  creditRole: CreditRole | null;
  splitH: number | null;
  credited: number;
  ratePpm: number | null;
  tier: string | null;
  /** Exact value in millionths of a minor unit, for lines that are rounded on the running total. */
  micro: number | null;
  amount: number;
  payable: number;
  holdReason: string | null;
  forecastCategory: string | null;
  originalLineKey: string | null;
  reason: string | null;
  planKey: string | null;
  planVersion: number | null;
  /** Left side of the trace; " = <amount>" is added once the amount is final. */
  expr: string;
  inputs: Record<string, unknown>;
  deal: DealView | null;
  version: PlanVersion | null;
  key?: string;
}

interface PeriodPricing {
  drafts: Draft[];
  quota: number | null;
  startCredit: number;
  endCredit: number;
  periodCredit: number;
  schedule: Schedule;
  /** Exact commission earned (micro), true-up included: what "already earned" sums for YTD plans. */
  commissionMicro: number;
  /** Every exact line value of the period (commission, SPIFF, true-up), for projections. */
  totalMicro: number;
}

interface YearState {
  fiscalYear: number;
  credit: number;
  quota: number;
  earnedMicro: number;
}

const CODES: Record<CommissionLineType, string> = {
  Commission: 'COM',
  SPIFF: 'SPF',
  Draw: 'DRW',
  'Draw Recovery': 'DRR',
  Clawback: 'CLB',
  'Prior Period Adjustment': 'PPA',
  'Hold Release': 'HRL',
  Projected: 'PRJ',
};
const ROLE_ORDER: CreditRole[] = ['Owner', 'Revenue Split', 'Overlay', 'Territory', 'Manager'];
const PROJECTION_ROLLUPS: Record<'commit' | 'bestCase' | 'pipeline', readonly string[]> = {
  commit: ['Commit'],
  bestCase: ['Commit', 'MostLikely', 'BestCase'],
  pipeline: ['Commit', 'MostLikely', 'BestCase', 'Pipeline'],
};

const hundredthsText = (h: number): string => formatMinor(h, 2).replace(/\.?0+$/, '') || '0';

/**
 * The commission engine: statements and lines per rep and period from a snapshot, the plans and
 * asOf. Pure and deterministic: the same inputs give the same rows, whatever their order.
 *
 * Periods listed as closed in the ledger are reproduced exactly as posted; their recalculation is
 * compared with what was posted and the difference goes to the rep's current open period, as a
 * clawback (a paid deal lost, cancelled or reduced inside the plan's window, at the original rate) or
 * a prior-period adjustment with its reason. Passing an earlier asOf reconstructs the statements as
 * they stood then: later history, payments, payouts and period closes are ignored.
 *
 * Rounding: half-even to the minor unit of the statement currency, on the running total of the
 * period's computed lines (commission, SPIFF, true-up, partial clawback) in their order. Each line is
 * the difference of two rounded running totals, so the lines add up to the exact total rounded once
 * (rounding creates no money) and a line differs from its own rounded value by at most one minor
 * unit (its trace says so). Adjustments, draws and releases are whole minor units already.
 */
export function computeCommissions(
  snapshot: Snapshot,
  book: CommissionPlanBook,
  asOf: IsoDate,
  ledgerIn?: CommissionLedger,
  options: CommissionRunOptions = {},
): CommissionResult {
  if (!isIsoDate(asOf))
    throw new DomainError('COMMISSION.INVALID_AS_OF', `asOf must be a YYYY-MM-DD date, got ${asOf}`);
  return new CommissionRun(snapshot, book, asOf, ledgerIn).run(options.onPhase ?? (() => undefined));
}

export interface CommissionRunOptions {
  /** Called as each phase ends (benchmarks time them; the engine itself reads no clock). */
  onPhase?: (phase: 'setup' | 'deals' | 'credits' | 'statements') => void;
}

class CommissionRun {
  private readonly asOfDay: number;
  private readonly warnings: EngineWarning[] = [];
  private readonly calendar: FiscalCalendar;
  private readonly table: CurrencyTable;
  private readonly rates: CrossRates;
  private readonly stages: StageBook;
  private readonly resolver: PlanResolver;
  private readonly crediting: Crediting;
  private readonly scopeStartDay: number;
  private readonly closed = new Map<string, IsoDate>();
  private readonly ledgerByRepPeriod = new Map<string, LedgerLine[]>();
  private readonly adjustmentsByOriginal = new Map<string, LedgerLine[]>();
  private readonly payouts = new Map<string, number[]>();
  private readonly paidByOpp = new Map<string, { date: IsoDate; amount: string; currency: string }[]>();
  private readonly holds: CommissionHold[];
  private readonly quotas = new Map<string, { amount: string; currency: string }[]>();
  private readonly deals = new Map<string, DealView>();
  private readonly credits = new Map<string, Map<string, Credit[]>>();
  private readonly openDeals = new Map<
    string,
    { deal: DealView; candidate: ReturnType<Crediting['candidates']>[number] }[]
  >();
  private readonly statementPlans = new Map<string, Map<string, ResolvedPlan | null>>();
  private readonly stats = {
    opportunitiesRead: 0,
    credits: 0,
    duplicateCreditsRemoved: 0,
    reps: 0,
    clawbacks: 0,
    priorPeriodAdjustments: 0,
  };
  private outsideWindow = 0;
  private readonly noQuota: string[] = [];

  constructor(
    private readonly snapshot: Snapshot,
    book: CommissionPlanBook,
    private readonly asOf: IsoDate,
    ledgerIn?: CommissionLedger,
  ) {
    this.asOfDay = toDayNumber(asOf);
    this.calendar = createFiscalCalendar(book.fiscalCalendar);
    this.table = new CurrencyTable(snapshot.corporateCurrency, snapshot.currencies, snapshot.datedRates);
    this.rates = new CrossRates(this.table);
    this.stages = new StageBook(book.stages);
    this.resolver = new PlanResolver(snapshot, book.plans, snapshot.corporateCurrency, this.warnings);
    this.crediting = new Crediting(snapshot);
    // This fiscal year (YTD plans) and back as far as the longest clawback window reaches (the
    // closed periods whose lines can still be clawed back or adjusted); older periods stay as posted.
    let window = 0;
    for (const p of book.plans) for (const v of p.versions) window = Math.max(window, v.clawback.windowDays);
    const quarterAtWindow = this.calendar.periodOfDay(this.asOfDay - window, 'quarter').startDay;
    this.scopeStartDay = Math.min(this.calendar.periodOfDay(this.asOfDay, 'year').startDay, quarterAtWindow);
    this.readLedger(ledgerIn);
    this.holds = snapshot.commissionHolds.filter((h) => h.from <= asOf);
    for (const p of snapshot.payments) {
      if (p.date > asOf) continue;
      const list = this.paidByOpp.get(p.opportunityId) ?? [];
      list.push(p);
      this.paidByOpp.set(p.opportunityId, list);
    }
    for (const q of snapshot.quotas) {
      if (q.ownerType !== 'user' || q.productFamily !== null) continue;
      const key = `${q.ownerId}|${q.periodType}|${q.periodStart}`;
      const list = this.quotas.get(key) ?? [];
      list.push({ amount: q.amount, currency: q.currency });
      this.quotas.set(key, list);
    }
  }

  private readLedger(ledgerIn?: CommissionLedger): void {
    const own = this.snapshot.commissionLedger;
    const all: CommissionLedger = ledgerIn
      ? {
          closedPeriods: [...own.closedPeriods, ...ledgerIn.closedPeriods],
          lines: [...own.lines, ...ledgerIn.lines],
          payouts: [...own.payouts, ...ledgerIn.payouts],
        }
      : own;
    for (const c of all.closedPeriods) {
      // As of a day before the close, the period was still open.
      if (c.closedOn > this.asOf) continue;
      const prev = this.closed.get(c.periodKey);
      if (!prev || c.closedOn < prev) this.closed.set(c.periodKey, c.closedOn);
    }
    const seen = new Set<string>();
    for (const l of all.lines) {
      if (!this.closed.has(l.periodKey) || seen.has(l.key)) continue;
      seen.add(l.key);
      const k = `${l.repId}|${l.periodKey}`;
      const list = this.ledgerByRepPeriod.get(k) ?? [];
      list.push(l);
      this.ledgerByRepPeriod.set(k, list);
      if (l.originalLineKey) {
        const adj = this.adjustmentsByOriginal.get(l.originalLineKey) ?? [];
        adj.push(l);
        this.adjustmentsByOriginal.set(l.originalLineKey, adj);
      }
    }
    for (const p of all.payouts) {
      if (p.date > this.asOf) continue;
      const k = `${p.repId}|${p.periodKey}`;
      const list = this.payouts.get(k) ?? [];
      list.push(decimalToMinor(p.amount, this.table.decimalsOf(p.currency)));
      this.payouts.set(k, list);
    }
  }

  run(onPhase: NonNullable<CommissionRunOptions['onPhase']>): CommissionResult {
    onPhase('setup');
    this.buildDealViews();
    onPhase('deals');
    this.collectCredits();
    onPhase('credits');
    const statements: CommissionStatementRow[] = [];
    const lines: CommissionLineRow[] = [];
    const reps = new Set<string>();
    for (const u of this.resolver.users())
      if (this.resolver.assignedBetween(u, this.scopeStartDay, this.asOfDay)) reps.add(u);
    for (const u of this.credits.keys()) reps.add(u);
    for (const k of this.ledgerByRepPeriod.keys()) reps.add(k.slice(0, k.indexOf('|')));
    for (const rep of [...reps].sort()) this.runRep(rep, statements, lines);
    onPhase('statements');
    this.stats.reps = reps.size;
    this.stats.duplicateCreditsRemoved = this.crediting.duplicatesRemoved;
    if (this.outsideWindow > 0)
      this.warnings.push({
        code: 'COMMISSION.OUTSIDE_CLAWBACK_WINDOW',
        message: `${this.outsideWindow} paid line(s) whose deal was lost or reduced after the clawback window: kept as paid`,
      });
    if (this.noQuota.length > 0)
      this.warnings.push({
        code: 'COMMISSION.NO_QUOTA',
        message: `${this.noQuota.length} rep period(s) with credits but no quota: tiered plans paid the first tier's rate (${this.noQuota.slice(0, 5).join(', ')}${this.noQuota.length > 5 ? ', …' : ''})`,
      });
    if (this.stages.unmapped.size > 0)
      this.warnings.push({
        code: 'COMMISSION.UNMAPPED_STAGE',
        message: `stages not in the stage map (treated as open Pipeline): ${[...this.stages.unmapped].sort().join(', ')}`,
      });
    return { asOf: this.asOf, statements, lines, warnings: this.warnings, stats: this.stats };
  }

  // ---------------------------------------------------------------------------------------------
  // Deals and credits

  /**
   * The deals the run needs, as they stood on asOf: won ones that can credit inside the scope, open
   * ones closing this quarter (projections) and every deal a posted line refers to (clawbacks).
   */
  private buildDealViews(): void {
    const later = new Map<string, Snapshot['history']>();
    for (const h of this.snapshot.history) {
      if (h.changedAt <= this.asOf) continue;
      later.set(h.opportunityId, []);
    }
    if (later.size > 0) for (const h of this.snapshot.history) later.get(h.opportunityId)?.push(h);
    const referenced = new Set<string>();
    for (const list of this.ledgerByRepPeriod.values())
      for (const l of list) if (l.opportunityId !== null) referenced.add(l.opportunityId);
    const scopeStart = fromDayNumber(this.scopeStartDay);
    const quarter = this.calendar.periodOfDay(this.asOfDay, 'quarter');
    for (const opp of this.snapshot.opportunities) {
      if (opp.createdDate > this.asOf) continue;
      this.stats.opportunitiesRead += 1;
      const rows = later.get(opp.id);
      let view: DealView;
      if (!rows) {
        if (!referenced.has(opp.id)) {
          if (opp.isWon ? opp.closeDate < scopeStart && !datedAfter(opp, scopeStart) : opp.isClosed) continue;
          if (!opp.isClosed && (opp.closeDate < quarter.start || opp.closeDate > quarter.end)) continue;
        }
        view = {
          opp,
          amount: opp.amount,
          closeDate: opp.closeDate,
          closeDay: toDayNumber(opp.closeDate),
          stageName: opp.stageName,
          isClosed: opp.isClosed,
          isWon: opp.isWon,
        };
      } else {
        // It changed after asOf: the last state on or before asOf (the first recorded one if none).
        rows.sort((a, b) => (a.changedAt < b.changedAt ? -1 : a.changedAt > b.changedAt ? 1 : 0));
        let state = rows[0]!;
        for (const r of rows) if (r.changedAt <= this.asOf) state = r;
        const outcome = this.stages.outcomeOf(state.stageName);
        view = {
          opp,
          amount: state.amount,
          closeDate: state.closeDate,
          closeDay: toDayNumber(state.closeDate),
          stageName: state.stageName,
          isClosed: outcome !== 'open',
          isWon: outcome === 'won',
        };
      }
      this.deals.set(opp.id, view);
    }
  }

  private creditDateOf(deal: DealView, version: PlanVersion): IsoDate {
    const rule = version.crediting.creditDate;
    if (rule === 'booking') return deal.opp.dates.bookingDate ?? deal.closeDate;
    if (rule === 'invoice') return deal.opp.dates.invoiceDate ?? deal.closeDate;
    return deal.closeDate;
  }

  private collectCredits(): void {
    const quarter = this.calendar.periodOfDay(this.asOfDay, 'quarter');
    for (const deal of this.deals.values()) {
      if (deal.isWon) this.creditDeal(deal);
      else if (!deal.isClosed && deal.closeDate >= quarter.start && deal.closeDate <= quarter.end) {
        for (const c of this.crediting.candidates(deal.opp, this.asOfDay)) {
          const list = this.openDeals.get(c.payee) ?? [];
          list.push({ deal, candidate: c });
          this.openDeals.set(c.payee, list);
        }
      }
    }
    for (const byPeriod of this.credits.values())
      for (const list of byPeriod.values()) list.sort(compareCredits);
  }

  /** A payee's credit on a deal under their plan, or null when the plan does not credit it. */
  private priceCandidate(
    deal: DealView,
    c: ReturnType<Crediting['candidates']>[number],
    fixedCreditDate: IsoDate | null,
  ): Credit | null {
    const closeDay = deal.closeDay;
    const atClose = this.resolver.at(c.payee, fixedCreditDate ? this.asOfDay : closeDay);
    if (!atClose) return null;
    const creditDate = fixedCreditDate ?? this.creditDateOf(deal, atClose.version);
    const creditDay = creditDate === deal.closeDate ? closeDay : toDayNumber(creditDate);
    const resolved =
      creditDay === closeDay || fixedCreditDate ? atClose : this.resolver.at(c.payee, creditDay);
    if (!resolved) return null;
    const v = resolved.version;
    if (!v.crediting.roles.includes(c.role)) return null;
    let percentH = c.percentH;
    if (c.role === 'Territory') {
      if (!c.territoryRole || !v.crediting.territoryRoles.includes(c.territoryRole)) return null;
      percentH = Math.round(v.crediting.territoryPercent * 100);
    }
    if (c.role === 'Manager' && c.level > v.crediting.managerLevels) return null;
    const period = this.calendar.periodOfDay(creditDay, v.period);
    if (period.endDay < this.scopeStartDay || period.startDay > this.asOfDay) return null;
    const stmt = this.statementPlan(c.payee, period);
    const currency = stmt?.currency ?? resolved.currency;
    const oppDecimals = this.table.decimalsOf(deal.opp.currency);
    const m = measureOf(deal.opp, deal.amount, v, oppDecimals);
    if (m.minor === null) return null;
    const steps = [...m.steps];
    let measure = m.minor;
    if (deal.opp.currency !== currency) {
      const conv = this.rates.conversion(deal.opp.currency, currency, creditDate);
      measure = mulDivHalfEven(m.minor, conv.mul, conv.div);
      const rate =
        conv.from.source === 'dated' || conv.to.source === 'dated'
          ? `dated rates on ${creditDate}`
          : 'static rates';
      steps.push(
        `${money(m.minor, deal.opp.currency, oppDecimals)} → ${money(measure, currency, this.table.decimalsOf(currency))} (${deal.opp.currency} ${conv.from.rate}, ${currency} ${conv.to.rate} per ${this.table.corporate}; ${rate})`,
      );
    }
    return {
      deal,
      payee: c.payee,
      role: c.role,
      percentH,
      via: c.via,
      creditDate,
      creditDay,
      resolved,
      period,
      currency,
      measure,
      credited: 0,
      steps,
    };
  }

  private creditDeal(deal: DealView): void {
    const priced: Credit[] = [];
    for (const c of this.crediting.candidates(deal.opp, deal.closeDay)) {
      const credit = this.priceCandidate(deal, c, null);
      if (credit) priced.push(credit);
    }
    allocateShares(priced);
    for (const credit of priced) {
      this.stats.credits += 1;
      let byPeriod = this.credits.get(credit.payee);
      if (!byPeriod) {
        byPeriod = new Map();
        this.credits.set(credit.payee, byPeriod);
      }
      const list = byPeriod.get(credit.period.key) ?? [];
      list.push(credit);
      byPeriod.set(credit.period.key, list);
    }
  }

  /** The plan a rep's statement for a period shows: the one in force on its last assigned day. */
  private statementPlan(rep: string, period: Period): ResolvedPlan | null {
    let byPeriod = this.statementPlans.get(rep);
    if (!byPeriod) {
      byPeriod = new Map();
      this.statementPlans.set(rep, byPeriod);
    }
    let plan = byPeriod.get(period.key);
    if (plan === undefined) {
      plan = this.resolver.lastIn(rep, period.startDay, period.endDay);
      byPeriod.set(period.key, plan);
    }
    return plan;
  }

  /** Schedules by plan version and quota: projections price a period many times over. */
  private readonly schedules = new Map<PlanVersion, Map<number | null, Schedule>>();

  private scheduleFor(v: PlanVersion, quota: number | null): Schedule {
    let byQuota = this.schedules.get(v);
    if (!byQuota) {
      byQuota = new Map();
      this.schedules.set(v, byQuota);
    }
    let s = byQuota.get(quota);
    if (!s) {
      s = buildSchedule(v, quota);
      byQuota.set(quota, s);
    }
    return s;
  }

  private quotaFor(rep: string, period: Period, version: PlanVersion, currency: string): number | null {
    if ('amount' in version.quota) {
      return this.rates.convert(
        decimalToMinor(version.quota.amount, this.table.decimalsOf(version.quota.currency)),
        version.quota.currency,
        currency,
        period.start,
      );
    }
    const list = this.quotas.get(`${rep}|${period.type}|${period.start}`);
    if (!list) return null;
    let sum = 0;
    for (const q of list)
      sum += this.rates.convert(
        decimalToMinor(q.amount, this.table.decimalsOf(q.currency)),
        q.currency,
        currency,
        period.start,
      );
    return sum;
  }

  // ---------------------------------------------------------------------------------------------
  // One rep, period by period

  private runRep(rep: string, statements: CommissionStatementRow[], out: CommissionLineRow[]): void {
    const periods = this.periodsOf(rep);
    if (periods.length === 0) return;
    const target =
      periods.find(
        (p) => !this.closed.has(p.key) && p.startDay <= this.asOfDay && p.endDay >= this.asOfDay,
      ) ??
      [...periods].reverse().find((p) => !this.closed.has(p.key)) ??
      null;
    const pending: Draft[] = [];
    let clawbackCredit = 0;
    let year: YearState | null = null;
    let drawBalance = 0;
    for (const period of periods) {
      const stmt = this.statementPlan(rep, period);
      if (!year || year.fiscalYear !== period.fiscalYear)
        year = { fiscalYear: period.fiscalYear, credit: 0, quota: 0, earnedMicro: 0 };
      const currency = stmt?.currency ?? this.snapshot.corporateCurrency;
      const decimals = this.table.decimalsOf(currency);
      const credits = this.credits.get(rep)?.get(period.key) ?? [];
      const isTarget = target !== null && period.key === target.key;
      const version = stmt?.version ?? credits[credits.length - 1]?.resolved.version ?? null;
      const pricing = version
        ? this.pricePeriod(
            rep,
            period,
            version,
            currency,
            credits,
            isTarget ? clawbackCredit : 0,
            year,
            'full',
          )
        : null;
      const isClosed = this.closed.has(period.key);
      let drafts: Draft[];
      let projections = { commit: 0, bestCase: 0, pipeline: 0 };
      if (isClosed) {
        const posted = this.ledgerByRepPeriod.get(`${rep}|${period.key}`) ?? [];
        for (const l of posted)
          if (l.lineType === 'Draw' || l.lineType === 'Draw Recovery')
            drawBalance += this.isRecoverable(l) ? decimalToMinor(l.amount, decimals) : 0;
        if (pricing && target) {
          const adj = this.compareClosed(rep, period, posted, pricing, target, currency);
          pending.push(...adj.drafts);
          clawbackCredit += adj.attainmentCredit;
        }
        const rows = this.ledgerRows(rep, period, posted);
        out.push(...rows);
        statements.push(this.closedStatement(rep, period, stmt, posted, rows, pricing, currency));
      } else {
        drafts = pricing ? pricing.drafts : [];
        if (isTarget) {
          // Re-price with the clawbacks that reduce attainment now known.
          if (version && clawbackCredit !== 0) {
            const again = this.pricePeriod(
              rep,
              period,
              version,
              currency,
              credits,
              clawbackCredit,
              year,
              'quiet',
            );
            drafts = again.drafts;
            Object.assign(pricing!, again);
          }
          drafts = [...drafts, ...pending];
        }
        this.roundStream(drafts);
        for (const d of drafts) this.setPayable(rep, d, currency);
        if (period.endDay < this.asOfDay && version?.draw)
          drawBalance = this.settleDraw(rep, period, version, drafts, drawBalance, currency);
        else if (period.endDay < this.asOfDay && !version?.draw && drawBalance > 0)
          drawBalance = this.recoverAfterDraw(rep, period, drafts, drawBalance, currency);
        if (period.startDay <= this.asOfDay && period.endDay >= this.asOfDay && version && pricing) {
          const proj = this.project(
            rep,
            period,
            version,
            currency,
            credits,
            isTarget ? clawbackCredit : 0,
            year,
            pricing,
          );
          drafts = [...drafts, ...proj.drafts];
          projections = proj.totals;
        }
        const rows = this.toRows(rep, period, drafts, currency, decimals);
        out.push(...rows);
        statements.push(this.openStatement(rep, period, stmt, rows, pricing, currency, projections));
      }
      if (pricing) {
        year.credit += pricing.periodCredit;
        year.quota += pricing.quota ?? 0;
        year.earnedMicro = addExact(year.earnedMicro, pricing.commissionMicro);
      }
    }
  }

  private periodsOf(rep: string): Period[] {
    const keys = new Map<string, Period>();
    for (const list of this.credits.get(rep)?.values() ?? [])
      if (list[0]) keys.set(list[0].period.key, list[0].period);
    for (const k of this.ledgerByRepPeriod.keys())
      if (k.startsWith(`${rep}|`)) {
        const p = this.calendar.byKey(k.slice(rep.length + 1));
        keys.set(p.key, p);
      }
    const types = new Set<'month' | 'quarter'>();
    for (let day = this.scopeStartDay; day <= this.asOfDay; day += 28) {
      const r = this.resolver.at(rep, day);
      if (r) types.add(r.version.period);
    }
    const now = this.resolver.at(rep, this.asOfDay);
    if (now) types.add(now.version.period);
    for (const type of types) {
      let p = this.calendar.periodOfDay(this.scopeStartDay, type);
      while (p.startDay <= this.asOfDay) {
        if (this.resolver.assignedBetween(rep, p.startDay, p.endDay)) keys.set(p.key, p);
        p = this.calendar.shift(p, 1);
      }
    }
    return [...keys.values()]
      .filter((p) => p.startDay <= this.asOfDay && p.endDay >= this.scopeStartDay)
      .sort((a, b) => a.startDay - b.startDay || a.endDay - b.endDay);
  }

  /**
   * Prices a rep's credits for one period: attainment from the period (or year-to-date) credit over
   * quota, each credit at its own plan version's rates, then floors and caps, SPIFFs and, for YTD
   * plans that say so, the true-up of earlier periods to the tier reached now.
   */
  private pricePeriod(
    rep: string,
    period: Period,
    stmtVersion: PlanVersion,
    currency: string,
    credits: Credit[],
    clawbackCredit: number,
    year: YearState,
    /** full: text and warnings; quiet: text only (a re-pricing); light: amounts only (projections). */
    mode: 'full' | 'quiet' | 'light',
  ): PeriodPricing {
    const light = mode === 'light';
    const decimals = this.table.decimalsOf(currency);
    const fmt = (m: number): string => money(m, currency, decimals);
    const ytd = stmtVersion.attainment.basis === 'ytd';
    const periodQuota = this.quotaFor(rep, period, stmtVersion, currency);
    const quota = periodQuota === null ? null : ytd ? year.quota + periodQuota : periodQuota;
    if (mode === 'full' && quota === null && stmtVersion.rates.mode !== 'flat' && credits.length > 0)
      this.noQuota.push(`${rep} ${period.key}`);
    const startCredit = (ytd ? year.credit : 0) + clawbackCredit;
    let periodCredit = 0;
    for (const c of credits) periodCredit += c.credited;
    const endCredit = startCredit + periodCredit;
    const scheduleOf = (v: PlanVersion): Schedule => this.scheduleFor(v, quota);
    const schedule = scheduleOf(stmtVersion);
    const drafts: Draft[] = [];
    const seq = new Map<string, number>();
    const nextSeq = (code: string, source: string): number => {
      const k = `${code}|${source}`;
      const n = seq.get(k) ?? 0;
      seq.set(k, n + 1);
      return n;
    };
    let cum = startCredit;
    let capLeft =
      stmtVersion.caps.periodEarnings !== undefined
        ? mulExact(decimalToMinor(stmtVersion.caps.periodEarnings, decimals), MICRO)
        : Infinity;
    let commissionMicro = 0;
    let lightTotal = 0;
    const periodCap = stmtVersion.caps.periodEarnings;
    for (const c of credits) {
      const v = c.resolved.version;
      const s = scheduleOf(v);
      const c0 = cum;
      const c1 = cum + c.credited;
      cum = c1;
      let micro: number;
      let tier: string | null;
      let slices: ReturnType<typeof marginalSlices> | null = null;
      let band = s.bands[0]!;
      let paid = c.credited;
      if (s.mode === 'marginal') {
        slices = marginalSlices(s, c0, c1);
        micro = 0;
        for (const x of slices) micro += x.micro;
        band = slices.length > 0 ? slices[slices.length - 1]!.band : bandAt(s, c0);
        tier = band.label;
      } else {
        if (s.mode !== 'flat') band = bandAt(s, endCredit);
        paid = uncappedCredit(s, c0, c1);
        micro = mulExact(paid, band.ratePpm);
        tier = s.mode === 'flat' ? null : band.label;
      }
      const floorHit = endCredit < s.floor;
      if (floorHit) micro = 0;
      let dealCap: number | null = null;
      if (v.caps.perDeal !== undefined) {
        const capMicro = mulExact(decimalToMinor(v.caps.perDeal, decimals), MICRO);
        if (micro > capMicro) {
          micro = capMicro;
          dealCap = capMicro;
        }
      }
      let periodCapped = false;
      if (micro > 0 && micro > capLeft) {
        micro = Math.max(0, capLeft);
        periodCapped = true;
      }
      if (micro > 0 && capLeft !== Infinity) capLeft -= micro;
      commissionMicro = addExact(commissionMicro, micro);
      const ratePpm = c.credited === 0 ? 0 : Math.round(micro / c.credited);
      if (light) {
        lightTotal = addExact(lightTotal, micro);
      } else {
        let rateText: string;
        if (slices !== null && slices.length > 1)
          rateText = slices
            .map((x) => `${fmt(x.credit)} at ${ppmPercent(x.band.ratePpm)}% (${x.band.label})`)
            .join(' + ');
        else {
          rateText = `${ppmPercent(band.ratePpm)}%${tier ? ` (${tier})` : ''}`;
          if (paid !== c.credited) rateText += ` on ${fmt(paid)} under the attainment cap`;
        }
        const notes: string[] = [];
        if (floorHit) notes.push(`below the ${v.floors.attainment}% attainment floor: nothing earned`);
        if (dealCap !== null) notes.push(`capped at ${fmt(dealCap / MICRO)} per deal`);
        if (periodCapped) notes.push(`capped at ${fmt(decimalToMinor(periodCap!, decimals))} per period`);
        const split =
          c.percentH === 10_000
            ? ''
            : ` × ${hundredthsText(c.percentH)}% ${c.role === 'Revenue Split' ? 'split' : c.role.toLowerCase()}`;
        drafts.push({
          lineType: 'Commission',
          code: 'COM',
          sourceId: c.deal.opp.id,
          opportunityId: c.deal.opp.id,
          creditDate: c.creditDate,
          creditRole: c.role,
          splitH: c.percentH,
          credited: c.credited,
          ratePpm,
          tier,
          micro,
          amount: 0,
          payable: 0,
          holdReason: null,
          forecastCategory: null,
          originalLineKey: null,
          reason: null,
          planKey: c.resolved.plan.key,
          planVersion: v.version,
          expr: `${fmt(c.measure)}${split}${slices !== null && slices.length > 1 ? ': ' : ' × '}${rateText}${notes.length ? ` [${notes.join('; ')}]` : ''}`,
          inputs: {
            deal: c.deal.opp.name || c.deal.opp.id,
            via: c.via,
            measureSteps: c.steps,
            creditedBefore: c0 - startCredit,
            attainmentCreditBefore: c0,
            quota,
            plan: `${c.resolved.plan.key}@v${v.version}`,
          },
          deal: c.deal,
          version: v,
          key: lineKey(rep, period.key, 'COM', c.deal.opp.id, nextSeq('COM', c.deal.opp.id)),
        });
      }
      for (const spiff of v.spiffs) {
        const d = this.spiffDraft(c, spiff, currency, decimals, light);
        if (typeof d === 'number') lightTotal = addExact(lightTotal, d);
        else if (d) {
          d.key = lineKey(rep, period.key, 'SPF', d.sourceId, nextSeq('SPF', d.sourceId));
          drafts.push(d);
        }
      }
    }
    const r = stmtVersion.rates;
    if (
      r.mode === 'retroactive' &&
      stmtVersion.attainment.basis === 'ytd' &&
      stmtVersion.attainment.ytdMinusEarned &&
      year.credit !== 0
    ) {
      const band = bandAt(schedule, endCredit);
      const owed = mulExact(uncappedCredit(schedule, 0, year.credit), band.ratePpm);
      const trueUp = owed - year.earnedMicro;
      if (trueUp !== 0) {
        commissionMicro = addExact(commissionMicro, trueUp);
        lightTotal = addExact(lightTotal, trueUp);
        if (!light)
          drafts.push({
            lineType: 'Commission',
            code: 'COM',
            sourceId: 'YTD',
            opportunityId: null,
            creditDate: null,
            creditRole: null,
            splitH: null,
            credited: 0,
            ratePpm: band.ratePpm,
            tier: band.label,
            micro: trueUp,
            amount: 0,
            payable: 0,
            holdReason: null,
            forecastCategory: null,
            originalLineKey: null,
            reason: 'year-to-date minus already earned',
            planKey: this.statementPlan(rep, period)?.plan.key ?? null,
            planVersion: stmtVersion.version,
            expr: `year-to-date true-up: earlier credit ${fmt(year.credit)} × ${ppmPercent(band.ratePpm)}% (${band.label}) = ${fmt(Math.round(owed / MICRO))} − already earned ${fmt(Math.round(year.earnedMicro / MICRO))}`,
            inputs: { ytdCreditBefore: year.credit, alreadyEarnedMicro: year.earnedMicro },
            deal: null,
            version: stmtVersion,
            key: lineKey(rep, period.key, 'COM', 'YTD', 0),
          });
      }
    }
    const totalMicro = light ? lightTotal : sumMicro(drafts);
    return { drafts, quota, startCredit, endCredit, periodCredit, schedule, commissionMicro, totalMicro };
  }

  /** The SPIFF line of a credit, or (light) just its exact value. */
  private spiffDraft(
    c: Credit,
    spiff: Spiff,
    currency: string,
    decimals: number,
    light: boolean,
  ): Draft | number | null {
    if (c.creditDate < spiff.from || c.creditDate > spiff.to) return null;
    const opp = c.deal.opp;
    if (spiff.dealTypes.length > 0 && !spiff.dealTypes.includes(opp.type ?? '(none)')) return null;
    if (spiff.minDealAmount !== undefined) {
      const d = this.table.decimalsOf(opp.currency);
      const amount = c.deal.amount === null ? 0 : decimalToMinor(c.deal.amount, d);
      if (amount < decimalToMinor(spiff.minDealAmount, d)) return null;
    }
    const productFilter = spiff.productCodes.length > 0 || spiff.productFamilies.length > 0;
    const lines = opp.lineItems.filter(
      (li) =>
        !productFilter ||
        (li.productCode !== null && spiff.productCodes.includes(li.productCode)) ||
        (li.productFamily !== null && spiff.productFamilies.includes(li.productFamily)),
    );
    if (productFilter && lines.length === 0) return null;
    // Count in hundredths so fractional quantities stay exact.
    let countH = 100;
    let countText = 'deal';
    if (spiff.per === 'line') {
      countH = lines.length * 100;
      countText = `${lines.length} line(s)`;
    } else if (spiff.per === 'unit') {
      countH = lines.reduce((a, li) => a + decimalToMinor(li.quantity, 2), 0);
      countText = `${hundredthsText(countH)} unit(s)`;
    }
    if (countH === 0) return null;
    const share = Math.min(c.percentH, 10_000);
    const unit = decimalToMinor(spiff.amount, decimals);
    const micro = mulExact(mulExact(unit, countH), share);
    if (light) return micro;
    return {
      lineType: 'SPIFF',
      code: 'SPF',
      sourceId: `${spiff.key}:${opp.id}`,
      opportunityId: opp.id,
      creditDate: c.creditDate,
      creditRole: c.role,
      splitH: c.percentH,
      credited: c.credited,
      ratePpm: null,
      tier: null,
      micro,
      amount: 0,
      payable: 0,
      holdReason: null,
      forecastCategory: null,
      originalLineKey: null,
      reason: null,
      planKey: c.resolved.plan.key,
      planVersion: c.resolved.version.version,
      expr: `SPIFF ${spiff.name}: ${money(unit, currency, decimals)} × ${countText}${share === 10_000 ? '' : ` × ${hundredthsText(share)}% share`}`,
      inputs: { spiff: spiff.key, from: spiff.from, to: spiff.to },
      deal: c.deal,
      version: c.resolved.version,
    };
  }

  /** Rounds the running total of the lines that carry an exact value; see the rounding rule above. */
  private roundStream(drafts: Draft[]): void {
    let cum = 0;
    let rounded = 0;
    for (const d of drafts) {
      if (d.micro === null) continue;
      cum = addExact(cum, d.micro);
      const next = roundMicro(cum);
      d.amount = next - rounded;
      rounded = next;
      const own = roundMicro(d.micro);
      if (own !== d.amount) d.inputs.roundingCarried = d.amount - own;
    }
  }

  private holdFor(rep: string, opportunityId: string | null): CommissionHold | null {
    for (const h of this.holds) {
      if (h.until !== null && h.until < this.asOf) continue;
      if (h.repId !== null && h.repId !== rep) continue;
      if (h.opportunityId !== null && h.opportunityId !== opportunityId) continue;
      return h;
    }
    return null;
  }

  /** What of an earned amount is released by asOf under the plan's rule and the holds. */
  private releasable(
    rep: string,
    amount: number,
    deal: DealView | null,
    version: PlanVersion | null,
  ): { payable: number; reason: string | null } {
    const hold = this.holdFor(rep, deal?.opp.id ?? null);
    if (hold) return { payable: 0, reason: hold.reason };
    if (amount <= 0 || !deal || !version) return { payable: amount, reason: null };
    const rule = version.payable.on;
    if (rule === 'invoice') {
      const inv = deal.opp.dates.invoiceDate;
      return inv && inv <= this.asOf
        ? { payable: amount, reason: null }
        : { payable: 0, reason: 'awaiting invoice' };
    }
    if (rule === 'payment') {
      const d = this.table.decimalsOf(deal.opp.currency);
      const total = deal.amount === null ? 0 : decimalToMinor(deal.amount, d);
      if (total <= 0) return { payable: amount, reason: null };
      let paid = 0;
      for (const p of this.paidByOpp.get(deal.opp.id) ?? [])
        paid += this.rates.convert(
          decimalToMinor(p.amount, this.table.decimalsOf(p.currency)),
          p.currency,
          deal.opp.currency,
          p.date,
        );
      if (paid >= total) return { payable: amount, reason: null };
      const payable = paid <= 0 ? 0 : mulDivHalfEven(amount, paid, total);
      return { payable, reason: `awaiting payment (${ratio(paid * 100, total, 2) ?? '0'}% paid)` };
    }
    return { payable: amount, reason: null };
  }

  private setPayable(rep: string, d: Draft, _currency: string): void {
    if (d.lineType === 'Hold Release') return;
    if (d.lineType === 'Commission' || d.lineType === 'SPIFF') {
      const r = this.releasable(rep, d.amount, d.deal, d.version);
      d.payable = r.payable;
      d.holdReason = r.reason;
    } else d.payable = d.amount;
  }

  // ---------------------------------------------------------------------------------------------
  // Closed periods: compare, claw back, adjust

  private isRecoverable(l: LedgerLine): boolean {
    if (!l.planKey || l.planVersion === null) return l.lineType === 'Draw Recovery';
    const v = this.resolver.planByKey(l.planKey)?.versions.find((x) => x.version === l.planVersion);
    return v?.draw?.type === 'recoverable' || l.lineType === 'Draw Recovery';
  }

  private compareClosed(
    rep: string,
    period: Period,
    posted: LedgerLine[],
    pricing: PeriodPricing,
    target: Period,
    currency: string,
  ): { drafts: Draft[]; attainmentCredit: number } {
    const decimals = this.table.decimalsOf(currency);
    const fmt = (m: number): string => money(m, currency, decimals);
    this.roundStream(pricing.drafts);
    const recomputed = new Map<string, Draft>();
    for (const d of pricing.drafts) if (d.key) recomputed.set(d.key, d);
    const originals = new Map<string, LedgerLine>();
    for (const l of posted)
      if (l.lineType === 'Commission' || l.lineType === 'SPIFF') originals.set(l.key, l);
    const keys = [...new Set([...originals.keys(), ...recomputed.keys()])].sort();
    const drafts: Draft[] = [];
    let attainmentCredit = 0;
    const base = (
      lineType: CommissionLineType,
      sourceKey: string,
    ): Pick<Draft, 'lineType' | 'code' | 'sourceId' | 'key'> => {
      const code = CODES[lineType];
      const sourceId = sourceKey.startsWith(`CL|${rep}|`) ? sourceKey.slice(`CL|${rep}|`.length) : sourceKey;
      return { lineType, code, sourceId, key: lineKey(rep, target.key, code, sourceId, 0) };
    };
    for (const key of keys) {
      const orig = originals.get(key) ?? null;
      const now = recomputed.get(key) ?? null;
      const adjustments = this.adjustmentsByOriginal.get(key) ?? [];
      const P =
        (orig ? decimalToMinor(orig.amount, decimals) : 0) +
        adjustments.reduce((a, l) => a + decimalToMinor(l.amount, decimals), 0);
      const R = now ? now.amount : 0;
      const dealId = orig?.opportunityId ?? now?.opportunityId ?? null;
      const deal = dealId ? (this.deals.get(dealId) ?? null) : null;
      if (orig && R === P) {
        this.holdRelease(rep, orig, adjustments, deal, target, decimals, drafts);
        continue;
      }
      if (R === P) continue;
      const common = {
        opportunityId: dealId,
        creditDate: orig?.creditDate ?? now?.creditDate ?? null,
        creditRole: orig?.creditRole ?? now?.creditRole ?? null,
        splitH: now?.splitH ?? null,
        tier: orig?.tier ?? now?.tier ?? null,
        micro: null,
        payable: 0,
        holdReason: null,
        forecastCategory: null,
        originalLineKey: key,
        deal,
        version: now?.version ?? null,
      };
      const origCredited = orig ? decimalToMinor(orig.creditedAmount, decimals) : 0;
      const lost = !deal || !deal.isWon;
      const reduced = orig !== null && now !== null && now.credited < origCredited;
      if (orig && R < P && (lost || reduced)) {
        const policy =
          this.ledgerVersion(orig) ?? now?.version ?? this.resolver.at(rep, this.asOfDay)?.version ?? null;
        const windowDays = policy?.clawback.windowDays ?? 0;
        const creditDay = orig.creditDate ? toDayNumber(orig.creditDate) : period.endDay;
        const eventDay = lost && deal ? Math.min(toDayNumber(deal.closeDate), this.asOfDay) : this.asOfDay;
        if (eventDay - creditDay > windowDays) {
          this.outsideWindow += 1;
          continue;
        }
        const what = !deal
          ? 'deal deleted'
          : lost
            ? `deal ${deal.isClosed ? 'lost' : 'reopened'} (${deal.stageName})`
            : 'deal reduced';
        const origRate = orig.ratePercent ? percentToPpm(Number(orig.ratePercent)) : 0;
        const creditedBack = lost ? -origCredited : -(origCredited - now!.credited);
        let amount: number;
        if (lost || (now && now.ratePpm === origRate)) amount = R - P;
        else amount = roundMicro(mulExact(creditedBack, origRate));
        this.stats.clawbacks += 1;
        if (policy?.clawback.reducesAttainment && orig.lineType === 'Commission')
          attainmentCredit += creditedBack;
        drafts.push({
          ...base('Clawback', key),
          ...common,
          credited: creditedBack,
          ratePpm: origRate,
          amount,
          reason: `${what} within the ${windowDays}-day clawback window`,
          planKey: orig.planKey,
          planVersion: orig.planVersion,
          expr: `clawback of ${key}: ${fmt(creditedBack)} credited × ${orig.ratePercent ?? '0'}% (original rate)${lost ? ' (all that was paid)' : ''}`,
          inputs: {
            original: key,
            originalAmount: P,
            recomputed: R,
            originalCredited: origCredited,
            policyWindowDays: windowDays,
          },
        });
        const rest = R - (P + amount);
        if (rest !== 0)
          drafts.push(this.ppaDraft(rep, key, target, rest, orig, now, common, fmt, 'after the clawback'));
        continue;
      }
      drafts.push(this.ppaDraft(rep, key, target, R - P, orig, now, common, fmt, null));
    }
    return { drafts, attainmentCredit };
  }

  private ppaDraft(
    rep: string,
    key: string,
    target: Period,
    amount: number,
    orig: LedgerLine | null,
    now: Draft | null,
    common: Omit<
      Draft,
      | 'lineType'
      | 'code'
      | 'sourceId'
      | 'key'
      | 'credited'
      | 'ratePpm'
      | 'amount'
      | 'reason'
      | 'planKey'
      | 'planVersion'
      | 'expr'
      | 'inputs'
    >,
    fmt: (m: number) => string,
    suffix: string | null,
  ): Draft {
    this.stats.priorPeriodAdjustments += 1;
    const reasons: string[] = [];
    if (!orig) reasons.push('not in the closed statement');
    else if (!now) reasons.push('no longer credited under the current data and plans');
    else {
      if (orig.planKey !== now.planKey || orig.planVersion !== now.planVersion) {
        const note = now.version?.note ? ` (${now.version.note})` : '';
        reasons.push(
          `plan ${orig.planKey ?? '?'} v${orig.planVersion ?? '?'} → ${now.planKey ?? '?'} v${now.planVersion ?? '?'}${note}`,
        );
      }
      const origRate = orig.ratePercent ? percentToPpm(Number(orig.ratePercent)) : null;
      if (origRate !== now.ratePpm && now.ratePpm !== null)
        reasons.push(`rate ${orig.ratePercent ?? '0'}% → ${ppmPercent(now.ratePpm)}%`);
      const oc = decimalToMinor(orig.creditedAmount, this.table.decimalsOf(orig.currency));
      if (oc !== now.credited) reasons.push(`credited ${fmt(oc)} → ${fmt(now.credited)}`);
      if ((orig.tier ?? null) !== (now.tier ?? null))
        reasons.push(`tier ${orig.tier ?? 'none'} → ${now.tier ?? 'none'}`);
      if (reasons.length === 0) reasons.push('recalculated');
    }
    if (suffix) reasons.push(suffix);
    const reason =
      `${orig ? orig.periodKey : (now?.key?.split('|')[2] ?? '')} recalculated: ${reasons.join('; ')}`.slice(
        0,
        255,
      );
    const sourceId = key.startsWith(`CL|${rep}|`) ? key.slice(`CL|${rep}|`.length) : key;
    return {
      lineType: 'Prior Period Adjustment',
      code: 'PPA',
      sourceId,
      key: lineKey(rep, target.key, 'PPA', sourceId, suffix ? 1 : 0),
      ...common,
      credited: now
        ? now.credited -
          (orig ? decimalToMinor(orig.creditedAmount, this.table.decimalsOf(orig.currency)) : 0)
        : 0,
      ratePpm: now?.ratePpm ?? null,
      amount,
      reason,
      planKey: now?.planKey ?? orig?.planKey ?? null,
      planVersion: now?.planVersion ?? orig?.planVersion ?? null,
      expr: `prior-period adjustment of ${key}: recalculated ${fmt(now?.amount ?? 0)} − posted ${fmt((now?.amount ?? 0) - amount)}`,
      inputs: { original: key, reasons },
    };
  }

  private ledgerVersion(l: LedgerLine): PlanVersion | null {
    if (!l.planKey || l.planVersion === null) return null;
    return this.resolver.planByKey(l.planKey)?.versions.find((v) => v.version === l.planVersion) ?? null;
  }

  /** A closed line that was held (or unpaid) and is releasable now: a Hold Release in the open period. */
  private holdRelease(
    rep: string,
    orig: LedgerLine,
    adjustments: LedgerLine[],
    deal: DealView | null,
    target: Period,
    decimals: number,
    out: Draft[],
  ): void {
    const amount = decimalToMinor(orig.amount, decimals);
    const postedPayable =
      decimalToMinor(orig.payable, decimals) +
      adjustments
        .filter((a) => a.lineType === 'Hold Release')
        .reduce((a, l) => a + decimalToMinor(l.payable, decimals), 0);
    if (amount <= 0 || postedPayable >= amount) return;
    const version =
      this.ledgerVersion(orig) ??
      (deal ? (this.resolver.at(rep, toDayNumber(deal.closeDate))?.version ?? null) : null);
    const now = this.releasable(rep, amount, deal, version);
    const release = now.payable - postedPayable;
    if (release <= 0) return;
    const sourceId = orig.key.startsWith(`CL|${rep}|`) ? orig.key.slice(`CL|${rep}|`.length) : orig.key;
    out.push({
      lineType: 'Hold Release',
      code: 'HRL',
      sourceId,
      key: lineKey(rep, target.key, 'HRL', sourceId, 0),
      opportunityId: orig.opportunityId,
      creditDate: orig.creditDate,
      creditRole: orig.creditRole,
      splitH: null,
      credited: 0,
      ratePpm: null,
      tier: null,
      micro: null,
      amount: 0,
      payable: release,
      holdReason: null,
      forecastCategory: null,
      originalLineKey: orig.key,
      reason: `released ${orig.periodKey} earnings`,
      planKey: orig.planKey,
      planVersion: orig.planVersion,
      expr: `release of ${orig.key}: payable ${money(now.payable, orig.currency, decimals)} − already payable ${money(postedPayable, orig.currency, decimals)}; earned already counted`,
      inputs: { original: orig.key },
      deal,
      version,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Draws

  private settleDraw(
    rep: string,
    period: Period,
    version: PlanVersion,
    drafts: Draft[],
    balance: number,
    currency: string,
  ): number {
    const draw = version.draw!;
    const decimals = this.table.decimalsOf(currency);
    const fmt = (m: number): string => money(m, currency, decimals);
    const inWindow = (!draw.from || draw.from <= period.end) && (!draw.to || draw.to >= period.start);
    if (!inWindow)
      return draw.type === 'recoverable'
        ? this.recoverAfterDraw(rep, period, drafts, balance, currency)
        : balance;
    const earned = drafts.reduce((a, d) => a + d.amount, 0);
    const guarantee = decimalToMinor(draw.amount, decimals);
    const push = (lineType: 'Draw' | 'Draw Recovery', amount: number, expr: string): void => {
      drafts.push({
        lineType,
        code: CODES[lineType],
        sourceId: 'draw',
        key: lineKey(rep, period.key, CODES[lineType], 'draw', 0),
        opportunityId: null,
        creditDate: null,
        creditRole: null,
        splitH: null,
        credited: 0,
        ratePpm: null,
        tier: null,
        micro: null,
        amount,
        payable: amount,
        holdReason: null,
        forecastCategory: null,
        originalLineKey: null,
        reason: `${draw.type === 'recoverable' ? 'recoverable' : 'non-recoverable'} draw settled at period close`,
        planKey: this.statementPlan(rep, period)?.plan.key ?? null,
        planVersion: version.version,
        expr,
        inputs: { guarantee, earned, balanceBefore: balance },
        deal: null,
        version,
      });
    };
    if (earned < guarantee) {
      const advance = guarantee - earned;
      push(
        'Draw',
        advance,
        `draw: guarantee ${fmt(guarantee)} − earned ${fmt(earned)}${draw.type === 'recoverable' ? ` (recoverable; balance ${fmt(balance)} → ${fmt(balance + advance)})` : ' (non-recoverable: greater of earned and draw)'}`,
      );
      return draw.type === 'recoverable' ? balance + advance : balance;
    }
    if (draw.type === 'recoverable' && balance > 0) {
      // While the guarantee runs, recovery never takes the payment below it.
      const recover = Math.min(balance, earned - guarantee);
      if (recover > 0)
        push(
          'Draw Recovery',
          -recover,
          `draw recovery: min(balance ${fmt(balance)}, earned ${fmt(earned)} − guarantee ${fmt(guarantee)}) = ${fmt(recover)}`,
        );
      return balance - recover;
    }
    return balance;
  }

  private recoverAfterDraw(
    rep: string,
    period: Period,
    drafts: Draft[],
    balance: number,
    currency: string,
  ): number {
    const earned = drafts.reduce((a, d) => a + d.amount, 0);
    const recover = Math.min(balance, Math.max(0, earned));
    if (recover <= 0) return balance;
    const decimals = this.table.decimalsOf(currency);
    drafts.push({
      lineType: 'Draw Recovery',
      code: 'DRR',
      sourceId: 'draw',
      key: lineKey(rep, period.key, 'DRR', 'draw', 0),
      opportunityId: null,
      creditDate: null,
      creditRole: null,
      splitH: null,
      credited: 0,
      ratePpm: null,
      tier: null,
      micro: null,
      amount: -recover,
      payable: -recover,
      holdReason: null,
      forecastCategory: null,
      originalLineKey: null,
      reason: 'recoverable draw balance recovered after the guarantee ended',
      planKey: null,
      planVersion: null,
      expr: `draw recovery: min(balance ${money(balance, currency, decimals)}, earned ${money(earned, currency, decimals)})`,
      inputs: { balanceBefore: balance, earned },
      deal: null,
      version: null,
    });
    return balance - recover;
  }

  // ---------------------------------------------------------------------------------------------
  // Projections

  private project(
    rep: string,
    period: Period,
    version: PlanVersion,
    currency: string,
    credits: Credit[],
    clawbackCredit: number,
    year: YearState,
    actual: PeriodPricing,
  ): { drafts: Draft[]; totals: { commit: number; bestCase: number; pipeline: number } } {
    const open = this.openDeals.get(rep) ?? [];
    const totals = { commit: 0, bestCase: 0, pipeline: 0 };
    if (open.length === 0) return { drafts: [], totals };
    const decimals = this.table.decimalsOf(currency);
    const base = actual.totalMicro;
    const drafts: Draft[] = [];
    const byCategory = new Map<string, Credit[]>();
    for (const { deal, candidate } of open) {
      const credit = this.priceCandidate(deal, candidate, this.asOf);
      if (!credit || credit.period.key !== period.key) continue;
      allocateShares([credit]);
      const category = this.stages.categoryOf(deal.stageName, false, false);
      if (category === 'Omitted') continue;
      const list = byCategory.get(category) ?? [];
      list.push(credit);
      byCategory.set(category, list);
      // As if it closed after the credits already in the period.
      const withDeal = this.pricePeriod(
        rep,
        period,
        version,
        currency,
        [...credits, credit],
        clawbackCredit,
        year,
        'light',
      );
      const delta = roundMicro(withDeal.totalMicro) - roundMicro(base);
      const tier =
        withDeal.schedule.mode === 'flat' ? null : bandAt(withDeal.schedule, withDeal.endCredit).label;
      drafts.push({
        lineType: 'Projected',
        code: 'PRJ',
        sourceId: deal.opp.id,
        key: lineKey(rep, period.key, 'PRJ', deal.opp.id, candidateIndex(drafts, deal.opp.id)),
        opportunityId: deal.opp.id,
        creditDate: this.asOf,
        creditRole: credit.role,
        splitH: credit.percentH,
        credited: credit.credited,
        ratePpm: credit.credited === 0 ? null : Math.round((delta * MICRO) / credit.credited),
        tier,
        micro: null,
        amount: delta,
        payable: 0,
        holdReason: null,
        forecastCategory: category,
        originalLineKey: null,
        reason: null,
        planKey: credit.resolved.plan.key,
        planVersion: credit.resolved.version.version,
        expr: `if it closes at its amount this period (${category}): ${money(credit.credited, currency, decimals)} credited adds`,
        inputs: { stage: deal.stageName, closeDate: deal.closeDate },
        deal,
        version: credit.resolved.version,
      });
    }
    for (const [name, cats] of Object.entries(PROJECTION_ROLLUPS) as [
      keyof typeof totals,
      readonly string[],
    ][]) {
      const extra = cats.flatMap((c) => byCategory.get(c) ?? []);
      if (extra.length === 0) continue;
      const withAll = this.pricePeriod(
        rep,
        period,
        version,
        currency,
        [...credits, ...extra],
        clawbackCredit,
        year,
        'light',
      );
      totals[name] = roundMicro(withAll.totalMicro) - roundMicro(base);
    }
    return { drafts, totals };
  }

  // ---------------------------------------------------------------------------------------------
  // Rows

  private toRows(
    rep: string,
    period: Period,
    drafts: Draft[],
    currency: string,
    decimals: number,
  ): CommissionLineRow[] {
    const seen = new Map<string, number>();
    const stmtKey = statementKey(rep, period.key);
    return drafts.map((d) => {
      let key = d.key ?? lineKey(rep, period.key, d.code, d.sourceId, 0);
      if (d.originalLineKey !== null) {
        // Only an adjustment can meet another line on a key (same source, same target period).
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        if (n > 0) key = `${key}.${n}`;
      }
      if (d.micro !== null && d.inputs !== undefined) d.inputs.exactMicro = d.micro;
      const carried = typeof d.inputs.roundingCarried === 'number' ? d.inputs.roundingCarried : 0;
      const trace =
        `${d.expr} = ${money(d.amount, currency, decimals)}` +
        (carried !== 0
          ? ` (${carried > 0 ? '+' : '−'}${money(Math.abs(carried), currency, decimals)} rounding carried from the running total)`
          : '') +
        (d.lineType === 'Commission' || d.lineType === 'SPIFF'
          ? d.payable === d.amount
            ? ''
            : `; payable ${money(d.payable, currency, decimals)}${d.holdReason ? ` (${d.holdReason})` : ''}`
          : '');
      return {
        externalKey: key,
        statementKey: stmtKey,
        repId: rep,
        periodKey: period.key,
        lineType: d.lineType,
        opportunityId: d.opportunityId,
        creditDate: d.creditDate,
        creditRole: d.creditRole,
        splitPercent: d.splitH === null ? null : formatMinor(d.splitH, 2),
        creditedAmount: formatMinor(d.credited, decimals),
        ratePercent: d.ratePpm === null ? null : formatMinor(d.ratePpm, 4),
        tier: d.tier,
        amount: formatMinor(d.amount, decimals),
        payable: formatMinor(d.payable, decimals),
        currency,
        holdReason: d.holdReason,
        forecastCategory: d.forecastCategory,
        originalLineKey: d.originalLineKey,
        reason: d.reason,
        planKey: d.planKey,
        planVersion: d.planVersion,
        trace,
        traceInputs: d.inputs,
      };
    });
  }

  private ledgerRows(rep: string, period: Period, posted: LedgerLine[]): CommissionLineRow[] {
    const closedOn = this.closed.get(period.key) ?? '';
    return [...posted]
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((l) => ({
        externalKey: l.key,
        statementKey: statementKey(rep, period.key),
        repId: rep,
        periodKey: period.key,
        lineType: l.lineType,
        opportunityId: l.opportunityId,
        creditDate: l.creditDate,
        creditRole: l.creditRole,
        splitPercent: null,
        creditedAmount: l.creditedAmount,
        ratePercent: l.ratePercent,
        tier: l.tier,
        amount: l.amount,
        payable: l.payable,
        currency: l.currency,
        holdReason: null,
        forecastCategory: null,
        originalLineKey: l.originalLineKey,
        reason: null,
        planKey: l.planKey,
        planVersion: l.planVersion,
        trace: `as posted when ${period.key} closed on ${closedOn}: ${money(decimalToMinor(l.amount, this.table.decimalsOf(l.currency)), l.currency, this.table.decimalsOf(l.currency))}`,
        traceInputs: { closedOn },
      }));
  }

  private totals(rows: CommissionLineRow[], decimals: number): Record<string, number> {
    const t = {
      earned: 0,
      payable: 0,
      held: 0,
      draw: 0,
      drawRecovered: 0,
      adjustments: 0,
      clawbacks: 0,
      credited: 0,
      count: 0,
    };
    for (const r of rows) {
      if (r.lineType === 'Projected') continue;
      const amount = decimalToMinor(r.amount, decimals);
      const payable = decimalToMinor(r.payable, decimals);
      t.count += 1;
      t.earned += amount;
      t.payable += payable;
      if ((r.lineType === 'Commission' || r.lineType === 'SPIFF') && amount > payable)
        t.held += amount - payable;
      if (r.lineType === 'Draw') t.draw += amount;
      if (r.lineType === 'Draw Recovery') t.drawRecovered -= amount;
      if (r.lineType === 'Prior Period Adjustment') t.adjustments += amount;
      if (r.lineType === 'Clawback') t.clawbacks += amount;
      if (r.lineType === 'Commission') t.credited += decimalToMinor(r.creditedAmount, decimals);
    }
    return t;
  }

  private statementRow(
    rep: string,
    period: Period,
    stmt: ResolvedPlan | null,
    rows: CommissionLineRow[],
    currency: string,
    status: 'Open' | 'Closed',
    attainment: {
      quota: number | null;
      credit: number;
      tier: string | null;
      thresholds: string | null;
      basis: 'period' | 'ytd';
    },
    projections: { commit: number; bestCase: number; pipeline: number },
    extraTrace: string[],
  ): CommissionStatementRow {
    const decimals = this.table.decimalsOf(currency);
    const t = this.totals(rows, decimals);
    const paid = (this.payouts.get(`${rep}|${period.key}`) ?? []).reduce((a, b) => a + b, 0);
    const f = (m: number): string => formatMinor(m, decimals);
    const fm = (m: number): string => money(m, currency, decimals);
    const att =
      attainment.quota && attainment.quota > 0 ? ratio(attainment.credit, attainment.quota, 4) : null;
    const name = this.crediting.nameOf(rep);
    const trace = [
      `${name} ${period.key} (${period.start} – ${period.end}), ${status.toLowerCase()}, plan ${stmt ? `${stmt.plan.key} v${stmt.version.version}` : 'none'}, ${currency}`,
      `credited ${fm(attainment.credit)}${attainment.quota !== null ? ` against quota ${fm(attainment.quota)} (${attainment.basis === 'ytd' ? 'year to date' : 'period'}): attainment ${att === null ? 'n/a' : `${(Number(att) * 100).toFixed(2)}%`}` : ' (no quota)'}${attainment.tier ? `, ${attainment.tier}` : ''}`,
      `earned ${fm(t.earned!)} = ${t.count} line(s); payable ${fm(t.payable!)}, held ${fm(t.held!)}, paid to date ${fm(paid)}`,
      ...extraTrace,
    ].join('\n');
    return {
      externalKey: statementKey(rep, period.key),
      repId: rep,
      repName: name,
      planKey: stmt?.plan.key ?? null,
      planVersion: stmt?.version.version ?? null,
      periodKey: period.key,
      periodStart: period.start,
      periodEnd: period.end,
      periodStatus: status,
      currency,
      earned: f(t.earned!),
      payable: f(t.payable!),
      paidToDate: f(paid),
      held: f(t.held!),
      draw: f(t.draw!),
      drawRecovered: f(t.drawRecovered!),
      adjustments: f(t.adjustments!),
      clawbacks: f(t.clawbacks!),
      credited: f(attainment.credit),
      quota: attainment.quota === null ? null : f(attainment.quota),
      attainment: att,
      attainmentBasis: attainment.basis === 'ytd' ? 'Year to date' : 'Period',
      tierReached: attainment.tier,
      tierThresholds: attainment.thresholds,
      projectedCommit: f(projections.commit),
      projectedBestCase: f(projections.bestCase),
      projectedPipeline: f(projections.pipeline),
      lineCount: t.count!,
      asOf: this.asOf,
      trace,
    };
  }

  private openStatement(
    rep: string,
    period: Period,
    stmt: ResolvedPlan | null,
    rows: CommissionLineRow[],
    pricing: PeriodPricing | null,
    currency: string,
    projections: { commit: number; bestCase: number; pipeline: number },
  ): CommissionStatementRow {
    const v = stmt?.version;
    const s = pricing?.schedule;
    const tier =
      s && s.mode !== 'flat' && (s.quota !== null || pricing.periodCredit !== 0)
        ? bandAt(s, pricing.endCredit).label
        : null;
    const extra =
      projections.pipeline !== 0 || projections.commit !== 0
        ? [
            `projected if open deals close at their amount this period: commit ${money(projections.commit, currency, this.table.decimalsOf(currency))}, best case ${money(projections.bestCase, currency, this.table.decimalsOf(currency))}, pipeline ${money(projections.pipeline, currency, this.table.decimalsOf(currency))}`,
          ]
        : [];
    return this.statementRow(
      rep,
      period,
      stmt,
      rows,
      currency,
      'Open',
      {
        quota: pricing?.quota ?? null,
        credit: pricing ? pricing.endCredit : 0,
        tier,
        thresholds: s?.thresholds ?? null,
        basis: v?.attainment.basis ?? 'period',
      },
      projections,
      extra,
    );
  }

  private closedStatement(
    rep: string,
    period: Period,
    stmt: ResolvedPlan | null,
    posted: LedgerLine[],
    rows: CommissionLineRow[],
    pricing: PeriodPricing | null,
    currency: string,
  ): CommissionStatementRow {
    const decimals = this.table.decimalsOf(currency);
    const credited = posted
      .filter((l) => l.lineType === 'Commission')
      .reduce((a, l) => a + decimalToMinor(l.creditedAmount, decimals), 0);
    const lastTier = [...posted].reverse().find((l) => l.lineType === 'Commission' && l.tier)?.tier ?? null;
    const basis = stmt?.version.attainment.basis ?? 'period';
    return this.statementRow(
      rep,
      period,
      stmt,
      rows,
      currency,
      'Closed',
      {
        quota: pricing?.quota ?? null,
        credit: basis === 'ytd' && pricing ? pricing.startCredit + credited : credited,
        tier: lastTier,
        thresholds: pricing?.schedule.thresholds ?? null,
        basis,
      },
      { commit: 0, bestCase: 0, pipeline: 0 },
      [
        `closed on ${this.closed.get(period.key) ?? ''}: lines as posted; any recalculation goes to the open period`,
      ],
    );
  }
}

/** Whether a custom date of the deal (booking, invoice…) falls on or after `day`. */
function datedAfter(opp: Opportunity, day: IsoDate): boolean {
  for (const k in opp.dates) {
    const d = opp.dates[k];
    if (d !== null && d !== undefined && d >= day) return true;
  }
  return false;
}

function compareCredits(a: Credit, b: Credit): number {
  return (
    a.creditDay - b.creditDay ||
    (a.deal.opp.id < b.deal.opp.id ? -1 : a.deal.opp.id > b.deal.opp.id ? 1 : 0) ||
    ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)
  );
}

function sumMicro(drafts: Draft[]): number {
  let s = 0;
  for (const d of drafts) if (d.micro !== null) s = addExact(s, d.micro);
  return s;
}

function candidateIndex(drafts: Draft[], oppId: string): number {
  return drafts.filter((d) => d.sourceId === oppId).length;
}

/**
 * Each credit's share of its measure. Revenue shares of one deal in one currency are rounded on
 * their running total, so they add up to the whole measure exactly (a split creates no cent).
 */
function allocateShares(credits: Credit[]): void {
  const groups = new Map<string, Credit[]>();
  for (const c of credits) {
    if (c.role !== 'Revenue Split' && c.role !== 'Owner') {
      c.credited = mulDivHalfEven(c.measure, c.percentH, 10_000);
      continue;
    }
    const k = `${c.currency}|${c.measure}`;
    const list = groups.get(k) ?? [];
    list.push(c);
    groups.set(k, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => (a.payee < b.payee ? -1 : a.payee > b.payee ? 1 : 0));
    let cum = 0;
    let prev = 0;
    for (const c of list) {
      cum += c.percentH;
      const next = mulDivHalfEven(c.measure, cum, 10_000);
      c.credited = next - prev;
      prev = next;
    }
  }
}
