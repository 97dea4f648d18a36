import fc from 'fast-check';
import {
  balanceTerritories,
  computeModel,
  type BalanceAccount,
  type BalanceTerritory,
} from '../../../server/src/domain/territory';
import { territoryWhatIf } from '../../../server/src/app/territory-what-if';
import { account, engineConfig, opp, snapshot, TYPES } from './helpers';

/** The fewest moves that put every load within bounds, by trying every assignment; null if none does. */
function bruteForceMinimum(territories: BalanceTerritory[], accounts: BalanceAccount[]): number | null {
  const keys = territories.map((t) => t.key);
  const movable = accounts.filter((a) => a.movable);
  let best: number | null = null;
  const load = new Map(keys.map((k) => [k, 0]));
  for (const a of accounts) load.set(a.territory, load.get(a.territory)! + a.weight);
  const walk = (i: number, moved: number): void => {
    if (best !== null && moved >= best) return;
    if (i === movable.length) {
      if (territories.every((t) => load.get(t.key)! >= t.min && load.get(t.key)! <= t.max)) best = moved;
      return;
    }
    const a = movable[i]!;
    for (const k of [a.territory, ...keys.filter((x) => x !== a.territory)]) {
      load.set(a.territory, load.get(a.territory)! - a.weight);
      load.set(k, load.get(k)! + a.weight);
      walk(i + 1, moved + (k === a.territory ? 0 : 1));
      load.set(k, load.get(k)! - a.weight);
      load.set(a.territory, load.get(a.territory)! + a.weight);
    }
  };
  walk(0, 0);
  return best;
}

const instance = fc
  .integer({ min: 2, max: 4 })
  .chain((n) =>
    fc.record({
      territories: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc
            .tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }))
            .map(([a, b]): BalanceTerritory => ({
              key: `T${i}`,
              group: 'g',
              min: Math.min(a, b),
              max: Math.max(a, b),
            })),
        ),
      ),
      accounts: fc.array(
        fc.record({
          t: fc.integer({ min: 0, max: n - 1 }),
          weight: fc.integer({ min: 1, max: 5 }),
          movable: fc.boolean(),
        }),
        { minLength: 1, maxLength: 7 },
      ),
    }),
  )
  .map(({ territories, accounts }) => ({
    territories,
    accounts: accounts.map((a, i): BalanceAccount => ({
      id: `A${i}`,
      territory: `T${a.t}`,
      weight: a.weight,
      movable: a.movable,
    })),
  }));

