import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connect, startTestOrg } from '../helpers/org';
import type { RunningOrg } from '../../emulator/src/server';
import { SqliteSyncStore } from '../../server/src/store';
import { createAccounts, orgRows, syncOnce, testConfig } from './sync-helpers';

jest.setTimeout(60_000);

describe('sync against the embedded org', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
  });
  afterAll(async () => {
    await running.close();
  });

  it('When the store is empty, then a sync mirrors the org object by object; a second run with nothing changed costs one query per object', async () => {
    const conn = connect(running);
    await createAccounts(conn, 450);
    const store = new SqliteSyncStore(':memory:');
    const config = testConfig(['User', 'UserRole', 'Account']);

    const first = await syncOnce(conn, store, config);
    expect(first.status).toBe('succeeded');
    for (const object of ['User', 'UserRole', 'Account']) {
      const org = orgRows(running, object);
      expect(await store.ids(object)).toEqual(org.map((r) => r.Id));
    }
    const acct = await store.record('Account', orgRows(running, 'Account')[0].Id);
    expect(acct).toMatchObject({ object: 'Account', deleted: false, name: 'Acct 0' });
    expect(JSON.parse(acct!.raw)).toMatchObject({ Id: acct!.id, IsDeleted: false, Name: 'Acct 0' });

    const second = await syncOnce(conn, store, config);
    expect(second.status).toBe('succeeded');
    expect(Object.fromEntries(Object.entries(second.objects).map(([k, s]) => [k, s.apiCalls]))).toEqual({
      User: 1,
      UserRole: 1,
      Account: 1,
    });
    expect(second.apiCalls).toBe(3);
  });
});
