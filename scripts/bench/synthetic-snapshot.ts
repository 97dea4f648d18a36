/**
 * A deterministic synthetic org for benchmarks and the statistical forecast's backtest: the same
 * (size, seed, asOf) always builds the same snapshot. Deals live a simulated life — stage by stage,
 * pushed now and then, won with a probability that depends on the rep, the segment and the amount —
 * and leave Salesforce-style history rows behind, so the engines have something real to learn from.
 */
import { addDays } from '../../server/src/domain/calendar/dates';
import type { Snapshot } from '../../server/src/domain/snapshot/types';

export interface SyntheticOptions {
  opportunities: number;
  asOf: string;
  seed?: number;
  /** Share of deals that carry history rows (1 = all). Large benches lower it to bound memory. */
  historyShare?: number;
  /** How far back deals are created, in days. */
  spanDays?: number;
}

const OPEN_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
];
const STAGE_PROBABILITY = [10, 10, 20, 50, 60, 70, 75, 90];
const SEGMENTS = ['SMB', 'MID', 'ENT'] as const;
const SEGMENT_BASE = { SMB: 8000, MID: 30000, ENT: 120000 };
const SEGMENT_EFFECT = { SMB: 0.2, MID: 0, ENT: -0.3 };

/** mulberry32: small, fast, deterministic. */
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

export function buildSyntheticSnapshot(options: SyntheticOptions): Snapshot {
  const random = rng(options.seed ?? 42);
  const normal = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const n = options.opportunities;
  const historyShare = options.historyShare ?? 1;
  // Five years: the training and backtest quarters (three years) then see a pipeline in steady state.
  const span = options.spanDays ?? 5 * 365;
  const repCount = Math.max(4, Math.round(n / 1000));
  const teamSize = 8;
  const teams = Math.ceil(repCount / teamSize);

  const roles: Snapshot['roles'] = [
    { id: 'R_VP', name: 'VP Sales', parentRoleId: null, forecastManagerId: 'U_VP' },
  ];
  const users: Snapshot['users'] = [
    { id: 'U_VP', name: 'VP', roleId: 'R_VP', isActive: true, segment: null },
  ];
  for (let t = 0; t < teams; t += 1) {
    roles.push({ id: `R_M${t}`, name: `Team ${t}`, parentRoleId: 'R_VP', forecastManagerId: `U_M${t}` });
    roles.push({ id: `R_R${t}`, name: `Team ${t} reps`, parentRoleId: `R_M${t}`, forecastManagerId: null });
    users.push({ id: `U_M${t}`, name: `Manager ${t}`, roleId: `R_M${t}`, isActive: true, segment: null });
  }
  const reps: { id: string; skill: number; segment: (typeof SEGMENTS)[number] }[] = [];
  for (let r = 0; r < repCount; r += 1) {
    const segment = SEGMENTS[r % 3]!;
    const id = `U_R${r}`;
    reps.push({ id, skill: normal() * 0.8, segment });
    users.push({ id, name: `Rep ${r}`, roleId: `R_R${Math.floor(r / teamSize)}`, isActive: true, segment });
  }

  const quotas: Snapshot['quotas'] = [];
  const opportunities: Snapshot['opportunities'] = [];
  const history: Snapshot['history'] = [];
  const asOf = options.asOf;
  for (let i = 0; i < n; i += 1) {
    const rep = reps[Math.floor(random() * reps.length)]!;
    const created = addDays(asOf, -Math.floor(random() * span));
    const amountMajor = Math.round(SEGMENT_BASE[rep.segment] * Math.exp(normal() * 0.7) * 100) / 100;
    const roll = random();
    const currency = roll < 0.8 ? 'USD' : roll < 0.95 ? 'EUR' : 'JPY';
    const amount = currency === 'JPY' ? String(Math.round(amountMajor * 150)) : amountMajor.toFixed(2);
    const logOdds = -0.4 + rep.skill + SEGMENT_EFFECT[rep.segment] - 0.35 * Math.log10(amountMajor / 10000);
    const wins = random() < 1 / (1 + Math.exp(-logOdds));
    const lastStage = wins ? OPEN_STAGES.length - 1 : Math.floor(random() * OPEN_STAGES.length);
    let planned = addDays(created, 45 + Math.floor(random() * 90));
    let day = created;
    const id = `OPP${String(i).padStart(8, '0')}`;
    const withHistory = random() < historyShare;
    const rows: Snapshot['history'] = [];
    let stageName = OPEN_STAGES[0]!;
    let closed = false;
    const record = (changedAt: string): void => {
      if (withHistory) {
        rows.push({
          opportunityId: id,
          changedAt,
          stageName,
          amount,
          closeDate: planned,
          probability: null,
          ownerId: null,
        });
      }
    };
    record(created);
    for (let s = 1; s <= lastStage + 1; s += 1) {
      const next = addDays(day, 3 + Math.floor(random() * (wins ? 18 : 28)));
      if (next > asOf) break;
      day = next;
      // Losing deals slip more often: pushes carry signal the model can learn.
      if (random() < (wins ? 0.12 : 0.3))
        planned = addDays(planned > day ? planned : day, 20 + Math.floor(random() * 40));
      if (s <= lastStage) {
        stageName = OPEN_STAGES[s]!;
      } else {
        stageName = wins ? 'Closed Won' : 'Closed Lost';
        planned = day;
        closed = true;
      }
      record(day);
    }
    history.push(...rows);
    opportunities.push({
      id,
      name: `Deal ${i}`,
      accountId: null,
      ownerId: rep.id,
      stageName,
      amount,
      currency,
      closeDate: planned,
      createdDate: created,
      isClosed: closed,
      isWon: closed && wins,
      probability: closed ? (wins ? '100' : '0') : String(STAGE_PROBABILITY[OPEN_STAGES.indexOf(stageName)]),
      quantity: '1',
      territoryId: null,
      excludedFromTerritoryFilter: false,
      type: null,
      lastActivityDate: null,
      dates: {},
      amounts: {},
      lineItems: [],
      splits: [],
    });
  }
  return {
    version: 1,
    corporateCurrency: 'USD',
    currencies: [
      { code: 'USD', decimalPlaces: 2, staticRate: '1' },
      { code: 'EUR', decimalPlaces: 2, staticRate: '0.9' },
      { code: 'JPY', decimalPlaces: 0, staticRate: '150' },
    ],
    datedRates: [
      { currency: 'EUR', startDate: addDays(asOf, -span), rate: '0.92' },
      { currency: 'EUR', startDate: addDays(asOf, -180), rate: '0.88' },
      { currency: 'JPY', startDate: addDays(asOf, -span), rate: '140' },
    ],
    roles,
    users,
    roleAssignments: [],
    territories: [],
    accounts: [],
    opportunities,
    history,
    quotas,
    adjustments: [],
    submissions: [],
    payments: [],
    userDirectory: [],
    territoryAssignments: [],
    territoryChanges: [],
    opportunityTerritoryOverrides: [],
    territoryMembers: [],
    commissionLedger: { closedPeriods: [], lines: [], payouts: [] },
    commissionHolds: [],
  };
}
