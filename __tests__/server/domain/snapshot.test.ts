import { readFileSync } from 'node:fs';
import path from 'node:path';
import { computeForecast } from '../../../server/src/domain/forecast';
import { parseSnapshot } from '../../../server/src/domain/snapshot';
import { defaultConfig } from './helpers/fixtures';

const valid = () => ({
  version: 1,
  corporateCurrency: 'USD',
  currencies: [{ code: 'EUR', decimalPlaces: 2, staticRate: 0.9 }],
  roles: [{ id: 'R1', name: 'Sales' }],
  users: [{ id: 'u1', name: 'Uma', roleId: 'R1' }],
  opportunities: [
    {
      id: 'o1',
      ownerId: 'u1',
      stageName: 'Prospecting',
      amount: 1234.5,
      currency: 'EUR',
      closeDate: '2026-05-01',
      createdDate: '2026-01-02T10:00:00.000Z',
      isClosed: false,
      isWon: false,
    },
  ],
});

describe('parseSnapshot', () => {
  it('When the JSON form is valid, then defaults are applied and numbers become exact decimal strings', () => {
    const r = parseSnapshot(valid());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const o = r.snapshot.opportunities[0]!;
    expect(o.amount).toBe('1234.5');
    expect(o.createdDate).toBe('2026-01-02');
    expect(o.lineItems).toEqual([]);
    expect(r.snapshot.currencies[0]!.staticRate).toBe('0.9');
    expect(r.snapshot.history).toEqual([]);
  });

  it('When fields are malformed, then every error is reported with its JSON path', () => {
    const bad = valid() as Record<string, unknown>;
    const opp = (bad.opportunities as Record<string, unknown>[])[0]!;
    opp.closeDate = '2026-02-30';
    opp.amount = 'lots';
    (bad.users as Record<string, unknown>[])[0]!.name = 7;
    const r = parseSnapshot(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual([
      '$.opportunities[0].amount',
      '$.opportunities[0].closeDate',
      '$.users[0].name',
    ]);
  });

  it('When references are broken, then each is reported with its path', () => {
    const bad = valid();
    bad.opportunities.push({ ...bad.opportunities[0]!, id: 'o1', ownerId: 'ghost', currency: 'CHF' });
    const withSplits = {
      ...bad,
      roles: [
        { id: 'R1', name: 'Sales', parentRoleId: 'R2' },
        { id: 'R2', name: 'Loop', parentRoleId: 'R1' },
      ],
      history: [
        { opportunityId: 'nope', changedAt: '2026-01-01', stageName: 'Prospecting', closeDate: '2026-05-01' },
      ],
      quotas: [
        {
          ownerType: 'user',
          ownerId: 'u9',
          periodType: 'quarter',
          periodStart: '2026-04-01',
          amount: '10',
          currency: 'USD',
        },
      ],
    };
    withSplits.opportunities[0] = {
      ...withSplits.opportunities[0]!,
      isWon: true,
      splits: [
        { userId: 'u1', splitType: 'revenue', percent: 60 },
        { userId: 'u1', splitType: 'revenue', percent: 30 },
      ],
    } as (typeof withSplits.opportunities)[0];
    const r = parseSnapshot(withSplits);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { path: '$.opportunities[1].id', message: 'duplicate id o1' },
        { path: '$.opportunities[1].ownerId', message: 'unknown user ghost' },
        { path: '$.opportunities[1].currency', message: 'currency CHF is not listed in $.currencies' },
        { path: '$.opportunities[0].isWon', message: 'a won opportunity must be closed' },
        { path: '$.opportunities[0].splits', message: 'revenue splits must total 100%, got 90%' },
        { path: '$.history[0].opportunityId', message: 'unknown opportunity nope' },
        { path: '$.quotas[0].ownerId', message: 'unknown user u9' },
        { path: '$.roles[0].parentRoleId', message: 'hierarchy cycle through R1' },
      ]),
    );
  });

  it('When the input is not an object, then the root path is reported', () => {
    const r = parseSnapshot(42);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.path).toBe('$');
  });
});

describe('the documented example', () => {
  it('When the README example is parsed and forecast, then it gives the numbers the README states', () => {
    const md = readFileSync(path.resolve(__dirname, '../../../server/src/domain/snapshot/README.md'), 'utf8');
    const r = parseSnapshot(JSON.parse(md.split('```json')[1]!.split('```')[0]!));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const f = computeForecast(r.snapshot, defaultConfig(), '2026-05-15');
    const row = f.rows.find(
      (x) =>
        x.forecastType === 'opportunity_revenue' &&
        x.ownerId === '0052' &&
        x.category === 'commit' &&
        x.periodKey === 'FY2027-Q2',
    )!;
    expect([row.periodStart, row.periodEnd, row.amountAdjusted]).toEqual([
      '2026-05-01',
      '2026-07-31',
      '13333.33',
    ]);
  });
});
