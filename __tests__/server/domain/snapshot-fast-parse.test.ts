import fc from 'fast-check';
import { parseSnapshot } from '../../../server/src/domain/snapshot';
import { fastParseSnapshot } from '../../../server/src/domain/snapshot/fast-parse';
import { SnapshotSchema } from '../../../server/src/domain/snapshot/schema';

/** Field values that zod accepts for some fields and rejects for others, edge cases included. */
const value = fc.constantFrom<unknown>(
  undefined,
  null,
  '',
  'x',
  ' 12.5',
  '12.50',
  '-0.5',
  '.5',
  '1e3',
  12.5,
  0,
  -0,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  3,
  2 ** 60,
  true,
  false,
  '2026-02-29',
  '2028-02-29',
  '2026-05-04',
  '2026-05-04T09:15:00.000Z',
  '2026-05-04 09:15',
  'USD',
  'usd',
  'revenue',
  'overlay',
  {},
  { arr: '1' },
  [],
  [{}],
);

const OPP_FIELDS = [
  'id',
  'name',
  'accountId',
  'ownerId',
  'stageName',
  'amount',
  'currency',
  'closeDate',
  'createdDate',
  'isClosed',
  'isWon',
  'probability',
  'quantity',
  'territoryId',
  'excludedFromTerritoryFilter',
  'type',
  'lastActivityDate',
  'dates',
  'amounts',
];
const HISTORY_FIELDS = [
  'opportunityId',
  'changedAt',
  'stageName',
  'amount',
  'closeDate',
  'probability',
  'ownerId',
];
const ACCOUNT_FIELDS = [
  'id',
  'name',
  'ownerId',
  'segment',
  'territoryId',
  'parentId',
  'type',
  'industry',
  'billingCountry',
  'billingState',
  'billingPostalCode',
  'billingCity',
  'annualRevenue',
  'numberOfEmployees',
  'attributes',
];

const validOpp = {
  id: 'O1',
  ownerId: 'U1',
  stageName: 'Prospecting',
  amount: '100',
  currency: 'USD',
  closeDate: '2026-05-04',
  createdDate: '2026-01-02T10:00:00.000Z',
  isClosed: false,
  isWon: false,
  lineItems: [{ id: 'L1', totalPrice: '100' }],
  splits: [{ userId: 'U1', splitType: 'revenue', percent: '100' }],
};
const validHistory = {
  opportunityId: 'O1',
  changedAt: '2026-01-02',
  stageName: 'Prospecting',
  closeDate: '2026-05-04',
};
const validAccount = { id: 'A1', name: 'Acme' };

/** A valid element with some fields replaced by arbitrary values (or removed), plus an unknown key. */
const mutated = (base: Record<string, unknown>, fields: string[]) =>
  fc
    .record({
      picks: fc.array(fc.tuple(fc.constantFrom(...fields), value), { maxLength: 3 }),
      extra: fc.boolean(),
    })
    .map(({ picks, extra }) => {
      const out: Record<string, unknown> = { ...base };
      for (const [k, v] of picks) out[k] = v;
      if (extra) out.unknownField = 1;
      return out;
    });

const snapshot = fc.record({
  opportunities: fc.array(mutated(validOpp, [...OPP_FIELDS, 'lineItems', 'splits']), {
    minLength: 1,
    maxLength: 3,
  }),
  history: fc.array(mutated(validHistory, HISTORY_FIELDS), { maxLength: 3 }),
  accounts: fc.array(mutated(validAccount, ACCOUNT_FIELDS), { maxLength: 3 }),
});

describe('fast snapshot parse', () => {
  it('When any snapshot is parsed, then the fast path either declines or returns exactly what zod returns', () => {
    let accepted = 0;
    let declined = 0;
    fc.assert(
      fc.property(snapshot, (s) => {
        const json = { version: 1, corporateCurrency: 'USD', users: [{ id: 'U1', name: 'Ann' }], ...s };
        const fast = fastParseSnapshot(json);
        const zod = SnapshotSchema.safeParse(json);
        if (fast === null) {
          declined += 1;
          return;
        }
        accepted += 1;
        expect(zod.success).toBe(true);
        // Same values, same defaults, same key order.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
        expect(fast).toEqual(zod.data);
      }),
      // A fixed seed, because how many generated snapshots land on each side varies with the seed (one
      // random run of 600 accepted only 19 of them), and the coverage check below must not flake.
      { numRuns: 1500, seed: 20261127 },
    );
    // The generator exercises both sides of the subset.
    expect(accepted).toBeGreaterThan(20);
    expect(declined).toBeGreaterThan(20);
  });

  it('When custom-field records are filled, then the element goes through zod and keeps them', () => {
    const json = {
      version: 1,
      corporateCurrency: 'USD',
      users: [{ id: 'U1', name: 'Ann' }],
      opportunities: [{ ...validOpp, dates: { bookingDate: '2026-05-02' }, amounts: { arr: 12000 } }],
    };
    const parsed = parseSnapshot(json);
    expect(parsed.ok && parsed.snapshot.opportunities[0]!.amounts).toEqual({ arr: '12000' });
    expect(parsed.ok && parsed.snapshot.opportunities[0]!.dates).toEqual({ bookingDate: '2026-05-02' });
  });

  it('When one of many history rows is invalid, then every problem is still reported with its JSON path', () => {
    const json = {
      version: 1,
      corporateCurrency: 'USD',
      users: [{ id: 'U1', name: 'Ann' }],
      opportunities: [validOpp, { ...validOpp, id: 'O2', closeDate: '2026-13-01' }],
      history: [validHistory, { ...validHistory, stageName: '' }, validHistory],
    };
    const parsed = parseSnapshot(json);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((e) => e.path)).toEqual([
      '$.opportunities[1].closeDate',
      '$.history[1].stageName',
    ]);
  });
});
