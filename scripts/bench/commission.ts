/**
 * Commission engine benchmark: time per phase and peak RSS on a synthetic org (the engines'
 * generator, with 2,000 reps, splits, line items with cost, quotas and 10 plans of every kind).
 * Called by scripts/bench/run.ts (npm run bench) through commission-main.ts, one process per size:
 *   node bin/run-ts.js scripts/bench/commission-main.ts 1000000 2000
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { computeCommissions } from '../../server/src/domain/commission/compute-commissions';
import { PlanSchema, type Plan, type PlanInput } from '../../server/src/domain/commission/plan-schema';
import type { CommissionPlanBook } from '../../server/src/domain/commission/types';
import { commissionRecords } from '../../server/src/crm/writeback/maps/commission';
import type { Snapshot } from '../../server/src/domain/snapshot/types';
import { loadCommissionPlans } from '../../server/src/config/commission-plans';
import { peakRssMb } from './machine';
import { heapFlags } from '../../server/src/cli/node-flags';
import { buildSyntheticSnapshot } from './synthetic-snapshot';

export const COMMISSION_AS_OF = '2026-11-16';

export interface CommissionBench {
  opportunities: number;
  reps: number;
  plans: number;
  /** Wall time and this process's CPU time (user + system): on a shared machine the CPU time is the steadier figure. */
  phases: { phase: string; seconds: number; cpuSeconds: number }[];
  totalSeconds: number;
  totalCpuSeconds: number;
  statements: number;
  lines: number;
  credits: number;
  records: number;
  peakRssMb: number | null;
}

const FAMILIES = ['Platform', 'Analytics', 'Services', 'Support', 'Add-ons'];
const TYPES = ['New Customer', 'Existing Customer - Upgrade', 'Renewal'];

/** The engines' synthetic org, widened to `reps` reps with what commissions read. */
export function buildCommissionSnapshot(opportunities: number, reps: number): Snapshot {
  const base = buildSyntheticSnapshot({ opportunities, asOf: COMMISSION_AS_OF, historyShare: 0 });
  const teams = Math.ceil(reps / 8);
  const roles: Snapshot['roles'] = [
    { id: 'R_VP', name: 'VP Sales', parentRoleId: null, forecastManagerId: 'U_VP' },
  ];
  const users: Snapshot['users'] = [
    { id: 'U_VP', name: 'VP', roleId: 'R_VP', isActive: true, segment: null },
  ];
  for (let t = 0; t < teams; t += 1) {
    roles.push({
      id: `R_M${t}`,
      name: `Team ${t} Sales Manager`,
      parentRoleId: 'R_VP',
      forecastManagerId: `U_M${t}`,
    });
    roles.push({
      id: `R_R${t}`,
      name: `Team ${t} Account Executive`,
      parentRoleId: `R_M${t}`,
      forecastManagerId: null,
    });
    users.push({ id: `U_M${t}`, name: `Manager ${t}`, roleId: `R_M${t}`, isActive: true, segment: null });
  }
  for (let r = 0; r < reps; r += 1)
    users.push({
      id: `U_R${r}`,
      name: `Rep ${r}`,
      roleId: `R_R${Math.floor(r / 8)}`,
      isActive: true,
      segment: null,
    });
  const quotas: Snapshot['quotas'] = [];
  // Quarters of the fiscal year starting 1 February: FY2026 and FY2027.
  const quarterStarts = [
    '2025-02-01',
    '2025-05-01',
    '2025-08-01',
    '2025-11-01',
    '2026-02-01',
    '2026-05-01',
    '2026-08-01',
    '2026-11-01',
  ];
  for (let r = 0; r < reps; r += 1)
    for (const start of quarterStarts)
      quotas.push({
        ownerType: 'user',
        ownerId: `U_R${r}`,
        periodType: 'quarter',
        periodStart: start,
        productFamily: null,
        amount: String(150_000 + (r % 7) * 25_000),
        currency: 'USD',
      });
  base.opportunities.forEach((o, i) => {
    o.ownerId = `U_R${i % reps}`;
    o.type = TYPES[i % 3]!;
    if (i % 10 === 0)
      o.splits = [
        { userId: o.ownerId, splitType: 'revenue', percent: '60' },
        { userId: `U_R${(i + 1) % reps}`, splitType: 'revenue', percent: '40' },
      ];
    if (i % 4 === 0 && o.amount !== null && o.currency !== 'JPY') {
      const cents = Math.round(Number(o.amount) * 100);
      const first = Math.round(cents * 0.7);
      o.lineItems = [
        {
          id: `${o.id}-1`,
          productId: null,
          productCode: 'PLT-PRO',
          productFamily: FAMILIES[i % 2]!,
          quantity: '10',
          totalPrice: (first / 100).toFixed(2),
          cost: ((first * 0.3) / 100).toFixed(2),
        },
        {
          id: `${o.id}-2`,
          productId: null,
          productCode: 'SVC-CON',
          productFamily: 'Services',
          quantity: '2',
          totalPrice: ((cents - first) / 100).toFixed(2),
          cost: (((cents - first) * 0.6) / 100).toFixed(2),
        },
      ];
    }
  });
  return { ...base, roles, users, quotas };
}

