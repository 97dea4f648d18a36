import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { loadStoreSnapshot } from '../../server/src/app/load-store-snapshot';
import {
  mapSnapshotRecords,
  readSnapshotFromStore,
  SNAPSHOT_OBJECTS,
  type SnapshotRecords,
} from '../../server/src/crm/snapshot-mapping';
import { AppError } from '../../server/src/shared/errors';
import { SqliteSyncStore, type SyncedRecord } from '../../server/src/store';
import { syncedRecord } from './synced-record';

function rec(object: string, id: string, fields: Record<string, unknown>, deleted = false): SyncedRecord {
  return syncedRecord({
    object,
    id,
    deleted,
    parentId: typeof fields.OpportunityId === 'string' ? fields.OpportunityId : null,
    raw: JSON.stringify({ Id: id, IsDeleted: deleted, ...fields }),
  });
}

function records(partial: Partial<SnapshotRecords>): SnapshotRecords {
  return {
    ...(Object.fromEntries(SNAPSHOT_OBJECTS.map((o) => [o, []])) as unknown as SnapshotRecords),
    ...partial,
  };
}

const opp = (id: string, extra: Record<string, unknown> = {}, deleted = false): SyncedRecord =>
  rec(
    'Opportunity',
    id,
    {
      Name: `Deal ${id}`,
      AccountId: null,
      OwnerId: 'U1',
      StageName: 'Prospecting',
      Amount: 1200.5,
      CloseDate: '2026-06-30',
      CreatedDate: '2026-01-05T10:00:00.000Z',
      IsClosed: false,
      IsWon: false,
      Probability: 10,
      CurrencyIsoCode: 'EUR',
      ...extra,
    },
    deleted,
  );

/** A small multi-currency org: a CRO role held by one user, a team role held by two. */
const ORG = {
  CurrencyType: [
    rec('CurrencyType', 'C1', {
      IsoCode: 'USD',
      ConversionRate: 1,
      DecimalPlaces: 2,
      IsActive: true,
      IsCorporate: true,
    }),
    rec('CurrencyType', 'C2', {
      IsoCode: 'EUR',
      ConversionRate: 0.92,
      DecimalPlaces: 2,
      IsActive: true,
      IsCorporate: false,
    }),
  ],
  DatedConversionRate: [
    rec('DatedConversionRate', 'D1', {
      IsoCode: 'EUR',
      ConversionRate: 0.9,
      StartDate: '2026-04-01',
      NextStartDate: '9999-12-31',
    }),
  ],
  UserRole: [
    rec('UserRole', 'R1', { Name: 'CRO', ParentRoleId: null }),
    rec('UserRole', 'R2', { Name: 'AEs', ParentRoleId: 'R1' }),
  ],
  User: [
    rec('User', 'U0', { Name: 'Cleo', UserRoleId: 'R1', IsActive: true, ForecastEnabled: true }),
    rec('User', 'U1', { Name: 'Ari', UserRoleId: 'R2', IsActive: true, ForecastEnabled: true }),
    rec('User', 'U2', { Name: 'Bo', UserRoleId: 'R2', IsActive: false, ForecastEnabled: true }),
    rec('User', 'U3', { Name: 'Cy', UserRoleId: 'R2', IsActive: true, ForecastEnabled: true }),
  ],
};

