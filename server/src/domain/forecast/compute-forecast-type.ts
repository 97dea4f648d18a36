import type { Period } from '../calendar/fiscal-calendar';
import { periodsInScope, type EngineContext } from '../engine-context';
import type { RateUsed } from '../money/currency-table';
import { formatMinor, mulDivHalfEven, ratio } from '../money/decimal';
import type { ForecastTree, RoleHierarchy, TerritoryHierarchy } from '../pipeline/hierarchy';
import { AdjustmentBook } from './adjustments';
import { FORECAST_CATEGORIES, type ForecastType } from './config';
import { forEachEntry, isQuantityMeasure, QUANTITY_DECIMALS } from './entries';
import { quotaForNodes, type QuotaBook } from './quotas';
import { childrenOf, newBucket, rollUp, type Bucket } from './rollup';
import { forecastKey, type ForecastRow, type ForecastTrace } from './rows';

/** Channel index of the statistical expected value, after the six forecast categories. */
const EXPECTED = FORECAST_CATEGORIES.length;
const CATEGORY_INDEX = new Map(FORECAST_CATEGORIES.map((c, i) => [c, i]));

/** Rates come from the currency table's cache, one object per rate and date: label each once. */
const rateLabels = new WeakMap<RateUsed, string>();

function rateLabel(rate: RateUsed): string {
  let label = rateLabels.get(rate);
  if (label === undefined) {
    label = `${rate.currency} ${rate.rate} (${rate.source}${rate.rateStart ? ` from ${rate.rateStart}` : ''})`;
    rateLabels.set(rate, label);
  }
  return label;
}

/**
 * One forecast type: a single pass over its entries into per-period, per-node buckets, then a roll-up
 * per period (and family) through the type's hierarchy, with adjustments, quotas and a trace per row.
 */
