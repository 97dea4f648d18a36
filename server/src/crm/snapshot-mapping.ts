import type { MappedSnapshot } from '../app/load-store-snapshot';
import type { SnapshotInput } from '../domain';
import type { ParsedRecord, RawRecord, SyncStore } from '../store';

/**
 * Synced Salesforce records → the snapshot every engine reads. This is the one place that knows
 * which SObject field feeds which snapshot field; the app and the engines see domain names only.
 *
 * Values come from each record's canonical raw JSON (the sync's normaliser already typed booleans
 * and numbers and kept date-only fields as `YYYY-MM-DD`). Tombstoned records are left out, and so
 * are children (line items, history, splits) whose opportunity is not live. Nothing required is
 * invented here: a missing value is passed on as empty, so validation names its JSON path.
 */

/**
 * The synced objects the snapshot is built from, in the order they are read: currencies before the
 * amounts they qualify, products and deals before the lines and history that point at them.
 */
export const SNAPSHOT_OBJECTS = [
  'CurrencyType',
  'DatedConversionRate',
  'UserRole',
  'User',
  'Account',
  'Product2',
  'Sales_Quota__c',
  'Opportunity',
  'OpportunityLineItem',
  'OpportunitySplit',
  'OpportunityHistory',
] as const;

export type SnapshotObject = (typeof SNAPSHOT_OBJECTS)[number];

/**
 * Calls `visit` for each stored record of the object, in id order, its raw JSON parsed (tombstones
 * may be included).
 */
export type RecordScan = (object: SnapshotObject, visit: (r: ParsedRecord) => void) => Promise<void>;

/** Records per object, for callers that already hold them (tests, small stores). */
export type SnapshotRecords = Record<SnapshotObject, readonly RawRecord[]>;

export interface SnapshotMappingOptions {
  /**
   * Corporate currency of a single-currency org (no CurrencyType records, no CurrencyIsoCode
   * fields). Multi-currency orgs take it from CurrencyType.IsCorporate.
   */
  singleCurrency?: string;
}

type Fields = Readonly<Record<string, unknown>>;
type SnapshotOpportunity = SnapshotInput['opportunities'][number];
type SnapshotLineItem = NonNullable<SnapshotOpportunity['lineItems']>[number];
type SnapshotSplit = NonNullable<SnapshotOpportunity['splits']>[number];
type SnapshotHistory = NonNullable<SnapshotInput['history']>[number];
type SnapshotQuota = NonNullable<SnapshotInput['quotas']>[number];

