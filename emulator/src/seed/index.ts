/**
 * The deterministic demo-data generator of the embedded org (`--seed demo --size …`).
 *
 * Same size + seed + asOf → the same rows and ids: randomness comes from seeded streams, time
 * from `asOf` (never the wall clock), fiscal periods from the org's settings, ids from the org's
 * allocator in insertion order. Rows go straight to SQLite through RowWriter in transactions of a
 * few thousand rows; deals are streamed, so even `large` (1M opportunities) stays well under 1 GiB.
 */
import { performance } from 'node:perf_hooks';
import type { Org } from '../org';
import { getMeta, setMeta } from '../store/database';
import { toSecond } from '../store/codec';
import { settleAccountTypes, writeAccounts } from './accounts';
import { suspendIndexes } from './bulk-load';
import { dayInZone } from './calendar';
import { SeedContext, type SeedProgress } from './context';
import { writeOpportunities } from './opportunities';
import { writeOrgChart } from './org-chart';
import { writeQuotas } from './quotas';
import { writeCatalog, writeCurrencies, writePeriods, writeSplitTypes } from './reference-data';
import { type DemoSize, resolveSize, sizeLabel } from './sizes';

export type { DemoSize } from './sizes';
export type { SeedProgress } from './context';
export { resolveSize } from './sizes';
export {
  demoViewersOf,
  ensureDemoViewers,
  listDemoViewers,
  type DemoViewer,
  type DemoViewerRole,
  type DemoViewerUser,
} from './demo-viewers';

export interface GenerateDemoOptions {
  size: DemoSize;
  /** Any string or number; the default gives the canonical demo org. */
  seed?: string | number;
  /** The generation's "now" (ms, Date or ISO text); defaults to org.now(). */
  asOf?: number | Date | string;
  onProgress?: (p: SeedProgress) => void;
}

export interface DemoSummary {
  size: DemoSize;
  seed: string;
  /** ISO-8601 instant the data is relative to. */
  asOf: string;
  reps: number;
  /** Rows written per object. */
  counts: Record<string, number>;
  durationMs: number;
}

export const DEFAULT_SEED = 'salesops-demo';
const META_KEY = 'demoSeed';
/** The tables that get millions of rows at size large. */
const BULK_TABLES = [
  'Account',
  'Opportunity',
  'OpportunityLineItem',
  'OpportunityHistory',
  'OpportunitySplit',
];

export async function generateDemoOrg(org: Org, opts: GenerateDemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const counts = resolveSize(opts.size);
  if (isSeeded(org)) throw new Error('the org already has demo data; start from an empty org file');
  const adminUserId = bootstrappedAdmin(org);
  const asOf = toSecond(asOfMs(opts.asOf ?? org.now()));
  const seed = String(opts.seed ?? DEFAULT_SEED);
  const ctx = new SeedContext(
    org,
    seed,
    asOf,
    dayInZone(asOf, org.settings.timeZone),
    adminUserId,
    opts.onProgress,
  );

  ctx.tx(() => {
    writeCurrencies(ctx);
    writePeriods(ctx);
  });
  ctx.progress('reference', 1, 3);
  const chart = ctx.tx(() => writeOrgChart(ctx, counts.reps));
  const { catalog, splitTypeId } = ctx.tx(() => ({
    catalog: writeCatalog(ctx),
    splitTypeId: writeSplitTypes(ctx),
  }));
  ctx.progress('reference', 3, 3);
  const restoreIndexes = suspendIndexes(
    org,
    BULK_TABLES.filter((t) => ctx.has(t)),
  );
  try {
    const accounts = await writeAccounts(ctx, chart, counts.accounts);
    const bookings = await writeOpportunities(
      ctx,
      chart,
      accounts,
      catalog,
      splitTypeId,
      counts.opportunities,
    );
    writeQuotas(ctx, chart, bookings);
  } finally {
    ctx.progress('indexes', 0, 1);
    restoreIndexes();
    ctx.progress('indexes', 1, 1);
  }
  ctx.tx(() => settleAccountTypes(ctx));

  const summary: DemoSummary = {
    size: opts.size,
    seed,
    asOf: new Date(asOf).toISOString(),
    reps: counts.reps,
    counts: ctx.rowCounts(),
    durationMs: Math.round(performance.now() - started),
  };
  setMeta(org.db, META_KEY, JSON.stringify(summary));
  return summary;
}

/** The summary of an earlier generation into this org file, or null when it has no demo data. */
export function isSeeded(org: Org): DemoSummary | null {
  const stored = getMeta(org.db, META_KEY);
  return stored ? (JSON.parse(stored) as DemoSummary) : null;
}

export function describeSize(size: DemoSize): string {
  const c = resolveSize(size);
  return `${sizeLabel(size)}: ${c.reps} reps, ${c.accounts} accounts, ${c.opportunities} opportunities`;
}

function bootstrappedAdmin(org: Org): string {
  const stored = getMeta(org.db, 'bootstrapped');
  if (!stored) throw new Error('bootstrap the org (bootstrapOrg) before generating demo data');
  return (JSON.parse(stored) as { adminUserId: string }).adminUserId;
}

function asOfMs(value: number | Date | string): number {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new Error(`asOf is not a valid instant: ${String(value)}`);
  return ms;
}
