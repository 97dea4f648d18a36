import { deleteRecords, insertRecords, updateRecords } from '../../emulator/src/dml';
import { fiscalPeriod } from '../../emulator/src/dml/opportunity';
import { makeDmlOrg, rowOf, T0, type DmlTestOrg } from './dml-fixtures';

const history = (t: DmlTestOrg, oppId: string) =>
  t.org.db
    .prepare(
      'SELECT StageName, Amount, ExpectedRevenue, CloseDate, Probability, ForecastCategory, PrevAmount, PrevCloseDate, CreatedById, CreatedDate FROM "OpportunityHistory" WHERE OpportunityId = ? ORDER BY rowid',
    )
    .all(oppId);

const fieldHistory = (t: DmlTestOrg, oppId: string) =>
  t.org.db
    .prepare(
      'SELECT Field, OldValue, NewValue FROM "OpportunityFieldHistory" WHERE OpportunityId = ? ORDER BY rowid',
    )
    .all(oppId);

describe('Opportunity rules and history', () => {
  let t: DmlTestOrg;
  beforeEach(() => {
    t = makeDmlOrg({ fiscalYearStartMonth: 2 });
  });
  afterEach(() => t.close());

  const create = (rec: Record<string, unknown>): string => {
    const [r] = insertRecords(t.org, 'Opportunity', [rec], t.json);
    expect(r.errors).toEqual([]);
    return r.id as string;
  };

  it('derives probability, forecast category, flags, expected revenue and fiscal period on create', () => {
    const id = create({
      Name: 'Deal',
      StageName: 'Value Proposition',
      CloseDate: '2026-01-15',
      Amount: 1000,
    });
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({
      Probability: 50,
      ForecastCategoryName: 'Pipeline',
      ForecastCategory: 'Pipeline',
      IsClosed: 0,
      IsWon: 0,
      ExpectedRevenue: 500,
      // Fiscal year starts in February and is named after the year it ends in.
      FiscalYear: 2026,
      FiscalQuarter: 4,
      Fiscal: '2026 4',
      LastStageChangeDate: null,
    });
    expect(history(t, id)).toEqual([
      {
        StageName: 'Value Proposition',
        Amount: 1000,
        ExpectedRevenue: 500,
        CloseDate: '2026-01-15',
        Probability: 50,
        ForecastCategory: 'Pipeline',
        PrevAmount: null,
        PrevCloseDate: null,
        CreatedById: t.userId,
        CreatedDate: T0,
      },
    ]);
    expect(fieldHistory(t, id)).toEqual([{ Field: 'created', OldValue: null, NewValue: null }]);
  });

  it('keeps a client-set probability, and re-derives it when the stage changes without one', () => {
    const id = create({
      Name: 'Deal',
      StageName: 'Prospecting',
      CloseDate: '2026-02-01',
      Amount: 200,
      Probability: 35,
    });
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({
      Probability: 35,
      ExpectedRevenue: 70,
      FiscalYear: 2027,
      FiscalQuarter: 1,
    });

    t.clock.advance(3_600_000);
    updateRecords(t.org, 'Opportunity', [{ Id: id, StageName: 'Closed Won' }], t.json);
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({
      StageName: 'Closed Won',
      Probability: 100,
      ForecastCategoryName: 'Closed',
      ForecastCategory: 'Closed',
      IsClosed: 1,
      IsWon: 1,
      ExpectedRevenue: 200,
      LastStageChangeDate: T0 + 3_600_000,
    });

    updateRecords(
      t.org,
      'Opportunity',
      [{ Id: id, StageName: 'Closed Lost', Probability: 5, ForecastCategoryName: 'Omitted' }],
      t.json,
    );
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({
      Probability: 5,
      IsClosed: 1,
      IsWon: 0,
      ForecastCategory: 'Omitted',
    });
  });

  it('writes OpportunityHistory on stage, amount and close-date changes only', () => {
    const id = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31', Amount: 100 });
    updateRecords(t.org, 'Opportunity', [{ Id: id, Description: 'no history for this' }], t.json);
    expect(history(t, id)).toHaveLength(1);
    updateRecords(t.org, 'Opportunity', [{ Id: id, Amount: 250 }], t.json);
    updateRecords(
      t.org,
      'Opportunity',
      [{ Id: id, StageName: 'Negotiation/Review', CloseDate: '2026-04-30' }],
      t.json,
    );
    const rows = history(t, id) as Array<Record<string, unknown>>;
    expect(
      rows.map((r) => [r.StageName, r.Amount, r.Probability, r.CloseDate, r.PrevAmount, r.PrevCloseDate]),
    ).toEqual([
      ['Prospecting', 100, 10, '2026-03-31', null, null],
      ['Prospecting', 250, 10, '2026-03-31', 100, '2026-03-31'],
      ['Negotiation/Review', 250, 90, '2026-04-30', 250, '2026-03-31'],
    ]);
    expect(fieldHistory(t, id)).toEqual([
      { Field: 'created', OldValue: null, NewValue: null },
      { Field: 'Amount', OldValue: '100', NewValue: '250' },
      { Field: 'StageName', OldValue: 'Prospecting', NewValue: 'Negotiation/Review' },
      { Field: 'CloseDate', OldValue: '2026-03-31', NewValue: '2026-04-30' },
      { Field: 'Probability', OldValue: '10', NewValue: '90' },
    ]);
  });

  it('rolls history back with the row that failed', () => {
    const id = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31' });
    const [r] = updateRecords(
      t.org,
      'Opportunity',
      [{ Id: id, StageName: 'Closed Won', OwnerId: 'bad' }],
      t.json,
    );
    expect(r.success).toBe(false);
    expect(history(t, id)).toHaveLength(1);
    expect(rowOf(t.org, 'Opportunity', id)?.StageName).toBe('Prospecting');
  });

  it('cascades an Opportunity delete to its line items', () => {
    const id = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31' });
    const item = t.org.db.prepare(
      'INSERT INTO "OpportunityLineItem" ("Id", "OpportunityId", "Quantity", "IsDeleted") VALUES (?, ?, 1, 0)',
    );
    item.run('00k5g0000000001AAA', id);
    expect(deleteRecords(t.org, [id], t.json)[0].success).toBe(true);
    expect(rowOf(t.org, 'OpportunityLineItem', '00k5g0000000001AAA')?.IsDeleted).toBe(1);
  });

  it('computes fiscal periods for calendar and shifted fiscal years', () => {
    expect(fiscalPeriod('2026-12-31', 1)).toEqual({ FiscalYear: 2026, FiscalQuarter: 4, Fiscal: '2026 4' });
    expect(fiscalPeriod('2026-07-01', 7)).toEqual({ FiscalYear: 2027, FiscalQuarter: 1, Fiscal: '2027 1' });
    expect(fiscalPeriod('2026-06-30', 7)).toEqual({ FiscalYear: 2026, FiscalQuarter: 4, Fiscal: '2026 4' });
    expect(fiscalPeriod(null, 1)).toEqual({ FiscalYear: null, FiscalQuarter: null, Fiscal: null });
  });

  it('prices line items from the price book and rolls their total up to Opportunity.Amount', () => {
    const standard = (
      t.org.db.prepare('SELECT "Id" FROM "Pricebook2" WHERE "IsStandard" = 1').get() as { Id: string }
    ).Id;
    const [{ id: product }] = insertRecords(
      t.org,
      'Product2',
      [{ Name: 'Seat', ProductCode: 'SEAT-1', IsActive: true }],
      t.json,
    );
    const [entry] = insertRecords(
      t.org,
      'PricebookEntry',
      [{ Pricebook2Id: standard, Product2Id: product, UnitPrice: 100, IsActive: true }],
      t.json,
    );
    expect(entry.errors).toEqual([]);
    const opp = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31', Amount: 1 });

    const items = insertRecords(
      t.org,
      'OpportunityLineItem',
      [
        { OpportunityId: opp, PricebookEntryId: entry.id, Quantity: 3 },
        { OpportunityId: opp, Product2Id: product, Quantity: 2, UnitPrice: 80, Discount: 10 },
        { OpportunityId: opp, PricebookEntryId: entry.id, Quantity: 4, TotalPrice: 300 },
      ],
      t.json,
    );
    expect(items.map((r) => r.errors)).toEqual([[], [], []]);
    const [a, b, c] = items.map((r) => rowOf(t.org, 'OpportunityLineItem', r.id as string));
    expect(a).toMatchObject({
      Product2Id: product,
      ListPrice: 100,
      UnitPrice: 100,
      TotalPrice: 300,
      ProductCode: 'SEAT-1',
      Name: 'Deal Seat',
    });
    expect(b).toMatchObject({ PricebookEntryId: entry.id, UnitPrice: 80, TotalPrice: 144 });
    expect(c).toMatchObject({ UnitPrice: 75, TotalPrice: 300 });
    expect(rowOf(t.org, 'Opportunity', opp)).toMatchObject({
      Amount: 744,
      HasOpportunityLineItem: 1,
      ExpectedRevenue: 74.4,
    });

    updateRecords(t.org, 'OpportunityLineItem', [{ Id: items[0].id, Quantity: 1 }], t.json);
    expect(rowOf(t.org, 'Opportunity', opp)?.Amount).toBe(544);
    deleteRecords(t.org, [items[1].id as string, items[2].id as string], t.json);
    expect(rowOf(t.org, 'Opportunity', opp)).toMatchObject({ Amount: 100, HasOpportunityLineItem: 1 });
    const amounts = (history(t, opp) as Array<{ Amount: number }>).map((h) => h.Amount);
    expect(amounts).toEqual([1, 300, 444, 744, 544, 400, 100]);

    const both = insertRecords(
      t.org,
      'OpportunityLineItem',
      [{ OpportunityId: opp, PricebookEntryId: entry.id, Quantity: 1, UnitPrice: 1, TotalPrice: 1 }],
      t.json,
    );
    expect(both[0].errors[0].statusCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });
});
