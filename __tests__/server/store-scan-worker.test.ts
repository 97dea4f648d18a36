import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteSyncStore, type SyncedRecord } from '../../server/src/store';
import { SCAN_CHUNK, scanChunks, type ScanChunk } from '../../server/src/store/scan-chunks';
import { ScanReader } from '../../server/src/store/scan-reader';
import { syncedRecord } from './synced-record';

const N = 30_000;
const ids = Array.from({ length: N }, (_, i) => `A${String(i).padStart(5, '0')}`);

const account = (id: string, deleted: boolean): SyncedRecord =>
  syncedRecord({
    object: 'Account',
    id,
    deleted,
    name: `Account ${id}`,
    raw: JSON.stringify({ Id: id, Name: `Account ${id}`, Note: 'quote " and é' }),
  });

/** The store's whole-object read with its queries on a worker thread (store/scan-reader.ts). */
describe('whole-object reads on the scan worker', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'scan-worker-'));
    file = path.join(dir, 'store.sqlite');
    const store = new SqliteSyncStore(file, { scanWorker: false });
    // Stored in a scrambled order, one in seven a tombstone.
    const scrambled = ids.map((_, i) => ids[(i * 7_919) % N]!);
    await store.applyPage(
      'Account',
      scrambled.map((id) => account(id, Number(id.slice(1)) % 7 === 0)),
      (c) => c,
    );
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('When a file store is read, then the worker hands over the same chunks the main thread would read, in order', async () => {
    const reader = new ScanReader(file);
    const got: ScanChunk[] = [];
    try {
      expect(await reader.scan('Account', true, (c) => got.push(c))).toEqual({ complete: true });
    } finally {
      await reader.close();
    }
    const db = new Database(file, { readonly: true });
    const expected = [...scanChunks(db, 'Account', true, null)];
    db.close();
    expect(got).toEqual(expected);
    expect(got.flatMap((c) => c.ids)).toEqual(ids);
  });

  it('When the worker is lost in the middle of a read, then the store reads the rest itself: every record once, in order', async () => {
    const store = new SqliteSyncStore(file);
    const seen: string[] = [];
    try {
      const reader = (store as unknown as { scanReader: { worker: Worker | null } }).scanReader;
      await store.scanRecordFields('Account', (r) => {
        seen.push(r.id);
        if (seen.length === SCAN_CHUNK) void reader.worker?.terminate();
      });
      const live = ids.filter((id) => Number(id.slice(1)) % 7 !== 0);
      expect(seen).toEqual(live);
      expect(reader.worker).toBeNull();
      // Later reads run on the main thread.
      const again: string[] = [];
      await store.scanRecordFields('Account', (r) => again.push(r.id), { includeDeleted: true });
      expect(again).toEqual(ids);
    } finally {
      await store.close();
    }
  });

  it('When the visitor throws, then the read ends with its error and the next read starts afresh', async () => {
    const store = new SqliteSyncStore(file);
    try {
      const boom = new Error('visitor failed');
      let n = 0;
      await expect(
        store.scanRecordFields('Account', () => {
          if (++n === SCAN_CHUNK + 5) throw boom;
        }),
      ).rejects.toBe(boom);
      const all: string[] = [];
      await store.scanRecordFields('Account', (r) => all.push(r.id), { includeDeleted: true });
      expect(all).toEqual(ids);
    } finally {
      await store.close();
    }
  });
});
