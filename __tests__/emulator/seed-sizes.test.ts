import { bootstrapOrg } from '../../emulator/src/bootstrap';
import { Org } from '../../emulator/src/org';
import { CORE_STANDARD_OBJECTS } from '../../emulator/src/schema/standard-objects';
import { generateDemoOrg, resolveSize } from '../../emulator/src/seed';
import { AS_OF, emptyOrg, one, rows } from './seed-org';

describe('demo generator: size knobs', () => {
  it('resolves the named sizes of the foundation issue and scales N reps between them', () => {
    expect(resolveSize('small')).toEqual({ reps: 40, accounts: 2_000, opportunities: 8_000 });
    expect(resolveSize('medium')).toEqual({ reps: 400, accounts: 40_000, opportunities: 200_000 });
    expect(resolveSize('large')).toEqual({ reps: 2_000, accounts: 200_000, opportunities: 1_000_000 });
    // N reps: the named sizes are points on the same curve
    expect(resolveSize(40)).toEqual(resolveSize('small'));
    expect(resolveSize(400)).toEqual(resolveSize('medium'));
    expect(resolveSize(2000)).toEqual(resolveSize('large'));
    const mid = resolveSize(120);
    expect(mid.accounts).toBeGreaterThan(120 * 50);
    expect(mid.accounts).toBeLessThan(120 * 100);
    expect(mid.opportunities).toBeGreaterThan(120 * 200);
    expect(mid.opportunities).toBeLessThan(120 * 500);
    expect(resolveSize(10)).toEqual({ reps: 10, accounts: 500, opportunities: 2_000 });
    for (const bad of [0, 2, 2.5, 20_001, 'huge']) expect(() => resolveSize(bad as never)).toThrow(/size/);
  });

  it('generates N reps with the scaled counts around them', async () => {
    const org = emptyOrg();
    const indexes = (): string[] =>
      rows<{ name: string }>(org, `SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`).map(
        (r) => r.name,
      );
    const before = indexes();
    const phases = new Set<string>();
    const summary = await generateDemoOrg(org, {
      size: 12,
      asOf: AS_OF,
      onProgress: (p) => phases.add(p.phase),
    });
    // indexes dropped for the bulk load are all back
    expect(indexes()).toEqual(before);
    expect(before).toContain('Opportunity__AccountId__idx');
    expect([...phases]).toEqual(['reference', 'users', 'accounts', 'opportunities', 'quotas', 'indexes']);
    const want = resolveSize(12);
    const count = (table: string, where = '1 = 1'): number =>
      one<{ n: number }>(org, `SELECT COUNT(*) AS n FROM "${table}" WHERE ${where}`).n;
    expect(count('User', `"Title" = 'Account Executive'`)).toBe(12);
    const managers = count('User', `"Title" = 'Sales Manager'`);
    // a team per up to eight reps in each region: AMER 6 → 1, EMEA 4 → 1, APAC 2 → 1
    expect(managers).toBe(3);
    expect(count('User', `"Title" LIKE 'VP Sales%'`)).toBe(3);
    expect(count('UserRole')).toBe(1 + 3 + 2 * managers);
    expect(summary.counts).toMatchObject({
      Account: want.accounts,
      Opportunity: want.opportunities,
      User: 1 + 3 + managers + 12,
    });
    expect(count('Account')).toBe(want.accounts);
    expect(count('Opportunity')).toBe(want.opportunities);
    expect(count('OpportunityLineItem') / want.opportunities).toBeGreaterThan(2.3);
    expect(count('OpportunityLineItem') / want.opportunities).toBeLessThan(3.5);
    expect(count('OpportunityHistory') / want.opportunities).toBeGreaterThan(3);
    expect(count('OpportunityHistory') / want.opportunities).toBeLessThan(5.5);
    // quotas: at most eleven quarters for each rep and each manager
    expect(count('Sales_Quota__c')).toBeGreaterThan(12 * 8);
    expect(count('Sales_Quota__c')).toBeLessThanOrEqual((12 + managers) * 11);
    // every rep carries deals and a book of accounts
    expect(
      rows(
        org,
        `SELECT u."Id" FROM "User" u WHERE u."Title" = 'Account Executive' AND NOT EXISTS (SELECT 1 FROM "Opportunity" o WHERE o."CreatedById" = u."Id")`,
      ),
    ).toEqual([]);
    org.close();
  }, 60_000);

  it('follows the org’s fiscal year start month for periods, fiscal fields and quotas', async () => {
    const org = emptyOrg({ fiscalYearStartMonth: 2 });
    await generateDemoOrg(org, { size: 3, asOf: AS_OF });
    // February start, named by the ending year: Feb 2026 – Jan 2027 is FY2027
    const fy = rows<{ Name: string; StartDate: string; EndDate: string }>(
      org,
      'SELECT * FROM "FiscalYearSettings" ORDER BY "StartDate"',
    );
    expect(fy.every((y) => y.StartDate.endsWith('-02-01') && y.EndDate.endsWith('-01-31'))).toBe(true);
    expect(fy.find((y) => y.StartDate === '2026-02-01')?.Name).toBe('2027');
    const quarterStarts = new Set(
      rows<{ s: string }>(
        org,
        `SELECT DISTINCT substr("StartDate", 6, 2) AS s FROM "Period" WHERE "Type" = 'Quarter'`,
      ).map((r) => r.s),
    );
    expect(quarterStarts).toEqual(new Set(['02', '05', '08', '11']));
    const opps = rows<{ CloseDate: string; FiscalYear: number; FiscalQuarter: number }>(
      org,
      'SELECT "CloseDate", "FiscalYear", "FiscalQuarter" FROM "Opportunity"',
    );
    const expectFiscal = (d: string): [number, number] => {
      const y = Number(d.slice(0, 4));
      const m = Number(d.slice(5, 7));
      const offset = (m - 2 + 12) % 12;
      return [m >= 2 ? y + 1 : y, Math.floor(offset / 3) + 1];
    };
    expect(
      opps.filter(
        (o) => JSON.stringify([o.FiscalYear, o.FiscalQuarter]) !== JSON.stringify(expectFiscal(o.CloseDate)),
      ),
    ).toEqual([]);
    const quotaStarts = new Set(
      rows<{ s: string }>(
        org,
        'SELECT DISTINCT substr("Period_Start__c", 6, 5) AS s FROM "Sales_Quota__c"',
      ).map((r) => r.s),
    );
    expect(quotaStarts).toEqual(new Set(['02-01', '05-01', '08-01', '11-01']));
    // AS_OF (12 Nov 2026) is in Q4 FY2027 (Nov–Jan): the window ends with Q2 FY2028 (May–Jul 2027)
    expect(one<{ d: string }>(org, 'SELECT MAX("CloseDate") AS d FROM "Opportunity"').d <= '2027-07-31').toBe(
      true,
    );
    org.close();
  }, 60_000);

  it('runs on a schema with only the core objects, writing just what exists', async () => {
    const org = new Org({ dbFile: ':memory:', objects: CORE_STANDARD_OBJECTS });
    bootstrapOrg(org, { adminPassword: 'pw-1', integrationPassword: 'pw-2' });
    const summary = await generateDemoOrg(org, { size: 3, asOf: AS_OF });
    expect(Object.keys(summary.counts).sort()).toEqual(['Account', 'Opportunity', 'User', 'UserRole']);
    const opp = one<{ n: number; amount: number; lines: number }>(
      org,
      'SELECT COUNT(*) AS n, MIN("Amount") AS amount, MAX("HasOpportunityLineItem") AS lines FROM "Opportunity"',
    );
    expect(opp.n).toBe(resolveSize(3).opportunities);
    expect(opp.amount).toBeGreaterThan(0);
    expect(opp.lines).toBe(0);
    org.close();
  }, 60_000);

  it.each(['Asia/Tokyo', 'America/Los_Angeles'])(
    'keeps every timestamp before asOf in an org on %s time',
    async (timeZone) => {
      // 00:30 local on 13 November: "today" in the org is already (Tokyo) or still (LA) another UTC date
      const asOf = timeZone === 'Asia/Tokyo' ? Date.UTC(2026, 10, 12, 15, 30) : Date.UTC(2026, 10, 13, 8, 30);
      const org = emptyOrg({ timeZone });
      await generateDemoOrg(org, { size: 3, asOf });
      for (const table of [
        'User',
        'Account',
        'Opportunity',
        'OpportunityHistory',
        'OpportunityLineItem',
        'Sales_Quota__c',
      ]) {
        const r = one<{ c: number; m: number }>(
          org,
          `SELECT MAX("CreatedDate") AS c, MAX("SystemModstamp") AS m FROM "${table}"`,
        );
        expect(Math.max(r.c, r.m)).toBeLessThanOrEqual(asOf);
      }
      // deals closed in the past have close dates before the org's today (13 November)
      const closed = one<{ d: string }>(
        org,
        'SELECT MAX("CloseDate") AS d FROM "Opportunity" WHERE "IsClosed" = 1',
      ).d;
      expect(closed <= '2026-11-12').toBe(true);
      org.close();
    },
    60_000,
  );
});
