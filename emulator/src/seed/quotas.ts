/**
 * Sales_Quota__c: a revenue quota per rep per window quarter while employed, and one per manager
 * (quotas do not roll up in Salesforce, so every manager has their own). A segment's full quota is
 * what an established rep of that segment books in a typical past quarter, plus stretch; ramping
 * reps get 25 %, 50 % and 75 % of it in their first three quarters. Amounts are in the rep's
 * currency at the rate of the quarter's first month when the object has CurrencyIsoCode, and in
 * the corporate currency when it has not.
 */
import { formatAutoNumber } from '../dml/system-fields';
import { quoteIdent } from '../store/codec';
import { isoFromDay } from './calendar';
import type { SeedContext } from './context';
import type { OrgChart, Rep } from './org-chart';
import type { Bookings } from './opportunities';
import { rampFactor } from './opportunities';
import { SEGMENTS, type Segment } from './segments';

export const QUOTA_OBJECT = 'Sales_Quota__c';
const STRETCH = 1.15;
const MANAGER_SHARE = 0.9;
const RAMP_QUOTA = [0.25, 0.5, 0.75];
const FALLBACK_USD: Record<Segment, number> = { Enterprise: 600_000, 'Mid-Market': 250_000, SMB: 90_000 };

export function writeQuotas(ctx: SeedContext, chart: OrgChart, bookings: Bookings): void {
  if (!ctx.has(QUOTA_OBJECT)) return;
  const table = ctx.table(QUOTA_OBJECT);
  // without a CurrencyIsoCode field an amount can only mean the corporate currency
  const multiCurrency = ctx.org.schema.field(QUOTA_OBJECT, 'CurrencyIsoCode') !== undefined;
  const corporate = ctx.org.settings.corporateCurrency;
  const base = segmentQuotaUsd(ctx, chart, bookings);
  const rows: Array<{ values: Record<string, unknown>; by: string; at: number }> = [];
  const quota = (
    userId: string,
    userName: string,
    userCurrency: string,
    territory: string,
    qi: number,
    usd: number,
    notBefore: number,
  ): void => {
    const q = ctx.quarters[qi];
    const currency = multiCurrency ? userCurrency : corporate;
    const unit = currency === 'JPY' ? 100_000 : 1_000;
    const rate = ctx.rates.rateInMonth(currency, q.startMonth);
    const start = isoFromDay(q.startDay);
    const at = Math.min(Math.max(ctx.at(q.startDay - 20, 10), ctx.at(notBefore, 11)), ctx.asOf - 3_600_000);
    rows.push({
      values: {
        Name: `${userName} Q${q.number} FY${q.fiscalYear}`.slice(0, 80),
        User__c: userId,
        Territory_Key__c: territory,
        Period_Start__c: start,
        Period_End__c: isoFromDay(q.endDay),
        Period_Type__c: 'Quarter',
        Amount__c: Math.max(unit, Math.round((usd * rate) / unit) * unit),
        Quota_Type__c: 'Revenue',
        External_Key__c: `${userId}:Quarter:${start}:Revenue`,
        CurrencyIsoCode: currency,
        OwnerId: ctx.adminUserId,
      },
      by: ctx.adminUserId,
      at,
    });
  };
  for (const team of chart.teams) {
    const teamUsd = new Float64Array(ctx.quarters.length);
    for (const rep of team.reps) {
      ctx.quarters.forEach((q, qi) => {
        if (!employedIn(rep, q.startDay, q.endDay)) return;
        const since = q.index - ctx.cal.quarterOfDay(rep.hireDay).index;
        const usd = base[rep.segment] * (since < RAMP_QUOTA.length ? RAMP_QUOTA[since] : 1);
        teamUsd[qi] += usd;
        quota(rep.userId, rep.name, rep.currency, rep.territoryKey, qi, usd, rep.hireDay);
      });
    }
    ctx.quarters.forEach((_, qi) => {
      if (teamUsd[qi] > 0)
        quota(
          team.managerUserId,
          team.managerName,
          team.managerCurrency,
          team.key,
          qi,
          teamUsd[qi] * MANAGER_SHARE,
          0,
        );
    });
  }
  // an auto-number Name (QUOTA-{000000}) counts on from the rows already there, like the DML layer
  const nameField = ctx.org.schema.field(QUOTA_OBJECT, 'Name');
  if (nameField?.autoNumber) {
    const { n } = ctx.org.db.prepare(`SELECT COUNT(*) AS n FROM ${quoteIdent(table.name)}`).get() as {
      n: number;
    };
    rows.forEach(
      (r, i) => (r.values.Name = formatAutoNumber(nameField.autoNumberFormat ?? '{0}', n + i + 1, r.at)),
    );
  }
  ctx.tx(() => table.insertAll(rows));
  ctx.progress('quotas', rows.length, rows.length);
}

export function employedIn(rep: Rep, startDay: number, endDay: number): boolean {
  return rep.hireDay <= endDay && (rep.leaveDay === null || rep.leaveDay >= startDay);
}

/** Mean won USD per fully employed, fully ramped rep-quarter in the completed window quarters. */
function segmentQuotaUsd(ctx: SeedContext, chart: OrgChart, bookings: Bookings): Record<Segment, number> {
  const out = { ...FALLBACK_USD };
  for (const segment of SEGMENTS) {
    let sum = 0;
    let n = 0;
    for (const rep of chart.reps) {
      if (rep.segment !== segment) continue;
      ctx.quarters.forEach((q, qi) => {
        if (q.index >= ctx.current.index) return;
        const full = rep.hireDay <= q.startDay && (rep.leaveDay === null || rep.leaveDay > q.endDay);
        if (!full || rampFactor(ctx, rep, q.index) < 1) return;
        sum += bookings.wonUsd[rep.idx * bookings.quarters + qi];
        n++;
      });
    }
    if (n > 0 && sum > 0)
      out[segment] = Math.round(((sum / n) * STRETCH) / 5_000) * 5_000 || FALLBACK_USD[segment];
  }
  return out;
}
