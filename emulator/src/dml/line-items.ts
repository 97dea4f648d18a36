import { SfError } from '../errors';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { quoteIdent } from '../store/codec';
import { invalidCrossReference } from './row-errors';
import { loadRow, prepare } from './sql';
import type { StoredRow } from './types';

/**
 * OpportunityLineItem as Salesforce keeps it: product, list price, product code and name come from
 * the price book entry; UnitPrice and TotalPrice follow each other through Quantity and Discount;
 * and the parent Opportunity's Amount is the sum of its live line items.
 */
export function isLineItem(obj: ObjectDef): boolean {
  return obj.name === 'OpportunityLineItem';
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Fills the derived fields of a line item about to be stored (`before` null on insert). */
export function applyLineItemRules(
  org: Org,
  before: StoredRow | null,
  row: StoredRow,
  given: Set<string>,
): void {
  if (before === null) fillFromPriceBook(org, row);
  if (
    given.has('UnitPrice') &&
    given.has('TotalPrice') &&
    row.UnitPrice !== null &&
    row.TotalPrice !== null
  ) {
    throw new SfError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      'field integrity exception: TotalPrice, UnitPrice (only one of these fields may be specified)',
      ['TotalPrice', 'UnitPrice'],
    );
  }
  if (
    before === null &&
    row.UnitPrice == null &&
    row.TotalPrice == null &&
    typeof row.ListPrice === 'number'
  ) {
    row.UnitPrice = row.ListPrice;
  }
  const quantity = typeof row.Quantity === 'number' ? row.Quantity : null;
  const keep = 1 - (typeof row.Discount === 'number' ? row.Discount : 0) / 100;
  if (quantity === null) return;
  if (given.has('TotalPrice') && typeof row.TotalPrice === 'number') {
    if (quantity !== 0 && keep !== 0) row.UnitPrice = round2(row.TotalPrice / quantity / keep);
  } else if (typeof row.UnitPrice === 'number') {
    row.TotalPrice = round2(quantity * row.UnitPrice * keep);
  }
}

function fillFromPriceBook(org: Org, row: StoredRow): void {
  if (!org.schema.find('PricebookEntry')) return;
  let entry: StoredRow | undefined;
  if (typeof row.PricebookEntryId === 'string') {
    entry = loadRow(org, org.schema.get('PricebookEntry'), row.PricebookEntryId);
    if (!entry || entry.IsDeleted) throw invalidCrossReference(['PricebookEntryId']);
  } else if (typeof row.Product2Id === 'string' && typeof row.OpportunityId === 'string') {
    // Since API 38 a product alone is enough: the entry comes from the opportunity's price book.
    entry = prepare(
      org,
      `SELECT e.* FROM "PricebookEntry" e JOIN "Opportunity" o ON o."Id" = ?
        LEFT JOIN "Pricebook2" p ON p."Id" = e."Pricebook2Id"
        WHERE e."Product2Id" = ? AND e."IsDeleted" = 0
          AND (e."Pricebook2Id" = o."Pricebook2Id" OR (o."Pricebook2Id" IS NULL AND p."IsStandard" = 1))
        LIMIT 1`,
    ).get(row.OpportunityId, row.Product2Id) as StoredRow | undefined;
    if (entry) row.PricebookEntryId = entry.Id;
  }
  if (!entry) return;
  row.Product2Id = entry.Product2Id;
  row.ListPrice = entry.UnitPrice;
  const product =
    org.schema.find('Product2') && typeof entry.Product2Id === 'string'
      ? loadRow(org, org.schema.get('Product2'), entry.Product2Id)
      : undefined;
  const opportunity =
    typeof row.OpportunityId === 'string'
      ? loadRow(org, org.schema.get('Opportunity'), row.OpportunityId)
      : undefined;
  if (product) {
    row.ProductCode = product.ProductCode ?? null;
    row.Name = [opportunity?.Name, product.Name].filter((p) => p !== null && p !== undefined).join(' ');
  }
}

/**
 * The Amount an Opportunity should have after its line items changed: the sum of the live items,
 * or undefined when it has none (Amount is then the user's to set).
 */
export function lineItemTotals(
  org: Org,
  opportunityId: string,
): { amount: number | undefined; hasItems: boolean } {
  const { n, total } = prepare(
    org,
    `SELECT COUNT(*) AS n, SUM("TotalPrice") AS total FROM ${quoteIdent('OpportunityLineItem')} WHERE "OpportunityId" = ? AND "IsDeleted" = 0`,
  ).get(opportunityId) as { n: number; total: number | null };
  return { amount: n > 0 ? round2(total ?? 0) : undefined, hasItems: n > 0 };
}
