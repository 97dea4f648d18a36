import type { Period } from '../calendar/fiscal-calendar';
import { toDayNumber } from '../calendar/dates';
import type { EngineConfig } from '../engine-config';
import {
  createEngineContext,
  DomainError,
  periodsInScope,
  type EngineContext,
  type EngineWarning,
} from '../engine-context';
import { QuotaBook, quotaForNodes } from '../forecast/quotas';
import { trainStatisticalForecast, type Backtest } from '../forecast/statistical/statistical-forecast';
import { decimalToMinor, formatMinor } from '../money/decimal';
import { RoleHierarchy, TerritoryHierarchy, type ForecastTree } from '../pipeline/hierarchy';
import type { Snapshot } from '../snapshot/types';
import { addInto, newAccumulator, noteId, type KpiAccumulator } from './accumulator';
import { accumulate, type PeriodRange } from './accumulate';
import type { KpiDefinition } from './config';
import { evaluate, IMPLEMENTED_VERSIONS, PER_STAGE, SNAPSHOT_ONLY } from './formulas';
import { kpiKey, type KpiRow, type KpiScope, type KpiTrace } from './rows';

export interface KpiResult {
  asOf: string;
  definitionVersion: string;
  rows: KpiRow[];
  traces: KpiTrace[];
  warnings: EngineWarning[];
}

/** The KPI engine: versioned definitions from config, one pass over the deals, exact ratios. */
export interface KpiOptions {
  /**
   * The statistical forecast's backtest from the forecast engine run on the same snapshot, config and
   * asOf: its calls are reused instead of training the model a second time.
   */
  statisticalBacktest?: Backtest;
}