describe('synced records → snapshot', () => {
  it('When records are mapped, then deals keep their currency and exact amounts, the corporate currency comes from IsCorporate, and a lone role holder manages the role', async () => {
    const { snapshot, notes } = await mapSnapshotRecords(
      records({
        ...ORG,
        Product2: [rec('Product2', 'P1', { Name: 'Seat', Family: 'Software' }, true)],
        Opportunity: [opp('O1', { Amount: 1e21, Probability: 1e-7 })],
        OpportunityLineItem: [
          rec('OpportunityLineItem', 'L1', {
            OpportunityId: 'O1',
            Product2Id: 'P1',
            Quantity: 3,
            TotalPrice: 900.25,
          }),
        ],
      }),
    );
    expect(notes).toEqual([]);
    expect(snapshot.corporateCurrency).toBe('USD');
    expect(snapshot.currencies).toEqual([
      { code: 'USD', decimalPlaces: 2, staticRate: '1' },
      { code: 'EUR', decimalPlaces: 2, staticRate: '0.92' },
    ]);
    expect(snapshot.datedRates).toEqual([{ currency: 'EUR', startDate: '2026-04-01', rate: '0.9' }]);
    expect(snapshot.roles).toEqual([
      { id: 'R1', name: 'CRO', parentRoleId: null, forecastManagerId: 'U0' },
      { id: 'R2', name: 'AEs', parentRoleId: 'R1', forecastManagerId: null },
    ]);
    expect(snapshot.users[2]).toEqual({ id: 'U2', name: 'Bo', roleId: 'R2', isActive: false });
    expect(snapshot.opportunities[0]).toMatchObject({
      id: 'O1',
      amount: '1000000000000000000000',
      probability: '0.0000001',
      currency: 'EUR',
      createdDate: '2026-01-05T10:00:00.000Z',
      // a deleted product still names its line's family
      lineItems: [{ id: 'L1', productFamily: 'Software', quantity: '3', totalPrice: '900.25' }],
    });
  });

  it('When a split type totals 100% on every deal it is revenue, otherwise overlay', async () => {
    const split = (id: string, oppId: string, type: string, owner: string, pct: number) =>
      rec('OpportunitySplit', id, {
        OpportunityId: oppId,
        SplitOwnerId: owner,
        SplitPercentage: pct,
        SplitTypeId: type,
      });
    const { snapshot } = await mapSnapshotRecords(
      records({
        ...ORG,
        Opportunity: [opp('O1'), opp('O2')],
        OpportunitySplit: [
          split('S1', 'O1', 'REV', 'U1', 60),
          split('S2', 'O1', 'REV', 'U3', 40),
          split('S3', 'O2', 'REV', 'U1', 100),
          split('S4', 'O1', 'OVL', 'U3', 100),
          split('S5', 'O2', 'OVL', 'U3', 50),
        ],
      }),
    );
    expect(snapshot.opportunities.map((o) => o.splits)).toEqual([
      [
        { userId: 'U1', splitType: 'revenue', percent: '60' },
        { userId: 'U3', splitType: 'revenue', percent: '40' },
        { userId: 'U3', splitType: 'overlay', percent: '100' },
      ],
      [
        { userId: 'U1', splitType: 'revenue', percent: '100' },
        { userId: 'U3', splitType: 'overlay', percent: '50' },
      ],
    ]);
  });

  it('When fractional shares add up to 100% they are revenue; a type over 100% on one deal is overlay everywhere', async () => {
    const split = (id: string, oppId: string, type: string, owner: string, pct: number) =>
      rec('OpportunitySplit', id, {
        OpportunityId: oppId,
        SplitOwnerId: owner,
        SplitPercentage: pct,
        SplitTypeId: type,
      });
    const { snapshot } = await mapSnapshotRecords(
      records({
        ...ORG,
        Opportunity: [opp('O1'), opp('O2'), opp('O3')],
        OpportunitySplit: [
          // 33.33 + 33.33 + 33.34 = 100.00 in hundredths, whatever the float sum says.
          split('S1', 'O1', 'REV', 'U1', 33.33),
          split('S2', 'O1', 'REV', 'U3', 33.33),
          split('S3', 'O1', 'REV', 'U4', 33.34),
          split('S4', 'O2', 'REV', 'U1', 100),
          // 100% on O2 and O3 alone, but 200% on O1: not a revenue type.
          split('S5', 'O1', 'OVL', 'U1', 100),
          split('S6', 'O1', 'OVL', 'U3', 100),
          split('S7', 'O2', 'OVL', 'U3', 100),
          split('S8', 'O3', 'OVL', 'U4', 100),
        ],
      }),
    );
    expect(
      snapshot.opportunities.map((o) => (o.splits ?? []).map((s) => `${s.userId}:${s.splitType}`)),
    ).toEqual([
      ['U1:revenue', 'U3:revenue', 'U4:revenue', 'U1:overlay', 'U3:overlay'],
      ['U1:revenue', 'U3:overlay'],
      ['U4:overlay'],
    ]);
  });

  it('When children belong to a deal that is not live, and quotas have no user, then they are left out and the notes say so', async () => {
    const { snapshot, notes } = await mapSnapshotRecords(
      records({
        ...ORG,
        Opportunity: [opp('O1')],
        OpportunityLineItem: [rec('OpportunityLineItem', 'L9', { OpportunityId: 'O9', TotalPrice: 5 })],
        OpportunityHistory: [
          rec('OpportunityHistory', 'H1', {
            OpportunityId: 'O1',
            StageName: 'Prospecting',
            Amount: 1000,
            CloseDate: '2026-05-31',
            CreatedDate: '2026-01-05T10:00:00.000Z',
            Probability: 10,
          }),
          rec('OpportunityHistory', 'H9', {
            OpportunityId: 'O9',
            StageName: 'Prospecting',
            Amount: 5,
            CloseDate: '2026-05-31',
            CreatedDate: '2026-01-05T10:00:00.000Z',
          }),
        ],
        Sales_Quota__c: [
          rec('Sales_Quota__c', 'Q1', {
            User__c: 'U1',
            Period_Type__c: 'Quarter',
            Period_Start__c: '2026-05-01',
            Amount__c: 50000,
            CurrencyIsoCode: 'EUR',
            Product_Family__c: null,
          }),
          rec('Sales_Quota__c', 'Q2', {
            User__c: null,
            Territory_Key__c: 'AMER',
            Period_Type__c: 'Quarter',
            Period_Start__c: '2026-05-01',
            Amount__c: 9,
          }),
        ],
      }),
    );
    expect(snapshot.opportunities[0]!.lineItems).toEqual([]);
    expect(snapshot.history).toEqual([
      {
        opportunityId: 'O1',
        changedAt: '2026-01-05T10:00:00.000Z',
        stageName: 'Prospecting',
        amount: '1000',
        closeDate: '2026-05-31',
        probability: '10',
      },
    ]);
    expect(snapshot.quotas).toEqual([
      {
        ownerType: 'user',
        ownerId: 'U1',
        periodType: 'quarter',
        periodStart: '2026-05-01',
        productFamily: null,
        amount: '50000',
        currency: 'EUR',
      },
    ]);
    expect(notes).toEqual([
      '1 Sales_Quota__c rows without User__c left out (territory quotas)',
      '2 line items, splits or history rows left out: their opportunity is not in the store',
    ]);
  });

  it('When the org has one currency, then the given corporate currency applies to every amount', async () => {
    const { snapshot } = await mapSnapshotRecords(
      records({
        User: ORG.User,
        UserRole: ORG.UserRole,
        Opportunity: [opp('O1', { CurrencyIsoCode: undefined })],
      }),
      {
        singleCurrency: 'GBP',
      },
    );
    expect(snapshot.corporateCurrency).toBe('GBP');
    expect(snapshot.opportunities[0]!.currency).toBe('GBP');
  });
});

