import type { MappedSnapshot } from '../app/load-store-snapshot';
import type { SnapshotInput } from '../domain';
import type { SyncedRecord, SyncStore } from '../store';

/**
 * Synced Salesforce records → the snapshot every engine reads. This is the one place that knows
 * which SObject field feeds which snapshot field; the app and the engines see domain names only.
 *
 * Values come from each record's canonical raw JSON (the sync's normaliser already typed booleans
 * and numbers and kept date-only fields as `YYYY-MM-DD`). Tombstoned records are left out, and so
 * are children (line items, history, splits) whose opportunity is not live. Nothing required is
 * invented here: a missing value is passed on as empty, so validation names its JSON path.
 */

/** The synced objects the snapshot is built from. */
export const SNAPSHOT_OBJECTS = [
  'User',
  'UserRole',
  'Account',
  'Opportunity',
  'OpportunityLineItem',
  'Product2',
  'OpportunityHistory',
  'OpportunitySplit',
  'CurrencyType',
  'DatedConversionRate',
  'Sales_Quota__c',
] as const;

export type SnapshotObject = (typeof SNAPSHOT_OBJECTS)[number];

/** Live records per object; Product2 also with tombstones (a deleted product still names a line's family). */
export type SnapshotRecords = Record<SnapshotObject, readonly SyncedRecord[]>;

export interface SnapshotMappingOptions {
  /**
   * Corporate currency of a single-currency org (no CurrencyType records, no CurrencyIsoCode
   * fields). Multi-currency orgs take it from CurrencyType.IsCorporate.
   */
  singleCurrency?: string;
}

type Fields = Readonly<Record<string, unknown>>;
type SnapshotOpportunity = SnapshotInput['opportunities'][number];
type SnapshotSplit = NonNullable<SnapshotOpportunity['splits']>[number];
type SnapshotQuota = NonNullable<SnapshotInput['quotas']>[number];

const PERIOD_TYPES: Record<string, SnapshotQuota['periodType']> = { month: 'month', quarter: 'quarter', year: 'year' };

/** Reads the objects the snapshot needs from the store and maps them. */
export async function readSnapshotFromStore(store: SyncStore, opts: SnapshotMappingOptions = {}): Promise<MappedSnapshot> {
  const records = {} as Record<SnapshotObject, SyncedRecord[]>;
  for (const object of SNAPSHOT_OBJECTS) records[object] = await store.records(object, { includeDeleted: object === 'Product2' });
  return mapSnapshotRecords(records, opts);
}

export function mapSnapshotRecords(records: SnapshotRecords, opts: SnapshotMappingOptions = {}): MappedSnapshot {
  const notes: string[] = [];
  const live = (object: SnapshotObject): Array<{ id: string; f: Fields; parentId: string | null }> =>
    records[object].filter((r) => !r.deleted).map((r) => ({ id: r.id, f: fieldsOf(r), parentId: r.parentId }));

  const currencyTypes = live('CurrencyType');
  const corporate = currencyTypes.find((c) => c.f.IsCorporate === true);
  const corporateCurrency = (corporate ? text(corporate.f, 'IsoCode') : null) ?? opts.singleCurrency ?? 'USD';
  if (!corporate && currencyTypes.length > 0) notes.push(`no CurrencyType is marked IsCorporate; assuming ${corporateCurrency}`);
  const currencyOf = (f: Fields): string => text(f, 'CurrencyIsoCode') ?? corporateCurrency;

  const users = live('User');
  const roles = live('UserRole').map(({ id, f }) => ({
    id,
    name: text(f, 'Name') ?? '',
    parentRoleId: text(f, 'ParentRoleId'),
    forecastManagerId: forecastManagerOf(id, users),
  }));

  const families = new Map(records.Product2.map((r) => [r.id, text(fieldsOf(r), 'Family')]));
  const opportunities = live('Opportunity');
  const liveOpportunities = new Set(opportunities.map((o) => o.id));
  let orphans = 0;
  const byOpportunity = <T>(object: SnapshotObject, map: (f: Fields, id: string) => T): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const r of live(object)) {
      const oppId = text(r.f, 'OpportunityId');
      if (oppId === null || !liveOpportunities.has(oppId)) {
        orphans++;
        continue;
      }
      const list = out.get(oppId) ?? [];
      list.push(map(r.f, r.id));
      out.set(oppId, list);
    }
    return out;
  };
  const lineItems = byOpportunity('OpportunityLineItem', (f, id) => ({
    id,
    productFamily: families.get(text(f, 'Product2Id') ?? '') ?? null,
    quantity: decimal(f, 'Quantity') ?? undefined,
    totalPrice: decimal(f, 'TotalPrice') ?? '',
  }));
  const splits = mapSplits(byOpportunity('OpportunitySplit', (f) => f));
  const history = live('OpportunityHistory')
    .filter((h) => {
      const keep = liveOpportunities.has(text(h.f, 'OpportunityId') ?? '');
      if (!keep) orphans++;
      return keep;
    })
    .map(({ f }) => ({
      opportunityId: text(f, 'OpportunityId') ?? '',
      changedAt: text(f, 'CreatedDate') ?? '',
      stageName: text(f, 'StageName') ?? '',
      amount: decimal(f, 'Amount'),
      closeDate: text(f, 'CloseDate') ?? '',
      probability: decimal(f, 'Probability'),
    }));
  if (orphans > 0) notes.push(`${orphans} line items, splits or history rows left out: their opportunity is not in the store`);

  const snapshot: SnapshotInput = {
    version: 1,
    corporateCurrency,
    currencies: currencyTypes.map(({ f }) => ({
      code: text(f, 'IsoCode') ?? '',
      decimalPlaces: typeof f.DecimalPlaces === 'number' ? f.DecimalPlaces : undefined,
      staticRate: decimal(f, 'ConversionRate') ?? '',
    })),
    datedRates: live('DatedConversionRate').map(({ f }) => ({
      currency: text(f, 'IsoCode') ?? '',
      startDate: text(f, 'StartDate') ?? '',
      rate: decimal(f, 'ConversionRate') ?? '',
    })),
    roles,
    users: users.map(({ id, f }) => ({
      id,
      name: text(f, 'Name') ?? '',
      roleId: text(f, 'UserRoleId'),
      isActive: f.IsActive !== false,
    })),
    accounts: live('Account').map(({ id, f }) => ({ id, name: text(f, 'Name') ?? '', ownerId: text(f, 'OwnerId') })),
    opportunities: opportunities.map(({ id, f }): SnapshotOpportunity => ({
      id,
      name: text(f, 'Name') ?? '',
      accountId: text(f, 'AccountId'),
      ownerId: text(f, 'OwnerId') ?? '',
      stageName: text(f, 'StageName') ?? '',
      amount: decimal(f, 'Amount'),
      currency: currencyOf(f),
      closeDate: text(f, 'CloseDate') ?? '',
      createdDate: text(f, 'CreatedDate') ?? '',
      isClosed: f.IsClosed === true,
      isWon: f.IsWon === true,
      probability: decimal(f, 'Probability'),
      // Read only when the sync config adds them (extraFields): not in the default field list.
      quantity: decimal(f, 'TotalOpportunityQuantity'),
      lastActivityDate: text(f, 'LastActivityDate'),
      lineItems: lineItems.get(id) ?? [],
      splits: splits.get(id) ?? [],
    })),
    history,
    quotas: mapQuotas(live('Sales_Quota__c'), currencyOf, notes),
  };
  return { snapshot, notes };
}

