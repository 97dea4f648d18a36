import type { PeriodType } from '../calendar/fiscal-calendar';
import type { ForecastTree } from '../pipeline/hierarchy';
import type { EngineContext } from '../engine-context';
import { decimalToMinor } from '../money/decimal';

export interface QuotaValue {
  /** Corporate minor units. */
  amount: number;
  /** own: set on this node; derived: summed from the nodes below (only when config allows). */
  source: 'own' | 'derived';
  /** How the quota was converted: the rate in force on the period's first day. */
  rateNote: string | null;
}

/**
 * Quotas keyed by owner, period and family. A quota whose start is not exactly the first day of a
 * fiscal period attaches to nothing (as in Collaborative Forecasts) and is reported, not guessed.
 */
export class QuotaBook {
  private readonly byKey = new Map<string, QuotaValue>();

  constructor(ctx: EngineContext) {
    ctx.snapshot.quotas.forEach((q, i) => {
      const period = ctx.calendar.periodOf(q.periodStart, q.periodType);
      if (period.start !== q.periodStart) {
        ctx.warnings.push({
          code: 'QUOTA.UNATTACHED',
          message: `quota starts ${q.periodStart}, not on the first day of fiscal ${q.periodType} ${period.key} (${period.start}); ignored`,
          path: `$.quotas[${i}].periodStart`,
        });
        return;
      }
      const minor = decimalToMinor(q.amount, ctx.currency.decimalsOf(q.currency));
      const amount = ctx.currency.toCorporate(minor, q.currency, q.periodStart);
      const rate =
        q.currency === ctx.currency.corporate ? null : ctx.currency.rateFor(q.currency, q.periodStart);
      const key = QuotaBook.key(q.ownerType, q.ownerId, q.periodType, period.key, q.productFamily ?? '');
      const existing = this.byKey.get(key);
      if (existing) {
        ctx.warnings.push({
          code: 'QUOTA.DUPLICATE',
          message: `second quota for ${key}; the two are added`,
          path: `$.quotas[${i}]`,
        });
      }
      this.byKey.set(key, {
        amount: (existing?.amount ?? 0) + amount,
        source: 'own',
        rateNote: rate
          ? `${rate.currency} ${rate.rate} (${rate.source}, ${rate.rateDate})`
          : (existing?.rateNote ?? null),
      });
    });
  }

  static key(
    ownerType: 'user' | 'territory',
    ownerId: string,
    periodType: PeriodType,
    periodKey: string,
    family: string,
  ): string {
    return `${ownerType}:${ownerId}|${periodType}|${periodKey}|${family}`;
  }

  get(
    ownerType: 'user' | 'territory',
    ownerId: string,
    periodType: PeriodType,
    periodKey: string,
    family: string,
  ): QuotaValue | null {
    return this.byKey.get(QuotaBook.key(ownerType, ownerId, periodType, periodKey, family)) ?? null;
  }
}

/** Quota per hierarchy node; managers get a derived sum only when config allows (Salesforce never does). */
export function quotaForNodes(
  tree: ForecastTree,
  quotas: QuotaBook,
  pt: PeriodType,
  periodKey: string,
  family: string,
  rollUpToManagers: boolean,
): Map<string, QuotaValue> {
  const out = new Map<string, QuotaValue>();
  const below = new Map<string, number>();
  for (const node of tree.postOrder()) {
    let quota: QuotaValue | null = null;
    if (node.type !== 'org' && node.viaRoleId === null)
      quota = quotas.get(node.type, node.ownerId, pt, periodKey, family);
    if (quota === null && rollUpToManagers && below.has(node.key)) {
      quota = { amount: below.get(node.key)!, source: 'derived', rateNote: null };
    }
    if (quota !== null) {
      out.set(node.key, quota);
      if (node.parentKey !== null) below.set(node.parentKey, (below.get(node.parentKey) ?? 0) + quota.amount);
    }
  }
  return out;
}
