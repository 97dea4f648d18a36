import { expect } from '@jest/globals';
import type { RunningOrg } from '../../emulator/src/server';
import type { SqliteSyncStore } from '../../server/src/store';
import { orgRows } from './sync-helpers';

// Apart from sync-helpers.ts: that file also serves child processes, which run outside jest.

/** The store holds exactly the org's records: same ids, same stamps, same deleted flags. */
export async function expectMirror(
  running: RunningOrg,
  store: SqliteSyncStore,
  object: string,
): Promise<void> {
  const org = orgRows(running, object).map((r) => ({
    id: r.Id,
    modstamp: r.SystemModstamp,
    deleted: r.IsDeleted === 1,
  }));
  const local = (await store.records(object, { includeDeleted: true })).map((r) => ({
    id: r.id,
    modstamp: r.modstamp,
    deleted: r.deleted,
  }));
  expect(local).toEqual(org);
}
