/**
 * Territory benchmarks: assignment of 200,000 accounts against 1,000 rules, and balancing 2,000
 * territories, on deterministic synthetic data; peak RSS of the process. Run in a process of its own
 * by scripts/bench/run.ts through territory-main.ts.
 */
import { peakRssMb } from './machine';
import { parseSnapshot, type Snapshot } from '../../server/src/domain';
import {
  accountMeasures,
  assignAccounts,
  compileModel,
  computeModel,
  proposeBalance,
  TerritoryConfigSchema,
  type TerritoryEngineConfig,
} from '../../server/src/domain/territory';
import { CurrencyTable } from '../../server/src/domain/money';

export interface TerritoryBench {
  accounts: number;
  rules: number;
  /** Wall and CPU seconds (the machine is shared: CPU time is the steadier figure). */
  assignSeconds: number;
  assignCpuSeconds: number;
  assigned: number;
  fullModelSeconds: number;
  fullModelCpuSeconds: number;
  assignmentRows: number;
  balanceTerritories: number;
  balanceSeconds: number;
  balanceCpuSeconds: number;
  balanceMoves: number;
  balanceMethod: string;
  balanced: boolean;
  peakRssMb: number | null;
}

const COUNTRIES = [
  'United States',
  'Canada',
  'United Kingdom',
  'Germany',
  'France',
  'Netherlands',
  'Ireland',
  'Japan',
  'Australia',
  'Singapore',
];
const INDUSTRIES = [
  'Banking',
  'Biotechnology',
  'Consulting',
  'Education',
  'Energy',
  'Finance',
  'Government',
  'Healthcare',
  'Insurance',
  'Manufacturing',
  'Media',
  'Retail',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Hospitality',
  'Electronics',
  'Communications',
  'Other',
];
const STATES = Array.from({ length: 10 }, (_, i) => `S${i}`);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticAccounts(n: number, seed = 7): Snapshot {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const accounts = Array.from({ length: n }, (_, i) => ({
    id: `A${i}`,
    name: `Account ${i}`,
    billingCountry: pick(COUNTRIES),
    billingState: pick(STATES),
    billingPostalCode: String(Math.floor(r() * 100000)).padStart(5, '0'),
    industry: pick(INDUSTRIES),
    numberOfEmployees: Math.floor(Math.exp(r() * Math.log(100000))),
    annualRevenue: String(Math.floor(r() * 1e9)),
  }));
  const parsed = parseSnapshot({
    version: 1,
    corporateCurrency: 'USD',
    users: [{ id: 'U1', name: 'Owner' }],
    opportunities: [],
    accounts,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 3)));
  return parsed.snapshot;
}

const TYPES = [
  { name: 'Named', priority: 1 },
  { name: 'Geo', priority: 10 },
  { name: 'Segment', priority: 20 },
  { name: 'Region', priority: 100 },
];

/**
 * 1,000 rules: one Region territory per country (inherited country rule); per country 10 states × 9
 * industry groups of Geo territories (`1 AND (2 OR 3)`: state, industries, or a size threshold) and
 * an Enterprise size band; 60 postal-code ranges within a country; and 20 postal ranges on no
 * equality field at all, which every account is tested against.
 */
export function ruleModel(): TerritoryEngineConfig {
  const territories: Record<string, unknown>[] = [];
  let rules = 0;
  for (const [ci, country] of COUNTRIES.entries()) {
    const region = `R${ci}`;
    territories.push({
      key: region,
      name: country,
      type: 'Region',
      rules: [{ inherit: true, items: [{ field: 'billingCountry', op: 'equals', value: country }] }],
    });
    rules++;
    for (const state of STATES) {
      for (let g = 0; g < 9; g++) {
        territories.push({
          key: `${region}-${state}-${g}`,
          name: `${country} ${state} ${g}`,
          type: 'Geo',
          parent: region,
          rules: [
            {
              filter: '1 AND (2 OR 3)',
              items: [
                { field: 'billingState', op: 'equals', value: state },
                { field: 'industry', op: 'in', values: INDUSTRIES.slice(g * 2, g * 2 + 2) },
                { field: 'numberOfEmployees', op: 'greaterThan', value: 50000 + g },
              ],
            },
          ],
        });
        rules++;
      }
    }
    territories.push({
      key: `${region}-ENT`,
      name: `${country} ENT`,
      type: 'Segment',
      parent: region,
      rules: [{ items: [{ field: 'numberOfEmployees', op: 'greaterOrEqual', value: 2000 }] }],
    });
    rules++;
  }
  const range = (p: number) => ({
    field: 'billingPostalCode',
    op: 'between',
    from: String(p * 997).padStart(5, '0'),
    to: String(p * 997 + 400).padStart(5, '0'),
  });
  for (let p = 0; p < 60; p++, rules++)
    territories.push({
      key: `POSTAL-${p}`,
      name: `Postal ${p}`,
      type: 'Named',
      rules: [
        {
          items: [
            { field: 'billingCountry', op: 'equals', value: COUNTRIES[p % COUNTRIES.length] },
            range(p),
          ],
        },
      ],
    });
  for (let p = 60; rules < 1000; p++, rules++)
    territories.push({
      key: `POSTAL-${p}`,
      name: `Postal ${p}`,
      type: 'Named',
      rules: [{ items: [range(p)] }],
    });
  const territoriesConfig = TerritoryConfigSchema.parse({
    version: 1,
    types: TYPES,
    models: [{ key: 'BENCH', name: 'Bench', state: 'Active', activatedOn: '2026-01-01', territories }],
  });
  return {
    territories: territoriesConfig,
    fiscalCalendar: { type: 'standard', startMonth: 1, yearLabel: 'start' },
  };
}

