import { generateDemoOrg, isSeeded } from '../../emulator/src/seed';
import { AS_OF, emptyOrg, one, tableHashes } from './seed-org';

describe('demo generator: determinism', () => {
  it('gives identical rows and ids for the same size, seed and asOf', async () => {
    const a = emptyOrg();
    const b = emptyOrg();
    const sa = await generateDemoOrg(a, { size: 6, seed: 42, asOf: AS_OF });
    const sb = await generateDemoOrg(b, { size: 6, seed: 42, asOf: AS_OF });
    expect(sa.counts).toEqual(sb.counts);
    expect(sa.counts.Opportunity).toBeGreaterThan(1000);
    const ha = tableHashes(a);
    expect(tableHashes(b)).toEqual(ha);
    // the hashes cover real content, not empty tables
    expect(one<{ n: number }>(a, 'SELECT COUNT(*) AS n FROM "OpportunityHistory"').n).toBeGreaterThan(
      sa.counts.Opportunity,
    );
    a.close();
    b.close();
  }, 60_000);

  it('gives different data for another seed, and another asOf moves every date', async () => {
    const a = emptyOrg();
    const b = emptyOrg();
    await generateDemoOrg(a, { size: 4, seed: 'one', asOf: AS_OF });
    await generateDemoOrg(b, { size: 4, seed: 'two', asOf: AS_OF });
    expect(tableHashes(b).Opportunity).not.toEqual(tableHashes(a).Opportunity);
    const c = emptyOrg();
    await generateDemoOrg(c, { size: 4, seed: 'one', asOf: AS_OF + 91 * 86_400_000 });
    const maxClose = (org: typeof a): string =>
      one<{ d: string }>(org, 'SELECT MAX("CloseDate") AS d FROM "Opportunity"').d;
    expect(maxClose(c) > maxClose(a)).toBe(true);
    for (const org of [a, b, c]) org.close();
  }, 60_000);

  it('uses the org clock when no asOf is given, and refuses to seed twice', async () => {
    const org = emptyOrg();
    const summary = await generateDemoOrg(org, { size: 3 });
    expect(summary.asOf).toBe(new Date(AS_OF).toISOString());
    expect(summary.seed).toBe('salesops-demo');
    expect(isSeeded(org)).toEqual(summary);
    await expect(generateDemoOrg(org, { size: 3 })).rejects.toThrow(/already has demo data/);
    org.close();
  }, 60_000);
});
