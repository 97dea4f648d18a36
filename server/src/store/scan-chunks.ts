import type Database from 'better-sqlite3';

/** Records per chunk of a whole-object read: a few MB of JSON text on an ordinary org. */
export const SCAN_CHUNK = 2_000;

/** Upper bound of the memory map of a whole-object read (SQLite caps it at its own compile-time limit). */
export const SCAN_MMAP_BYTES = 4 * 1024 ** 3;

/** A chunk of one object's records, in id order: `deleted` has a '1' or '0' per record, `raws` is a JSON array. */
export interface ScanChunk {
  ids: string[];
  deleted: string;
  raws: string;
}

/**
 * An object's records after a given id (null: from the start), a chunk at a time in id order, until
 * a short chunk ends them; no empty chunk is yielded. Used on the main thread and by the scan
 * worker alike, each inside its own read transaction.
 */
export function* scanChunks(
  db: Database.Database,
  object: string,
  includeDeleted: boolean,
  after: string | null,
): Generator<ScanChunk, void, void> {
  const read = chunkReader(db, object, includeDeleted);
  for (;;) {
    const chunk = read(after);
    if (chunk.ids.length > 0) yield chunk;
    if (chunk.ids.length < SCAN_CHUNK) return;
    after = chunk.ids[chunk.ids.length - 1]!;
  }
}

/**
 * Reads an object's records a chunk at a time after a given id, each chunk as one JSON array text
 * built by SQLite: one row and one JSON.parse per chunk instead of per record (the per-row cost is
 * most of the read on a medium org). The aggregates take the rows in the subquery's id order;
 * SQLite does not promise that, so each chunk's ids are checked, and a chunk that came out of order
 * is read again with the aggregates sorting their own input (correct always, but it copies every
 * raw text into a sorter: slower).
 */
function chunkReader(
  db: Database.Database,
  object: string,
  includeDeleted: boolean,
): (after: string | null) => ScanChunk {
  const live = includeDeleted ? '' : ' AND deleted = 0';
  const sql = (after: string, sorted: boolean): string => {
    const by = sorted ? ' ORDER BY id' : '';
    return `SELECT json_group_array(id${by}) AS ids, group_concat(deleted, ''${by}) AS deleted,
       '[' || group_concat(raw, ','${by}) || ']' AS raws
     FROM (SELECT id, deleted, raw FROM synced_record WHERE object = ?${after}${live} ORDER BY id LIMIT ?)`;
  };
  const first = db.prepare(sql('', false));
  const next = db.prepare(sql(' AND id > ?', false));
  const firstSorted = db.prepare(sql('', true));
  const nextSorted = db.prepare(sql(' AND id > ?', true));
  type Row = { ids: string; deleted: string | null; raws: string | null };
  return (after) => {
    let row = (after === null ? first.get(object, SCAN_CHUNK) : next.get(object, after, SCAN_CHUNK)) as Row;
    let ids = JSON.parse(row.ids) as string[];
    if (!ascending(ids)) {
      row = (
        after === null ? firstSorted.get(object, SCAN_CHUNK) : nextSorted.get(object, after, SCAN_CHUNK)
      ) as Row;
      ids = JSON.parse(row.ids) as string[];
    }
    return { ids, deleted: row.deleted ?? '', raws: row.raws ?? '[]' };
  };
}

/** Strictly ascending, as SQLite compares text (BINARY: code units, as JS compares ASCII ids). */
function ascending(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i += 1) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
}
