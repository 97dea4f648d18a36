import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import { SCAN_MMAP_BYTES, scanChunks } from './scan-chunks';
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
    conn.pragma(`mmap_size = ${SCAN_MMAP_BYTES}`);
    conn.exec('BEGIN');
    try {
      const chunks = scanChunks(conn, m.object, m.includeDeleted, null);
      for (;;) {
        // The next chunk is read only once the main thread has room for it.
        while (credit === 0 && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        if (cancelled) return;
        const next = chunks.next();
        if (next.done) break;
        credit -= 1;
        reply({ seq: m.seq, chunk: next.value });
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
