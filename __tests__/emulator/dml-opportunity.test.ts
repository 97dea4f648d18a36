import { deleteRecords, insertRecords, updateRecords } from '../../emulator/src/dml';
import { fiscalPeriod } from '../../emulator/src/dml/opportunity';
import { makeDmlOrg, rowOf, T0, type DmlTestOrg } from './dml-fixtures';

const history = (t: DmlTestOrg, oppId: string) =>
  t.org.db
    .prepare('SELECT StageName, Amount, ExpectedRevenue, CloseDate, Probability, ForecastCategory, PrevAmount, PrevCloseDate, CreatedById, CreatedDate FROM "OpportunityHistory" WHERE OpportunityId = ? ORDER BY rowid')
    .all(oppId);

const fieldHistory = (t: DmlTestOrg, oppId: string) =>
  t.org.db
    .prepare('SELECT Field, OldValue, NewValue FROM "OpportunityFieldHistory" WHERE OpportunityId = ? ORDER BY rowid')
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
    const id = create({ Name: 'Deal', StageName: 'Value Proposition', CloseDate: '2026-01-15', Amount: 1000 });
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
        StageName: 'Value Proposition', Amount: 1000, ExpectedRevenue: 500, CloseDate: '2026-01-15', Probability: 50,
        ForecastCategory: 'Pipeline', PrevAmount: null, PrevCloseDate: null, CreatedById: t.userId, CreatedDate: T0,
      },
    ]);
    expect(fieldHistory(t, id)).toEqual([{ Field: 'created', OldValue: null, NewValue: null }]);
  });

  it('keeps a client-set probability, and re-derives it when the stage changes without one', () => {
    const id = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-02-01', Amount: 200, Probability: 35 });
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({ Probability: 35, ExpectedRevenue: 70, FiscalYear: 2027, FiscalQuarter: 1 });

    t.clock.advance(3_600_000);
    updateRecords(t.org, 'Opportunity', [{ Id: id, StageName: 'Closed Won' }], t.json);
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({
      StageName: 'Closed Won', Probability: 100, ForecastCategoryName: 'Closed', ForecastCategory: 'Closed',
      IsClosed: 1, IsWon: 1, ExpectedRevenue: 200, LastStageChangeDate: T0 + 3_600_000,
    });

    updateRecords(t.org, 'Opportunity', [{ Id: id, StageName: 'Closed Lost', Probability: 5, ForecastCategoryName: 'Omitted' }], t.json);
    expect(rowOf(t.org, 'Opportunity', id)).toMatchObject({ Probability: 5, IsClosed: 1, IsWon: 0, ForecastCategory: 'Omitted' });
  });

  it('writes OpportunityHistory on stage, amount and close-date changes only', () => {
    const id = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31', Amount: 100 });
    updateRecords(t.org, 'Opportunity', [{ Id: id, Description: 'no history for this' }], t.json);
    expect(history(t, id)).toHaveLength(1);
    updateRecords(t.org, 'Opportunity', [{ Id: id, Amount: 250 }], t.json);
    updateRecords(t.org, 'Opportunity', [{ Id: id, StageName: 'Negotiation/Review', CloseDate: '2026-04-30' }], t.json);
    const rows = history(t, id) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.StageName, r.Amount, r.Probability, r.CloseDate, r.PrevAmount, r.PrevCloseDate])).toEqual([
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
    const [r] = updateRecords(t.org, 'Opportunity', [{ Id: id, StageName: 'Closed Won', OwnerId: 'bad' }], t.json);
    expect(r.success).toBe(false);
    expect(history(t, id)).toHaveLength(1);
    expect(rowOf(t.org, 'Opportunity', id)?.StageName).toBe('Prospecting');
  });

  it('cascades an Opportunity delete to its line items', () => {
    const id = create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-03-31' });
    const item = t.org.db.prepare('INSERT INTO "OpportunityLineItem" ("Id", "OpportunityId", "Quantity", "IsDeleted") VALUES (?, ?, 1, 0)');
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
});