describe('loading the snapshot from the store', () => {
  const seeded = async (opps: SyncedRecord[]): Promise<SqliteSyncStore> => {
    const store = new SqliteSyncStore(':memory:');
    const runId = await store.startRun({ startedAt: 1, full: true });
    for (const [object, rows] of Object.entries({ ...ORG, Opportunity: opps }))
      await store.applyPage(object, rows, (c) => c);
    await store.finishRun({
      id: runId,
      finishedAt: 2,
      status: 'succeeded',
      full: true,
      apiCalls: 1,
      objects: {},
      errors: [],
      note: null,
    });
    return store;
  };

  it('When the store was never synced, then it asks for salesops sync and reads nothing', async () => {
    const store = new SqliteSyncStore(':memory:');
    const read = jest.fn(readSnapshotFromStore);
    const err = await loadStoreSnapshot(store, read).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INPUT_INVALID');
    expect((err as AppError).message).toMatch(/run salesops sync first/);
    expect(read).not.toHaveBeenCalled();
    await store.close();
  });

  it('When a synced record cannot be mapped, then the error names its JSON path; tombstones never reach the snapshot', async () => {
    const store = await seeded([
      opp('O1', { CloseDate: null }),
      opp('O2', { CloseDate: 'never' }, true),
      opp('O3'),
    ]);
    const err = (await loadStoreSnapshot(store, (s) => readSnapshotFromStore(s)).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.details.problems).toEqual(['$.opportunities[0].closeDate: expected a date as YYYY-MM-DD']);
    await store.close();
  });

  it('When the records are whole, then it returns the validated snapshot with defaults applied', async () => {
    const store = await seeded([opp('O1'), opp('O2', {}, true)]);
    const { snapshot, notes } = await loadStoreSnapshot(store, (s) => readSnapshotFromStore(s));
    expect(notes).toEqual([]);
    expect(snapshot.opportunities.map((o) => [o.id, o.createdDate, o.amount, o.territoryId])).toEqual([
      ['O1', '2026-01-05', '1200.5', null],
    ]);
    expect(snapshot.users.map((u) => u.segment)).toEqual([null, null, null, null]);
    await store.close();
  });
});

