import { FixedClock } from '../../emulator/src/clock';
import type { RunningOrg } from '../../emulator/src/server';
import { generateDemoOrg, type DemoSummary } from '../../emulator/src/seed';
import { connect, startTestOrg } from '../helpers/org';
import { AS_OF, one } from './seed-org';

describe('demo generator: seen through the real jsforce client', () => {
  let running: RunningOrg;
  let summary: DemoSummary;
  beforeAll(async () => {
    running = await startTestOrg({ clock: new FixedClock(AS_OF) });
    summary = await generateDemoOrg(running.org, { size: 5, seed: 'http' });
  }, 60_000);
  afterAll(() => running.close());

  it('answers COUNT() with the number of opportunities generated', async () => {
    const res = await connect(running).query('SELECT COUNT() FROM Opportunity');
    expect(res.totalSize).toBe(summary.counts.Opportunity);
    expect(res.totalSize).toBeGreaterThan(500);
  });

  it('returns generated deals with their account and owner through relationship paths', async () => {
    const res = await connect(running).query<{
      Name: string;
      StageName: string;
      IsWon: boolean;
      Amount: number;
      Account: { Name: string; Region__c: string };
      Owner: { Name: string; IsActive: boolean };
    }>(
      "SELECT Name, StageName, IsWon, Amount, CloseDate, Account.Name, Account.Region__c, Owner.Name, Owner.IsActive FROM Opportunity WHERE StageName = 'Closed Won' ORDER BY Amount DESC LIMIT 5",
    );
    expect(res.records).toHaveLength(5);
    for (const r of res.records) {
      expect(r.IsWon).toBe(true);
      expect(r.Name.startsWith(`${r.Account.Name} - `)).toBe(true);
      expect(['AMER', 'EMEA', 'APAC']).toContain(r.Account.Region__c);
      expect(typeof r.Owner.Name).toBe('string');
    }
    const amounts = res.records.map((r) => r.Amount);
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
  });

  it('puts deals in the current fiscal quarter, as the org counts it', async () => {
    const res = await connect(running).query(
      'SELECT COUNT() FROM Opportunity WHERE CloseDate = THIS_FISCAL_QUARTER',
    );
    const expected = one<{ n: number }>(
      running.org,
      `SELECT COUNT(*) AS n FROM "Opportunity" WHERE "CloseDate" BETWEEN '2026-10-01' AND '2026-12-31'`,
    ).n;
    expect(res.totalSize).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });
});
