/**
 * Customer accounts, streamed in batches. Each account's address, region and currency come from
 * one country row; its segment follows its size; its owner covers that region (and segment when
 * the region has such reps). About 5 % are subsidiaries of an enterprise account in their region.
 * Only what deal generation needs is kept in memory, in compact arrays.
 */
import type { SeedContext } from './context';
import { yieldToLoop } from './context';
import { CURRENCY_CODES } from './currencies';
import { pickCountry, pickRegion, phoneNumber, postalCode, REGIONS, type Region } from './geography';
import { companyName, slug, STREETS } from './names';
import type { OrgChart, Rep } from './org-chart';
import type { Random } from './random';
import { SEGMENTS, type Segment } from './segments';

const BATCH = 2_000;
const SEGMENT_SHARE = [0.15, 0.35, 0.5];
const PARENT_SHARE = 0.05;
const INDUSTRIES = [
  'Banking',
  'Biotechnology',
  'Communications',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Finance',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Manufacturing',
  'Media',
  'Retail',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
];

export interface AccountBook {
  ids: string[];
  names: string[];
  region: Uint8Array;
  segment: Uint8Array;
  /** Index into CURRENCY_CODES. */
  currency: Uint8Array;
  /** Account indexes by the rep (idx) who owned them first. */
  byRep: number[][];
}

export async function writeAccounts(ctx: SeedContext, chart: OrgChart, total: number): Promise<AccountBook> {
  const rng = ctx.rng('accounts');
  const table = ctx.table('Account');
  const book: AccountBook = {
    ids: [],
    names: [],
    region: new Uint8Array(total),
    segment: new Uint8Array(total),
    currency: new Uint8Array(total),
    byRep: chart.reps.map(() => []),
  };
  const taken = new Set<string>();
  const enterprisesByRegion = new Map<Region, number[]>(REGIONS.map((r) => [r, []]));
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    ctx.tx(() => {
      table.reserve(end - start);
      for (let i = start; i < end; i++) writeOne(ctx, rng, chart, book, taken, enterprisesByRegion, i);
    });
    ctx.progress('accounts', end, total);
    await yieldToLoop();
  }
  return book;
}

function writeOne(
  ctx: SeedContext,
  rng: Random,
  chart: OrgChart,
  book: AccountBook,
  taken: Set<string>,
  enterprisesByRegion: Map<Region, number[]>,
  i: number,
): void {
  // The first account of every rep is made to measure, so nobody starts with an empty book.
  const seeded: Rep | undefined = chart.reps[i];
  const region = seeded?.region ?? pickRegion(rng);
  const segment: Segment = seeded?.segment ?? SEGMENTS[rng.weightedIndex(SEGMENT_SHARE)];
  const country = pickCountry(rng, region);
  const locality = rng.pick(country.localities);
  const owner = seeded ?? rng.pick(chart.pool(region, segment));
  const current = owner.leaveDay !== null && owner.successor ? owner.successor : owner;
  const employees = employeesOf(rng, segment);
  const revenueUsd = revenueOf(rng, segment, employees);
  const rate = ctx.rates.rateOnDay(country.currency, ctx.today);
  const name = companyName(rng, country.code, locality.city, taken);
  const street = `${rng.int(1, 400)} ${rng.pick(STREETS)}`;
  const postal = postalCode(rng, locality.postal);
  const enterprises = enterprisesByRegion.get(region) ?? [];
  const parent =
    segment !== 'Enterprise' && enterprises.length > 0 && rng.chance(PARENT_SHARE / 0.85)
      ? rng.pick(enterprises)
      : -1;
  const createdDay = ctx.windowStart - rng.int(30, 1_000);
  // the book changed hands when a ramping owner was hired or when the first owner left
  const handover = owner.leaveDay !== null ? owner.leaveDay + 1 : Math.max(owner.hireDay, createdDay);
  const created = ctx.at(createdDay, 10, rng.int(0, 59));
  const modified = Math.max(created, ctx.at(handover, 9));
  const id = ctx.table('Account').insert(
    {
      Name: name,
      Type: rng.weighted(['Customer - Direct', 'Customer - Channel'], [0.85, 0.15]),
      ParentId: parent >= 0 ? book.ids[parent] : null,
      BillingStreet: street,
      BillingCity: locality.city,
      BillingState: locality.state,
      BillingPostalCode: postal,
      BillingCountry: country.name,
      ShippingStreet: street,
      ShippingCity: locality.city,
      ShippingState: locality.state,
      ShippingPostalCode: postal,
      ShippingCountry: country.name,
      Phone: phoneNumber(rng, country),
      AccountNumber: `ACC-${String(i + 1).padStart(7, '0')}`,
      Website: `https://www.${slug(name)}.example.com`,
      Industry: rng.pick(INDUSTRIES),
      AnnualRevenue: Math.round((revenueUsd * rate) / 1000) * 1000,
      NumberOfEmployees: employees,
      Ownership:
        segment === 'Enterprise' && rng.chance(0.5) ? 'Public' : parent >= 0 ? 'Subsidiary' : 'Private',
      Rating: rng.weighted(['Hot', 'Warm', 'Cold'], [0.2, 0.5, 0.3]),
      CurrencyIsoCode: country.currency,
      AccountSource: rng.weighted(
        ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
        [0.4, 0.15, 0.2, 0.15, 0.1],
      ),
      Segment__c: segment,
      Region__c: region,
      OwnerId: current.userId,
      LastModifiedDate: modified,
      SystemModstamp: modified,
    },
    ctx.adminUserId,
    created,
  );
  book.ids.push(id);
  book.names.push(name);
  book.region[i] = REGIONS.indexOf(region);
  book.segment[i] = SEGMENTS.indexOf(segment);
  book.currency[i] = CURRENCY_CODES.indexOf(country.currency as (typeof CURRENCY_CODES)[number]);
  book.byRep[owner.idx].push(i);
  if (segment === 'Enterprise') enterprises.push(i);
}

/**
 * Account types follow the deals: an account with a won deal is a customer, one without is a
 * prospect. Known only after the deals exist, so it is settled in one statement at the end.
 */
export function settleAccountTypes(ctx: SeedContext): void {
  ctx.org.db.exec(`
    UPDATE "Account" SET "Type" = CASE
      WHEN NOT EXISTS (SELECT 1 FROM "Opportunity" o WHERE o."AccountId" = "Account"."Id" AND o."IsWon" = 1) THEN 'Prospect'
      WHEN "Type" = 'Prospect' THEN 'Customer - Direct'
      ELSE "Type" END`);
}

/** Log-uniform within the segment's band, so company sizes are skewed like real markets. */
function employeesOf(rng: Random, segment: Segment): number {
  const [lo, hi] =
    segment === 'Enterprise' ? [2_000, 120_000] : segment === 'Mid-Market' ? [200, 1_999] : [5, 199];
  return Math.round(Math.exp(rng.float(Math.log(lo), Math.log(hi))));
}

/** Revenue per employee varies by business; kept inside the segment's revenue band. */
function revenueOf(rng: Random, segment: Segment, employees: number): number {
  const raw = employees * rng.logNormal(220_000, 0.45);
  const cap = segment === 'SMB' ? 49_000_000 : segment === 'Mid-Market' ? 499_000_000 : Infinity;
  return Math.min(cap, raw);
}
