import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { MIGRATIONS, SqliteSyncStore, type SyncedRecord } from '../../server/src/store';
import { migrate } from '../../server/src/store/sqlite-sync-store';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'store-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rec = (id: string, modstamp: number, extra: Partial<SyncedRecord> = {}): SyncedRecord => ({
  object: 'Opportunity',
  id,
  modstamp,
  deleted: false,
  ownerId: null,
  parentId: null,
  accountId: null,
  name: `n-${modstamp}`,
  amount: '1500.25',
  closeDate: '2026-03-31',
  stage: 'Prospecting',
  category: 'Pipeline',
  isClosed: false,
  isWon: false,
  currency: 'USD',
  raw: JSON.stringify({ Id: id, m: modstamp }),
  ...extra,
});

describe('SqliteSyncStore', () => {
  it('When opened, then every migration is applied once and reopening changes nothing', async () => {
    const file = path.join(tmp, 'a.sqlite');
    await new SqliteSyncStore(file).close();
    const store = new SqliteSyncStore(file);
    expect(await store.schemaVersion()).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    await store.close();
    const db = new Database(file);
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    db.close();
  });

  it('When a store made before migration 3 is opened, then the unused record indexes are gone and the records kept', async () => {
    const file = path.join(tmp, 'v2.sqlite');
    const old = new Database(file);
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    old
      .prepare(
        "INSERT INTO synced_record (object, id, modstamp, owner_id, raw) VALUES ('Account', '001A', 1, '005A', '{}')",
      )
      .run();
    const indexes = (db: Database.Database) =>
      (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'synced_record' AND sql IS NOT NULL",
          )
          .pluck()
          .all() as string[]
      ).sort();
    expect(indexes(old)).toEqual(['synced_record_account', 'synced_record_owner', 'synced_record_parent']);
    old.close();
    const store = new SqliteSyncStore(file);
    expect(await store.schemaVersion()).toBe(3);
    expect(await store.record('Account', '001A')).toMatchObject({ ownerId: '005A', modstamp: 1 });
    await store.close();
    const db = new Database(file);
    expect(indexes(db)).toEqual([]);
    db.close();
  });

  it('When the database is newer than the build, then opening fails with STORE_TOO_NEW', async () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
    expect(() => migrate(db, MIGRATIONS)).toThrow(/schema version 999, newer than this build knows/);
  });

  it('When a page is applied, then records and checkpoint land together and an older copy never overwrites a newer one', async () => {
    const store = new SqliteSyncStore(':memory:');
    await store.applyPage('Opportunity', [rec('006A', 2000), rec('006B', 1000)], (c) => ({
      ...c,
      resumeKey: { modstamp: 2000, id: '006A' },
      updatedAt: 5,
    }));
    await store.applyPage(
      'Opportunity',
      [rec('006A', 1500, { name: 'stale' }), rec('006B', 3000, { deleted: true, name: 'gone' })],
      (c) => c,
    );
    expect(await store.record('Opportunity', '006A')).toMatchObject({
      modstamp: 2000,
      name: 'n-2000',
      amount: '1500.25',
      closeDate: '2026-03-31',
      isClosed: false,
    });
    expect(await store.record('Opportunity', '006B')).toMatchObject({
      modstamp: 3000,
      deleted: true,
      name: 'gone',
    });
    expect(await store.cursor('Opportunity')).toMatchObject({
      resumeKey: { modstamp: 2000, id: '006A' },
      bookmark: null,
      updatedAt: 5,
    });
    expect(await store.count('Opportunity')).toBe(1);
    expect(await store.count('Opportunity', { includeDeleted: true })).toBe(2);
    expect(await store.liveIds('Opportunity')).toEqual(['006A']);
    expect(await store.ids('Opportunity')).toEqual(['006A', '006B']);
  });

  it('When the checkpoint function throws, then none of the page is stored', async () => {
    const store = new SqliteSyncStore(':memory:');
    await expect(
      store.applyPage('Opportunity', [rec('006A', 1)], () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.count('Opportunity', { includeDeleted: true })).toBe(0);
    expect(await store.cursor('Opportunity')).toBeNull();
  });

  it('When ids are purged or an object reset, then exactly those rows go', async () => {
    const store = new SqliteSyncStore(':memory:');
    await store.applyPage('Opportunity', [rec('006A', 1), rec('006B', 1), rec('006C', 1)], (c) => c);
    expect(await store.purge('Opportunity', ['006B', '006Z'])).toBe(1);
    expect(await store.ids('Opportunity')).toEqual(['006A', '006C']);
    await store.resetObject('Opportunity');
    expect(await store.ids('Opportunity')).toEqual([]);
    expect(await store.cursor('Opportunity')).toBeNull();
  });

  it('When runs, meta and result hashes are saved, then they read back as written', async () => {
    const store = new SqliteSyncStore(':memory:');
    const id = await store.startRun({ startedAt: 100, full: true });
    expect(await store.run(id)).toMatchObject({ id, status: 'running', full: true, finishedAt: null });
    await store.finishRun({
      id,
      finishedAt: 200,
      status: 'paused',
      full: true,
      apiCalls: 7,
      note: 'budget',
      errors: [{ code: 'X', message: 'y' }],
      objects: {
        Account: {
          read: 3,
          deleted: 1,
          purged: 0,
          apiCalls: 2,
          minimumApiCalls: 1,
          mode: 'rest',
          seconds: 0.1,
        },
      },
    });
    expect(await store.lastRun()).toMatchObject({
      id,
      status: 'paused',
      apiCalls: 7,
      note: 'budget',
      objects: { Account: { read: 3 } },
    });
    await store.setMeta('k', '{"a":1}', 9);
    expect(await store.meta('k')).toEqual({ value: '{"a":1}', updatedAt: 9 });
    await store.saveResultHashes([
      { externalKey: 'fc:1', object: 'Forecast_Snapshot__c', hash: 'abc', writtenAt: 1 },
    ]);
    await store.saveResultHashes([
      { externalKey: 'fc:1', object: 'Forecast_Snapshot__c', hash: 'def', writtenAt: 2 },
    ]);
    expect(await store.resultHash('fc:1')).toEqual({
      externalKey: 'fc:1',
      object: 'Forecast_Snapshot__c',
      hash: 'def',
      writtenAt: 2,
    });
    expect(await store.resultHash('nope')).toBeNull();
  });
});
