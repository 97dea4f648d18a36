import { existsSync } from 'node:fs';
import { readJsonFile } from '../json-file';
import { computeTerritoriesForCycle, summarizeTerritories } from '../../app/compute-territories';
import { loadStoreSnapshot } from '../../app/load-store-snapshot';
import { territoryWhatIf, type WhatIfResult } from '../../app/territory-what-if';
import { parseEnv } from '../../config/env';
import { loadTerritoryConfig } from '../../config/territory-config';
import { readSnapshotFromStore } from '../../crm/snapshot-mapping';
import { parseSnapshot, type Snapshot } from '../../domain';
import {
  BALANCE_MEASURES,
  checkTerritoryConfig,
  ModelSchema,
  type BalanceMeasure,
  type ModelInput,
  type ProposedMove,
  type TerritoryEngineConfig,
} from '../../domain/territory';
import { AppError } from '../../shared/errors';
import { SqliteSyncStore } from '../../store';
import type { Output } from '../output';

export interface ComputeTerritoriesOptions {
  input?: string;
  asOf?: string;
  json: boolean;
  /** proposed.json: a model, or `{ "moves": [...] }`. */
  model?: string;
  diff?: boolean;
  balance?: string;
  min?: string;
  max?: string;
  tolerance?: string;
  group?: string;
  effectiveDate?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `salesops compute territories [--input snapshot.json] [--model proposed.json --diff]
 * [--balance <measure> --min N --max N | --tolerance 0.1] [--json]`: the territory engine on a
 * snapshot file or the store; with --model or --balance a dry run that prints the diff and writes
 * nothing.
 */
export async function computeTerritoriesCommand(
  opts: ComputeTerritoriesOptions,
  out: Output,
  today: () => string,
): Promise<void> {
  const asOf = opts.asOf ?? today();
  if (!DATE.test(asOf)) throw new AppError('USAGE', `--as-of must be a date like 2026-11-27, got '${asOf}'`);
  if (opts.diff && !opts.model && !opts.balance)
    throw new AppError(
      'USAGE',
      '--diff compares with a proposed change: give --model proposed.json or --balance <measure>',
    );
  const balance = opts.balance !== undefined ? balanceSpec(opts, asOf) : undefined;
  const config = loadTerritoryConfig();
  const { snapshot, source } = await loadSnapshot(opts.input);

  if (opts.model || balance) {
    const proposed = opts.model ? readProposal(opts.model, config) : {};
    const result = territoryWhatIf({ snapshot, config, asOf, ...proposed, ...(balance ? { balance } : {}) });
    out.result({ ok: true, asOf, source, ...whatIfJson(result) }, renderWhatIf(result, asOf, source));
    return;
  }
  const { result, summary, resultSets } = computeTerritoriesForCycle(snapshot, config, asOf);
  out.result(
    {
      ok: true,
      asOf,
      source,
      activeModel: result.activeModel,
      models: result.models.map((m) => ({
        modelKey: m.modelKey,
        state: m.state,
        accounts: m.accounts.length,
        assigned: m.accounts.filter((d) => d.territoryKey !== null).length,
        unassigned: m.accounts
          .filter((d) => d.territoryKey === null)
          .slice(0, 100)
          .map((d) => ({ accountId: d.accountId, why: d.trace[0] })),
        assignmentRows: m.assignmentRows.length,
        territories: m.territoryRows,
      })),
      records: Object.fromEntries(resultSets.map((s) => [s.sobject, s.records.length])),
      warnings: result.warnings,
    },
    [
      `Territories on ${source} as of ${asOf}:`,
      ...summary.map((l) => `  ${l}`),
      ...territoryTable(result.models),
    ].join('\n'),
  );
}

function balanceSpec(opts: ComputeTerritoriesOptions, asOf: string) {
  if (!(BALANCE_MEASURES as readonly string[]).includes(opts.balance!))
    throw new AppError(
      'USAGE',
      `--balance takes one of ${BALANCE_MEASURES.join(', ')}, got '${opts.balance}'`,
    );
  const num = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
      throw new AppError('USAGE', `${flag} must be a non-negative number, got '${v}'`);
    return n;
  };
  const min = num(opts.min, '--min');
  const max = num(opts.max, '--max');
  const tolerance = num(opts.tolerance, '--tolerance');
  if (min === undefined && max === undefined && tolerance === undefined)
    throw new AppError(
      'USAGE',
      '--balance needs bounds: --min and/or --max, or --tolerance (e.g. 0.1 for ±10% of the mean)',
    );
  if (min !== undefined && max !== undefined && min > max)
    throw new AppError('USAGE', '--min is above --max');
  if (opts.group !== undefined && opts.group !== 'parent' && opts.group !== 'all')
    throw new AppError('USAGE', `--group is parent or all, got '${opts.group}'`);
  const effectiveDate = opts.effectiveDate ?? asOf;
  if (!DATE.test(effectiveDate))
    throw new AppError('USAGE', `--effective-date must be YYYY-MM-DD, got '${effectiveDate}'`);
  return {
    measure: opts.balance as BalanceMeasure,
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    group: (opts.group ?? 'parent') as 'parent' | 'all',
    effectiveDate,
  };
}

