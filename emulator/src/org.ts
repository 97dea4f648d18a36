import { SessionStore } from './auth/sessions';
import type { Clock } from './clock';
import { systemClock } from './clock';
import { Schema } from './schema/registry';
import type { ObjectDef } from './schema/types';
import { ensureObjectTables, getMeta, openDatabase, setMeta, type Db } from './store/database';
import { IdAllocator } from './store/id-allocator';

export interface OrgSettings {
  /** The origin clients are told to use, e.g. `http://127.0.0.1:8383`. Set once the server listens. */
  instanceUrl: string;
  /** IANA zone that date literals (TODAY, THIS_QUARTER) are evaluated in. */
  timeZone: string;
  /** 1 = January. Fiscal literals and Period rows follow it. */
  fiscalYearStartMonth: number;
  /** Daily API request allocation reported by /limits and Sforce-Limit-Info. */
  dailyApiLimit: number;
  corporateCurrency: string;
  /** Page size of REST query locators unless the client asks for another (200–2000). */
  defaultBatchSize: number;
}

export const DEFAULT_SETTINGS: OrgSettings = {
  instanceUrl: 'http://127.0.0.1',
  timeZone: 'UTC',
  fiscalYearStartMonth: 1,
  dailyApiLimit: 5_000_000,
  corporateCurrency: 'USD',
  defaultBatchSize: 2000,
};

export interface OrgOptions {
  /** SQLite file, or `:memory:`. */
  dbFile: string;
  /** Object definitions: standard objects plus whatever metadata folders were loaded. */
  objects: ObjectDef[];
  settings?: Partial<OrgSettings>;
  clock?: Clock;
}

/**
 * One embedded org: its database, schema, clock, settings and sessions. Every subsystem
 * (SOQL, DML, Bulk, auth, HTTP routes) takes an Org and nothing global.
 */
export class Org {
  readonly db: Db;
  readonly schema: Schema;
  readonly clock: Clock;
  readonly settings: OrgSettings;
  readonly ids: IdAllocator;
  readonly sessions: SessionStore;
  readonly orgId: string;

  constructor(opts: OrgOptions) {
    this.db = openDatabase(opts.dbFile);
    this.clock = opts.clock ?? systemClock;
    this.settings = { ...DEFAULT_SETTINGS, ...opts.settings };
    this.settings.fiscalYearStartMonth = persistedFiscalStart(this.db, this.settings.fiscalYearStartMonth);
    this.schema = new Schema(assignKeyPrefixes(this.db, opts.objects));
    ensureObjectTables(this.db, this.schema);
    this.ids = new IdAllocator(this.db);
    this.sessions = new SessionStore(this.db, () => this.clock.now());
    this.orgId = getMeta(this.db, 'orgId') ?? this.createOrgId();
  }

  now(): number {
    return this.clock.now();
  }

  private createOrgId(): string {
    const id = this.ids.next('00D');
    setMeta(this.db, 'orgId', id);
    return id;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The fiscal year start is the org's own setting: fixed when the org file is created (its demo data
 * and Period rows follow it), read back on every later start.
 */
function persistedFiscalStart(db: Db, wanted: number): number {
  const stored = getMeta(db, 'fiscalYearStartMonth');
  if (stored) return Number(stored);
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > 12)
    throw new Error(`fiscal year start month must be 1–12, got ${wanted}`);
  setMeta(db, 'fiscalYearStartMonth', String(wanted));
  return wanted;
}

/**
 * Custom objects get key prefixes a00, a01, … in the order they are first seen, stored in the
 * org so that ids keep meaning the same object when the org file is reopened with more metadata.
 */
function assignKeyPrefixes(db: Db, objects: ObjectDef[]): ObjectDef[] {
  const known = new Map(
    (
      db.prepare('SELECT object, prefix FROM _key_prefix').all() as Array<{ object: string; prefix: string }>
    ).map((r) => [r.object.toLowerCase(), r.prefix]),
  );
  const used = new Set(known.values());
  const insert = db.prepare('INSERT INTO _key_prefix (object, prefix) VALUES (?, ?)');
  let counter = 0;
  const nextFree = (): string => {
    for (;;) {
      const prefix = 'a' + counter.toString(36).padStart(2, '0');
      counter++;
      if (!used.has(prefix)) {
        used.add(prefix);
        return prefix;
      }
    }
  };
  return [...objects]
    .sort((a, b) => Number(a.custom) - Number(b.custom) || a.name.localeCompare(b.name))
    .map((obj) => {
      if (obj.keyPrefix) return obj;
      let prefix = known.get(obj.name.toLowerCase());
      if (!prefix) {
        prefix = nextFree();
        insert.run(obj.name, prefix);
      }
      return { ...obj, keyPrefix: prefix };
    });
}
