/**
 * Output fingerprint of the territory engine, for speed work: every decision (with its trace), every
 * timeline, figure and row of the bench input, plus random models that use every operator, filter
 * shape, inheritance, named and excluded accounts, history, change requests and opportunities.
 * `node bin/run-ts.js scripts/bench/territory-check.ts [accounts] [seeds]` prints one hash per part;
 * the same engine output gives the same lines, so a faster engine is compared with the old one.
 */
import { createHash } from 'node:crypto';
import { parseSnapshot, type Snapshot } from '../../server/src/domain';
import {
  assignAccounts,
  compileModel,
  computeModel,
  TerritoryConfigSchema,
  type AccountDecision,
  type ModelResult,
  type TerritoryEngineConfig,
} from '../../server/src/domain/territory';
import { ruleModel, syntheticAccounts } from './territory';

type Hash = ReturnType<typeof createHash>;

function decisionLine(d: AccountDecision): string {
  return JSON.stringify([
    d.accountId,
    d.territoryKey,
    d.decidedBy,
    d.ruleMatched,
    d.candidates,
    d.effectiveDate,
    d.changeRequestId,
    d.trace,
  ]);
}

function hashDecisions(decisions: readonly AccountDecision[]): string {
  const h = createHash('sha256');
  for (const d of decisions) h.update(decisionLine(d)).update('\n');
  return h.digest('hex').slice(0, 16);
}

function hashModel(r: ModelResult): Record<string, string> {
  const part = (fill: (h: Hash) => void): string => {
    const h = createHash('sha256');
    fill(h);
    return h.digest('hex').slice(0, 16);
  };
  return {
    accounts: hashDecisions(r.accounts),
    opportunities: part((h) => {
      for (const o of r.opportunities) h.update(JSON.stringify({ ...o, trace: o.trace })).update('\n');
    }),
    timelines: part((h) => {
      for (const [k, segs] of r.timelines) h.update(JSON.stringify([k, segs])).update('\n');
    }),
    figures: part((h) => {
      for (const [k, f] of r.figures) h.update(JSON.stringify([k, f])).update('\n');
    }),
    quotaMoves: part((h) => h.update(JSON.stringify(r.quotaMoves))),
    territoryRows: part((h) => {
      for (const t of r.territoryRows) h.update(JSON.stringify(t)).update('\n');
    }),
    assignmentRows: part((h) => {
      for (const a of r.assignmentRows) h.update(JSON.stringify({ ...a, trace: a.trace })).update('\n');
    }),
    warnings: part((h) => h.update(JSON.stringify(r.warnings))),
    period: part((h) => h.update(JSON.stringify(r.period))),
  };
}

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

const COUNTRIES = ['US', 'United States', 'Canada', 'germany', 'France', ' Japan ', 'UK'];
const STATES = ['CA', 'ny', 'TX', 'WA', 'BC', 'ON', 'Bavaria', 'X'];
const INDUSTRIES = ['Banking', 'Retail', 'technology', 'Energy', 'Media', 'Other', 'Health Care'];
const SEGMENTS = ['SMB', 'MID', 'ENT'];
const TYPES = [
  { name: 'Named', priority: 1 },
  { name: 'Geo', priority: 10 },
  { name: 'Segment', priority: 20 },
  { name: 'Region', priority: 100 },
];

