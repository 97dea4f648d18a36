import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSyntheticSnapshot } from '../../scripts/bench/synthetic-snapshot';
import { runEngines } from '../../server/src/app/compute-from-snapshot';
import { forecastAndKpiResults } from '../../server/src/app/run-cycle-engines';
import { MODEL_META_KEY, StatisticalModelCache } from '../../server/src/app/statistical-model-cache';
import type { Snapshot } from '../../server/src/domain';
import { SqliteSyncStore } from '../../server/src/store';
import { defaultConfig } from './domain/helpers/fixtures';

describe('statistical model kept in the store between cycles', () => {
  const asOf = '2026-11-16';
  const config = defaultConfig();
  const snapshot = buildSyntheticSnapshot({ opportunities: 2500, asOf, spanDays: 5 * 365, seed: 5 });
  let dir: string;
  let store: SqliteSyncStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'model-cache-'));
    store = new SqliteSyncStore(path.join(dir, 'store.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cycle = async (s: Snapshot) => {
    const cache = await StatisticalModelCache.open(store, () => 1_700_000_000_000);
    const result = runEngines(
      s,
      { engines: ['forecast', 'kpis'], config, asOf },
      { reuseStatisticalModel: cache.reuse },
    );
    await cache.save(result.forecast!.statisticalModel);
    return { result, hit: cache.hit };
  };

  it('When the second cycle sees the same training inputs, then it reuses the kept model and every row is identical', async () => {
    const first = await cycle(snapshot);
    expect(first.hit).toBe(false);
    const kept = await store.meta(MODEL_META_KEY);
    expect(kept).not.toBeNull();
    expect(JSON.parse(kept!.value).key).toMatch(/^[0-9a-f]{64}$/);
    const second = await cycle(snapshot);
    expect(second.hit).toBe(true);
    expect(second.result.forecast!.rows).toEqual(first.result.forecast!.rows);
    expect(JSON.stringify(second.result.forecast!.statistical)).toBe(
      JSON.stringify(first.result.forecast!.statistical),
    );
    expect(second.result.kpis!.rows).toEqual(first.result.kpis!.rows);
  });

  it('When a deal closed in a past quarter is edited, then the model is trained again and replaced', async () => {
    await cycle(snapshot);
    const before = (await store.meta(MODEL_META_KEY))!.value;
    const won = snapshot.opportunities.find((o) => o.isWon && o.closeDate < '2026-08-01')!;
    const edited = {
      ...snapshot,
      opportunities: snapshot.opportunities.map((o) => (o === won ? { ...o, amount: '7.00' } : o)),
    };
    const again = await cycle(edited);
    expect(again.hit).toBe(false);
    expect((await store.meta(MODEL_META_KEY))!.value).not.toBe(before);
  });

  it('When the cycle passes its store to the forecast and KPI engines, then the model is kept there and the record sets repeat', async () => {
    const engines = forecastAndKpiResults(config);
    const first = await engines(snapshot, asOf, { store });
    const kept = await store.meta(MODEL_META_KEY);
    expect(kept).not.toBeNull();
    const second = await engines(snapshot, asOf, { store });
    expect(second).toEqual(first);
    expect((await store.meta(MODEL_META_KEY))!.updatedAt).toBe(kept!.updatedAt);
    // Without a store (or with reuse off) nothing is kept.
    await store.setMeta(MODEL_META_KEY, 'x', 1);
    await forecastAndKpiResults(config, undefined, { reuseModel: false })(snapshot, asOf, { store });
    expect((await store.meta(MODEL_META_KEY))!.value).toBe('x');
  });

  it('When the cycle hands sets to the write-back as they are done, then the forecast goes before the KPIs are computed, and the sets equal those returned at the end', async () => {
    const together = await forecastAndKpiResults(config)(snapshot, asOf, { store });
    const handed: string[][] = [];
    let kpisComputed = false;
    const returned = await forecastAndKpiResults(config, (result) => {
      expect(handed).toHaveLength(1);
      kpisComputed = result.kpis !== undefined;
    })(snapshot, asOf, {
      store,
      emit: async (sets) => {
        expect(kpisComputed).toBe(false);
        handed.push(sets.map((s) => s.sobject));
        expect(sets).toEqual(together.filter((s) => s.sobject === 'Forecast_Snapshot__c'));
      },
    });
    expect(handed).toEqual([['Forecast_Snapshot__c']]);
    expect(kpisComputed).toBe(true);
    expect(returned).toEqual(together.filter((s) => s.sobject !== 'Forecast_Snapshot__c'));
    expect(returned.map((s) => s.sobject)).toContain('Sales_KPI__c');
  });

  it('When the kept entry is unreadable, then the cycle trains and overwrites it', async () => {
    await store.setMeta(MODEL_META_KEY, '{not json', 1);
    const run = await cycle(snapshot);
    expect(run.hit).toBe(false);
    expect(JSON.parse((await store.meta(MODEL_META_KEY))!.value).model.format).toBe('statistical-v1');
  });
});
