import { divRoundHalfEven, formatMinor, mulDivHalfEven, ratio, toSafeNumber } from '../money/decimal';
import type { KpiAccumulator } from './accumulator';
import type { KpiId } from './config';

export interface KpiInputs {
  acc: KpiAccumulator;
  /** Sum of the counters over the velocity look-back window ending with this period. */
  window: KpiAccumulator;
  /** Corporate minor units, or null when the scope has no quota for the period. */
  quota: number | null;
  /** The submitted forecast, when one applies. */
  submitted: number | null;
  /** The statistical call and the actual won, when the period was backtested. */
  statistical: { call: number; actual: number } | null;
  /** Index of the stage for per-stage KPIs. */
  stage: number;
  complete: boolean;
  ratioPlaces: number;
  decimals: number;
}

export interface KpiValue {
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  /** Why the value is null, when it is. */
  note: string | null;
}

/** Formula versions this engine implements. A config naming another version is a config error. */
export const IMPLEMENTED_VERSIONS: Record<KpiId, number> = {
  quota_attainment: 1,
  commit_attainment: 1,
  pipeline_coverage: 1,
  win_rate_count: 1,
  win_rate_amount: 1,
  average_deal_size: 1,
  sales_cycle_days: 1,
  stage_conversion: 1,
  days_in_stage: 1,
  sales_velocity: 1,
  slip_rate: 1,
  forecast_accuracy: 1,
  forecast_bias: 1,
  statistical_forecast_accuracy: 1,
  statistical_forecast_bias: 1,
  pipeline_created: 1,
  past_due_open: 1,
  missing_amount: 1,
  stale_opportunities: 1,
};

export const PER_STAGE: ReadonlySet<KpiId> = new Set(['stage_conversion', 'days_in_stage']);
export const SNAPSHOT_ONLY: ReadonlySet<KpiId> = new Set([
  'past_due_open',
  'missing_amount',
  'stale_opportunities',
]);

const nothing = (note: string): KpiValue => ({ value: null, numerator: null, denominator: null, note });

export function evaluate(id: KpiId, k: KpiInputs): KpiValue {
  const money = (v: number): string => formatMinor(v, k.decimals);
  const share = (num: number, den: number, fmt: (v: number) => string, emptyNote: string): KpiValue =>
    den === 0
      ? { value: null, numerator: fmt(num), denominator: fmt(den), note: emptyNote }
      : { value: ratio(num, den, k.ratioPlaces), numerator: fmt(num), denominator: fmt(den), note: null };
  const count = (v: number): string => String(v);
  const { acc } = k;
  switch (id) {
    case 'quota_attainment':
      if (k.quota === null) return nothing('no quota for this scope and period');
      return share(acc.wonAmount, k.quota, money, 'quota is zero');
    case 'commit_attainment':
      if (k.quota === null) return nothing('no quota for this scope and period');
      return share(acc.commitOpen + acc.wonAmount, k.quota, money, 'quota is zero');
    case 'pipeline_coverage': {
      if (k.quota === null) return nothing('no quota for this scope and period');
      const remaining = k.quota - acc.wonAmount;
      if (remaining <= 0)
        return {
          value: null,
          numerator: money(acc.openPipeline),
          denominator: money(remaining),
          note: 'quota already met',
        };
      return share(acc.openPipeline, remaining, money, '');
    }
    case 'win_rate_count':
      return share(acc.wonCount, acc.wonCount + acc.lostCount, count, 'no deals closed in the period');
    case 'win_rate_amount':
      return share(acc.wonAmount, acc.wonAmount + acc.lostAmount, money, 'no closed amount in the period');
    case 'average_deal_size':
      if (acc.wonCount === 0)
        return {
          value: null,
          numerator: money(acc.wonAmount),
          denominator: '0',
          note: 'no deals won in the period',
        };
      return {
        value: money(mulDivHalfEven(acc.wonAmount, 1, acc.wonCount)),
        numerator: money(acc.wonAmount),
        denominator: count(acc.wonCount),
        note: null,
      };
    case 'sales_cycle_days':
      return days(acc.cycleDays, acc.wonCount, 'no deals won in the period');
    case 'stage_conversion':
      return share(
        acc.stageConverted[k.stage]!,
        acc.stageEntered[k.stage]!,
        count,
        'no deal entered the stage in the period',
      );
    case 'days_in_stage':
      return days(
        acc.stageStayDays[k.stage]!,
        acc.stageStays[k.stage]!,
        'no stay in the stage ended in the period',
      );
    case 'sales_velocity': {
      const w = k.window;
      if (w.wonCount === 0 || w.cycleDays === 0) return nothing('no deals won in the look-back window');
      // N × W/(W+L) × A/W ÷ (D/W) = N × A × W ÷ ((W+L) × D), exact in BigInt, half-even to the minor unit.
      const perDay = divRoundHalfEven(
        BigInt(acc.qualifiedOpen) * BigInt(w.wonAmount) * BigInt(w.wonCount),
        BigInt(w.wonCount + w.lostCount) * BigInt(w.cycleDays),
      );
      return {
        value: money(toSafeNumber(perDay)),
        numerator: `${acc.qualifiedOpen} deals × ${w.wonCount}/${w.wonCount + w.lostCount} × ${money(w.wonAmount)}/${w.wonCount}`,
        denominator: `${w.cycleDays}/${w.wonCount} days`,
        note: null,
      };
    }
    case 'slip_rate':
      return share(acc.slipped, acc.slipBase, count, 'no deal open in the period at its start');
    case 'forecast_accuracy':
    case 'forecast_bias':
    case 'statistical_forecast_accuracy':
    case 'statistical_forecast_bias': {
      const statistical = id.startsWith('statistical');
      if (!k.complete) return nothing('the period is not over');
      const f = statistical ? (k.statistical?.call ?? null) : k.submitted;
      const a = statistical ? (k.statistical?.actual ?? 0) : acc.wonAmount;
      if (f === null)
        return nothing(
          statistical ? 'the period was not backtested' : 'no submission for this scope and period',
        );
      if (a === 0)
        return {
          value: null,
          numerator: money(f),
          denominator: money(0),
          note: 'nothing was won: accuracy is undefined',
        };
      const accuracy = id.endsWith('accuracy');
      const num = accuracy ? a - Math.abs(f - a) : f - a;
      return {
        value: ratio(num, a, k.ratioPlaces),
        numerator: money(num),
        denominator: money(a),
        note: null,
      };
    }
    case 'pipeline_created':
      return {
        value: money(acc.createdAmount),
        numerator: count(acc.createdCount),
        denominator: null,
        note: null,
      };
    case 'past_due_open':
      return { value: count(acc.pastDue), numerator: null, denominator: null, note: null };
    case 'missing_amount':
      return { value: count(acc.missingAmount), numerator: null, denominator: null, note: null };
    case 'stale_opportunities':
      return { value: count(acc.stale), numerator: null, denominator: null, note: null };
  }
}

function days(total: number, n: number, emptyNote: string): KpiValue {
  if (n === 0) return { value: null, numerator: String(total), denominator: '0', note: emptyNote };
  return { value: ratio(total, n, 2), numerator: String(total), denominator: String(n), note: null };
}
