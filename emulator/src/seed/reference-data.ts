/**
 * The slow-moving data around deals: currencies with dated rates, fiscal years and periods, the
 * product catalogue with standard price book entries, and opportunity split types. Each part is
 * written only when its object is in the schema, and skipped when the org already has its rows
 * (bootstrap makes the corporate currency and the standard price book).
 */
import { firstDayOfMonth, isoFromDay, monthOfDay } from './calendar';
import { PRODUCTS, QUANTITY_UNIT } from './catalog';
import type { SeedContext } from './context';
import { CURRENCY_CODES, DECIMAL_PLACES, localListPrice, RateTable } from './currencies';
import { quoteIdent } from '../store/codec';
import { MONTH_NAMES } from '../schema/standard-objects-extra';

/** Rates and periods reach a year before the first window quarter, where the oldest deals start. */
const MONTHS_BEFORE_WINDOW = 12;

export function writeCurrencies(ctx: SeedContext): void {
  const first = ctx.quarters[0].startMonth - MONTHS_BEFORE_WINDOW;
  const last = ctx.quarters[ctx.quarters.length - 1].startMonth + 2;
  ctx.rates = new RateTable(first, last, ctx.rng('rates'));
  const created = ctx.at(firstDayOfMonth(first) - 1, 9);
  if (ctx.has('CurrencyType')) {
    const existing = new Set(selectColumn(ctx, 'CurrencyType', 'IsoCode').map((c) => c.toUpperCase()));
    const currentMonth = monthOfDay(ctx.today);
    const rows = CURRENCY_CODES.filter((c) => !existing.has(c)).map((code) => ({
      values: {
        IsoCode: code,
        ConversionRate: ctx.rates.rateInMonth(code, currentMonth),
        DecimalPlaces: DECIMAL_PLACES[code],
        IsActive: true,
        IsCorporate: code === ctx.org.settings.corporateCurrency,
      },
      by: ctx.adminUserId,
      at: created,
    }));
    ctx.table('CurrencyType').insertAll(rows);
  }
  if (ctx.has('DatedConversionRate') && selectColumn(ctx, 'DatedConversionRate', 'Id').length === 0) {
    const rows = CURRENCY_CODES.flatMap((code) => ctx.rates.datedRows(code)).map((values) => ({
      values,
      by: ctx.adminUserId,
      at: created,
    }));
    ctx.table('DatedConversionRate').insertAll(rows);
  }
}

/** Standard fiscal years (FiscalYearSettings) with their Year, Quarter and Month periods. */
export function writePeriods(ctx: SeedContext): void {
  if (!ctx.has('Period') || !ctx.has('FiscalYearSettings')) return;
  if (selectColumn(ctx, 'Period', 'Id').length > 0) return;
  const firstYear = ctx.cal.yearStartMonth(ctx.quarters[0].startMonth - MONTHS_BEFORE_WINDOW);
  const lastYear = ctx.cal.yearStartMonth(ctx.quarters[ctx.quarters.length - 1].startMonth);
  const years = ctx.table('FiscalYearSettings');
  const periods = ctx.table('Period');
  for (let start = firstYear; start <= lastYear; start += 12) {
    const fy = ctx.cal.fiscalYearOfMonth(start);
    const startDay = firstDayOfMonth(start);
    const endDay = firstDayOfMonth(start + 12) - 1;
    const at = ctx.at(Math.min(startDay, ctx.today) - 30, 9);
    years.reserve(1);
    periods.reserve(1 + 4 + 12);
    const yearPeriodId = periods.peekId();
    const fysId = years.insert(
      {
        Name: String(fy),
        StartDate: isoFromDay(startDay),
        EndDate: isoFromDay(endDay),
        PeriodId: yearPeriodId,
        IsStandardYear: true,
        YearType: 'Standard',
        QuarterLabelScheme: 'NumberByYear',
        PeriodLabelScheme: 'StandardMonths',
        WeekLabelScheme: 'NumberByYear',
        QuarterPrefix: 'Q',
        PeriodPrefix: 'P',
        WeekStartDay: 1,
      },
      ctx.adminUserId,
      at,
    );
    const period = (type: string, first: number, months: number, extra: Record<string, unknown>): void => {
      periods.insert(
        {
          FiscalYearSettingsId: fysId,
          Type: type,
          StartDate: isoFromDay(firstDayOfMonth(first)),
          EndDate: isoFromDay(firstDayOfMonth(first + months) - 1),
          IsForecastPeriod: type === 'Quarter',
          ...extra,
        },
        ctx.adminUserId,
        at,
      );
    };
    period('Year', start, 12, { Number: fy, FullyQualifiedLabel: `FY ${fy}` });
    for (let q = 0; q < 4; q++)
      period('Quarter', start + q * 3, 3, { Number: q + 1, FullyQualifiedLabel: `Q${q + 1} FY ${fy}` });
    for (let m = 0; m < 12; m++) {
      const label = MONTH_NAMES[(start + m) % 12];
      period('Month', start + m, 1, {
        Number: m + 1,
        PeriodLabel: label,
        FullyQualifiedLabel: `${label} FY ${fy}`,
      });
    }
  }
}