const PERIOD_TYPES: Record<string, SnapshotQuota['periodType']> = {
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

/** Reads the objects the snapshot needs from the store, one streamed read per object, and maps them. */
export function readSnapshotFromStore(
  store: SyncStore,
  opts: SnapshotMappingOptions = {},
): Promise<MappedSnapshot> {
  return mapSnapshot(
    // A deleted product still names the family of the lines sold before it went.
    (object, visit) => store.scanRecordFields(object, visit, { includeDeleted: object === 'Product2' }),
    opts,
  );
}

export function mapSnapshotRecords(
  records: SnapshotRecords,
  opts: SnapshotMappingOptions = {},
): Promise<MappedSnapshot> {
  return mapSnapshot(
    async (object, visit) =>
      records[object].forEach((r) => visit({ id: r.id, deleted: r.deleted, fields: JSON.parse(r.raw) })),
    opts,
  );
}

/** One pass over the objects in SNAPSHOT_OBJECTS order; only the mapped values are kept. */
export async function mapSnapshot(
  scan: RecordScan,
  opts: SnapshotMappingOptions = {},
): Promise<MappedSnapshot> {
  const notes: string[] = [];
  const live = async (object: SnapshotObject, visit: (f: Fields, id: string) => void): Promise<void> =>
    scan(object, (r) => {
      if (!r.deleted) visit(fieldsOf(r), r.id);
    });
  const collect = async <T>(object: SnapshotObject, map: (f: Fields, id: string) => T): Promise<T[]> => {
    const out: T[] = [];
    await live(object, (f, id) => out.push(map(f, id)));
    return out;
  };

  const currencyTypes = await collect('CurrencyType', (f) => f);
  const corporate = currencyTypes.find((f) => f.IsCorporate === true);
  const corporateCurrency = (corporate ? text(corporate, 'IsoCode') : null) ?? opts.singleCurrency ?? 'USD';
  if (!corporate && currencyTypes.length > 0)
    notes.push(`no CurrencyType is marked IsCorporate; assuming ${corporateCurrency}`);
  const currencyOf = (f: Fields): string => text(f, 'CurrencyIsoCode') ?? corporateCurrency;

  const datedRates = await collect('DatedConversionRate', (f) => ({
    currency: text(f, 'IsoCode') ?? '',
    startDate: text(f, 'StartDate') ?? '',
    rate: decimal(f, 'ConversionRate') ?? '',
  }));
  const roleRows = await collect('UserRole', (f, id) => ({ id, f }));
  const userRows = await collect('User', (f, id) => ({ id, f }));
  const managers = forecastManagers(userRows);
  const accounts = await collect('Account', (f, id) => ({
    id,
    name: text(f, 'Name') ?? '',
    ownerId: text(f, 'OwnerId'),
    parentId: text(f, 'ParentId'),
    type: text(f, 'Type'),
    industry: text(f, 'Industry'),
    billingCountry: text(f, 'BillingCountry'),
    billingState: text(f, 'BillingState'),
    billingPostalCode: text(f, 'BillingPostalCode'),
    billingCity: text(f, 'BillingCity'),
    annualRevenue: decimal(f, 'AnnualRevenue'),
    numberOfEmployees: wholeNumber(f, 'NumberOfEmployees'),
  }));
  const products = new Map<string, { family: string | null; code: string | null }>();
  await scan('Product2', (r) => {
    const f = fieldsOf(r);
    products.set(r.id, { family: text(f, 'Family'), code: text(f, 'ProductCode') });
  });
  const quotas = mapQuotas(await collect('Sales_Quota__c', (f) => f), currencyOf, notes);

  const opportunities = await collect(
    'Opportunity',
    (f, id): SnapshotOpportunity & { lineItems: SnapshotLineItem[] } => ({
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
      type: text(f, 'Type'),
      lineItems: [],
      splits: [],
    }),
  );
  const byId = new Map(opportunities.map((o) => [o.id, o]));
  let orphans = 0;
  const parentOf = (f: Fields) => {
    const deal = byId.get(text(f, 'OpportunityId') ?? '');
    if (!deal) orphans++;
    return deal;
  };

  await live('OpportunityLineItem', (f, id) => {
    const productId = text(f, 'Product2Id');
    const product = products.get(productId ?? '');
    parentOf(f)?.lineItems.push({
      id,
      productId,
      productCode: text(f, 'ProductCode') ?? product?.code ?? null,
      productFamily: product?.family ?? null,
      quantity: decimal(f, 'Quantity') ?? undefined,
      totalPrice: decimal(f, 'TotalPrice') ?? '',
      // Standard Salesforce has no line cost; an org that adds one names it in config/sync.yaml.
      cost: decimal(f, 'Cost__c'),
    });
  });
  const splitRows = new Map<string, Fields[]>();
  await live('OpportunitySplit', (f) => {
    const deal = parentOf(f);
    if (!deal) return;
    const rows = splitRows.get(deal.id) ?? [];
    rows.push(f);
    splitRows.set(deal.id, rows);
  });
  for (const [oppId, splits] of mapSplits(splitRows)) byId.get(oppId)!.splits = splits;
  const history: SnapshotHistory[] = [];
  await live('OpportunityHistory', (f) => {
    if (parentOf(f))
      history.push({
        opportunityId: text(f, 'OpportunityId') ?? '',
        changedAt: text(f, 'CreatedDate') ?? '',
        stageName: text(f, 'StageName') ?? '',
        amount: decimal(f, 'Amount'),
        closeDate: text(f, 'CloseDate') ?? '',
        probability: decimal(f, 'Probability'),
      });
  });
  if (orphans > 0)
    notes.push(
      `${orphans} line items, splits or history rows left out: their opportunity is not in the store`,
    );

  const snapshot: SnapshotInput = {
    version: 1,
    corporateCurrency,
    currencies: currencyTypes.map((f) => ({
      code: text(f, 'IsoCode') ?? '',
      decimalPlaces: typeof f.DecimalPlaces === 'number' ? f.DecimalPlaces : undefined,
      staticRate: decimal(f, 'ConversionRate') ?? '',
    })),
    datedRates,
    roles: roleRows.map(({ id, f }) => ({
      id,
      name: text(f, 'Name') ?? '',
      parentRoleId: text(f, 'ParentRoleId'),
      forecastManagerId: managers.get(id) ?? null,
    })),
    users: userRows.map(({ id, f }) => ({
      id,
      name: text(f, 'Name') ?? '',
      roleId: text(f, 'UserRoleId'),
      isActive: f.IsActive !== false,
    })),
    accounts,
    opportunities,
    history,
    quotas,
  };
  return { snapshot, notes };
}

/**
 * Collaborative Forecasts names a forecast manager per role (UserRole.ForecastUserId), which the
 * sync does not read; the usual set-up, a role held by one forecasting user, is taken to mean that
 * user manages the role's forecast. Roles with several users (a team of reps) get none.
 */
function forecastManagers(users: ReadonlyArray<{ id: string; f: Fields }>): Map<string, string> {
  const holders = new Map<string, string[]>();
  for (const { id, f } of users) {
    const roleId = text(f, 'UserRoleId');
    if (roleId === null || f.IsActive === false || f.ForecastEnabled === false) continue;
    holders.set(roleId, [...(holders.get(roleId) ?? []), id]);
  }
  return new Map(
    [...holders].filter(([, ids]) => ids.length === 1).map(([roleId, ids]) => [roleId, ids[0]!]),
  );
}

/**
 * OpportunitySplitType is not synced, so revenue and overlay types are told apart the way the
 * platform enforces them: a revenue type's splits total exactly 100% on every opportunity, an
 * overlay type's need not.
 */
function mapSplits(byOpportunity: Map<string, Fields[]>): Map<string, SnapshotSplit[]> {
  const types = new Set<string>();
  const notRevenue = new Set<string>();
  for (const rows of byOpportunity.values()) {
    // Hundredths of a percent per split type of this opportunity, to compare exactly.
    const totals = new Map<string, number>();
    for (const f of rows) {
      const type = text(f, 'SplitTypeId') ?? '';
      totals.set(type, (totals.get(type) ?? 0) + Math.round(Number(f.SplitPercentage ?? 0) * 100));
    }
    for (const [type, total] of totals) {
      types.add(type);
      if (total !== 10_000) notRevenue.add(type);
    }
  }
  const revenueTypes = new Set([...types].filter((type) => !notRevenue.has(type)));
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
function mapQuotas(
  rows: readonly Fields[],
  currencyOf: (f: Fields) => string,
  notes: string[],
): SnapshotQuota[] {
  const skipped = { territory: 0, periodType: 0, amount: 0 };
  const quotas: SnapshotQuota[] = [];
  for (const f of rows) {
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
  if (skipped.territory > 0)
    notes.push(`${skipped.territory} Sales_Quota__c rows without User__c left out (territory quotas)`);
  if (skipped.periodType > 0)
    notes.push(
      `${skipped.periodType} Sales_Quota__c rows left out: Period_Type__c is not Month, Quarter or Year`,
    );
  if (skipped.amount > 0)
    notes.push(`${skipped.amount} Sales_Quota__c rows without Amount__c left out (quantity quotas)`);
  return quotas;
}

function fieldsOf(r: ParsedRecord): Fields {
  return r.fields as Fields;
}

function text(f: Fields, field: string): string | null {
  const v = f[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** A whole number (NumberOfEmployees); anything else is left out rather than guessed. */
function wholeNumber(f: Fields, field: string): number | null {
  const v = f[field];
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

/** Exact decimal text of a JSON number; never exponent notation, which is not a decimal string. */
function decimal(f: Fields, field: string): string | null {
  const v = f[field];
  if (typeof v === 'string') return v;
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const s = String(v);
  // Number → string writes its exponent as a lower-case `e` only.
  return s.includes('e') ? v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}
