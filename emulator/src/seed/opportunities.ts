/**
 * Opportunities with their line items, stage history and revenue splits, streamed: a batch of
 * deals is planned, its ids reserved, its rows written in one transaction, and then forgotten.
 * What quotas need later (won amounts per rep and quarter, in USD) is summed on the way.
 */
import { isoFromDay } from './calendar';
import { PRODUCTS } from './catalog';
import type { SeedContext } from './context';
import { yieldToLoop } from './context';
import { CURRENCY_CODES, DECIMAL_PLACES, toUsd } from './currencies';
import type { AccountBook } from './accounts';
import { DealPlanner, type DealPlan, FORECAST_API, WON } from './deal-plan';
import type { OrgChart, Rep } from './org-chart';
import type { Catalog } from './reference-data';
import { apportion, SEGMENT_MODEL } from './segments';
import { STAGES } from '../schema/standard-objects';

const BATCH = 500;
/** Company growth: each quarter books a little more than the one before. */
const GROWTH = 1.03;
/** Deals closing next quarter and the one after exist only as far as they were created by today. */
const FUTURE_WEIGHTS = [0.6, 0.3];

export interface Bookings {
  /** Won USD by rep idx * quarters + window quarter position (owner at close gets the credit). */
  wonUsd: Float64Array;
  quarters: number;
}

export async function writeOpportunities(
  ctx: SeedContext,
  chart: OrgChart,
  accounts: AccountBook,
  catalog: Catalog,
  splitTypeId: string | null,
  total: number,
): Promise<Bookings> {
  const rng = ctx.rng('opportunities');
  const planner = new DealPlanner(ctx, rng, catalog.listMinor);
  const nq = ctx.quarters.length;
  const bookings: Bookings = { wonUsd: new Float64Array(chart.reps.length * nq), quarters: nq };
  const quarterWeights = chart.reps.map((rep) => repQuarterWeights(ctx, rep));
  const repWeights = chart.reps.map(
    (rep, i) =>
      quarterWeights[i].reduce((a, b) => a + b, 0) *
      SEGMENT_MODEL[rep.segment].dealRate *
      (0.85 + 0.15 * rep.skill),
  );
  const perRep = apportion(total, repWeights);
  const repByUser = new Map(chart.reps.map((r) => [r.userId, r]));
  let batch: DealPlan[] = [];
  let done = 0;
  const flush = async (): Promise<void> => {
    ctx.tx(() => writeBatch(ctx, batch, catalog, splitTypeId, accounts));
    for (const plan of batch) credit(ctx, bookings, plan, repByUser);
    done += batch.length;
    batch = [];
    ctx.progress('opportunities', done, total);
    await yieldToLoop();
  };
  for (const rep of chart.reps) {
    const weights = quarterWeights[rep.idx];
    const book = accounts.byRep[rep.idx];
    for (let k = 0; k < perRep[rep.idx]; k++) {
      const q = rng.weightedIndex(weights);
      const quarter = ctx.quarters[q];
      const account = book.length ? rng.pick(book) : 0;
      const currencyIdx = accounts.currency[account];
      batch.push(
        planner.plan(
          rep,
          quarter,
          account,
          accounts.names[account],
          CURRENCY_CODES[currencyIdx],
          currencyIdx,
          rampFactor(ctx, rep, quarter.index),
        ),
      );
      if (batch.length >= BATCH) await flush();
    }
  }
  if (batch.length) await flush();
  return bookings;
}

/** Ramping reps win less in their first quarters. */
export function rampFactor(ctx: SeedContext, rep: Rep, quarterIndex: number): number {
  const since = quarterIndex - ctx.cal.quarterOfDay(rep.hireDay).index;
  return since <= 0 ? 0.6 : since === 1 ? 0.8 : 1;
}

/** How many of a rep's deals close in each window quarter: time employed, ramp, growth, pipeline horizon. */
function repQuarterWeights(ctx: SeedContext, rep: Rep): number[] {
  return ctx.quarters.map((q, i) => {
    const from = Math.max(q.startDay, rep.hireDay);
    const to = Math.min(q.endDay, rep.leaveDay ?? q.endDay);
    if (to < from) return 0;
    const share = (to - from + 1) / (q.endDay - q.startDay + 1);
    const future = i - (ctx.quarters.length - FUTURE_WEIGHTS.length);
    const horizon = future >= 0 ? FUTURE_WEIGHTS[future] : 1;
    return share * horizon * Math.pow(GROWTH, i) * (0.4 + 0.6 * rampFactor(ctx, rep, q.index));
  });
}

function credit(ctx: SeedContext, bookings: Bookings, plan: DealPlan, repByUser: Map<string, Rep>): void {
  if (plan.stage !== WON) return;
  const q = ctx.cal.quarterOfDay(plan.closeDay).index - ctx.quarters[0].index;
  const owner = repByUser.get(plan.ownerId);
  if (!owner || q < 0 || q >= bookings.quarters) return;
  bookings.wonUsd[owner.idx * bookings.quarters + q] += toUsd(
    plan.amountMinor,
    plan.currency,
    ctx.rates.rateOnDay(plan.currency, plan.closeDay),
  );
}