/** Ten plans of every kind, the reps dealt out over the nine rep plans by number. */
export function benchPlans(reps: number): Plan[] {
  const tiers = [
    { from: 0, to: 50, multiplier: 0.5 },
    { from: 50, to: 100, multiplier: 1 },
    { from: 100, to: 150, multiplier: 1.5 },
    { from: 150, multiplier: 2 },
  ];
  const kinds: Partial<PlanInput['versions'][number]>[] = [
    { rates: { mode: 'marginal', baseRate: 8, tiers } },
    {
      rates: { mode: 'marginal', baseRate: 6, tiers },
      measure: { productFamilies: { multipliers: { Services: 0.5 } } },
      caps: { perDeal: '40000' },
    },
    {
      rates: { mode: 'marginal', baseRate: 7, tiers },
      spiffs: [{ key: 'q4', name: 'Q4 push', from: '2026-11-01', to: '2027-01-31', amount: '250' }],
    },
    {
      rates: {
        mode: 'retroactive',
        tiers: [
          { from: 0, to: 100, rate: 5 },
          { from: 100, rate: 9 },
        ],
      },
    },
    {
      rates: {
        mode: 'retroactive',
        tiers: [
          { from: 0, to: 100, rate: 5 },
          { from: 100, rate: 9 },
        ],
      },
      attainment: { basis: 'ytd', ytdMinusEarned: true },
    },
    {
      rates: {
        mode: 'retroactive',
        tiers: [
          { from: 0, to: 80, rate: 4 },
          { from: 80, to: 120, rate: 8 },
          { from: 120, rate: 11 },
        ],
      },
      floors: { attainment: 20 },
      payable: { on: 'payment' },
    },
    {
      rates: { mode: 'flat', rate: 6 },
      measure: { base: 'margin' },
      draw: { type: 'recoverable', amount: '3000' },
    },
    {
      rates: { mode: 'flat', rate: 7 },
      measure: { dealTypes: { exclude: ['Renewal'] } },
      draw: { type: 'nonRecoverable', amount: '1000' },
    },
    {
      rates: { mode: 'marginal', baseRate: 9, tiers },
      caps: { periodEarnings: '60000', attainment: 250 },
      payable: { on: 'invoice' },
    },
  ];
  const plans: PlanInput[] = kinds.map((k, i) => ({
    key: `bench-${i}`,
    name: `Bench plan ${i}`,
    assignments: [
      {
        users: Array.from({ length: reps }, (_, r) => `U_R${r}`).filter((_, r) => r % kinds.length === i),
        from: '2024-02-01',
      },
    ],
    versions: [
      { version: 1, effectiveFrom: '2024-02-01', period: 'quarter', rates: { mode: 'flat', rate: 5 }, ...k },
      { version: 2, effectiveFrom: '2026-02-01', period: 'quarter', rates: { mode: 'flat', rate: 5 }, ...k },
    ],
  }));
  plans.push({
    key: 'bench-manager',
    name: 'Manager override',
    assignments: [{ roleNameMatches: 'Sales Manager$', from: '2024-02-01' }],
    versions: [
      {
        version: 1,
        effectiveFrom: '2024-02-01',
        crediting: { roles: ['Manager'] },
        rates: { mode: 'flat', rate: 1.5 },
      },
    ],
  });
  return plans.map((p) => PlanSchema.parse(p));
}