export function computeForecastType(
  ctx: EngineContext,
  type: ForecastType,
  roles: RoleHierarchy,
  territories: TerritoryHierarchy | null,
  quotas: QuotaBook,
  probabilityPpm: ReadonlyMap<string, number> | null,
  rows: ForecastRow[],
  traces: ForecastTrace[],
): void {
  const fc = ctx.config.forecast;
  const maxIds = fc.trace.maxIds;
  const channels = FORECAST_CATEGORIES.length + 1;
  const periodTypes = fc.periodTypes;
  const scope = periodTypes.map((pt) => {
    const periods = periodsInScope(ctx, pt, fc.horizon);
    return { pt, periods, keys: new Set(periods.map((p) => p.key)) };
  });
  // periodKey|family → nodeKey → bucket
  const groups = new Map<string, Map<string, Bucket>>();
  const families = new Set<string>();
  const currentQuarter = ctx.calendar.periodOfDay(ctx.asOfDay, 'quarter');
  // periodKey → family → the group in `groups`, so an entry finds its bucket without building a key.
  const groupIndex = new Map<string, Map<string, Map<string, Bucket>>>();
  const bucketOf = (periodKey: string, family: string, nodeKey: string): Bucket => {
    let byFamily = groupIndex.get(periodKey);
    if (!byFamily) {
      byFamily = new Map();
      groupIndex.set(periodKey, byFamily);
    }
    let group = byFamily.get(family);
    if (!group) {
      const groupKey = `${periodKey}|${family}`;
      group = groups.get(groupKey);
      if (!group) {
        group = new Map();
        groups.set(groupKey, group);
      }
      byFamily.set(family, group);
    }
    let b = group.get(nodeKey);
    if (!b) {
      b = newBucket(channels);
      group.set(nodeKey, b);
    }
    return b;
  };

  const stats = forEachEntry(ctx, type, (e) => {
    const nodeKey =
      type.hierarchy === 'role' ? roles.nodeFor(e.userId, e.dateDay) : territories!.nodeFor(e.territoryId);
    // The statistical call is about the quarter holding asOf: every open deal adds its expected value
    // there, whatever its date; a won deal adds its amount when it was won in that quarter.
    let expected = 0;
    if (probabilityPpm !== null) {
      if (e.outcome === 'won')
        expected = e.dateDay >= currentQuarter.startDay && e.dateDay <= currentQuarter.endDay ? e.value : 0;
      else if (e.outcome === 'open')
        expected = mulDivHalfEven(e.value, probabilityPpm.get(e.opportunityId) ?? 0, 1_000_000);
    }
    if (expected !== 0) bucketOf(currentQuarter.key, e.family, nodeKey).sums[EXPECTED]! += expected;
    families.add(e.family);
    for (const s of scope) {
      const period = ctx.calendar.periodOfDay(e.dateDay, s.pt);
      if (!s.keys.has(period.key)) continue;
      const b = bucketOf(period.key, e.family, nodeKey);
      b.sums[CATEGORY_INDEX.get(e.category)!]! += e.value;
      b.entryCount += 1;
      if (b.ids.length < maxIds) {
        if (b.ids[b.ids.length - 1] !== e.opportunityId) b.ids.push(e.opportunityId);
      } else b.idsTruncated = true;
      if (e.rate) b.rates.add(rateLabel(e.rate));
    }
  });
  if (stats.missingMeasure > 0) {
    ctx.warnings.push({
      code: 'FORECAST.MISSING_MEASURE',
      message: `${type.id}: ${stats.missingMeasure} entries have no value and count as 0`,
    });
  }
  if (stats.missingDate > 0) {
    ctx.warnings.push({
      code: 'FORECAST.MISSING_DATE',
      message: `${type.id}: ${stats.missingDate} deals have no ${type.dateField} and are left out`,
    });
  }

  const tree: ForecastTree = type.hierarchy === 'role' ? roles.tree : territories!.tree;
  const rollupNames = Object.keys(fc.rollups);
  const rollupChannels = rollupNames.map((n) => fc.rollups[n]!.map((c) => CATEGORY_INDEX.get(c)!));
  if (probabilityPpm !== null) {
    rollupNames.push('statistical');
    rollupChannels.push([EXPECTED]);
  }
  const statisticalIndex = probabilityPpm !== null ? rollupNames.length - 1 : -1;
  const adjustments = new AdjustmentBook(ctx, type.id, tree, new Set(Object.keys(fc.rollups)));
  const children = childrenOf(tree);
  const quantity = isQuantityMeasure(type);
  const decimals = quantity ? QUANTITY_DECIMALS : ctx.currency.corporateDecimals;
  const fmt = (v: number): string => formatMinor(v, decimals);
  const familyList = type.source === 'productFamily' ? [...families].sort() : [''];

  for (const s of scope) {
    for (const period of s.periods) {
      for (const family of familyList) {
        const own = groups.get(`${period.key}|${family}`) ?? new Map<string, Bucket>();
        const audits = new Map<string, ReturnType<AdjustmentBook['apply']>['audit']>();
        const results = rollUp(tree, own, rollupChannels, (node, i, base) => {
          if (i === statisticalIndex) return { ownerAdjusted: base, final: base };
          const outcome = adjustments.apply(period.key, node.key, family, rollupNames[i]!, base, decimals);
          if (outcome.audit.length > 0) audits.set(`${node.key}|${i}`, outcome.audit);
          return outcome;
        });
        const nodeQuotas = quotaForNodes(tree, quotas, s.pt, period.key, family, fc.quotas.rollUpToManagers);
        for (const node of [...tree.nodes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
          const result = results.get(node.key)!;
          const quota = nodeQuotas.get(node.key) ?? null;
          rollupNames.forEach((category, i) => {
            if (i === statisticalIndex && period.key !== currentQuarter.key) return;
            const externalKey = forecastKey({
              snapshotDate: ctx.snapshotDate,
              forecastType: type.id,
              periodKey: period.key,
              nodeKey: node.key,
              family,
              category,
            });
            const adjusted = result.final[i]!;
            const quotaZero = quota !== null && quota.amount === 0;
            rows.push({
              externalKey,
              snapshotDate: ctx.snapshotDate,
              asOf: ctx.asOf,
              forecastType: type.id,
              periodType: s.pt,
              periodKey: period.key,
              periodStart: period.start,
              periodEnd: period.end,
              ownerType: node.type,
              ownerId: node.ownerId,
              viaRoleId: node.viaRoleId,
              parentKey: node.parentKey,
              productFamily: family === '' ? null : family,
              category,
              unit: quantity ? 'quantity' : 'currency',
              currency: quantity ? null : ctx.currency.corporate,
              amountUnadjusted: fmt(result.raw[i]!),
              amountOwnerAdjusted: fmt(result.ownerAdjusted[i]!),
              amountAdjusted: fmt(adjusted),
              entryCount: result.entryCount,
              quota: quota === null ? null : formatMinor(quota.amount, ctx.currency.corporateDecimals),
              quotaSource: quota?.source ?? null,
              attainment: quota === null || quantity ? null : ratio(adjusted, quota.amount, 4),
              definitionVersion: fc.version,
            });
            traces.push({
              externalKey,
              definitionVersion: fc.version,
              rule: ruleText(
                type,
                category,
                i === statisticalIndex ? null : (fc.rollups[category] ?? []),
                period,
              ),
              inputs: {
                opportunityIds: result.own?.ids ?? [],
                directEntryCount: result.own?.entryCount ?? 0,
                idsTruncated: result.own?.idsTruncated ?? false,
                childKeys: (children.get(node.key) ?? []).map((k) =>
                  forecastKey({
                    snapshotDate: ctx.snapshotDate,
                    forecastType: type.id,
                    periodKey: period.key,
                    nodeKey: k,
                    family,
                    category,
                  }),
                ),
                ratesUsed: result.own ? [...result.own.rates].sort() : [],
                adjustments: audits.get(`${node.key}|${i}`) ?? [],
                quotaNote:
                  quota === null
                    ? 'no quota for this node and period'
                    : quotaZero
                      ? 'quota is zero: attainment is undefined'
                      : `${quota.source} quota${quota.rateNote ? `, converted at ${quota.rateNote}` : ''}`,
              },
            });
          });
        }
      }
    }
  }
}

function ruleText(
  type: ForecastType,
  category: string,
  categories: readonly string[] | null,
  period: Period,
): string {
  const measure = typeof type.measure === 'string' ? type.measure : type.measure.field;
  const what =
    categories === null
      ? 'amount won in the quarter holding asOf plus, for every open deal of the node whatever its date, amount × learned probability of closing won in that quarter (half-even per deal)'
      : `Σ ${measure} of ${type.source === 'split' ? 'split shares' : type.source === 'productFamily' ? 'line items' : 'deals'} in ${categories.join(' + ')}`;
  return `${category} = ${what} with ${type.dateField} in ${period.key} (${period.start}..${period.end}), over the node and the ${type.hierarchy} hierarchy below it; adjusted = latest manager adjustment, else latest owner adjustment, else own deals + the adjusted values of the nodes below`;
}
