import type { Period, PeriodType } from '../calendar/fiscal-calendar';
import { toDayNumber } from '../calendar/dates';
import type { EngineContext } from '../engine-context';
import { decimalToMinor } from '../money/decimal';
import { stateAt } from '../pipeline/deal-history';
import type { RoleHierarchy, TerritoryHierarchy } from '../pipeline/hierarchy';
import type { Opportunity } from '../snapshot/types';
import { newAccumulator, noteId, type KpiAccumulator } from './accumulator';

export interface PeriodRange {
  type: PeriodType;
  periods: Period[];
  keys: Set<string>;
  current: Period;
}

/** periodType|periodKey|nodeKey → counters of that node's own deals. */
export type AccumulatorIndex = Map<string, KpiAccumulator>;

const OPEN_PIPELINE = new Set(['Pipeline', 'BestCase', 'MostLikely', 'Commit']);

/**
 * One pass over the deals (and their history) filling the counters of each deal's owner node and
 * territory node, for every period in range. Cohort rules are those written in config/kpis.yaml.
 */
export function accumulate(
  ctx: EngineContext,
  ranges: readonly PeriodRange[],
  roles: RoleHierarchy,
  territories: TerritoryHierarchy | null,
): AccumulatorIndex {
  const index: AccumulatorIndex = new Map();
  const stages = ctx.config.forecast.stages;
  const stageCount = stages.length;
  const maxIds = ctx.config.forecast.trace.maxIds;
  const params = ctx.config.kpis.parameters;
  const qualifiedOrder = params.qualifiedStage === null ? -1 : ctx.stages.orderOf(params.qualifiedStage);
  const staleBefore = ctx.asOfDay - params.staleDays;
  const rule = ctx.config.forecast.currency.rateDate;
  const cur = ctx.currency;

  // periodType → periodKey → nodeKey → accumulator: the same entries as `index`, found without
  // building a string key per deal and counter.
  const byRange = new Map<PeriodType, Map<string, Map<string, KpiAccumulator>>>();
  const at = (pt: PeriodType, periodKey: string, nodeKey: string): KpiAccumulator => {
    let periods = byRange.get(pt);
    if (!periods) {
      periods = new Map();
      byRange.set(pt, periods);
    }
    let nodes = periods.get(periodKey);
    if (!nodes) {
      nodes = new Map();
      periods.set(periodKey, nodes);
    }
    let acc = nodes.get(nodeKey);
    if (!acc) {
      acc = newAccumulator(stageCount);
      nodes.set(nodeKey, acc);
      index.set(`${pt}|${periodKey}|${nodeKey}`, acc);
    }
    return acc;
  };
  const corporate = (o: Opportunity, amount: string | null, closeDate: string): number => {
    if (amount === null) return 0;
    const minor = decimalToMinor(amount, cur.decimalsOf(o.currency));
    return cur.toCorporate(
      minor,
      o.currency,
      rule === 'dealDate' ? closeDate : rule === 'asOf' ? ctx.asOf : null,
    );
  };

  // The current deal's nodes (owner, then territory) and, per call, their accumulators for one
  // period: reused arrays, so bumping a deal's counters allocates nothing.
  const nodes: string[] = [];
  const touched: KpiAccumulator[] = [];
  const accsAt = (pt: PeriodType, periodKey: string): readonly KpiAccumulator[] => {
    touched.length = nodes.length;
    for (let i = 0; i < nodes.length; i += 1) touched[i] = at(pt, periodKey, nodes[i]!);
    return touched;
  };

  ctx.snapshot.opportunities.forEach((o, oppIndex) => {
    const closeDay = toDayNumber(o.closeDate);
    const createdDay = toDayNumber(o.createdDate);
    nodes.length = 0;
    nodes.push(roles.nodeFor(o.ownerId, closeDay));
    if (territories) {
      const territoryId =
        o.territoryId ?? (o.accountId === null ? null : (ctx.accounts.get(o.accountId)?.territoryId ?? null));
      nodes.push(territories.nodeFor(territoryId));
    }
    const amount = corporate(o, o.amount, o.closeDate);
    const category = ctx.stages.categoryOf(o.stageName, o.isClosed, o.isWon);
    const history = ctx.historyAt[oppIndex];

    for (const range of ranges) {
      const closePeriod = ctx.calendar.periodOfDay(closeDay, range.type);
      const inRange = range.keys.has(closePeriod.key);
      if (inRange && o.isClosed) {
        for (const acc of accsAt(range.type, closePeriod.key)) {
          if (o.isWon) {
            acc.wonCount += 1;
            acc.wonAmount += amount;
            acc.cycleDays += closeDay - createdDay;
          } else {
            acc.lostCount += 1;
            acc.lostAmount += amount;
          }
          noteId(acc, o.id, maxIds);
        }
      }
      if (inRange && !o.isClosed && OPEN_PIPELINE.has(category)) {
        for (const acc of accsAt(range.type, closePeriod.key)) {
          acc.openPipeline += amount;
          if (category === 'Commit') acc.commitOpen += amount;
          if (ctx.stages.orderOf(o.stageName) >= qualifiedOrder) acc.qualifiedOpen += 1;
          noteId(acc, o.id, maxIds);
        }
      }
      const createdPeriod = ctx.calendar.periodOfDay(createdDay, range.type);
      if (range.keys.has(createdPeriod.key)) {
        for (const acc of accsAt(range.type, createdPeriod.key)) {
          acc.createdCount += 1;
          acc.createdAmount += amount;
          noteId(acc, o.id, maxIds);
        }
      }
      if (!o.isClosed) {
        const lastChange = Math.max(
          createdDay,
          history && history.length > 0 ? history[history.length - 1]!.day : createdDay,
          o.lastActivityDate === null ? createdDay : toDayNumber(o.lastActivityDate),
        );
        const pastDue = closeDay < ctx.asOfDay;
        const missing = o.amount === null || amount === 0;
        const stale = lastChange < staleBefore;
        if (pastDue || missing || stale) {
          for (const acc of accsAt(range.type, range.current.key)) {
            if (pastDue) acc.pastDue += 1;
            if (missing) acc.missingAmount += 1;
            if (stale) acc.stale += 1;
            noteId(acc, o.id, maxIds);
          }
        }
      }
      // Slip: open in the period on its first morning, pushed past its end by its last day (or asOf).
      // Without history a deal looks today as it did then: only its close-date period can count it.
      const slipPeriods = history === undefined ? (inRange ? [closePeriod] : []) : range.periods;
      for (const p of slipPeriods) {
        if (p.startDay > ctx.asOfDay || createdDay >= p.startDay) continue;
        const start = stateAt(o, history, p.startDay - 1);
        if (start === null || ctx.stages.outcomeOf(start.stageName) !== 'open') continue;
        if (start.closeDate < p.start || start.closeDate > p.end) continue;
        const end = stateAt(o, history, Math.min(p.endDay, ctx.asOfDay));
        const slipped =
          end !== null && ctx.stages.outcomeOf(end.stageName) === 'open' && end.closeDate > p.end;
        for (const acc of accsAt(range.type, p.key)) {
          acc.slipBase += 1;
          if (slipped) acc.slipped += 1;
          noteId(acc, o.id, maxIds);
        }
      }
      // Stage entries and stays, from history.
      if (history && history.length > 0) {
        let runStart = 0;
        for (let i = 1; i <= history.length; i += 1) {
          if (i < history.length && history[i]!.row.stageName === history[runStart]!.row.stageName) continue;
          const stageName = history[runStart]!.row.stageName;
          const order = ctx.stages.orderOf(stageName);
          if (order >= 0 && ctx.stages.outcomeOf(stageName) === 'open') {
            const enteredDay =
              runStart === 0 ? Math.min(createdDay, history[0]!.day) : history[runStart]!.day;
            const entered = ctx.calendar.periodOfDay(enteredDay, range.type);
            let converted = false;
            for (let j = i; j < history.length && !converted; j += 1) {
              const later = history[j]!.row.stageName;
              const outcome = ctx.stages.outcomeOf(later);
              converted = outcome === 'won' || (outcome === 'open' && ctx.stages.orderOf(later) > order);
            }
            if (range.keys.has(entered.key)) {
              for (const acc of accsAt(range.type, entered.key)) {
                acc.stageEntered[order] += 1;
                if (converted) acc.stageConverted[order] += 1;
                noteId(acc, o.id, maxIds);
              }
            }
            if (i < history.length) {
              const leftDay = history[i]!.day;
              const left = ctx.calendar.periodOfDay(leftDay, range.type);
              if (range.keys.has(left.key)) {
                for (const acc of accsAt(range.type, left.key)) {
                  acc.stageStayDays[order] += leftDay - enteredDay;
                  acc.stageStays[order] += 1;
                  noteId(acc, o.id, maxIds);
                }
              }
            }
          }
          runStart = i;
        }
      }
    }
  });
  return index;
}