export function computeKpis(
  snapshot: Snapshot,
  config: EngineConfig,
  asOf: string,
  opts: KpiOptions = {},
): KpiResult {
  const kc = config.kpis;
  for (const d of kc.definitions) {
    if (IMPLEMENTED_VERSIONS[d.id] !== d.version) {
      throw new DomainError(
        'KPI.UNSUPPORTED_VERSION',
        `${d.id} v${d.version} is not implemented (this engine implements v${IMPLEMENTED_VERSIONS[d.id]})`,
      );
    }
  }
  const ctx = createEngineContext(snapshot, config, asOf);
  const roles = new RoleHierarchy(snapshot, ctx.asOfDay, config.forecast.hierarchy.teamAttribution);
  const territories =
    kc.scopes.includes('territory') && snapshot.territories.length > 0
      ? new TerritoryHierarchy(snapshot.territories)
      : null;
  const lookback = kc.parameters.velocityLookbackPeriods;

  const ranges: (PeriodRange & { shown: Period[] })[] = kc.periodTypes.map((pt) => {
    const shown = periodsInScope(ctx, pt, kc.horizon);
    const periods = periodsInScope(ctx, pt, {
      past: kc.horizon.past + lookback - 1,
      future: kc.horizon.future,
    });
    return {
      type: pt,
      periods,
      shown,
      keys: new Set(periods.map((p) => p.key)),
      current: ctx.calendar.periodOfDay(ctx.asOfDay, pt),
    };
  });
  const index = accumulate(ctx, ranges, roles, territories);
  const definitions = kc.definitions.filter((d) => d.enabled);
  const statistical =
    definitions.some((d) => d.id.startsWith('statistical')) && config.forecast.statistical.enabled
      ? statisticalCalls(ctx, opts.statisticalBacktest)
      : new Map<string, { call: number; actual: number }>();
  const quotas = new QuotaBook(ctx);
  const submissions = submissionIndex(ctx);
  const stageNames = config.forecast.stages.map((s) => s.name);
  const openStages = config.forecast.stages.map((s, i) => ({ s, i })).filter(({ s }) => s.outcome === 'open');

  const rateRule = RATE_RULES[config.forecast.currency.rateDate].replace('{c}', ctx.currency.corporate);
  const rows: KpiRow[] = [];
  const traces: KpiTrace[] = [];
  for (const range of ranges) {
    const subtreeCache = new Map<string, Map<string, KpiAccumulator>>();
    const subtrees = (tree: ForecastTree, name: string, p: Period): Map<string, KpiAccumulator> => {
      const key = `${name}|${p.key}`;
      let sums = subtreeCache.get(key);
      if (!sums) {
        sums = subtreeSums(tree, stageNames.length, (nodeKey) =>
          index.get(`${range.type}|${p.key}|${nodeKey}`),
        );
        subtreeCache.set(key, sums);
      }
      return sums;
    };
    for (const period of range.shown) {
      const complete = period.endDay < ctx.asOfDay;
      const isCurrent = period.key === range.current.key;
      const windowPeriods = Array.from({ length: lookback }, (_, i) => ctx.calendar.shift(period, -i));
      const emitScope = (
        scope: KpiScope,
        scopeId: string,
        acc: KpiAccumulator,
        window: KpiAccumulator,
        quota: number | null,
        submitted: number | null,
      ): void => {
        for (const def of definitions) {
          if (SNAPSHOT_ONLY.has(def.id) && !isCurrent) continue;
          if (def.id.startsWith('statistical') && (scope !== 'org' || range.type !== 'quarter')) continue;
          const dims = PER_STAGE.has(def.id) ? openStages.map(({ i }) => i) : [-1];
          for (const stage of dims) {
            const v = evaluate(def.id, {
              acc,
              window,
              quota,
              submitted,
              statistical: statistical.get(period.key) ?? null,
              stage,
              complete,
              ratioPlaces: def.unit === 'ratio' ? kc.parameters.ratioPlaces : 2,
              decimals: ctx.currency.corporateDecimals,
            });
            const dimension = stage < 0 ? null : stageNames[stage]!;
            const externalKey = kpiKey(def.id, def.version, period.key, scope, scopeId, dimension);
            rows.push({
              externalKey,
              asOf: ctx.asOf,
              definitionsVersion: kc.version,
              kpiId: def.id,
              kpiVersion: def.version,
              label: def.label,
              unit: def.unit,
              currency:
                def.unit === 'currency' || def.unit === 'currencyPerDay' ? ctx.currency.corporate : null,
              periodType: range.type,
              periodKey: period.key,
              periodStart: period.start,
              periodEnd: period.end,
              periodComplete: complete,
              scopeType: scope,
              scopeId,
              dimension,
              value: v.value,
              numerator: v.numerator,
              denominator: v.denominator,
            });
            traces.push({
              externalKey,
              definitionVersion: `${kc.version}/${def.id}@v${def.version}`,
              rule: ruleText(def),
              inputs: {
                numerator: v.numerator,
                denominator: v.denominator,
                note: v.note,
                opportunityIds: acc.ids,
                idsTruncated: acc.idsTruncated,
                quota: quota === null ? null : formatMinor(quota, ctx.currency.corporateDecimals),
                rateRule,
              },
            });
          }
        }
      };

      const roleSums = subtrees(roles.tree, 'role', period);
      const roleWindow = windowSum(windowPeriods.map((p) => subtrees(roles.tree, 'role', p)));
      const roleQuotas = quotaForNodes(
        roles.tree,
        quotas,
        range.type,
        period.key,
        '',
        config.forecast.quotas.rollUpToManagers,
      );
      const children = new Set(
        [...roles.tree.nodes.values()].map((n) => n.parentKey).filter((k): k is string => k !== null),
      );
      const users = [
        ...new Set([...roles.tree.nodes.values()].filter((n) => n.type === 'user').map((n) => n.ownerId)),
      ].sort();

      if (kc.scopes.includes('rep')) {
        for (const userId of users) {
          // A rep's own deals: their node plus any placeholder kept for a former team.
          const own = newAccumulator(stageNames.length);
          const ownWindow = newAccumulator(stageNames.length);
          for (const n of roles.tree.nodes.values()) {
            if (n.type !== 'user' || n.ownerId !== userId) continue;
            const a = index.get(`${range.type}|${period.key}|${n.key}`);
            if (a) {
              addInto(own, a);
              // The trace's deal list: every node's, up to the cap, and it says when it is cut.
              for (const id of a.ids) noteId(own, id, config.forecast.trace.maxIds);
              if (a.idsTruncated) own.idsTruncated = true;
            }
            for (const p of windowPeriods) {
              const w = index.get(`${range.type}|${p.key}|${n.key}`);
              if (w) addInto(ownWindow, w);
            }
          }
          const isManager = children.has(`user:${userId}`);
          const quota = isManager ? null : (roleQuotas.get(`user:${userId}`)?.amount ?? null);
          emitScope('rep', userId, own, ownWindow, quota, isManager ? null : submissions(userId, period));
        }
      }
      if (kc.scopes.includes('manager')) {
        for (const userId of users) {
          const key = `user:${userId}`;
          if (!children.has(key)) continue;
          emitScope(
            'manager',
            userId,
            roleSums.get(key)!,
            roleWindow.get(key)!,
            roleQuotas.get(key)?.amount ?? null,
            submissions(userId, period),
          );
        }
      }
      if (territories && kc.scopes.includes('territory')) {
        const sums = subtrees(territories.tree, 'territory', period);
        const window = windowSum(windowPeriods.map((p) => subtrees(territories.tree, 'territory', p)));
        const tQuotas = quotaForNodes(
          territories.tree,
          quotas,
          range.type,
          period.key,
          '',
          config.forecast.quotas.rollUpToManagers,
        );
        for (const node of [...territories.tree.nodes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
          if (node.type !== 'territory') continue;
          emitScope(
            'territory',
            node.ownerId,
            sums.get(node.key)!,
            window.get(node.key)!,
            tQuotas.get(node.key)?.amount ?? null,
            null,
          );
        }
      }
      if (kc.scopes.includes('org')) {
        emitScope(
          'org',
          'org',
          roleSums.get('org')!,
          roleWindow.get('org')!,
          roleQuotas.get('org')?.amount ?? null,
          null,
        );
      }
    }
  }
  return { asOf, definitionVersion: kc.version, rows, traces, warnings: ctx.warnings };
}

function subtreeSums(
  tree: ForecastTree,
  stages: number,
  own: (nodeKey: string) => KpiAccumulator | undefined,
): Map<string, KpiAccumulator> {
  const sums = new Map<string, KpiAccumulator>();
  for (const node of tree.postOrder()) {
    let acc = sums.get(node.key);
    if (!acc) {
      acc = newAccumulator(stages);
      sums.set(node.key, acc);
    }
    const a = own(node.key);
    if (a) {
      addInto(acc, a);
      acc.ids = a.ids;
      acc.idsTruncated = a.idsTruncated;
    }
    if (node.parentKey !== null) {
      let parent = sums.get(node.parentKey);
      if (!parent) {
        parent = newAccumulator(stages);
        sums.set(node.parentKey, parent);
      }
      addInto(parent, acc);
    }
  }
  return sums;
}

function windowSum(maps: readonly Map<string, KpiAccumulator>[]): Map<string, KpiAccumulator> {
  const out = new Map<string, KpiAccumulator>();
  for (const m of maps) {
    for (const [key, acc] of m) {
      let t = out.get(key);
      if (!t) {
        t = newAccumulator(acc.stageEntered.length);
        out.set(key, t);
      }
      addInto(t, acc);
    }
  }
  return out;
}

function submissionIndex(ctx: EngineContext): (userId: string, period: Period) => number | null {
  const byKey = new Map<string, { day: number; amount: number }[]>();
  for (const s of ctx.snapshot.submissions) {
    const minor = decimalToMinor(s.amount, ctx.currency.decimalsOf(s.currency));
    const list = byKey.get(`${s.ownerId}|${s.periodKey}`) ?? [];
    list.push({
      day: toDayNumber(s.submittedOn),
      amount: ctx.currency.toCorporate(minor, s.currency, s.submittedOn),
    });
    byKey.set(`${s.ownerId}|${s.periodKey}`, list);
  }
  const cutoff = ctx.config.kpis.parameters.submissionCutoffDays;
  return (userId, period) => {
    let best: { day: number; amount: number } | null = null;
    for (const s of byKey.get(`${userId}|${period.key}`) ?? []) {
      if (s.day <= period.startDay + cutoff && (best === null || s.day >= best.day)) best = s;
    }
    return best?.amount ?? null;
  };
}

function statisticalCalls(
  ctx: EngineContext,
  shared: Backtest | undefined,
): Map<string, { call: number; actual: number }> {
  const backtest = shared ?? trainStatisticalForecast(ctx).result.backtest;
  const decimals = ctx.currency.corporateDecimals;
  return new Map(
    backtest.quarters.map((q) => [
      q.periodKey,
      { call: decimalToMinor(q.statisticalCall, decimals), actual: decimalToMinor(q.actualAll, decimals) },
    ]),
  );
}

const RATE_RULES = {
  dealDate:
    "amounts in {c} at the dated rate in force on each deal's CloseDate (static rate before the first dated range)",
  asOf: 'amounts in {c} at the dated rate in force on asOf',
  static: "amounts in {c} at each currency's static rate",
} as const;

function ruleText(def: KpiDefinition): string {
  return `${def.label}: ${def.formula}. Cohort: ${def.cohort}.`;
}