export function benchCommissions(snapshot: Snapshot, reps: number): CommissionBench {
  const shared = loadCommissionPlans();
  const book: CommissionPlanBook = {
    plans: benchPlans(reps),
    fiscalCalendar: shared.fiscalCalendar,
    stages: shared.stages,
  };
  const phases: CommissionBench['phases'] = [];
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const t0 = process.hrtime.bigint();
  const c0 = cpu();
  let last = t0;
  let lastCpu = c0;
  const mark = (phase: string): void => {
    const now = process.hrtime.bigint();
    const nowCpu = cpu();
    phases.push({ phase, seconds: Number(now - last) / 1e9, cpuSeconds: nowCpu - lastCpu });
    last = now;
    lastCpu = nowCpu;
  };
  const names: Record<string, string> = {
    setup: 'setup: calendar, currencies, plan assignments, ledger',
    deals: 'deals as of asOf (history replay)',
    credits: 'crediting: splits, managers, measures, conversion',
    statements: 'pricing: attainment, tiers, caps, draws, projections, statements',
  };
  const result = computeCommissions(snapshot, book, COMMISSION_AS_OF, undefined, {
    onPhase: (p) => mark(names[p] ?? p),
  });
  const sets = commissionRecords({ statements: result.statements, lines: result.lines });
  mark('write-back records (Commission_Statement__c, Commission_Line__c)');
  return {
    opportunities: snapshot.opportunities.length,
    reps,
    plans: book.plans.length,
    phases,
    totalSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    totalCpuSeconds: cpu() - c0,
    statements: result.statements.length,
    lines: result.lines.length,
    credits: result.stats.credits,
    records: sets.reduce((a, s) => a + s.records.length, 0),
    peakRssMb: peakRssMb(),
  };
}

export interface BenchRow {
  group: 'commissions';
  section: string;
  measure: string;
  value: string;
  target?: string;
  verdict?: string;
}

/**
 * The "Commissions" group of npm run bench: each size in a process of its own (so the peak RSS is
 * the engine's), large = 1M opportunities, 2,000 reps, 10 plans; target under 10 s and 2 GiB.
 */
export function benchCommissionsSection(record: (row: BenchRow) => void, skipLarge: boolean): void {
  const sizes: [number, number][] = skipLarge
    ? [[200_000, 400]]
    : [
        [200_000, 400],
        [1_000_000, 2_000],
      ];
  const fmt = (n: number, digits = 0): string =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  for (const [opportunities, reps] of sizes) {
    const out = execFileSync(
      process.execPath,
      [
        ...heapFlags(),
        path.resolve(__dirname, '..', '..', 'bin', 'run-ts.js'),
        path.join(__dirname, 'commission-main.ts'),
        String(opportunities),
        String(reps),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    const r = JSON.parse(out) as CommissionBench;
    const large = opportunities >= 1_000_000;
    const section = `commissions (${fmt(opportunities)} opportunities, ${fmt(reps)} reps, ${r.plans} plans)`;
    for (const p of r.phases)
      record({
        group: 'commissions',
        section,
        measure: p.phase,
        value: `${fmt(p.seconds, 2)} s (CPU ${fmt(p.cpuSeconds, 2)} s)`,
      });
    const engine = r.phases.filter((p) => !p.phase.startsWith('write-back'));
    const engineSeconds = engine.reduce((a, p) => a + p.seconds, 0);
    const engineCpu = engine.reduce((a, p) => a + p.cpuSeconds, 0);
    record({
      group: 'commissions',
      section,
      measure: `engine total: ${fmt(r.credits)} credits → ${fmt(r.statements)} statements, ${fmt(r.lines)} lines`,
      value: `${fmt(engineSeconds, 2)} s (CPU ${fmt(engineCpu, 2)} s)`,
      target: large ? '< 10 s' : undefined,
      verdict: large ? (engineSeconds < 10 ? 'met' : 'NOT met') : undefined,
    });
    if (r.peakRssMb !== null)
      record({
        group: 'commissions',
        section,
        measure: 'peak RSS (synthetic snapshot + engine + records)',
        value: `${fmt(r.peakRssMb)} MiB`,
        target: large ? '< 2,048 MiB' : undefined,
        verdict: large ? (r.peakRssMb < 2048 ? 'met' : 'NOT met') : undefined,
      });
  }
}
