import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Connection } from 'jsforce';
import { FixedClock } from '../../emulator/src/clock';
import { generateDemoOrg } from '../../emulator/src/seed';
import type { RunningOrg } from '../../emulator/src/server';
import { computeFromStore, type ComputeFromStoreResult } from '../../server/src/app/compute-from-store';
import { loadEngineConfig } from '../../server/src/config/engine-config';
import { readSnapshotFromStore } from '../../server/src/crm/snapshot-mapping';
import { SYNC_CATALOG } from '../../server/src/crm/sync-catalog';
import { parseSnapshot } from '../../server/src/domain';
import { SqliteSyncStore } from '../../server/src/store';
import { AS_OF } from '../emulator/seed-org';
import { connect, startTestOrg } from '../helpers/org';
import { syncOnce, testConfig } from './sync-helpers';

jest.setTimeout(120_000);

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'salesops.js');
const AS_OF_DATE = new Date(AS_OF).toISOString().slice(0, 10);

function cli(args: string[], env: Record<string, string>) {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  for (const k of Object.keys(base)) if (k.startsWith('SF_')) delete base[k];
  return spawnSync(process.execPath, [BIN, ...args], {
    env: base,
    encoding: 'utf8',
    timeout: 90_000,
    maxBuffer: 256 * 2 ** 20,
  });
}

async function count(conn: Connection, soql: string): Promise<number> {
  return (await conn.query(soql)).totalSize;
}

