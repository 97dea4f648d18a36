import type { EngineConfig, Snapshot } from '../domain';
import type { SyncStore } from '../store';
import { runEngines, type ComputeFromSnapshotResult, type SnapshotEngine } from './compute-from-snapshot';
import { loadStoreSnapshot, type StoreSnapshotReader } from './load-store-snapshot';

export interface ComputeFromStoreDeps {
  store: SyncStore;
  /** The CRM adapter's mapping of synced records (server/src/crm/snapshot-mapping.ts). */
  readSnapshot: StoreSnapshotReader;
}

export interface ComputeFromStoreInput {
  engines: SnapshotEngine[];
  config: EngineConfig;
  asOf: string;
}

export interface ComputeFromStoreResult extends ComputeFromSnapshotResult {
  /** The validated snapshot the engines ran on (what `--export-snapshot` writes). */
  snapshot: Snapshot;
  /** What the mapping left out on purpose. */
  notes: string[];
}

/** The engines on what `salesops sync` stored: build and validate the snapshot, then run them. */
export async function computeFromStore(
  deps: ComputeFromStoreDeps,
  input: ComputeFromStoreInput,
): Promise<ComputeFromStoreResult> {
  const { snapshot, notes } = await loadStoreSnapshot(deps.store, deps.readSnapshot);
  return { ...runEngines(snapshot, input), snapshot, notes };
}
