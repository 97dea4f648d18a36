export type {
  SyncStore,
  SyncedRecord,
  RawRecord,
  ParsedRecord,
  ObjectCursor,
  CursorKey,
  SyncRun,
  ObjectRunStats,
  RunStatus,
  ResultHash,
} from './sync-store';
export { SqliteSyncStore, emptyCursor } from './sqlite-sync-store';
export { MIGRATIONS } from './migrations';
export type {
  WritebackStore,
  ConfirmedResult,
  DeadLetter,
  CycleRunRecord,
  CycleRunStatus,
} from './writeback-store';
export { SqliteWritebackStore } from './sqlite-writeback-store';