/**
 * Collaborative Forecasts names a forecast manager per role (UserRole.ForecastUserId), which the
 * sync does not read; the usual set-up, a role held by one forecasting user, is taken to mean that
 * user manages the role's forecast. Roles with several users (a team of reps) get none.
 */
function forecastManagerOf(roleId: string, users: ReadonlyArray<{ id: string; f: Fields }>): string | null {
  const holders = users.filter(({ f }) => text(f, 'UserRoleId') === roleId && f.IsActive !== false && f.ForecastEnabled !== false);
  return holders.length === 1 ? holders[0]!.id : null;
}

/**
 * OpportunitySplitType is not synced, so revenue and overlay types are told apart the way the
 * platform enforces them: a revenue type's splits total exactly 100% on every opportunity, an
 * overlay type's need not.
 */
function mapSplits(byOpportunity: Map<string, Fields[]>): Map<string, SnapshotSplit[]> {
  const totals = new Map<string, Map<string, number>>();
  for (const [oppId, rows] of byOpportunity) {
    for (const f of rows) {
      const type = text(f, 'SplitTypeId') ?? '';
      const perOpp = totals.get(type) ?? new Map<string, number>();
      // Hundredths of a percent, to compare exactly.
      perOpp.set(oppId, (perOpp.get(oppId) ?? 0) + Math.round(Number(f.SplitPercentage ?? 0) * 100));
      totals.set(type, perOpp);
    }
  }
  const revenueTypes = new Set([...totals].filter(([, perOpp]) => [...perOpp.values()].every((t) => t === 10_000)).map(([type]) => type));
  const out = new Map<string, SnapshotSplit[]>();
  for (const [oppId, rows] of byOpportunity) {
    out.set(
      oppId,
      rows.map((f) => ({
        userId: text(f, 'SplitOwnerId') ?? '',
        splitType: revenueTypes.has(text(f, 'SplitTypeId') ?? '') ? 'revenue' : 'overlay',
        percent: decimal(f, 'SplitPercentage') ?? '',
      })),
    );
  }
  return out;
}

/** Sales_Quota__c → user quotas. Territory quotas wait for the territory engine's snapshot section. */
function mapQuotas(rows: ReadonlyArray<{ f: Fields }>, currencyOf: (f: Fields) => string, notes: string[]): SnapshotQuota[] {
  const skipped = { territory: 0, periodType: 0, amount: 0 };
  const quotas: SnapshotQuota[] = [];
  for (const { f } of rows) {
    const userId = text(f, 'User__c');
    const periodType = PERIOD_TYPES[(text(f, 'Period_Type__c') ?? '').toLowerCase()];
    const amount = decimal(f, 'Amount__c');
    if (userId === null) skipped.territory++;
    else if (periodType === undefined) skipped.periodType++;
    else if (amount === null) skipped.amount++;
    else
      quotas.push({
        ownerType: 'user',
        ownerId: userId,
        periodType,
        periodStart: text(f, 'Period_Start__c') ?? '',
        productFamily: text(f, 'Product_Family__c'),
        amount,
        currency: currencyOf(f),
      });
  }
  if (skipped.territory > 0) notes.push(`${skipped.territory} Sales_Quota__c rows without User__c left out (territory quotas)`);
  if (skipped.periodType > 0) notes.push(`${skipped.periodType} Sales_Quota__c rows left out: Period_Type__c is not Month, Quarter or Year`);
  if (skipped.amount > 0) notes.push(`${skipped.amount} Sales_Quota__c rows without Amount__c left out (quantity quotas)`);
  return quotas;
}

function fieldsOf(r: SyncedRecord): Fields {
  return JSON.parse(r.raw) as Fields;
}

function text(f: Fields, field: string): string | null {
  const v = f[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** Exact decimal text of a JSON number; never exponent notation, which is not a decimal string. */
function decimal(f: Fields, field: string): string | null {
  const v = f[field];
  if (typeof v === 'string') return v;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const s = String(v);
  return /e/i.test(s) ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}
