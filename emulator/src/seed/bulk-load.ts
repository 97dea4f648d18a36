import type { Org } from '../org';

/**
 * Secondary indexes are dropped while the big tables fill and rebuilt afterwards: building an
 * index once from sorted data is several times faster than keeping it current through millions of
 * scattered inserts (SystemModstamp, Name and AccountId arrive in no useful order). If the process
 * dies half way, the next open of the org file recreates the schema's indexes (ensureObjectTables).
 */
export function suspendIndexes(org: Org, tables: string[]): () => void {
  const placeholders = tables.map(() => '?').join(', ');
  const indexes = org.db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders}) ORDER BY name`,
    )
    .all(...tables) as Array<{ name: string; sql: string }>;
  org.db.transaction(() => {
    for (const ix of indexes) org.db.exec(`DROP INDEX IF EXISTS "${ix.name.replace(/"/g, '""')}"`);
  })();
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    // Sorting millions of keys with temp_store = MEMORY would hold every sort run in RAM at once;
    // on disk SQLite merges them in bounded memory. The org's own setting is put back afterwards.
    const tempStore = org.db.pragma('temp_store', { simple: true }) as number;
    org.db.pragma('temp_store = FILE');
    try {
      // the saved statements come from sqlite_master, i.e. from the schema code, never from a client
      org.db.transaction(() => {
        for (const ix of indexes)
          org.db.exec(
            ix.sql.replace(/^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS)/i, 'CREATE $1INDEX IF NOT EXISTS '),
          );
      })();
    } finally {
      org.db.pragma(`temp_store = ${Number(tempStore)}`);
    }
  };
}
