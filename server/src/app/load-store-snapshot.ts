import { parseSnapshot, type Snapshot, type SnapshotInput } from '../domain';
import { AppError } from '../shared/errors';
import type { SyncStore } from '../store';

/** A snapshot built from synced records, before validation, with what the mapping left out and why. */
export interface MappedSnapshot {
  snapshot: SnapshotInput;
  /** Records the mapping skipped on purpose (e.g. territory quotas before territories are synced). */
  notes: string[];
}

/** The CRM adapter's side of the read model: synced records → the snapshot's plain types. */
export type StoreSnapshotReader = (store: SyncStore) => Promise<MappedSnapshot>;

const MAX_PROBLEMS = 50;

export interface StoreSnapshot {
  snapshot: Snapshot;
  notes: string[];
}

/**
 * Builds the snapshot every engine reads from what `salesops sync` stored. The result goes through
 * the same validation as an exported file, so a mapping bug (or a store caught mid-sync) surfaces as
 * errors with JSON paths rather than as a plausible wrong number.
 */
export async function loadStoreSnapshot(store: SyncStore, read: StoreSnapshotReader): Promise<StoreSnapshot> {
  // Every org has users, so a store without any has never completed a sync of even the first object.
  if ((await store.lastRun()) === null || (await store.count('User')) === 0) {
    throw new AppError(
      'INPUT_INVALID',
      'The store has no synced data yet: run salesops sync first (or pass --input snapshot.json).',
      {
        reason: 'store-empty',
      },
    );
  }
  const mapped = await read(store);
  const parsed = parseSnapshot(mapped.snapshot);
  if (!parsed.ok) {
    // One broken mapping rule fails every record; the first few paths say enough.
    const problems = parsed.errors.slice(0, MAX_PROBLEMS).map((e) => `${e.path}: ${e.message}`);
    const more = parsed.errors.length - problems.length;
    if (more > 0) problems.push(`… and ${more} more`);
    throw new AppError(
      'INPUT_INVALID',
      `The synced records do not form a valid snapshot (re-run salesops sync; if it persists, it is a mapping bug):\n  - ${problems.join('\n  - ')}`,
      { source: 'store', problems, total: parsed.errors.length },
    );
  }
  return { snapshot: parsed.snapshot, notes: mapped.notes };
}
