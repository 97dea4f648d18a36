import { decimalToMinor, mulDivHalfEven } from '../money/decimal';
import type { Opportunity } from '../snapshot/types';
import { money } from './format';
import type { PlanVersion } from './plan-schema';

export interface Measure {
  /** Opportunity currency, minor units; null when the plan does not credit this deal at all. */
  minor: number | null;
  /** Readable steps, e.g. "margin $80,000.00 (price $120,000.00 − cost $40,000.00)". */
  steps: string[];
}

const NONE = '(none)';
const factorPpm = (m: number): number => Math.round(m * 1_000_000);
const applyMultiplier = (minor: number, m: number): number => mulDivHalfEven(minor, factorPpm(m), 1_000_000);

/**
 * The amount a plan credits for one deal, in the deal's currency: its amount, or the margin of its
 * line items (price − cost), filtered and weighted by product family, then by deal type. The deal
 * type filter can exclude the deal (null); a sale below cost floors at zero unless the plan keeps it.
 */
export function measureOf(
  opp: Opportunity,
  amount: string | null,
  version: PlanVersion,
  decimals: number,
): Measure {
  const m = version.measure;
  const steps: string[] = [];
  const type = opp.type ?? NONE;
  if (m.dealTypes.include.length > 0 && !m.dealTypes.include.includes(type))
    return { minor: null, steps: [`deal type ${type} not in ${m.dealTypes.include.join(', ')}`] };
  if (m.dealTypes.exclude.includes(type)) return { minor: null, steps: [`deal type ${type} excluded`] };

  const fam = m.productFamilies;
  const byLines =
    opp.lineItems.length > 0 &&
    (m.base === 'margin' ||
      fam.include.length > 0 ||
      fam.exclude.length > 0 ||
      Object.keys(fam.multipliers).length > 0);
  let total: number;
  if (!byLines) {
    if (m.base === 'margin') steps.push('no line items: margin taken as the amount');
    total = amount === null ? 0 : decimalToMinor(amount, decimals);
    if (fam.include.length > 0) {
      // Without line items the family is unknown: an include list cannot be satisfied.
      return { minor: null, steps: [`no line items to match families ${fam.include.join(', ')}`] };
    }
  } else {
    total = 0;
    let price = 0;
    let cost = 0;
    const weighted: string[] = [];
    for (const li of opp.lineItems) {
      const family = li.productFamily ?? NONE;
      if (fam.include.length > 0 && !fam.include.includes(family)) continue;
      if (fam.exclude.includes(family)) continue;
      const linePrice = decimalToMinor(li.totalPrice, decimals);
      let value = linePrice;
      if (m.base === 'margin') {
        if (li.cost === null) {
          if (m.missingCost === 'exclude') continue;
        } else {
          const lineCost = decimalToMinor(li.cost, decimals);
          value = linePrice - lineCost;
          cost += lineCost;
        }
      }
      price += linePrice;
      const mult = fam.multipliers[family];
      if (mult !== undefined && mult !== 1) {
        value = applyMultiplier(value, mult);
        weighted.push(`${family} × ${mult}`);
      }
      total += value;
    }
    const cur = opp.currency;
    if (m.base === 'margin')
      steps.push(
        `margin ${money(total, cur, decimals)} (price ${money(price, cur, decimals)} − cost ${money(cost, cur, decimals)})`,
      );
    else if (fam.include.length > 0 || fam.exclude.length > 0)
      steps.push(`qualifying lines ${money(total, cur, decimals)}`);
    if (weighted.length > 0) steps.push([...new Set(weighted)].join(', '));
    if (m.base === 'margin' && total < 0 && m.negativeMargin === 'floor') {
      steps.push('negative margin floored at 0');
      total = 0;
    }
  }
  const typeMult = m.dealTypes.multipliers[type];
  if (typeMult !== undefined && typeMult !== 1) {
    total = applyMultiplier(total, typeMult);
    steps.push(`${type} × ${typeMult}`);
  }
  return { minor: total, steps };
}
