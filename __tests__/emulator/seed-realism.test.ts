import type { Org } from '../../emulator/src/org';
import { dayFromIso, FiscalCalendar, isoFromDay } from '../../emulator/src/seed/calendar';
import { COUNTRY_BY_NAME } from '../../emulator/src/seed/geography';
import { generateDemoOrg, type DemoSummary } from '../../emulator/src/seed';
import { STAGES } from '../../emulator/src/schema/standard-objects';
import { AS_OF, emptyOrg, one, rows } from './seed-org';

interface Opp {
  Id: string;
  StageName: string;
  Amount: number;
  CloseDate: string;
  IsClosed: number;
  IsWon: number;
  Probability: number;
  ForecastCategory: string;
  ForecastCategoryName: string;
  FiscalYear: number;
  FiscalQuarter: number;
  Fiscal: string;
  PushCount__c: number;
  CreatedDate: number;
  LastModifiedDate: number;
  OwnerId: string;
  CurrencyIsoCode: string;
}

interface History {
  OpportunityId: string;
  StageName: string;
  Amount: number;
  CloseDate: string;
  CreatedDate: number;
  ForecastCategory: string;
  PrevCloseDate: string | null;
}

const TODAY = '2026-11-12';

describe('demo generator: realism (size small)', () => {
  let org: Org;
  let summary: DemoSummary;
  let opps: Opp[];
  beforeAll(async () => {
    org = emptyOrg();
    summary = await generateDemoOrg(org, { size: 'small', seed: 7, asOf: AS_OF });
    opps = rows<Opp>(org, 'SELECT * FROM "Opportunity" ORDER BY "Id"');
  }, 60_000);
  afterAll(() => org.close());

  it('writes the sizes of the foundation issue and reports them', () => {
    expect(summary.counts).toMatchObject({
      Account: 2000,
      Opportunity: 8000,
      Product2: 30,
      PricebookEntry: 180,
      CurrencyType: 5,
    });
    expect(summary.counts.User).toBe(one<{ n: number }>(org, 'SELECT COUNT(*) AS n FROM "User"').n - 2);
    expect(summary.counts.OpportunityLineItem / 8000).toBeGreaterThan(2.3);
    expect(summary.counts.OpportunityLineItem / 8000).toBeLessThan(3.5);
    expect(summary.counts.OpportunityHistory / 8000).toBeGreaterThan(3);
    expect(summary.counts.OpportunityHistory / 8000).toBeLessThan(5.5);
  });

  it('keeps every history ordered in time, starting at creation and ending in the current state', () => {
    const byOpp = new Map<string, History[]>();
    for (const h of rows<History>(
      org,
      'SELECT * FROM "OpportunityHistory" ORDER BY "OpportunityId", "CreatedDate", "Id"',
    )) {
      const list = byOpp.get(h.OpportunityId) ?? [];
      list.push(h);
      byOpp.set(h.OpportunityId, list);
    }
    expect(byOpp.size).toBe(opps.length);
    const stageIndex = new Map<string, number>(STAGES.map((st, i) => [st.name, i]));
    const bad: string[] = [];
    for (const o of opps) {
      const h = byOpp.get(o.Id) ?? [];
      const last = h[h.length - 1];
      const problems = [
        h[0].CreatedDate !== o.CreatedDate && 'first row is not the creation',
        h.some((x, i) => i > 0 && x.CreatedDate <= h[i - 1].CreatedDate) && 'rows out of time order',
        h.some(
          (x, i) => i > 0 && (stageIndex.get(x.StageName) ?? 0) < (stageIndex.get(h[i - 1].StageName) ?? 0),
        ) && 'stage went backwards',
        JSON.stringify([last.StageName, last.Amount, last.CloseDate, last.ForecastCategory]) !==
          JSON.stringify([o.StageName, o.Amount, o.CloseDate, o.ForecastCategory]) &&
          'last row differs from the opportunity',
        (o.LastModifiedDate < last.CreatedDate || o.LastModifiedDate > AS_OF) &&
          'LastModifiedDate out of range',
      ].filter(Boolean);
      if (problems.length) bad.push(`${o.Id}: ${problems.join(', ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('counts slipped close dates in PushCount__c, as history shows them', () => {
    const moves = new Map(
      rows<{ id: string; n: number }>(
        org,
        'SELECT "OpportunityId" AS id, COUNT(*) AS n FROM "OpportunityHistory" WHERE "PrevCloseDate" IS NOT NULL AND "CloseDate" > "PrevCloseDate" GROUP BY "OpportunityId"',
      ).map((r) => [r.id, r.n]),
    );
    expect(opps.filter((o) => o.PushCount__c !== (moves.get(o.Id) ?? 0)).map((o) => o.Id)).toEqual([]);
    const slipped = opps.filter((o) => o.PushCount__c > 0).length / opps.length;
    expect(slipped).toBeGreaterThan(0.15);
    expect(slipped).toBeLessThan(0.5);
  });

  it('makes line items sum to the amount, priced from the entry of the deal currency', () => {
    const sums = rows<{ Amount: number; total: number; n: number; bad: number }>(
      org,
      `SELECT o."Amount", SUM(l."TotalPrice") AS total, COUNT(l."Id") AS n,
              SUM(l."CurrencyIsoCode" <> o."CurrencyIsoCode" OR e."CurrencyIsoCode" <> o."CurrencyIsoCode" OR l."ListPrice" <> e."UnitPrice") AS bad
         FROM "Opportunity" o JOIN "OpportunityLineItem" l ON l."OpportunityId" = o."Id"
         JOIN "PricebookEntry" e ON e."Id" = l."PricebookEntryId" GROUP BY o."Id"`,
    );
    expect(sums).toHaveLength(opps.length);
    expect(sums.filter((x) => x.n === 0 || Math.abs(x.total - x.Amount) >= 0.005 || x.bad !== 0)).toEqual([]);
    const lines = rows<{ Quantity: number; UnitPrice: number; Discount: number; TotalPrice: number }>(
      org,
      'SELECT * FROM "OpportunityLineItem"',
    );
    expect(
      lines.filter((l) => Math.abs(l.Quantity * l.UnitPrice * (1 - l.Discount / 100) - l.TotalPrice) >= 0.01),
    ).toEqual([]);
  });

  it('keeps stage, probability, forecast category, closed/won flags and fiscal period consistent', () => {
    const cal = new FiscalCalendar(1);
    const bad = opps.filter((o) => {
      const stage = STAGES.find((st) => st.name === o.StageName);
      if (
        !stage ||
        o.Probability !== stage.probability ||
        o.IsClosed !== Number(stage.closed) ||
        o.IsWon !== Number(stage.won)
      )
        return true;
      const fc =
        o.StageName === 'Closed Won'
          ? ['Closed']
          : o.StageName === 'Closed Lost'
            ? ['Omitted']
            : ['Pipeline', 'Best Case', 'Commit'];
      if (!fc.includes(o.ForecastCategoryName)) return true;
      const api: Record<string, string> = {
        Pipeline: 'Pipeline',
        'Best Case': 'BestCase',
        Commit: 'Forecast',
        Closed: 'Closed',
        Omitted: 'Omitted',
      };
      if (o.ForecastCategory !== api[o.ForecastCategoryName]) return true;
      if (o.IsClosed && o.CloseDate >= TODAY) return true;
      const q = cal.quarterOfDay(dayFromIso(o.CloseDate));
      return (
        o.FiscalYear !== q.fiscalYear ||
        o.FiscalQuarter !== q.number ||
        o.Fiscal !== `${q.fiscalYear} ${q.number}`
      );
    });
    expect(bad).toEqual([]);
    expect(new Set(opps.map((o) => o.StageName)).size).toBe(STAGES.length);
    // the window: the last eight fiscal quarters, the current one (Q4 2026) and the next two
    const first = opps.reduce((m, o) => (o.CloseDate < m ? o.CloseDate : m), '9999');
    const last = opps.reduce((m, o) => (o.CloseDate > m ? o.CloseDate : m), '0000');
    expect(first >= '2024-10-01').toBe(true);
    expect(last <= '2027-06-30').toBe(true);
    expect(opps.some((o) => o.CloseDate >= '2027-04-01')).toBe(true);
    expect(opps.some((o) => o.CloseDate < '2025-01-01')).toBe(true);
  });

  it('bunches closes at quarter end, and win rates differ by rep and by segment', () => {
    const closed = opps.filter((o) => o.IsClosed);
    const monthInQuarter = (d: string): number => (Number(d.slice(5, 7)) - 1) % 3;
    const byMonth = [0, 1, 2].map((m) => closed.filter((o) => monthInQuarter(o.CloseDate) === m).length);
    expect(byMonth[2]).toBeGreaterThan(byMonth[0] * 1.3);
    const lastWeek = closed.filter(
      (o) => monthInQuarter(o.CloseDate) === 2 && Number(o.CloseDate.slice(8)) >= 24,
    ).length;
    expect(lastWeek / closed.length).toBeGreaterThan(0.25);

    const perRep = rows<{ n: number; won: number }>(
      org,
      'SELECT COUNT(*) AS n, SUM("IsWon") AS won FROM "Opportunity" WHERE "IsClosed" = 1 GROUP BY "OwnerId" HAVING COUNT(*) >= 40',
    ).map((r) => r.won / r.n);
    expect(perRep.length).toBeGreaterThan(20);
    expect(Math.max(...perRep) - Math.min(...perRep)).toBeGreaterThan(0.12);
    const bySegment = new Map(
      rows<{ seg: string; rate: number }>(
        org,
        `SELECT a."Segment__c" AS seg, AVG(o."IsWon") AS rate FROM "Opportunity" o JOIN "Account" a ON a."Id" = o."AccountId"
          WHERE o."IsClosed" = 1 GROUP BY a."Segment__c"`,
      ).map((r) => [r.seg, r.rate]),
    );
    expect(bySegment.get('SMB')).toBeGreaterThan((bySegment.get('Enterprise') ?? 1) + 0.03);
    const overall = closed.filter((o) => o.IsWon).length / closed.length;
    expect(overall).toBeGreaterThan(0.15);
    expect(overall).toBeLessThan(0.4);
  });

  it('builds a role hierarchy CRO → VPs → managers → reps, with ramping reps and leavers', () => {
    const roles = rows<{ Id: string; Name: string; ParentRoleId: string | null }>(
      org,
      'SELECT * FROM "UserRole"',
    );
    const byId = new Map(roles.map((r) => [r.Id, r]));
    const depth = (id: string | null): number => (id ? 1 + depth(byId.get(id)?.ParentRoleId ?? null) : 0);
    expect(roles.filter((r) => r.ParentRoleId === null).map((r) => r.Name)).toEqual([
      'Chief Revenue Officer',
    ]);
    expect(
      roles
        .filter((r) => depth(r.Id) === 2)
        .map((r) => r.Name)
        .sort(),
    ).toEqual(['VP Sales AMER', 'VP Sales APAC', 'VP Sales EMEA']);
    const users = rows<{
      Id: string;
      Title: string;
      UserRoleId: string;
      ManagerId: string | null;
      IsActive: number;
      HireDate__c: string;
      Username: string;
    }>(org, `SELECT * FROM "User" WHERE "Username" LIKE '%.%.%@salesops.demo'`);
    const reps = users.filter((u) => u.Title === 'Account Executive');
    expect(reps).toHaveLength(40);
    const userById = new Map(users.map((u) => [u.Id, u]));
    for (const r of reps) {
      expect(depth(r.UserRoleId)).toBe(4);
      expect(userById.get(r.ManagerId ?? '')?.Title).toBe('Sales Manager');
      expect(byId.get(byId.get(r.UserRoleId)?.ParentRoleId ?? '')?.Id).toBe(
        userById.get(r.ManagerId ?? '')?.UserRoleId,
      );
    }
    expect(new Set(users.map((u) => u.Username)).size).toBe(users.length);
    const ramping = reps.filter((r) => r.HireDate__c >= '2026-07-01');
    expect(ramping.length).toBe(4);
    // ramping reps have deals, only since they were hired
    for (const r of ramping) {
      const mine = opps.filter((o) => o.OwnerId === r.Id);
      expect(mine.length).toBeGreaterThan(0);
      for (const o of mine)
        expect(isoFromDay(Math.floor(o.CreatedDate / 86_400_000)) > r.HireDate__c).toBe(true);
    }
    const leavers = reps.filter((r) => !r.IsActive);
    expect(leavers.length).toBe(1);
    for (const l of leavers) {
      // their open deals went to a successor, and field history shows the move
      const moved = rows<{ Id: string; OwnerId: string }>(
        org,
        'SELECT "Id", "OwnerId" FROM "Opportunity" WHERE "CreatedById" = ? AND "OwnerId" <> ?',
        l.Id,
        l.Id,
      );
      expect(moved.length).toBeGreaterThan(0);
      const trail = rows<{ OpportunityId: string; NewValue: string }>(
        org,
        `SELECT "OpportunityId", "NewValue" FROM "OpportunityFieldHistory" WHERE "Field" = 'OwnerId' AND "OldValue" = ? ORDER BY "OpportunityId"`,
        l.Id,
      );
      expect(trail).toEqual(
        moved
          .map((m) => ({ OpportunityId: m.Id, NewValue: m.OwnerId }))
          .sort((a, b) => (a.OpportunityId < b.OpportunityId ? -1 : 1)),
      );
      expect(
        one<{ n: number }>(
          org,
          'SELECT COUNT(*) AS n FROM "Opportunity" WHERE "OwnerId" = ? AND "IsClosed" = 0',
          l.Id,
        ).n,
      ).toBe(0);
      expect(one<{ n: number }>(org, 'SELECT COUNT(*) AS n FROM "Account" WHERE "OwnerId" = ?', l.Id).n).toBe(
        0,
      );
      expect(
        one<{ n: number }>(
          org,
          'SELECT COUNT(*) AS n FROM "Opportunity" WHERE "OwnerId" = ? AND "IsClosed" = 1',
          l.Id,
        ).n,
      ).toBeGreaterThan(0);
    }
  });

  it('keeps every account’s region, country, state, postal code, currency and segment in agreement', () => {
    const accounts = rows<{
      Region__c: string;
      BillingCountry: string;
      BillingState: string | null;
      BillingCity: string;
      BillingPostalCode: string;
      CurrencyIsoCode: string;
      Segment__c: string;
      NumberOfEmployees: number;
      OwnerId: string;
      Id: string;
      ParentId: string | null;
    }>(org, 'SELECT * FROM "Account"');
    const regionOfUser = new Map(
      rows<{ Id: string; Division: string }>(org, 'SELECT "Id", "Division" FROM "User"').map((u) => [
        u.Id,
        u.Division,
      ]),
    );
    const bad = accounts.filter((a) => {
      const country = COUNTRY_BY_NAME.get(a.BillingCountry);
      const locality = country?.localities.find((l) => l.city === a.BillingCity);
      if (!country || !locality) return true;
      const pattern = new RegExp('^' + locality.postal.replace(/#/g, '\\d').replace(/@/g, '[A-Z]') + '$');
      const seg =
        a.NumberOfEmployees >= 2000 ? 'Enterprise' : a.NumberOfEmployees >= 200 ? 'Mid-Market' : 'SMB';
      return (
        country.region !== a.Region__c ||
        country.currency !== a.CurrencyIsoCode ||
        locality.state !== a.BillingState ||
        !pattern.test(a.BillingPostalCode) ||
        regionOfUser.get(a.OwnerId) !== a.Region__c ||
        a.Segment__c !== seg
      );
    });
    expect(bad).toEqual([]);
    const parents = accounts.filter((a) => a.ParentId).length / accounts.length;
    expect(parents).toBeGreaterThan(0.03);
    expect(parents).toBeLessThan(0.08);
    expect(new Set(accounts.map((a) => a.CurrencyIsoCode))).toEqual(
      new Set(['USD', 'CAD', 'EUR', 'GBP', 'JPY', 'AUD']),
    );
    expect(
      one<{ n: number }>(
        org,
        'SELECT COUNT(*) AS n FROM "Opportunity" o JOIN "Account" a ON a."Id" = o."AccountId" WHERE a."CurrencyIsoCode" <> o."CurrencyIsoCode"',
      ).n,
    ).toBe(0);
    // customers are the accounts that bought something
    const types = rows<{ Type: string; won: number }>(
      org,
      'SELECT a."Type", (SELECT COUNT(*) FROM "Opportunity" o WHERE o."AccountId" = a."Id" AND o."IsWon" = 1) AS won FROM "Account" a',
    );
    expect(types.filter((t) => (t.Type === 'Prospect') !== (t.won === 0))).toEqual([]);
    expect(types.some((t) => t.Type === 'Prospect')).toBe(true);
    expect(types.some((t) => t.Type === 'Customer - Channel')).toBe(true);
  });

  it('has monthly dated rates covering every close date, and periods for the whole window', () => {
    const rates = rows<{ IsoCode: string; StartDate: string; NextStartDate: string; ConversionRate: number }>(
      org,
      'SELECT * FROM "DatedConversionRate" ORDER BY "IsoCode", "StartDate"',
    );
    for (const code of ['EUR', 'GBP', 'JPY', 'CAD', 'AUD']) {
      const mine = rates.filter((r) => r.IsoCode === code);
      expect(mine[0].StartDate).toBe('0001-01-01');
      expect(mine[mine.length - 1].NextStartDate).toBe('9999-12-31');
      for (let i = 1; i < mine.length; i++) expect(mine[i].StartDate).toBe(mine[i - 1].NextStartDate);
      expect(mine.length).toBeGreaterThanOrEqual(33 + 12);
      expect(mine[1].StartDate <= '2024-10-01').toBe(true);
    }
    expect(rates.filter((r) => r.IsoCode === 'USD').map((r) => r.ConversionRate)).toEqual([1]);
    const corporate = rows<{ IsoCode: string }>(
      org,
      'SELECT "IsoCode" FROM "CurrencyType" WHERE "IsCorporate" = 1',
    );
    expect(corporate).toEqual([{ IsoCode: 'USD' }]);
    const quarters = rows<{ StartDate: string; EndDate: string }>(
      org,
      `SELECT * FROM "Period" WHERE "Type" = 'Quarter' ORDER BY "StartDate"`,
    );
    for (let i = 1; i < quarters.length; i++)
      expect(dayFromIso(quarters[i].StartDate)).toBe(dayFromIso(quarters[i - 1].EndDate) + 1);
    expect(quarters[0].StartDate <= '2024-10-01').toBe(true);
    expect(quarters[quarters.length - 1].EndDate >= '2027-06-30').toBe(true);
    expect(one<{ n: number }>(org, `SELECT COUNT(*) AS n FROM "Period" WHERE "Type" = 'Month'`).n).toBe(
      quarters.length * 3,
    );
  });

  it('gives every rep a revenue quota for each quarter employed, partial while ramping', () => {
    const quotas = rows<{
      User__c: string;
      Period_Start__c: string;
      Period_End__c: string;
      Amount__c: number;
      CurrencyIsoCode: string;
      Name: string;
      External_Key__c: string;
    }>(
      org,
      `SELECT * FROM "Sales_Quota__c" WHERE "Period_Type__c" = 'Quarter' AND "Quota_Type__c" = 'Revenue'`,
    );
    expect(new Set(quotas.map((q) => q.External_Key__c)).size).toBe(quotas.length);
    expect(quotas[0].Name).toMatch(/^QUOTA-\d{6}$/);
    const reps = rows<{ Id: string; HireDate__c: string; IsActive: number; CurrencyIsoCode: string }>(
      org,
      `SELECT * FROM "User" WHERE "Title" = 'Account Executive'`,
    );
    const cal = new FiscalCalendar(1);
    const hasCurrency = org.schema.field('Sales_Quota__c', 'CurrencyIsoCode') !== undefined;
    const current = cal.quarterOfDay(dayFromIso(TODAY)).index;
    for (const rep of reps.filter((r) => r.IsActive)) {
      const mine = quotas
        .filter((q) => q.User__c === rep.Id)
        .sort((a, b) => a.Period_Start__c.localeCompare(b.Period_Start__c));
      const hired = cal.quarterOfDay(dayFromIso(rep.HireDate__c)).index;
      const expected: string[] = [];
      for (let q = Math.max(current - 8, hired); q <= current + 2; q++)
        expected.push(isoFromDay(cal.quarter(q).startDay));
      expect(mine.map((q) => q.Period_Start__c)).toEqual(expected);
      // quotas are in the rep's currency where the object has one, else in the corporate currency
      for (const q of mine)
        expect(q.CurrencyIsoCode ?? 'USD').toBe(hasCurrency ? rep.CurrencyIsoCode : 'USD');
      if (hired >= current - 1) {
        // 25 % in the hire quarter, then 50 %, …: the first quota is far below the last
        expect(mine[0].Amount__c).toBeLessThan(mine[mine.length - 1].Amount__c * 0.6);
      }
    }
  });

  it('creates nothing after asOf', () => {
    for (const table of [
      'Account',
      'Opportunity',
      'OpportunityLineItem',
      'OpportunityHistory',
      'User',
      'Sales_Quota__c',
      'OpportunitySplit',
    ]) {
      const r = one<{ c: number; m: number | null }>(
        org,
        `SELECT MAX("CreatedDate") AS c, MAX("SystemModstamp") AS m FROM "${table}"`,
      );
      expect(r.c).toBeLessThanOrEqual(AS_OF);
      expect(r.m ?? 0).toBeLessThanOrEqual(AS_OF);
    }
  });
});
