import type { SyncedRecord } from '../../server/src/store';

/** A stored record with every typed column empty and `{}` as its raw JSON: tests set what they mean. */
export function syncedRecord(
  over: Pick<SyncedRecord, 'object' | 'id'> & Partial<SyncedRecord>,
): SyncedRecord {
  return {
    modstamp: 1,
    deleted: false,
    ownerId: null,
    parentId: null,
    accountId: null,
    name: null,
    amount: null,
    closeDate: null,
    stage: null,
    category: null,
    isClosed: null,
    isWon: null,
    currency: null,
    raw: '{}',
    ...over,
  };
}
