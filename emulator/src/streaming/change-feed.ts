import type { Org } from '../org';

/** A committed write the Streaming API may announce. */
export interface RecordChange {
  object: string;
  id: string;
  kind: 'created' | 'updated';
  /** Fields whose value the write changed (updates only). */
  changedFields: string[];
}

type Listener = (changes: RecordChange[]) => void;

interface Feed {
  pending: RecordChange[];
  listeners: Set<Listener>;
  scheduled: boolean;
  /** Lower-cased objects some listener cares about; null: all of them. */
  wanted: Set<string> | null;
}

const feeds = new WeakMap<Org, Feed>();

/**
 * The DML layer notes each written row here; listeners (the PushTopic evaluator) get them once the
 * synchronous DML call has returned, so they see only committed rows. An org with no listener
 * keeps nothing, so the write path pays one map lookup per row.
 */
export function noteRecordChange(org: Org, change: RecordChange): void {
  const feed = feeds.get(org);
  if (!feed || feed.listeners.size === 0) return;
  if (feed.wanted && !feed.wanted.has(change.object.toLowerCase())) return;
  feed.pending.push(change);
  if (feed.scheduled) return;
  feed.scheduled = true;
  setImmediate(() => flush(feed));
}

/** Where the pending list stands now; `discardChangesSince` drops what a rolled-back call noted. */
export function changeMark(org: Org): number {
  return feeds.get(org)?.pending.length ?? 0;
}

export function discardChangesSince(org: Org, mark: number): void {
  const feed = feeds.get(org);
  if (feed && feed.pending.length > mark) feed.pending.length = mark;
}

/**
 * Narrows what is noted to these objects (lower-cased), so bulk loads of objects nobody streams
 * cost one set lookup per row; null notes everything.
 */
export function setWantedObjects(org: Org, objects: Set<string> | null): void {
  const feed = feeds.get(org);
  if (feed) feed.wanted = objects;
}

/** Subscribes to committed writes; returns the unsubscribe function. */
export function onRecordChanges(org: Org, listener: Listener): () => void {
  let feed = feeds.get(org);
  if (!feed) {
    feed = { pending: [], listeners: new Set(), scheduled: false, wanted: null };
    feeds.set(org, feed);
  }
  const f = feed;
  f.listeners.add(listener);
  return () => f.listeners.delete(listener);
}

function flush(feed: Feed): void {
  feed.scheduled = false;
  const changes = feed.pending.splice(0);
  if (changes.length === 0) return;
  for (const l of feed.listeners) l(changes);
}