async function loadSnapshot(input: string | undefined): Promise<{ snapshot: Snapshot; source: string }> {
  if (input) {
    const parsed = parseSnapshot(readJsonFile(input));
    if (!parsed.ok) {
      const problems = parsed.errors.map((e) => `${input}: ${e.path}: ${e.message}`);
      throw new AppError('INPUT_INVALID', `Invalid snapshot:\n  - ${problems.join('\n  - ')}`, {
        file: input,
        problems,
      });
    }
    return { snapshot: parsed.snapshot, source: input };
  }
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
    return { snapshot, source: `the store ${dbFile}` };
  } finally {
    await store.close();
  }
}

/** proposed.json: a model object (as in territories.yaml), `{ "model": {...} }`, or `{ "moves": [...] }`. */
function readProposal(
  file: string,
  config: TerritoryEngineConfig,
): { proposedModel?: ModelInput; moves?: ProposedMove[] } {
  const json = readJsonFile(file) as Record<string, unknown>;
  if (json && typeof json === 'object' && Array.isArray(json.moves)) {
    const moves = (json.moves as Record<string, unknown>[]).map((m, i): ProposedMove => {
      const accountId = m.accountId;
      const to = m.toTerritoryKey;
      const date = m.effectiveDate;
      if (
        typeof accountId !== 'string' ||
        typeof to !== 'string' ||
        typeof date !== 'string' ||
        !DATE.test(date)
      )
        throw new AppError(
          'INPUT_INVALID',
          `${file}: moves[${i}]: needs accountId, toTerritoryKey and effectiveDate (YYYY-MM-DD)`,
          { file },
        );
      return { id: `PROPOSED|${i + 1}`, accountId, toTerritoryKey: to, effectiveDate: date };
    });
    return { moves };
  }
  const raw = json && typeof json === 'object' && 'model' in json ? json.model : json;
  const parsed = ModelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${file}: ${i.path.join('.') || '(top level)'}: ${i.message}`,
    );
    throw new AppError('INPUT_INVALID', `Invalid proposed model:\n  - ${problems.join('\n  - ')}`, {
      file,
      problems,
    });
  }
  const merged = {
    ...config.territories,
    models: [
      ...config.territories.models.filter((m) => m.key !== parsed.data.key),
      { ...parsed.data, state: 'Planning' as const },
    ],
  };
  const problems = checkTerritoryConfig(merged).map((p) => `${file}: ${p.path}: ${p.message}`);
  if (problems.length > 0)
    throw new AppError('INPUT_INVALID', `Invalid proposed model:\n  - ${problems.join('\n  - ')}`, {
      file,
      problems,
    });
  return { proposedModel: { ...parsed.data, state: 'Planning' } };
}

function whatIfJson(r: WhatIfResult): Record<string, unknown> {
  return {
    baseModel: r.baseModel,
    proposedModel: r.proposedModel,
    diff: r.diff,
    balance: r.balance
      ? {
          measure: r.balance.spec.measure,
          unit: r.balance.unit,
          method: r.balance.result.method,
          balanced: r.balance.result.balanced,
          moves: r.balance.result.moves,
          loadsBefore: r.balance.result.loadsBefore,
          loadsAfter: r.balance.result.loadsAfter,
          outOfBounds: r.balance.result.outOfBounds,
        }
      : null,
    proposals: r.proposals,
  };
}

function renderWhatIf(r: WhatIfResult, asOf: string, source: string): string {
  const lines = [
    `Dry run on ${source} as of ${asOf}: ${r.baseModel} → ${r.proposedModel}, ${r.diff.accountsChanged} accounts change`,
  ];
  if (r.balance) {
    const b = r.balance.result;
    lines.push(
      `  balancing ${r.balance.spec.measure} (${r.balance.unit}): ${b.moves.length} moves by ${b.method} search, ${b.balanced ? 'all territories within bounds' : `still out of bounds: ${b.outOfBounds.join(', ')}`}`,
    );
  }
  lines.push(
    '  territory            before → after  added  lost  in  out   pipeline in/out        quota before → after   coverage',
  );
  for (const t of r.diff.territories)
    lines.push(
      `  ${t.territoryKey.padEnd(20)} ${String(t.accountsBefore).padStart(6)} → ${String(t.accountsAfter).padEnd(5)} ${String(t.added.length).padStart(5)} ${String(t.lost.length).padStart(5)} ${String(t.movedIn.length).padStart(3)} ${String(t.movedOut.length).padStart(4)}   ${`${t.pipelineIn}/${t.pipelineOut}`.padEnd(22)} ${`${t.quotaBefore} → ${t.quotaAfter}`.padEnd(22)} ${t.coverageBefore ?? '-'} → ${t.coverageAfter ?? '-'}`,
    );
  if (r.diff.reps.length > 0) lines.push('  reps whose pipeline or quota moves:');
  for (const rep of r.diff.reps.slice(0, 50))
    lines.push(
      `    ${rep.name.padEnd(24)} pipeline ${rep.pipelineBefore} → ${rep.pipelineAfter}, quota ${rep.quotaBefore} → ${rep.quotaAfter}, coverage ${rep.coverageBefore ?? '-'} → ${rep.coverageAfter ?? '-'}`,
    );
  for (const m of r.diff.moves.slice(0, 20))
    lines.push(
      `  move ${m.accountName || m.accountId}: ${m.from ?? 'none'} → ${m.to ?? 'none'} (pipeline ${m.openPipeline}, quota ${m.quotaMoved})`,
    );
  if (r.diff.moves.length > 20)
    lines.push(`  … and ${r.diff.moves.length - 20} more moves (--json lists all)`);
  return lines.join('\n');
}

function territoryTable(models: ReturnType<typeof computeTerritoriesForCycle>['result']['models']): string[] {
  const lines: string[] = [];
  for (const m of models) {
    if (m.state === 'Archived') continue;
    lines.push(
      `  ${m.modelKey} (${m.state}) territory     accounts   open pipeline         quota   coverage`,
    );
    for (const t of m.territoryRows)
      if (t.figures)
        lines.push(
          `    ${t.territoryKey.padEnd(22)} ${String(t.figures.accountCount).padStart(7)} ${t.figures.openPipeline.padStart(15)} ${t.figures.quota.padStart(13)} ${String(t.figures.coverageRatio ?? '-').padStart(10)}`,
        );
  }
  return lines;
}

export { summarizeTerritories };
