import { createHash } from 'node:crypto';
import { bootstrapOrg } from '../../emulator/src/bootstrap';
import { FixedClock } from '../../emulator/src/clock';
import { Org, type OrgSettings } from '../../emulator/src/org';
import { loadStandardObjects } from '../../emulator/src/schema/standard';
import { PROJECT_METADATA_DIR } from '../../emulator/src/server';
import { quoteIdent } from '../../emulator/src/store/codec';

/** A fixed "now" for generator tests: mid-quarter, so past, current and future deals all exist. */
export const AS_OF = Date.UTC(2026, 10, 12, 15, 30, 0);

/** A bootstrapped ':memory:' org with the project's metadata and a clock stopped at AS_OF. */
export function emptyOrg(settings: Partial<OrgSettings> = {}): Org {
  const org = new Org({
    dbFile: ':memory:',
    objects: loadStandardObjects([PROJECT_METADATA_DIR]),
    settings,
    clock: new FixedClock(AS_OF),
  });
  bootstrapOrg(org, { adminPassword: 'pw-1', integrationPassword: 'pw-2' });
  return org;
}

/** sha256 of every object table's rows in Id order, plus the id sequences. */
export function tableHashes(org: Org): Record<string, string> {
  const out: Record<string, string> = {};
  for (const obj of org.schema.list()) {
    const hash = createHash('sha256');
    for (const row of org.db.prepare(`SELECT * FROM ${quoteIdent(obj.name)} ORDER BY "Id"`).iterate())
      hash.update(JSON.stringify(row));
    out[obj.name] = hash.digest('hex');
  }
  out._id_sequence = createHash('sha256')
    .update(JSON.stringify(org.db.prepare('SELECT * FROM _id_sequence ORDER BY prefix').all()))
    .digest('hex');
  return out;
}

export function rows<T>(org: Org, sql: string, ...params: unknown[]): T[] {
  return org.db.prepare(sql).all(...params) as T[];
}

export function one<T>(org: Org, sql: string, ...params: unknown[]): T {
  return org.db.prepare(sql).get(...params) as T;
}
