import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { computeCommissionsForCycle } from '../../app/compute-commissions';
import { loadStoreSnapshot } from '../../app/load-store-snapshot';
import { COMMISSION_PLANS_DIR, loadCommissionPlans } from '../../config/commission-plans';
import { parseEnv } from '../../config/env';
import { readSnapshotFromStore } from '../../crm/snapshot-mapping';
import { parseSnapshot, type Snapshot } from '../../domain';
import type { CommissionResult } from '../../domain/commission/types';
import { AppError } from '../../shared/errors';
import { SqliteSyncStore } from '../../store';
import type { Output } from '../output';

export interface ComputeCommissionsOptions {
  input?: string;
  /** Folder of plan files (default config/commission-plans): try a plan change before rolling it out. */
  plans?: string;
  asOf: string;
  json: boolean;
}

/**
 * `salesops compute commissions [--input snapshot.json] [--plans DIR] [--as-of DATE] [--json]`:
 * statements and lines for every rep, on an exported snapshot or on the store.
 */
export async function computeCommissionsCommand(opts: ComputeCommissionsOptions, out: Output): Promise<void> {
  const plansDir = opts.plans ? path.resolve(opts.plans) : COMMISSION_PLANS_DIR;
  const book = loadCommissionPlans(plansDir);
  const { snapshot, source } = opts.input
    ? { snapshot: readSnapshot(opts.input), source: { file: opts.input } }
    : await storeSnapshot();
  const { result, summary } = computeCommissionsForCycle(snapshot, book, opts.asOf);
  const where = opts.input ? opts.input : `the store ${source.store ?? ''}`;
  out.result(
    {
      ok: true,
      asOf: opts.asOf,
      source,
      plans: { dir: plansDir, keys: book.plans.map((p) => p.key) },
      commissions: result,
    },
    [
      `Commissions on ${where} as of ${opts.asOf} (plans in ${plansDir}):`,
      ...summary.map((l) => `  ${l}`),
      ...statementTable(result),
    ].join('\n'),
  );
}

function statementTable(result: CommissionResult): string[] {
  const current = result.statements.filter(
    (s) => s.periodStatus === 'Open' && s.periodStart <= result.asOf && s.periodEnd >= result.asOf,
  );
  if (current.length === 0) return [];
  const rows = current
    .slice(0, 20)
    .map(
      (s) =>
        `  ${s.repName.padEnd(24).slice(0, 24)} ${s.periodKey.padEnd(11)} ${s.currency} earned ${s.earned.padStart(12)}  payable ${s.payable.padStart(12)}  attainment ${s.attainment === null ? '   n/a' : `${(Number(s.attainment) * 100).toFixed(1).padStart(6)}%`}  projected commit ${s.projectedCommit}`,
    );
  if (current.length > 20) rows.push(`  … and ${current.length - 20} more (use --json for all)`);
  return ['  current period:', ...rows];
}

function readSnapshot(file: string): Snapshot {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError(
      'INPUT_INVALID',
      `${file}: cannot be read as JSON (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
  const parsed = parseSnapshot(json);
  if (!parsed.ok) {
    const problems = parsed.errors.map((e) => `${file}: ${e.path}: ${e.message}`);
    throw new AppError('INPUT_INVALID', `Invalid snapshot:\n  - ${problems.join('\n  - ')}`, {
      file,
      problems,
    });
  }
  return parsed.snapshot;
}

async function storeSnapshot(): Promise<{ snapshot: Snapshot; source: { store?: string; file?: string } }> {
  const dbFile = parseEnv().dbFile;
  if (dbFile !== ':memory:' && !existsSync(dbFile))
    throw new AppError(
      'INPUT_INVALID',
      `There is no store at ${dbFile} yet: run salesops sync first (or pass --input snapshot.json).`,
      { reason: 'store-missing', store: dbFile },
    );
  const store = new SqliteSyncStore(dbFile);
  try {
    const { snapshot } = await loadStoreSnapshot(store, (s) => readSnapshotFromStore(s));
    return { snapshot, source: { store: dbFile } };
  } finally {
    await store.close();
  }
}
