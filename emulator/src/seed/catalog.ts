/**
 * The demo product catalogue: thirty products in five families, priced in USD and converted to
 * every active currency once (price books carry a list price per currency, like Salesforce's).
 */
export const PRODUCT_FAMILIES = ['Platform', 'Analytics', 'Services', 'Support', 'Add-ons'] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];

/** How a product is counted on a line: per seat, per unit (packs, plans), per consulting day. */
export type PricingUnit = 'seat' | 'unit' | 'day';

export interface Product {
  code: string;
  name: string;
  family: ProductFamily;
  unit: PricingUnit;
  /** Yearly list price in USD per seat, unit or day. */
  listUsd: number;
}

const p = (
  code: string,
  name: string,
  family: ProductFamily,
  unit: PricingUnit,
  listUsd: number,
): Product => ({
  code,
  name,
  family,
  unit,
  listUsd,
});

export const PRODUCTS: Product[] = [
  p('PLT-STR', 'Platform Starter', 'Platform', 'seat', 300),
  p('PLT-PRO', 'Platform Professional', 'Platform', 'seat', 900),
  p('PLT-ENT', 'Platform Enterprise', 'Platform', 'seat', 1_800),
  p('PLT-UNL', 'Platform Unlimited', 'Platform', 'seat', 3_000),
  p('PLT-API', 'Platform API Pack', 'Platform', 'unit', 5_000),
  p('PLT-SBX', 'Full Sandbox', 'Platform', 'unit', 12_000),
  p('ANL-COR', 'Analytics Core', 'Analytics', 'seat', 400),
  p('ANL-ADV', 'Analytics Advanced', 'Analytics', 'seat', 800),
  p('ANL-FAI', 'Forecast AI', 'Analytics', 'seat', 600),
  p('ANL-DWC', 'Data Warehouse Connector', 'Analytics', 'unit', 15_000),
  p('ANL-DSH', 'Dashboard Pack', 'Analytics', 'unit', 2_500),
  p('ANL-EMB', 'Embedded Analytics', 'Analytics', 'unit', 20_000),
  p('SVC-IST', 'Implementation Standard', 'Services', 'unit', 25_000),
  p('SVC-IEN', 'Implementation Enterprise', 'Services', 'unit', 120_000),
  p('SVC-CON', 'Consulting Day', 'Services', 'day', 1_800),
  p('SVC-TRN', 'Training Day', 'Services', 'day', 2_500),
  p('SVC-MIG', 'Data Migration', 'Services', 'unit', 30_000),
  p('SVC-TAM', 'Technical Account Manager', 'Services', 'unit', 60_000),
  p('SUP-STD', 'Standard Support', 'Support', 'unit', 5_000),
  p('SUP-PRM', 'Premier Support', 'Support', 'unit', 25_000),
  p('SUP-PLS', 'Premier Plus Support', 'Support', 'unit', 60_000),
  p('SUP-EXH', 'Extended Hours Support', 'Support', 'unit', 8_000),
  p('SUP-SUC', 'Success Plan', 'Support', 'unit', 15_000),
  p('ADD-STO', 'Extra Storage 100 GB', 'Add-ons', 'unit', 1_200),
  p('ADD-SSO', 'SSO Connector', 'Add-ons', 'unit', 6_000),
  p('ADD-AUD', 'Audit Trail', 'Add-ons', 'unit', 9_000),
  p('ADD-MOB', 'Mobile Pack', 'Add-ons', 'seat', 150),
  p('ADD-CPQ', 'CPQ Add-on', 'Add-ons', 'seat', 500),
  p('ADD-TER', 'Territory Planner', 'Add-ons', 'seat', 350),
  p('ADD-RFR', 'Sandbox Refresh Pack', 'Add-ons', 'unit', 3_000),
];

/** Seat products a deal is built around: the platform for new business, analytics for expansions. */
export const CORE_PRODUCTS = PRODUCTS.map((prod, i) => ({ prod, i })).filter(
  ({ prod }) => prod.unit === 'seat' && (prod.family === 'Platform' || prod.family === 'Analytics'),
);

export const QUANTITY_UNIT: Record<PricingUnit, string> = { seat: 'Seat', unit: 'Each', day: 'Hour' };