describe('balancing', () => {
  it('moves the fewest accounts possible on small cases (checked by brute force), within bounds', () => {
    fc.assert(
      fc.property(instance, ({ territories, accounts }) => {
        const minimum = bruteForceMinimum(territories, accounts);
        const r = balanceTerritories(territories, accounts);
        if (minimum === null) {
          expect(r.balanced).toBe(false);
          return;
        }
        expect(r.balanced).toBe(true);
        expect(r.moves).toHaveLength(minimum);
        for (const t of territories) {
          expect(r.loadsAfter[t.key]).toBeGreaterThanOrEqual(t.min);
          expect(r.loadsAfter[t.key]).toBeLessThanOrEqual(t.max);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('never loses, duplicates or moves a pinned account, keeps moves inside groups, and is reproducible', () => {
    const big = fc
      .record({
        groups: fc.integer({ min: 1, max: 5 }),
        perGroup: fc.integer({ min: 2, max: 12 }),
        accounts: fc.array(
          fc.record({ t: fc.nat(), weight: fc.integer({ min: 0, max: 50 }), movable: fc.boolean() }),
          {
            minLength: 10,
            maxLength: 400,
          },
        ),
        tolerance: fc.integer({ min: 0, max: 40 }),
      })
      .map(({ groups, perGroup, accounts, tolerance }) => {
        const n = groups * perGroup;
        const as = accounts.map((a, i) => ({
          id: `A${i}`,
          territory: `T${a.t % n}`,
          weight: a.weight,
          movable: a.movable,
        }));
        const load = new Map<string, number>();
        for (const a of as) load.set(a.territory, (load.get(a.territory) ?? 0) + a.weight);
        const mean = as.reduce((s, a) => s + a.weight, 0) / n;
        const territories = Array.from({ length: n }, (_, i) => ({
          key: `T${i}`,
          group: `G${i % groups}`,
          min: Math.floor(mean * (1 - tolerance / 100)),
          max: Math.ceil(mean * (1 + tolerance / 100)),
        }));
        return { territories, accounts: as };
      });
    fc.assert(
      fc.property(big, ({ territories, accounts }) => {
        const r = balanceTerritories(territories, accounts, { nodeBudget: 2_000 });
        const again = balanceTerritories(territories, accounts, { nodeBudget: 2_000 });
        expect(again).toEqual(r);
        const byId = new Map(accounts.map((a) => [a.id, a]));
        const groupOf = new Map(territories.map((t) => [t.key, t.group]));
        expect(new Set(r.moves.map((m) => m.accountId)).size).toBe(r.moves.length);
        for (const m of r.moves) {
          const a = byId.get(m.accountId)!;
          expect(a.movable).toBe(true);
          expect(m.from).toBe(a.territory);
          expect(groupOf.get(m.to)).toBe(groupOf.get(m.from));
        }
        const total = (loads: Record<string, number>) => Object.values(loads).reduce((s, v) => s + v, 0);
        expect(total(r.loadsAfter)).toBe(total(r.loadsBefore));
        expect([...r.outOfBounds].sort()).toEqual(
          territories
            .filter((t) => r.loadsAfter[t.key]! < t.min || r.loadsAfter[t.key]! > t.max)
            .map((t) => t.key)
            .sort(),
        );
        expect(r.balanced).toBe(r.outOfBounds.length === 0);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('greedy on a large model fixes what one move can fix', () => {
    // 100 territories of 10 accounts, one with 30: excess 20 over max 12 → 18 moves to fill the
    // others' room without pushing any past its max.
    const territories = Array.from({ length: 100 }, (_, i) => ({
      key: `T${String(i).padStart(3, '0')}`,
      group: 'g',
      min: 8,
      max: 12,
    }));
    const accounts: BalanceAccount[] = [];
    territories.forEach((t, i) => {
      for (let k = 0; k < (i === 0 ? 30 : 10); k++)
        accounts.push({ id: `${t.key}-${k}`, territory: t.key, weight: 1, movable: true });
    });
    const r = balanceTerritories(territories, accounts);
    expect(r.method).toBe('greedy');
    expect(r.balanced).toBe(true);
    expect(r.moves).toHaveLength(18);
    expect(r.loadsAfter.T000).toBe(12);
  });
});

describe('dry run: diff between the active model and a proposed change', () => {
  const US = { field: 'billingCountry', op: 'equals', value: 'United States' } as const;
  const config = engineConfig({
    types: TYPES,
    models: [
      {
        key: 'M',
        name: 'M',
        state: 'Active',
        activatedOn: '2026-01-01',
        territories: [
          { key: 'ROOT', name: 'Root', type: 'Root' },
          {
            key: 'EAST',
            name: 'East',
            type: 'Segment',
            parent: 'ROOT',
            owner: { user: 'U1' },
            rules: [{ items: [US] }],
          },
          {
            key: 'WEST',
            name: 'West',
            type: 'Segment',
            parent: 'ROOT',
            owner: { user: 'U2' },
            rules: [{ items: [{ field: 'billingCountry', op: 'equals', value: 'Canada' }] }],
          },
        ],
      },
    ],
  });
  const snap = snapshot({
    users: [
      { id: 'U1', name: 'Una East' },
      { id: 'U2', name: 'Wes West' },
    ],
    territories: [{ id: 'EAST', name: 'East' }],
    accounts: [
      account('A1', { billingCountry: 'United States' }),
      account('A2', { billingCountry: 'United States' }),
      account('A3', { billingCountry: 'United States' }),
      account('A4', { billingCountry: 'United States' }),
      account('B1', { billingCountry: 'Canada' }),
    ],
    opportunities: [
      opp('A1', { amount: '100.00' }),
      opp('A2', { amount: '200.00' }),
      opp('A3', { amount: '300.00' }),
      opp('B1', { amount: '50.00' }),
    ],
    quotas: [
      {
        ownerType: 'territory',
        ownerId: 'EAST',
        periodType: 'quarter',
        periodStart: '2026-10-01',
        amount: '9200.00',
        currency: 'USD',
      },
    ],
  });

  it('lists moved accounts with the pipeline and pro-rated quota that go with them, per territory and rep', () => {
    const r = territoryWhatIf({
      snapshot: snap,
      config,
      asOf: '2026-11-27',
      moves: [{ id: 'P1', accountId: 'A3', toTerritoryKey: 'WEST', effectiveDate: '2026-11-01' }],
    });
    // A3's share: 9200 / 4 accounts = 2300, × 61 / 92 days = 1525.00
    expect(r.diff.moves).toEqual([
      {
        accountId: 'A3',
        accountName: 'Account A3',
        from: 'EAST',
        to: 'WEST',
        openPipeline: '300.00',
        quotaMoved: '1525.00',
      },
    ]);
    expect(r.diff.territories).toEqual([
      expect.objectContaining({
        territoryKey: 'EAST',
        movedOut: ['A3'],
        movedIn: [],
        accountsBefore: 4,
        accountsAfter: 3,
        pipelineBefore: '600.00',
        pipelineAfter: '300.00',
        pipelineOut: '300.00',
        quotaBefore: '9200.00',
        quotaAfter: '7675.00',
        coverageBefore: '0.07',
        coverageAfter: '0.04',
      }),
      expect.objectContaining({
        territoryKey: 'WEST',
        movedIn: ['A3'],
        accountsBefore: 1,
        accountsAfter: 2,
        pipelineIn: '300.00',
        quotaBefore: '0.00',
        quotaAfter: '1525.00',
        coverageBefore: null,
        coverageAfter: '0.23',
      }),
    ]);
    expect(
      r.diff.reps.map((x) => [x.name, x.pipelineBefore, x.pipelineAfter, x.quotaBefore, x.quotaAfter]),
    ).toEqual([
      ['Una East', '600.00', '300.00', '9200.00', '7675.00'],
      ['Wes West', '50.00', '350.00', '0.00', '1525.00'],
    ]);
  });

  it('balancing proposes the minimal moves and a change request for each', () => {
    const r = territoryWhatIf({
      snapshot: snap,
      config,
      asOf: '2026-11-27',
      balance: { measure: 'accountCount', min: 2, max: 3, group: 'parent', effectiveDate: '2026-12-01' },
    });
    expect(r.balance!.result).toMatchObject({
      method: 'exact',
      balanced: true,
      loadsBefore: { EAST: 4, WEST: 1 },
      loadsAfter: { EAST: 3, WEST: 2 },
    });
    expect(r.proposals).toHaveLength(1);
    const p = r.proposals[0]!;
    expect(p).toMatchObject({
      fromTerritoryKey: 'EAST',
      toTerritoryKey: 'WEST',
      effectiveDate: '2026-12-01',
      source: 'Balancing',
    });
    expect(p.externalKey).toBe(`TCR|M|${p.accountId}|WEST|2026-12-01`);
    // The moved account is the one a second run would pick again.
    expect(
      territoryWhatIf({
        snapshot: snap,
        config,
        asOf: '2026-11-27',
        balance: { measure: 'accountCount', min: 2, max: 3, group: 'parent', effectiveDate: '2026-12-01' },
      }).proposals,
    ).toEqual(r.proposals);
  });

  it('a model compared with itself changes nothing', () => {
    const base = computeModel(snap, config, 'M', '2026-11-27');
    const r = territoryWhatIf({
      snapshot: snap,
      config,
      asOf: '2026-11-27',
      proposedModel: config.territories.models[0]!,
    });
    expect(r.diff.accountsChanged).toBe(0);
    expect(r.diff.territories).toEqual([]);
    expect(base.accounts.filter((d) => d.territoryKey === 'EAST')).toHaveLength(4);
  });
});
