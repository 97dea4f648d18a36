import { addDays, toDayNumber } from '../../calendar/dates';
import type { EngineContext } from '../../engine-context';
import { decimalToMinor, formatMinor } from '../../money/decimal';
import { stateAt } from '../../pipeline/deal-history';
import type { Opportunity } from '../../snapshot/types';
import type { ForecastCategory } from '../config';
import { buildWaterfall, type ChangeReason, type DealPoint, type WaterfallScope } from './build-waterfall';

export interface Waterfall {
  periodType: string;
  periodKey: string;
  scopeType: 'org' | 'user';
  scopeId: string;
  /** The rollup whose change is explained (config snapshots.waterfallRollup). */
  rollup: string;
  /** The previous weekly lock day, and asOf. */
  from: string;
  to: string;
  startValue: string;
  endValue: string;
  steps: { reason: ChangeReason; delta: string; opportunities: { id: string; delta: string }[] }[];
}

/**
 * Week-over-week waterfalls for the period holding asOf: the deals as they stood at the end of the
 * previous lock day (rebuilt from history) against the deals now, for the org and for each owner.
 */
export function computeWaterfalls(ctx: EngineContext): Waterfall[] {
  const fc = ctx.config.forecast;
  const rollup = fc.snapshots.waterfallRollup;
  const categories = new Set<ForecastCategory>(fc.rollups[rollup] ?? []);
  if (categories.size === 0) {
    ctx.warnings.push({
      code: 'WATERFALL.UNKNOWN_ROLLUP',
      message: `snapshots.waterfallRollup ${rollup} is not a configured rollup`,
    });
    return [];
  }
  const from = addDays(ctx.snapshotDate, -7);
  const fromDay = toDayNumber(from);
  const rule = fc.currency.rateDate;
  const cur = ctx.currency;
  const before = new Map<string, DealPoint>();
  const after = new Map<string, DealPoint>();
  const byOwner = new Map<string, string[]>();
  const own = (owner: string, id: string): void => {
    const list = byOwner.get(owner);
    if (list) {
      if (list[list.length - 1] !== id) list.push(id);
    } else byOwner.set(owner, [id]);
  };
  const value = (o: Opportunity, amount: string | null, closeDate: string): number => {
    if (amount === null) return 0;
    const minor = decimalToMinor(amount, cur.decimalsOf(o.currency));
    if (o.currency === cur.corporate) return minor;
    return cur.toCorporate(
      minor,
      o.currency,
      rule === 'dealDate' ? closeDate : rule === 'asOf' ? ctx.asOf : null,
    );
  };
  // Only deals dated inside the current periods (before or after) can move a waterfall; a deal with
  // no history looks the same on both days, so its close date alone decides.
  const periods = fc.periodTypes.map((pt) => ctx.calendar.periodOfDay(ctx.asOfDay, pt));
  const lo = periods.reduce((m, p) => (p.start < m ? p.start : m), periods[0]!.start);
  const hi = periods.reduce((m, p) => (p.end > m ? p.end : m), periods[0]!.end);
  const opportunities = ctx.snapshot.opportunities;
  for (let index = 0; index < opportunities.length; index += 1) {
    const o = opportunities[index]!;
    const afterIn = o.closeDate >= lo && o.closeDate <= hi;
    const history = ctx.historyAt[index];
    if (!afterIn && history === undefined) continue;
    const s = stateAt(o, history, fromDay);
    if (!afterIn && (s === null || s.closeDate < lo || s.closeDate > hi)) continue;
    after.set(o.id, {
      opportunityId: o.id,
      ownerId: o.ownerId,
      closeDate: o.closeDate,
      category: ctx.stages.categoryOf(o.stageName, o.isClosed, o.isWon),
      outcome: o.isWon ? 'won' : o.isClosed ? 'lost' : 'open',
      value: value(o, o.amount, o.closeDate),
    });
    own(o.ownerId, o.id);
    if (s !== null) {
      const outcome = ctx.stages.outcomeOf(s.stageName);
      before.set(o.id, {
        opportunityId: o.id,
        ownerId: s.ownerId,
        closeDate: s.closeDate,
        category: ctx.stages.categoryOf(s.stageName, outcome !== 'open', outcome === 'won'),
        outcome,
        value: value(o, s.amount, s.closeDate),
      });
      own(s.ownerId, o.id);
    }
  }

  const decimals = cur.corporateDecimals;
  const out: Waterfall[] = [];
  fc.periodTypes.forEach((pt, i) => {
    const period = periods[i]!;
    const emit = (
      scopeType: 'org' | 'user',
      scopeId: string,
      b: ReadonlyMap<string, DealPoint>,
      a: ReadonlyMap<string, DealPoint>,
    ): void => {
      const scope: WaterfallScope = {
        periodStart: period.start,
        periodEnd: period.end,
        categories,
        ownerId: scopeType === 'org' ? null : scopeId,
      };
      const core = buildWaterfall(b, a, scope);
      if (scopeType === 'user' && core.startValue === 0 && core.endValue === 0 && core.steps.length === 0)
        return;
      out.push({
        periodType: pt,
        periodKey: period.key,
        scopeType,
        scopeId,
        rollup,
        from,
        to: ctx.asOf,
        startValue: formatMinor(core.startValue, decimals),
        endValue: formatMinor(core.endValue, decimals),
        steps: core.steps.map((st) => ({
          reason: st.reason,
          delta: formatMinor(st.delta, decimals),
          opportunities: st.opportunities.map((x) => ({ id: x.id, delta: formatMinor(x.delta, decimals) })),
        })),
      });
    };
    emit('org', 'org', before, after);
    for (const owner of [...byOwner.keys()].sort()) {
      const ids = byOwner.get(owner)!;
      const b = new Map<string, DealPoint>();
      const a = new Map<string, DealPoint>();
      for (const id of ids) {
        const bp = before.get(id);
        const ap = after.get(id);
        if (bp) b.set(id, bp);
        if (ap) a.set(id, ap);
      }
      emit('user', owner, b, a);
    }
  });
  return out;
}
