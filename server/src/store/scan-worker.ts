import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import { chunkReader, SCAN_CHUNK, SCAN_MMAP_BYTES } from './scan-chunks';
import type { ScanReply, ScanRequest } from './scan-reader';

/**
 * The store's scan worker (a worker thread of the computing process, started by `ScanReader`):
 * runs a whole-object read's SQLite queries on its own read-only connection, a few chunks ahead of
 * the main thread, which parses and maps each chunk meanwhile. One scan at a time, inside one read
 * transaction, so a scan sees one state of the file.
 */
const port = parentPort!;
let db: Database.Database | null = null;
let dbFile = '';
let current = -1;
let credit = 0;
let cancelled = false;
let wake: (() => void) | null = null;

port.on('message', (m: ScanRequest) => {
  if (m.kind === 'scan') void scan(m);
  else if (m.seq === current) {
    if (m.kind === 'more') credit += 1;
    else cancelled = true;
    wake?.();
  }
});

async function scan(m: Extract<ScanRequest, { kind: 'scan' }>): Promise<void> {
  current = m.seq;
  credit = m.ahead;
  cancelled = false;
  const reply = (r: ScanReply): void => port.postMessage(r);
  try {
    if (!db || dbFile !== m.file) {
      db?.close();
      db = new Database(m.file, { readonly: true, fileMustExist: true });
      dbFile = m.file;
    }
    const conn = db;
    const read = chunkReader(conn, m.object, m.includeDeleted);
    conn.pragma(`mmap_size = ${SCAN_MMAP_BYTES}`);
    conn.exec('BEGIN');
    try {
      let after = m.after;
      for (;;) {
        while (credit === 0 && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (cancelled) return;
        const chunk = read(after);
        credit -= 1;
        reply({ seq: m.seq, chunk });
        if (chunk.ids.length < SCAN_CHUNK) break;
        after = chunk.ids[chunk.ids.length - 1]!;
      }
      reply({ seq: m.seq, done: true });
    } finally {
      conn.exec('COMMIT');
      conn.pragma('mmap_size = 0');
    }
  } catch (err) {
    reply({ seq: m.seq, error: (err as Error)?.message ?? String(err) });
  }
}