function writeBatch(
  ctx: SeedContext,
  batch: DealPlan[],
  catalog: Catalog,
  splitTypeId: string | null,
  accounts: AccountBook,
): void {
  const opps = ctx.table('Opportunity');
  const lines =
    catalog.entryIds.length && ctx.has('OpportunityLineItem') ? ctx.table('OpportunityLineItem') : null;
  const history = ctx.has('OpportunityHistory') ? ctx.table('OpportunityHistory') : null;
  const splits = splitTypeId ? ctx.table('OpportunitySplit') : null;
  const fieldHistory = ctx.has('OpportunityFieldHistory') ? ctx.table('OpportunityFieldHistory') : null;
  opps.reserve(batch.length);
  lines?.reserve(batch.reduce((n, p) => n + p.lines.length, 0));
  history?.reserve(batch.reduce((n, p) => n + p.history.length, 0));
  splits?.reserve(batch.reduce((n, p) => n + (p.splitWith ? 2 : 1), 0));
  fieldHistory?.reserve(batch.reduce((n, p) => n + (p.reassignedAt !== null ? 1 : 0), 0));
  for (const plan of batch) {
    const scale = Math.pow(10, DECIMAL_PLACES[plan.currency]);
    const money = (minor: number): number => minor / scale;
    const stage = STAGES[plan.stage];
    const fq = ctx.cal.quarterOfDay(plan.closeDay);
    const amount = money(plan.amountMinor);
    const closeDate = isoFromDay(plan.closeDay);
    const oppId = opps.insert(
      {
        AccountId: accounts.ids[plan.account],
        IsPrivate: false,
        Name: plan.name,
        StageName: stage.name,
        Amount: amount,
        Probability: stage.probability,
        ExpectedRevenue: money(Math.round((plan.amountMinor * stage.probability) / 100)),
        TotalOpportunityQuantity: plan.lines.reduce((n, l) => n + l.quantity, 0),
        CloseDate: closeDate,
        Type: plan.type,
        NextStep: plan.nextStep,
        LeadSource: plan.leadSource,
        IsClosed: stage.closed,
        IsWon: stage.won,
        ForecastCategory: FORECAST_API[plan.forecastCategoryName],
        ForecastCategoryName: plan.forecastCategoryName,
        CurrencyIsoCode: plan.currency,
        HasOpportunityLineItem: lines !== null,
        Pricebook2Id: lines ? catalog.pricebookId : null,
        FiscalQuarter: fq.number,
        FiscalYear: fq.fiscalYear,
        Fiscal: `${fq.fiscalYear} ${fq.number}`,
        LastStageChangeDate: plan.lastStageChangeAt,
        PushCount__c: plan.pushCount,
        OwnerId: plan.ownerId,
        LastModifiedDate: plan.lastModifiedAt,
        LastModifiedById: plan.lastModifiedById,
        SystemModstamp: plan.lastModifiedAt,
      },
      plan.createdById,
      plan.createdAt,
    );
    if (lines) {
      const c = CURRENCY_CODES.indexOf(plan.currency as (typeof CURRENCY_CODES)[number]);
      const by = plan.history.find((h) => h.at >= plan.linesAt)?.byUserId ?? plan.createdById;
      plan.lines.forEach((l, k) => {
        const prod = PRODUCTS[l.product];
        lines.insert(
          {
            OpportunityId: oppId,
            SortOrder: k + 1,
            PricebookEntryId: catalog.entryIds[l.product][c],
            Product2Id: catalog.productIds[l.product],
            ProductCode: prod.code,
            Name: `${plan.name} ${prod.name}`,
            CurrencyIsoCode: plan.currency,
            Quantity: l.quantity,
            TotalPrice: money(l.totalMinor),
            UnitPrice: money(l.unitMinor),
            ListPrice: money(l.unitMinor),
            ServiceDate: closeDate,
            Discount: l.discount,
          },
          by,
          plan.linesAt,
        );
      });
    }
    if (history) {
      for (const h of plan.history) {
        const s = STAGES[h.stage];
        history.insert(
          {
            OpportunityId: oppId,
            StageName: s.name,
            Amount: money(h.amountMinor),
            ExpectedRevenue: money(Math.round((h.amountMinor * s.probability) / 100)),
            CloseDate: isoFromDay(h.closeDay),
            Probability: s.probability,
            ForecastCategory: h.forecastCategory,
            CurrencyIsoCode: plan.currency,
            PrevAmount: h.prevAmountMinor === null ? null : money(h.prevAmountMinor),
            PrevCloseDate: h.prevCloseDay === null ? null : isoFromDay(h.prevCloseDay),
          },
          h.byUserId,
          h.at,
        );
      }
    }
    if (fieldHistory && plan.reassignedAt !== null) {
      // the owner change of a deal whose rep left, as field history tracking records it
      fieldHistory.insert(
        {
          OpportunityId: oppId,
          Field: 'OwnerId',
          DataType: 'EntityId',
          OldValue: plan.createdById,
          NewValue: plan.ownerId,
        },
        ctx.adminUserId,
        plan.reassignedAt,
      );
    }
    if (splits && splitTypeId) {
      const ownerPct = plan.splitWith?.ownerPercent ?? 100;
      const ownerMinor = Math.round((plan.amountMinor * ownerPct) / 100);
      const base = { OpportunityId: oppId, SplitTypeId: splitTypeId, CurrencyIsoCode: plan.currency };
      splits.insert(
        { ...base, SplitOwnerId: plan.ownerId, SplitPercentage: ownerPct, SplitAmount: money(ownerMinor) },
        plan.createdById,
        plan.createdAt,
      );
      if (plan.splitWith) {
        splits.insert(
          {
            ...base,
            SplitOwnerId: plan.splitWith.userId,
            SplitPercentage: 100 - ownerPct,
            SplitAmount: money(plan.amountMinor - ownerMinor),
            SplitNote: 'Shared deal',
          },
          plan.createdById,
          plan.createdAt,
        );
      }
    }
  }
}