/** Random accounts (blanks, case, spaces) and a random model over them, with history and changes. */
function variedCase(
  seed: number,
  accountCount: number,
): { snapshot: Snapshot; config: TerritoryEngineConfig } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T, blank = 0.1): T | null => (r() < blank ? null : v);
  const postal = (): string => {
    const p = String(Math.floor(r() * 100000)).padStart(5, '0');
    return r() < 0.2 ? `${p.slice(0, 2)} ${p.slice(2)}` : r() < 0.1 ? `A${p.slice(1)}` : p;
  };
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: `A${i}`,
    name: i % 50 === 7 ? 'Shared Name' : `Account ${i}`,
    segment: maybe(pick(SEGMENTS)),
    ownerId: pick(['U1', 'U2', 'U3']),
    type: maybe(pick(['Customer', 'Prospect', 'partner'])),
    billingCountry: maybe(pick(COUNTRIES)),
    billingState: maybe(pick(STATES)),
    billingPostalCode: maybe(postal()),
    billingCity: maybe(pick(['Paris', 'San Francisco', 'new york', '  Berlin'])),
    industry: maybe(pick(INDUSTRIES)),
    numberOfEmployees: maybe(Math.floor(Math.exp(r() * Math.log(50000)))),
    annualRevenue: maybe(String(Math.floor(r() * 1e8))),
    territoryId: r() < 0.2 ? `T${Math.floor(r() * 30)}` : null,
    attributes: r() < 0.5 ? { tier: pick(['Gold', 'silver', '3', '']), frozen: pick(['true', 'false']) } : {},
  }));

  const item = (): Record<string, unknown> => {
    const kind = Math.floor(r() * 16);
    switch (kind) {
      case 0:
      case 1:
        return { field: 'billingCountry', op: 'equals', value: pick(COUNTRIES).toUpperCase() };
      case 2:
        return { field: 'billingState', op: 'in', values: [pick(STATES), pick(STATES)] };
      case 3:
        return { field: 'industry', op: pick(['notEquals', 'notIn']), values: [pick(INDUSTRIES)] };
      case 4:
        return { field: 'billingPostalCode', op: 'startsWith', values: [String(Math.floor(r() * 10))] };
      case 5:
        return { field: 'billingCity', op: 'contains', value: pick(['ar', 'new', 'lin']) };
      case 6: {
        const lo = Math.floor(r() * 90);
        return { field: 'billingPostalCode', op: 'between', from: String(lo), to: String(lo + 9) };
      }
      case 7: {
        const lo = Math.floor(r() * 20000);
        return { field: 'numberOfEmployees', op: 'between', from: lo, to: lo + 5000 };
      }
      case 8:
        return {
          field: pick(['numberOfEmployees', 'annualRevenue']),
          op: pick(['greaterThan', 'greaterOrEqual', 'lessThan', 'lessOrEqual']),
          value: Math.floor(r() * 2000),
        };
      case 9:
        return { field: pick(['segment', 'industry', 'attributes.tier']), op: pick(['isNull', 'isNotNull']) };
      case 10:
        return { field: 'segment', op: 'equals', value: pick(SEGMENTS).toLowerCase() };
      case 11:
        return { field: 'attributes.tier', op: 'in', values: ['gold', 'SILVER'] };
      case 12:
        return { field: 'billingState', op: 'between', from: 'A', to: 'M' };
      case 13:
        return { field: 'type', op: 'equals', value: pick(['customer', 'Prospect']) };
      case 14:
        return { field: 'billingState', op: 'equals', value: pick(STATES) };
      default:
        return {
          field: 'industry',
          op: 'in',
          values: [pick(INDUSTRIES), pick(INDUSTRIES), pick(INDUSTRIES)],
        };
    }
  };
  const FILTERS: Record<number, string[]> = {
    1: [''],
    2: ['', '1 OR 2', 'NOT 1 AND 2', '1 AND NOT 2'],
    3: ['', '1 AND (2 OR 3)', '(1 OR 2) AND 3', '1 OR (2 AND 3)', 'NOT (1 OR 2) AND 3'],
  };
  const rule = (): Record<string, unknown> => {
    const n = 1 + Math.floor(r() * 3);
    const filter = pick(FILTERS[n]!);
    return {
      items: Array.from({ length: n }, item),
      ...(filter ? { filter } : {}),
      ...(r() < 0.15 ? { inherit: true } : {}),
    };
  };
  const territoryCount = 30;
  const territories = Array.from({ length: territoryCount }, (_, i) => {
    const parent = i > 3 && r() < 0.6 ? `T${Math.floor(r() * i)}` : null;
    return {
      key: `T${i}`,
      name: `Territory ${i}`,
      type: pick(TYPES).name,
      parent,
      owner: r() < 0.5 ? { user: pick(['U1', 'U2', 'U3']) } : null,
      members: r() < 0.5 ? [{ role: 'AE', users: { user: pick(['U1', 'U2', 'U3']) } }] : [],
      rules: Array.from({ length: Math.floor(r() * 3) }, rule),
      namedAccounts: r() < 0.2 ? [`A${Math.floor(r() * accountCount)}`, 'shared name'] : [],
      excludedAccounts: r() < 0.2 ? [`A${Math.floor(r() * accountCount)}`] : [],
    };
  });
  const config = TerritoryConfigSchema.parse({
    version: 1,
    types: TYPES,
    tieBreak: r() < 0.5 ? 'keep-current-or-none' : 'keep-current-or-first-key',
    quota: { moveBasis: r() < 0.5 ? 'accountCount' : 'openPipeline' },
    models: [
      {
        key: 'M',
        name: 'Model',
        state: 'Active',
        activatedOn: '2026-01-01',
        excludeFromRealignment: {
          accounts: [`A${Math.floor(r() * accountCount)}`],
          attribute: r() < 0.5 ? 'frozen' : null,
        },
        territories,
      },
    ],
  });

  const dates = ['2026-02-01', '2026-07-15', '2026-10-20', '2026-11-27', '2026-12-10', '2027-01-05'];
  const territoryAssignments: Record<string, unknown>[] = [];
  const territoryChanges: Record<string, unknown>[] = [];
  const opportunities: Record<string, unknown>[] = [];
  const overrides: Record<string, unknown>[] = [];
  for (const a of accounts) {
    if (r() < 0.3)
      territoryAssignments.push({
        modelKey: 'M',
        accountId: a.id,
        territoryKey: `T${Math.floor(r() * territoryCount)}`,
        effectiveStart: pick(['2026-01-01', '2026-03-01']),
        effectiveEnd: r() < 0.3 ? '2026-09-30' : null,
        decidedBy: 'Rule',
      });
    if (r() < 0.05)
      territoryChanges.push({
        id: `CR-${a.id}`,
        accountId: a.id,
        toTerritoryKey: `T${Math.floor(r() * territoryCount)}`,
        effectiveDate: pick(dates),
        status: pick(['Approved', 'Applied']),
      });
    const opps = Math.floor(r() * 3);
    for (let k = 0; k < opps; k++) {
      const id = `O-${a.id}-${k}`;
      const closed = r() < 0.4;
      opportunities.push({
        id,
        accountId: a.id,
        ownerId: 'U1',
        stageName: closed ? 'Closed Won' : 'Prospecting',
        amount: `${Math.floor(r() * 100000)}.00`,
        currency: 'USD',
        closeDate: pick(['2026-03-10', '2026-10-25', '2026-11-20', '2026-12-15']),
        createdDate: '2026-01-10',
        isClosed: closed,
        isWon: closed && r() < 0.7,
      });
      if (r() < 0.05) overrides.push({ opportunityId: id, territoryKey: r() < 0.5 ? null : 'T3' });
      if (r() < 0.1)
        territoryAssignments.push({
          modelKey: 'M',
          opportunityId: id,
          accountId: a.id,
          territoryKey: `T${Math.floor(r() * territoryCount)}`,
          effectiveStart: '2026-01-01',
          decidedBy: 'Rule',
        });
    }
  }
  const quotas = ['U1', 'U2', 'U3'].map((u, i) => ({
    ownerType: 'user',
    ownerId: u,
    periodType: 'quarter',
    periodStart: '2026-10-01',
    amount: `${(i + 1) * 100000}.00`,
    currency: 'USD',
  }));
  const parsed = parseSnapshot({
    version: 1,
    corporateCurrency: 'USD',
    users: [
      { id: 'U1', name: 'Una' },
      { id: 'U2', name: 'Dos' },
      { id: 'U3', name: 'Tres' },
    ],
    territories: Array.from({ length: 30 }, (_, i) => ({ id: `T${i}`, name: `Territory ${i}` })),
    accounts,
    opportunities,
    quotas,
    territoryAssignments,
    territoryChanges,
    opportunityTerritoryOverrides: overrides,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors.slice(0, 3)));
  return {
    snapshot: parsed.snapshot,
    config: { territories: config, fiscalCalendar: { type: 'standard', startMonth: 1, yearLabel: 'start' } },
  };
}

function main(): void {
  const accountCount = Number(process.argv[2] ?? 200_000);
  const seeds = Number(process.argv[3] ?? 20);
  const asOf = '2026-11-27';
  const lines: string[] = [];

  const snapshot = syntheticAccounts(accountCount);
  const config = ruleModel();
  const model = compileModel(config.territories, config.territories.models[0]!);
  const decisions = assignAccounts({
    model,
    accounts: snapshot.accounts,
    current: new Map(),
    tieBreak: 'keep-current-or-none',
    changes: new Map(),
    asOf,
  });
  lines.push(`bench assign: ${hashDecisions(decisions)}`);
  const full = hashModel(computeModel(snapshot, config, 'BENCH', asOf));
  lines.push(`bench model: ${JSON.stringify(full)}`);

  const all = createHash('sha256');
  for (let seed = 1; seed <= seeds; seed++) {
    const { snapshot: s, config: c } = variedCase(seed, 3000);
    const h = hashModel(computeModel(s, c, 'M', asOf));
    all.update(JSON.stringify(h));
    if (seed <= 3) lines.push(`varied ${seed}: ${JSON.stringify(h)}`);
  }
  lines.push(`varied all ${seeds}: ${all.digest('hex').slice(0, 16)}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main();
