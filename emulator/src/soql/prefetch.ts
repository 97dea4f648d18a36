import type { Org } from '../org';
import { cursorsOf, type OpenCursor } from './cursors';
import { renderRows } from './render-rows';

/** Prefetched pages kept at most, over all cursors: each is one rendered page (~1–2 MB). */
const MAX_PREFETCHED = 8;
const prefetchCaches = new WeakMap<Org, Map<string, string>>();

function prefetchCacheOf(org: Org): Map<string, string> {
  let cache = prefetchCaches.get(org);
  if (!cache) prefetchCaches.set(org, (cache = new Map()));
  return cache;
}

const prefetchKey = (id: string, offset: number, batch: number, apiVersion: string): string =>
  `${id}|${offset}|${batch}|${apiVersion}`;

/** The prefetched records of a page, if that exact page was prepared; each is served once. */
export function takePrefetched(
  org: Org,
  cursorId: string,
  offset: number,
  batch: number,
  apiVersion: string,
): string | undefined {
  const cache = prefetchCacheOf(org);
  const key = prefetchKey(cursorId, offset, batch, apiVersion);
  const records = cache.get(key);
  cache.delete(key);
  return records;
}

/**
 * Renders a cursor's next page right after the current one is sent. Clients page one request at a
 * time (jsforce autoFetch), so the org prepares page n+1 while the client parses page n, and a
 * sync pays for the slower of the two instead of their sum. The page's rows are the cursor's
 * materialised ids either way; only field values can be milliseconds older than an unprefetched read.
 */
export function schedulePrefetch(
  org: Org,
  cursor: OpenCursor,
  offset: number,
  batch: number,
  apiVersion: string,
): void {
  setImmediate(() => {
    try {
      if (!org.db.open) return;
      const cursors = cursorsOf(org);
      if (!cursors.isLive(cursor.id)) return;
      const rows = cursors.readRows(cursor.plan, cursor.firstSeq, offset, batch);
      const cache = prefetchCacheOf(org);
      cache.set(
        prefetchKey(cursor.id, offset, batch, apiVersion),
        renderRows(org, cursor.plan, rows, apiVersion),
      );
      for (const oldest of cache.keys()) {
        if (cache.size <= MAX_PREFETCHED) break;
        cache.delete(oldest);
      }
    } catch {
      // Nothing is lost: the request for this page reads and renders it itself, and reports any error.
    }
  });
}