/** 2,000 leaf territories under 50 parents; accounts land by a skewed hash so siblings are unequal. */
export function balanceModel(): TerritoryEngineConfig {
  const territories: Record<string, unknown>[] = [];
  for (let p = 0; p < 50; p++) {
    territories.push({ key: `P${p}`, name: `Parent ${p}`, type: 'Region' });
    for (let c = 0; c < 40; c++) {
      const leaf = p * 40 + c;
      territories.push({
        key: `L${String(leaf).padStart(4, '0')}`,
        name: `Leaf ${leaf}`,
        type: 'Geo',
        parent: `P${p}`,
        rules: [{ items: [{ field: 'attributes.leaf', op: 'equals', value: String(leaf) }] }],
      });
    }
  }
  const territoriesConfig = TerritoryConfigSchema.parse({
    version: 1,
    types: TYPES,
    models: [{ key: 'BAL', name: 'Balance', state: 'Active', activatedOn: '2026-01-01', territories }],
  });
  return {
    territories: territoriesConfig,
    fiscalCalendar: { type: 'standard', startMonth: 1, yearLabel: 'start' },
  };
}

function timed<T>(run: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

export function benchTerritories(accountCount = 200_000): TerritoryBench {
  const asOf = '2026-11-27';
  const snapshot = syntheticAccounts(accountCount);
  const config = ruleModel();
  const model = compileModel(config.territories, config.territories.models[0]!);
  const assign = timed(() =>
    assignAccounts({
      model,
      accounts: snapshot.accounts,
      current: new Map(),
      tieBreak: 'keep-current-or-none',
      changes: new Map(),
      asOf,
    }),
  );
  const full = timed(() => computeModel(snapshot, config, 'BENCH', asOf));

  // Balancing: every account carries its leaf; 2,000 leaves with skewed sizes.
  const r = rng(99);
  for (const a of snapshot.accounts) {
    const leaf = Math.floor(Math.pow(r(), 1.6) * 2000);
    a.attributes = { leaf: String(leaf) };
  }
  const balConfig = balanceModel();
  const balModel = computeModel(snapshot, balConfig, 'BAL', asOf, { assignmentRows: false });
  const measures = accountMeasures(snapshot, new CurrencyTable('USD', []));
  const balance = timed(() =>
    proposeBalance(balModel, snapshot, balConfig.territories, measures, {
      measure: 'accountCount',
      tolerance: 0.25,
      group: 'parent',
      effectiveDate: asOf,
    }),
  );
  const proposal = balance.value;
  return {
    accounts: accountCount,
    rules: model.rules.length,
    assignSeconds: assign.seconds,
    assignCpuSeconds: assign.cpuSeconds,
    assigned: assign.value.filter((d) => d.territoryKey !== null).length,
    fullModelSeconds: full.seconds,
    fullModelCpuSeconds: full.cpuSeconds,
    assignmentRows: full.value.assignmentRows.length,
    balanceTerritories: balModel.model.territories.length - 50,
    balanceSeconds: balance.seconds,
    balanceCpuSeconds: balance.cpuSeconds,
    balanceMoves: proposal.result.moves.length,
    balanceMethod: proposal.result.method,
    balanced: proposal.result.balanced,
    peakRssMb: peakRssMb(),
  };
}
