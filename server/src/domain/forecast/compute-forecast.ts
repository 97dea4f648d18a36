import type { Period, PeriodType } from '../calendar/fiscal-calendar';
import type { EngineConfig } from '../engine-config';
import { createEngineContext, type EngineContext, type EngineWarning } from '../engine-context';
import { formatMinor, mulDivHalfEven, ratio } from '../money/decimal';
import { RoleHierarchy, TerritoryHierarchy, type ForecastTree } from '../pipeline/hierarchy';
import type { Snapshot } from '../snapshot/types';
import { AdjustmentBook } from './adjustments';
import { FORECAST_CATEGORIES, type ForecastType } from './config';
import { forEachEntry, isQuantityMeasure, QUANTITY_DECIMALS } from './entries';
import { QuotaBook, type QuotaValue } from './quotas';
import { childrenOf, newBucket, rollUp, type Bucket } from './rollup';
import { forecastKey, type ForecastRow, type ForecastTrace } from './rows';
import { trainStatisticalForecast, type StatisticalResult } from './statistical/statistical-forecast';
import { computeWaterfalls, type Waterfall } from './waterfall/compute-waterfalls';

export interface ForecastResult {
  asOf: string;
  snapshotDate: string;
  definitionVersion: string;
  rows: ForecastRow[];
  traces: ForecastTrace[];
  waterfalls: Waterfall[];
  statistical: StatisticalResult | null;
  warnings: EngineWarning[];
}

/** Channel index of the statistical expected value, after the six forecast categories. */
const EXPECTED = FORECAST_CATEGORIES.length;
const CATEGORY_INDEX = new Map(FORECAST_CATEGORIES.map((c, i) => [c, i]));

/**
 * The forecast engine: pure, deterministic, explainable. Same snapshot, config and asOf give the same
 * rows, in the same order, with the same external keys.
 */
export function computeForecast(snapshot: Snapshot, config: EngineConfig, asOf: string): ForecastResult {
  const ctx = createEngineContext(snapshot, config, asOf);
  const fc = config.forecast;
  const roles = new RoleHierarchy(snapshot, ctx.asOfDay, fc.hierarchy.teamAttribution);
  let territories: TerritoryHierarchy | null = null;
  const quotas = new QuotaBook(ctx);
  const trained = fc.statistical.enabled ? trainStatisticalForecast(ctx) : null;

  const rows: ForecastRow[] = [];
  const traces: ForecastTrace[] = [];
  for (const type of fc.forecastTypes) {
    if (type.hierarchy === 'territory') territories ??= new TerritoryHierarchy(snapshot.territories);
    const withStatistical =
      trained !== null && type.id === fc.statistical.forecastType && type.measure === 'amount';
    computeType(
      ctx,
      type,
      roles,
      territories,
      quotas,
      withStatistical ? trained.probabilityPpm : null,
      rows,
      traces,
    );
  }
  const waterfalls = computeWaterfalls(ctx);
  if (ctx.stages.unmapped.size > 0) {
    ctx.warnings.push({
      code: 'FORECAST.UNMAPPED_STAGE',
      message: `stages missing from config count as Pipeline: ${[...ctx.stages.unmapped].sort().join(', ')}`,
    });
  }
  return {
    asOf,
    snapshotDate: ctx.snapshotDate,
    definitionVersion: fc.version,
    rows,
    traces,
    waterfalls,
    statistical: trained?.result ?? null,
    warnings: ctx.warnings,
  };
}

export function periodsInScope(
  ctx: EngineContext,
  type: PeriodType,
  horizon: { past: number; future: number },
): Period[] {
  const current = ctx.calendar.periodOfDay(ctx.asOfDay, type);
  const out: Period[] = [];
  for (let i = -horizon.past; i <= horizon.future; i += 1) out.push(ctx.calendar.shift(current, i));
  return out;
}

function computeType(
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

  const stats = forEachEntry(ctx, type, (e) => {
    const nodeKey =
      type.hierarchy === 'role' ? roles.nodeFor(e.userId, e.dateDay) : territories!.nodeFor(e.territoryId);
    let expected = 0;
    if (probabilityPpm !== null) {
      if (e.outcome === 'won') expected = e.value;
      else if (e.outcome === 'open')
        expected = mulDivHalfEven(e.value, probabilityPpm.get(e.opportunityId) ?? 0, 1_000_000);
    }
    families.add(e.family);
    for (const s of scope) {
      const period = ctx.calendar.periodOfDay(e.dateDay, s.pt);
      if (!s.keys.has(period.key)) continue;
      const groupKey = `${period.key}|${e.family}`;
      let group = groups.get(groupKey);
      if (!group) {
        group = new Map();
        groups.set(groupKey, group);
      }
      let b = group.get(nodeKey);
      if (!b) {
        b = newBucket(channels);
        group.set(nodeKey, b);
      }
      b.sums[CATEGORY_INDEX.get(e.category)!]! += e.value;
      b.sums[EXPECTED]! += expected;
      b.entryCount += 1;
      if (b.ids.length < maxIds) {
        if (b.ids[b.ids.length - 1] !== e.opportunityId) b.ids.push(e.opportunityId);
      } else b.idsTruncated = true;
      if (e.rate)
        b.rates.add(
          `${e.rate.currency} ${e.rate.rate} (${e.rate.source}${e.rate.rateStart ? ` from ${e.rate.rateStart}` : ''})`,
        );
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

function ruleText(
  type: ForecastType,
  category: string,
  categories: readonly string[] | null,
  period: Period,
): string {
  const measure = typeof type.measure === 'string' ? type.measure : type.measure.field;
  const what =
    categories === null
      ? 'won amount plus, for each open deal, amount × learned probability of closing won in the period (half-even per deal)'
      : `Σ ${measure} of ${type.source === 'split' ? 'split shares' : type.source === 'productFamily' ? 'line items' : 'deals'} in ${categories.join(' + ')}`;
  return `${category} = ${what} with ${type.dateField} in ${period.key} (${period.start}..${period.end}), over the node and the ${type.hierarchy} hierarchy below it; adjusted = latest manager adjustment, else latest owner adjustment, else own deals + the adjusted values of the nodes below`;
}