describe.each([
  ['with the queries on a worker thread', true],
  ['all on the main thread', false],
])('SqliteSyncStore.scanRecordFields %s', (_label, scanWorker) => {
  const withFileStore = async (fn: (store: SqliteSyncStore) => Promise<void>): Promise<void> => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scan-fields-'));
    const store = new SqliteSyncStore(path.join(dir, 'store.sqlite'), { scanWorker });
    try {
      await fn(store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const scanned = async (
    store: SqliteSyncStore,
    object: string,
    opts?: { includeDeleted?: boolean },
  ): Promise<Array<[string, boolean, unknown]>> => {
    const out: Array<[string, boolean, unknown]> = [];
    await store.scanRecordFields(object, (r) => out.push([r.id, r.deleted, r.fields]), opts);
    return out;
  };

  it('When records were stored out of id order among another object, then it streams them parsed in id order, tombstones only when asked', async () => {
    await withFileStore(async (store) => {
      // Stored (rowid) order O4, O2, A1, O5, O1, O3: an id-order read must not follow it.
      await store.applyPage('Opportunity', [opp('O4'), opp('O2', {}, true)], (c) => c);
      await store.applyPage('Account', [rec('Account', 'A1', { Name: 'Other object' })], (c) => c);
      await store.applyPage(
        'Opportunity',
        [opp('O5'), opp('O1', { Name: 'Quote " and \\ and é' }), opp('O3')],
        (c) => c,
      );

      const live = await scanned(store, 'Opportunity');
      expect(live.map(([id, deleted]) => [id, deleted])).toEqual([
        ['O1', false],
        ['O3', false],
        ['O4', false],
        ['O5', false],
      ]);
      expect(live[0]![2]).toEqual(JSON.parse(opp('O1', { Name: 'Quote " and \\ and é' }).raw));
      expect(
        (await scanned(store, 'Opportunity', { includeDeleted: true })).map(([id, d]) => [id, d]),
      ).toEqual([
        ['O1', false],
        ['O2', true],
        ['O3', false],
        ['O4', false],
        ['O5', false],
      ]);
      expect(await scanned(store, 'Product2')).toEqual([]);
      // Same records, same order, same values as the typed read, parsed one by one.
      const typed = await store.records('Opportunity', { includeDeleted: true });
      expect(await scanned(store, 'Opportunity', { includeDeleted: true })).toEqual(
        typed.map((r) => [r.id, r.deleted, JSON.parse(r.raw)]),
      );
    });
  });

  it('When an object has more records than one read chunk, then each comes once, in id order', async () => {
    await withFileStore(async (store) => {
      // 4,500 ids (over two chunks of 2,000) stored in a scrambled order, one in ten a tombstone.
      const ids = Array.from({ length: 4_500 }, (_, i) => `O${String(i).padStart(5, '0')}`);
      const scrambled = ids.map((_, i) => ids[(i * 7_919) % ids.length]!);
      await store.applyPage(
        'Opportunity',
        scrambled.map((id) => opp(id, {}, Number(id.slice(1)) % 10 === 3)),
        (c) => c,
      );
      const all = await scanned(store, 'Opportunity', { includeDeleted: true });
      expect(all.map(([id]) => id)).toEqual(ids);
      expect(all.filter(([, deleted]) => deleted)).toHaveLength(450);
      const live = await scanned(store, 'Opportunity');
      expect(live.map(([id]) => id)).toEqual(ids.filter((id) => Number(id.slice(1)) % 10 !== 3));
      expect(live.every(([id, , fields]) => (fields as { Id: string }).Id === id)).toBe(true);
    });
  });

  it('When records change after a scan, then the next scan sees the change, and a visitor that throws leaves the store usable', async () => {
    await withFileStore(async (store) => {
      await store.applyPage('Opportunity', [opp('O1'), opp('O2')], (c) => c);
      expect((await scanned(store, 'Opportunity')).map(([id]) => id)).toEqual(['O1', 'O2']);

      const renamed = { ...opp('O2', { Name: 'Renamed' }), modstamp: 2 };
      await store.applyPage('Opportunity', [renamed, { ...opp('O1', {}, true), modstamp: 2 }], (c) => c);
      expect(await scanned(store, 'Opportunity')).toEqual([['O2', false, JSON.parse(renamed.raw)]]);

      const boom = new Error('visitor failed');
      await expect(
        store.scanRecordFields('Opportunity', () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      await store.applyPage('Opportunity', [opp('O3')], (c) => c);
      expect((await scanned(store, 'Opportunity')).map(([id]) => id)).toEqual(['O2', 'O3']);
    });
  });

  it('When a raw text is not one JSON value on its own, then the read fails instead of shifting records', async () => {
    await withFileStore(async (store) => {
      await store.applyPage(
        'Opportunity',
        [opp('O1'), { ...opp('O2'), raw: '{"Id":"O2"},{"Id":"X"}' }, opp('O3')],
        (c) => c,
      );
      const err = (await scanned(store, 'Opportunity').catch((e: unknown) => e)) as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('INTERNAL');
      await store.applyPage('Opportunity', [{ ...opp('O2'), raw: '{"Id":"O2"', modstamp: 2 }], (c) => c);
      await expect(scanned(store, 'Opportunity')).rejects.toThrow(SyntaxError);
    });
  });

  it('When the store reads the snapshot, then it maps the same snapshot as from the records in hand', async () => {
    await withFileStore(async (store) => {
      const rows = [opp('O2'), opp('O1'), opp('O3', {}, true)];
      await store.applyPage('Opportunity', rows, (c) => c);
      const fromStore = await readSnapshotFromStore(store);
      const inHand = await mapSnapshotRecords(records({ Opportunity: [rows[1]!, rows[0]!] }));
      expect(fromStore).toEqual(inHand);
      expect(fromStore.snapshot.opportunities.map((o) => o.id)).toEqual(['O1', 'O2']);
    });
  });
});