export interface Catalog {
  pricebookId: string | null;
  productIds: string[];
  /** entryIds[product][currency index in CURRENCY_CODES] */
  entryIds: string[][];
  /** List price per product and currency, in minor units of that currency. */
  listMinor: number[][];
}

/** Products, the standard price book and one active entry per product and currency. */
export function writeCatalog(ctx: SeedContext): Catalog {
  // list prices were set at the start of the fiscal year, at that month's rates
  const priceMonth = ctx.cal.yearStartMonth(monthOfDay(ctx.today));
  const listMinor = PRODUCTS.map((prod) =>
    CURRENCY_CODES.map((code) =>
      Math.round(
        localListPrice(prod.listUsd, code, ctx.rates.rateInMonth(code, priceMonth)) *
          Math.pow(10, DECIMAL_PLACES[code]),
      ),
    ),
  );
  const catalog: Catalog = { pricebookId: null, productIds: [], entryIds: [], listMinor };
  if (!ctx.has('Product2')) return catalog;
  const created = ctx.at(ctx.windowStart - 400, 9);
  catalog.productIds = ctx.table('Product2').insertAll(
    PRODUCTS.map((prod) => ({
      values: {
        Name: prod.name,
        ProductCode: prod.code,
        Description: `${prod.family}: ${prod.name}, priced per ${prod.unit}`,
        IsActive: true,
        Family: prod.family,
        CurrencyIsoCode: ctx.org.settings.corporateCurrency,
        QuantityUnitOfMeasure: QUANTITY_UNIT[prod.unit],
        StockKeepingUnit: prod.code,
      },
      by: ctx.adminUserId,
      at: created,
    })),
  );
  if (!ctx.has('Pricebook2') || !ctx.has('PricebookEntry')) return catalog;
  catalog.pricebookId = standardPricebook(ctx, created);
  const rows: Array<{ values: Record<string, unknown>; by: string; at: number }> = [];
  PRODUCTS.forEach((prod, i) =>
    CURRENCY_CODES.forEach((code, c) =>
      rows.push({
        values: {
          Name: prod.name,
          Pricebook2Id: catalog.pricebookId,
          Product2Id: catalog.productIds[i],
          CurrencyIsoCode: code,
          UnitPrice: listMinor[i][c] / Math.pow(10, DECIMAL_PLACES[code]),
          IsActive: true,
          UseStandardPrice: false,
          ProductCode: prod.code,
        },
        by: ctx.adminUserId,
        at: created,
      }),
    ),
  );
  const ids = ctx.table('PricebookEntry').insertAll(rows);
  catalog.entryIds = PRODUCTS.map((_, i) =>
    ids.slice(i * CURRENCY_CODES.length, (i + 1) * CURRENCY_CODES.length),
  );
  return catalog;
}

function standardPricebook(ctx: SeedContext, created: number): string {
  const row = ctx.org.db
    .prepare(
      `SELECT "Id" FROM ${quoteIdent('Pricebook2')} WHERE "IsStandard" = 1 AND "IsDeleted" = 0 ORDER BY "Id" LIMIT 1`,
    )
    .get() as { Id: string } | undefined;
  if (row) return row.Id;
  return ctx.table('Pricebook2').insertAll([
    {
      values: { Name: 'Standard Price Book', IsActive: true, IsStandard: true },
      by: ctx.adminUserId,
      at: created,
    },
  ])[0];
}

/** The revenue split type (100 % per opportunity); null when the org has no splits. */
export function writeSplitTypes(ctx: SeedContext): string | null {
  if (!ctx.has('OpportunitySplitType') || !ctx.has('OpportunitySplit')) return null;
  const existing = ctx.org.db
    .prepare(
      `SELECT "Id" FROM ${quoteIdent('OpportunitySplitType')} WHERE "SplitField" = 'Amount' AND "IsTotalValidated" = 1 ORDER BY "Id" LIMIT 1`,
    )
    .get() as { Id: string } | undefined;
  if (existing) return existing.Id;
  const at = ctx.at(ctx.windowStart - 400, 9);
  const base = { SplitEntity: 'Opportunity', IsActive: true, SplitDataStatus: 'Completed' };
  const [revenue] = ctx.table('OpportunitySplitType').insertAll([
    {
      values: {
        ...base,
        DeveloperName: 'Revenue',
        MasterLabel: 'Revenue',
        SplitField: 'Amount',
        IsTotalValidated: true,
        Description: 'Credit for the deal amount; totals 100 %.',
      },
      by: ctx.adminUserId,
      at,
    },
    {
      values: {
        ...base,
        DeveloperName: 'Overlay',
        MasterLabel: 'Overlay',
        SplitField: 'Amount',
        IsTotalValidated: false,
        Description: 'Overlay credit for specialists; any total.',
      },
      by: ctx.adminUserId,
      at,
    },
  ]);
  return revenue;
}

function selectColumn(ctx: SeedContext, objectName: string, field: string): string[] {
  const rows = ctx.org.db
    .prepare(`SELECT ${quoteIdent(field)} AS v FROM ${quoteIdent(objectName)}`)
    .all() as Array<{ v: string }>;
  return rows.map((r) => r.v);
}