describe('compute on the store that salesops sync fills', () => {
  let running: RunningOrg;
  let conn: Connection;
  let tmp: string;
  let dbFile: string;
  let deletedOppId: string;
  let deletedLineId: string;
  let result: ComputeFromStoreResult;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-compute-store-'));
    dbFile = path.join(tmp, 'store.sqlite');
    running = await startTestOrg({ clock: new FixedClock(AS_OF) });
    await generateDemoOrg(running.org, { size: 3, seed: 'compute-store' });
    conn = connect(running);
    const config = testConfig(SYNC_CATALOG.map((e) => e.object));
    const store = new SqliteSyncStore(dbFile);
    try {
      expect((await syncOnce(conn, store, config)).status).toBe('succeeded');
      // Deletes after the first sync reach the store as tombstones through the incremental run.
      const withLines = await conn.query<{ OpportunityId: string; Id: string }>(
        'SELECT Id, OpportunityId FROM OpportunityLineItem ORDER BY Id LIMIT 2',
      );
      deletedOppId = withLines.records[0]!.OpportunityId;
      const other = withLines.records.find((r) => r.OpportunityId !== deletedOppId);
      deletedLineId =
        other?.Id ??
        (
          await conn.query<{ Id: string }>(
            `SELECT Id FROM OpportunityLineItem WHERE OpportunityId != '${deletedOppId}' ORDER BY Id LIMIT 1`,
          )
        ).records[0]!.Id;
      await conn.sobject('Opportunity').destroy(deletedOppId);
      await conn.sobject('OpportunityLineItem').destroy(deletedLineId);
      expect((await syncOnce(conn, store, config)).status).toBe('succeeded');
      expect((await store.record('Opportunity', deletedOppId))?.deleted).toBe(true);
      expect((await store.record('OpportunityLineItem', deletedLineId))?.deleted).toBe(true);

      result = await computeFromStore(
        { store, readSnapshot: (s) => readSnapshotFromStore(s) },
        { engines: ['forecast', 'kpis'], config: loadEngineConfig(), asOf: AS_OF_DATE },
      );
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await running?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('When the store was synced, then the snapshot holds what the org holds, entity by entity', async () => {
    const s = result.snapshot;
    expect(s.users).toHaveLength(await count(conn, 'SELECT Id FROM User'));
    expect(s.roles).toHaveLength(await count(conn, 'SELECT Id FROM UserRole'));
    expect(s.accounts).toHaveLength(await count(conn, 'SELECT Id FROM Account'));
    expect(s.opportunities).toHaveLength(await count(conn, 'SELECT Id FROM Opportunity'));
    expect(s.opportunities.flatMap((o) => o.lineItems)).toHaveLength(
      await count(conn, 'SELECT Id FROM OpportunityLineItem'),
    );
    expect(s.opportunities.flatMap((o) => o.splits)).toHaveLength(
      await count(conn, 'SELECT Id FROM OpportunitySplit'),
    );
    expect(s.history).toHaveLength(await count(conn, 'SELECT Id FROM OpportunityHistory'));
    expect(s.currencies).toHaveLength(await count(conn, 'SELECT Id FROM CurrencyType'));
    expect(s.datedRates).toHaveLength(await count(conn, 'SELECT Id FROM DatedConversionRate'));
    expect(s.quotas).toHaveLength(await count(conn, 'SELECT Id FROM Sales_Quota__c WHERE User__c != null'));
    const corporate = await conn.query<{ IsoCode: string }>(
      'SELECT IsoCode FROM CurrencyType WHERE IsCorporate = true',
    );
    expect(s.corporateCurrency).toBe(corporate.records[0]!.IsoCode);
    expect(result.notes).toEqual([]);
  });

  it('When a deal is read back, then its amount, currency, stage, close date, owner and history rows are carried exactly', async () => {
    const org = await conn.query<{
      Id: string;
      Amount: number;
      CurrencyIsoCode: string;
      StageName: string;
      CloseDate: string;
      OwnerId: string;
      AccountId: string;
    }>(
      "SELECT Id, Amount, CurrencyIsoCode, StageName, CloseDate, OwnerId, AccountId FROM Opportunity WHERE CurrencyIsoCode != 'USD' AND IsClosed = false ORDER BY Id LIMIT 1",
    );
    const deal = org.records[0]!;
    const mapped = result.snapshot.opportunities.find((o) => o.id === deal.Id);
    expect(mapped).toMatchObject({
      amount: String(deal.Amount),
      currency: deal.CurrencyIsoCode,
      stageName: deal.StageName,
      closeDate: deal.CloseDate,
      ownerId: deal.OwnerId,
      accountId: deal.AccountId,
      isClosed: false,
      isWon: false,
    });

    const history = await conn.query<{
      StageName: string;
      Amount: number | null;
      CloseDate: string;
      CreatedDate: string;
      Probability: number | null;
    }>(
      `SELECT StageName, Amount, CloseDate, CreatedDate, Probability FROM OpportunityHistory WHERE OpportunityId = '${deal.Id}' ORDER BY Id`,
    );
    expect(history.totalSize).toBeGreaterThan(0);
    expect(result.snapshot.history.filter((h) => h.opportunityId === deal.Id)).toEqual(
      history.records.map((h) => ({
        opportunityId: deal.Id,
        changedAt: h.CreatedDate.slice(0, 10),
        stageName: h.StageName,
        amount: h.Amount === null ? null : String(h.Amount),
        closeDate: h.CloseDate,
        probability: h.Probability === null ? null : String(h.Probability),
        ownerId: null,
      })),
    );
  });

  it('When records were deleted in the org, then neither they nor their children are in the snapshot', () => {
    const s = result.snapshot;
    expect(s.opportunities.some((o) => o.id === deletedOppId)).toBe(false);
    expect(s.history.some((h) => h.opportunityId === deletedOppId)).toBe(false);
    expect(s.opportunities.flatMap((o) => o.lineItems).some((l) => l.id === deletedLineId)).toBe(false);
  });

  it('When the engines run on it, then the forecast rolls deals up the role hierarchy and the KPIs have rows', async () => {
    const forecast = result.forecast!;
    expect(forecast.rows.length).toBeGreaterThan(0);
    expect(result.kpis!.rows.length).toBeGreaterThan(0);
    // The top of the role hierarchy owns no deals: a row with entries there proves the roll-up.
    const top = await conn.query<{ Id: string }>(
      'SELECT Id FROM User WHERE UserRole.ParentRoleId = null AND UserRoleId != null',
    );
    const cro = top.records[0]!.Id;
    const croPipeline = forecast.rows.filter(
      (r) => r.forecastType === 'opportunity_revenue' && r.ownerId === cro && r.category === 'openPipeline',
    );
    expect(croPipeline.length).toBeGreaterThan(0);
    expect(croPipeline.some((r) => r.entryCount > 0 && Number(r.amountUnadjusted) > 0)).toBe(true);
  });

  it('When salesops compute all --json runs on that store, then it exits 0, and the exported snapshot computes the same offline', () => {
    const exported = path.join(tmp, 'exported.json');
    const res = cli(['compute', 'all', '--json', '--as-of', AS_OF_DATE, '--export-snapshot', exported], {
      SALESOPS_DB: dbFile,
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({
      ok: true,
      asOf: AS_OF_DATE,
      source: { store: dbFile },
      notes: [],
      exportedSnapshot: exported,
    });
    expect(out.forecast.rows).toHaveLength(result.forecast!.rows.length);
    expect(out.kpis.rows).toHaveLength(result.kpis!.rows.length);

    const file = JSON.parse(readFileSync(exported, 'utf8'));
    expect(parseSnapshot(file)).toEqual({ ok: true, snapshot: result.snapshot });
    const offline = cli(['compute', 'all', '--json', '--as-of', AS_OF_DATE, '--input', exported], {});
    expect(offline.status).toBe(0);
    const offlineOut = JSON.parse(offline.stdout);
    expect(offlineOut.forecast.rows).toEqual(out.forecast.rows);
    expect(offlineOut.kpis.rows).toEqual(out.kpis.rows);
  });

  it('When --export-snapshot is combined with --input, then it is bad usage (exit 2)', () => {
    const res = cli(['compute', 'all', '--input', 'x.json', '--export-snapshot', 'y.json'], {
      SALESOPS_DB: dbFile,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--export-snapshot writes the snapshot built from the store/);
  });

  it('When the store was never synced, then compute exits 1 saying to run salesops sync first', () => {
    const res = cli(['compute', 'forecast', '--json'], {
      SALESOPS_DB: path.join(tmp, 'never-synced.sqlite'),
    });
    expect(res.status).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.ok).toBe(false);
    expect(out.error.code).toBe('INPUT_INVALID');
    expect(out.error.message).toMatch(/run salesops sync first/);
  });
});
