import type { Connection } from 'jsforce';
import pino from 'pino';
import { runWriteback, type WritebackReport } from '../../../server/src/app/writeback-run';
import { parseWritebackConfig, type WritebackConfig } from '../../../server/src/config/writeback-config';
import { CrmApi } from '../../../server/src/crm/api-client';
import { OrgResultWriter } from '../../../server/src/crm/writeback/org-writer';
import type { ResultSet, SObjectRecord } from '../../../server/src/crm/writeback/result-set';
import type { SqliteSyncStore } from '../../../server/src/store';
import type { RunningOrg } from '../../../emulator/src/server';
import { API_VERSION, connect } from '../../helpers/org';

export const quietLog = pino({ level: 'silent' });

/** config/writeback.yaml's shape with test-sized waits. */
export function testWritebackConfig(overrides: Partial<WritebackConfig> = {}): WritebackConfig {
  const yaml = 'bulkPollMs: 20\nretry: { attempts: 8, baseDelayMs: 1, maxDelayMs: 5 }\n';
  return { ...parseWritebackConfig(yaml, 'test-writeback.yaml'), ...overrides };
}

let runs = 0;

export async function writebackOnce(
  running: RunningOrg,
  store: SqliteSyncStore,
  sets: ResultSet[],
  overrides: Partial<WritebackConfig> = {},
  opts: { dryRun?: boolean; retryDeadLetters?: boolean; maxUploadBytes?: number } = {},
): Promise<WritebackReport> {
  const config = testWritebackConfig(overrides);
  const api = new CrmApi(connect(running), API_VERSION);
  const writer = new OrgResultWriter(api, {
    bulkPollMs: config.bulkPollMs,
    bulkJobTimeoutSeconds: 60,
    maxUploadBytes: opts.maxUploadBytes,
  });
  return runWriteback(
    {
      writer,
      store: store.writeback(),
      config,
      now: () => Date.now(),
      log: quietLog,
      sleep: async () => undefined,
    },
    {
      runId: `test-run-${++runs}`,
      sets,
      dryRun: opts.dryRun ?? false,
      retryDeadLetters: opts.retryDeadLetters,
    },
  );
}

/** n Sales_KPI__c records with distinct keys; `variant` changes every value. */
export function kpiSet(n: number, variant = 0, scopeUser: string | null = null): ResultSet {
  const records: SObjectRecord[] = Array.from({ length: n }, (_, i) => ({
    External_Key__c: `KPI|test|v1|FY2026-Q${(i % 4) + 1}|rep:${String(i).padStart(5, '0')}|-`,
    Name: `KPI ${i}`,
    KPI_Id__c: 'win_rate',
    KPI_Version__c: 1,
    Unit__c: 'ratio',
    Period_Type__c: 'quarter',
    Period_Key__c: `FY2026-Q${(i % 4) + 1}`,
    Period_Start__c: '2026-02-01',
    Period_End__c: '2026-04-30',
    Period_Complete__c: i % 2 === 0,
    Scope_Type__c: 'rep',
    Scope_Key__c: String(i),
    Scope_User__c: scopeUser,
    Value__c: `${(i * 7 + variant) % 1000}.${String(i % 10000).padStart(4, '0')}`,
    Numerator__c: String(i + variant),
    Denominator__c: i % 5 === 0 ? null : String(i + 1),
    As_Of__c: '2026-11-27',
    Trace__c: `Win rate for rep ${i}: a summary line.\n{"i":${i},"variant":${variant}}`,
  }));
  return { sobject: 'Sales_KPI__c', records };
}

/** A territory tree three levels deep: parents reference nothing, children their parent by key. */
export function territorySet(regions: number, perRegion: number): ResultSet {
  const records: SObjectRecord[] = [
    { External_Key__c: 'TERR|m1|WORLD', Name: 'World', Territory_Key__c: 'WORLD' },
  ];
  for (let r = 0; r < regions; r++) {
    const region = `R${r}`;
    records.push({
      External_Key__c: `TERR|m1|${region}`,
      Name: `Region ${r}`,
      Territory_Key__c: region,
      Parent_Territory__r: { External_Key__c: 'TERR|m1|WORLD' },
    });
    for (let k = 0; k < perRegion; k++)
      records.push({
        External_Key__c: `TERR|m1|${region}-${k}`,
        Name: `Territory ${r}.${k}`,
        Territory_Key__c: `${region}-${k}`,
        Parent_Territory__r: { External_Key__c: `TERR|m1|${region}` },
      });
  }
  // Children listed before parents on purpose: the write order must not depend on the input order.
  return { sobject: 'Sales_Territory__c', records: records.reverse() };
}

/**
 * The org holds exactly these records for the object: one live record per key (no duplicates, no
 * extras), and every field as sent (numbers compared by value, references through their key).
 */
export async function expectOrgHolds(
  conn: Connection,
  sobject: string,
  records: SObjectRecord[],
): Promise<void> {
  const fields = new Set<string>();
  for (const r of records)
    for (const [k, v] of Object.entries(r))
      fields.add(v !== null && typeof v === 'object' ? `${k}.External_Key__c` : k);
  fields.add('External_Key__c');
  const soql = `SELECT Id, ${[...fields].join(', ')} FROM ${sobject}`;
  const rows = (await conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 1_000_000 }))
    .records;
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const key = String(row.External_Key__c);
    if (byKey.has(key)) throw new Error(`duplicate ${sobject} ${key}`);
    byKey.set(key, row);
  }
  expect([...byKey.keys()].sort()).toEqual(records.map((r) => String(r.External_Key__c)).sort());
  for (const sent of records) {
    const got = byKey.get(String(sent.External_Key__c))!;
    for (const [field, value] of Object.entries(sent)) {
      const actual =
        value !== null && typeof value === 'object'
          ? ((got[field] as Record<string, unknown> | null)?.External_Key__c ?? null)
          : got[field];
      const expected =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>).External_Key__c
          : value;
      const same =
        typeof actual === 'number' && typeof expected === 'string'
          ? actual === Number(expected)
          : actual === (expected ?? null);
      if (!same)
        throw new Error(
          `${sobject} ${String(sent.External_Key__c)}.${field}: sent ${JSON.stringify(expected)}, org has ${JSON.stringify(actual)}`,
        );
    }
  }
}

/** Live rows of an object straight from the org's database (the test's view). */
export function liveCount(running: RunningOrg, sobject: string): number {
  return (
    running.org.db.prepare(`SELECT COUNT(*) AS n FROM "${sobject}" WHERE "IsDeleted" = 0`).get() as {
      n: number;
    }
  ).n;
}
