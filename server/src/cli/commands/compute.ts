import { existsSync, writeFileSync } from 'node:fs';
import { readJsonFile } from '../json-file';
import {
  computeFromSnapshot,
  type ComputeFromSnapshotResult,
  type SnapshotEngine,
} from '../../app/compute-from-snapshot';
import { computeFromStore } from '../../app/compute-from-store';
import { loadEngineConfig } from '../../config/engine-config';
import { parseEnv } from '../../config/env';
import { readSnapshotFromStore } from '../../crm/snapshot-mapping';
import { AppError } from '../../shared/errors';
import { SqliteSyncStore } from '../../store';
import type { Output } from '../output';
import { computeCommissionsCommand } from './compute-commissions';
import { notBuilt } from './not-built';
import { computeTerritoriesCommand, type ComputeTerritoriesOptions } from './compute-territories';

export interface ComputeOptions extends Omit<ComputeTerritoriesOptions, 'input' | 'asOf' | 'json'> {
  input?: string;
  asOf?: string;
  json: boolean;
  /** Write the snapshot built from the store to this file (the start of an offline what-if). */
  exportSnapshot?: string;
  /** Commission plans folder (compute commissions only). */
  plans?: string;
}

const ENGINES: Record<string, SnapshotEngine[] | 'later'> = {
  forecast: ['forecast'],
  kpis: ['kpis'],
  all: ['forecast', 'kpis'],
  territories: 'later',
  commissions: 'later',
};

/**
 * `salesops compute <engine> [--input snapshot.json] [--as-of YYYY-MM-DD] [--export-snapshot file]`:
 * the engines on an exported snapshot file, or, without --input, on the store `salesops sync` fills.
 */
export async function computeCommand(
  engine: string,
  opts: ComputeOptions,
  out: Output,
  today: () => string,
): Promise<void> {
  if (engine === 'territories') return computeTerritoriesCommand(opts, out, today);
  const engines = ENGINES[engine];
  if (!engines)
    throw new AppError(
      'USAGE',
      `unknown engine '${engine}': use forecast, territories, commissions, kpis or all`,
    );
  if (engine === 'commissions') {
    const asOfDate = opts.asOf ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfDate))
      throw new AppError('USAGE', `--as-of must be a date like 2026-11-27, got '${asOfDate}'`);
    return computeCommissionsCommand({ ...opts, asOf: asOfDate }, out);
  }
  if (engines === 'later') notBuilt(`compute ${engine}`, 'its engine issue');
  if (opts.input && opts.exportSnapshot)
    throw new AppError(
      'USAGE',
      '--export-snapshot writes the snapshot built from the store; it cannot be combined with --input',
    );
  const asOf = opts.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new AppError('USAGE', `--as-of must be a date like 2026-11-27, got '${asOf}'`);
  const config = loadEngineConfig();

  if (opts.input) {
    const snapshotJson = readJsonFile(opts.input);
    const result = computeFromSnapshot({ engines, snapshotJson, source: opts.input, config, asOf });
    out.result({ ok: true, ...result }, renderResult(`Computed on ${opts.input} as of ${asOf}:`, result, []));
    return;
  }

  const dbFile = parseEnv().dbFile;
  // Opening a missing file would create an empty store; say what to do instead.
  if (dbFile !== ':memory:' && !existsSync(dbFile)) {
    throw new AppError(
      'INPUT_INVALID',
      `There is no store at ${dbFile} yet: run salesops sync first (or pass --input snapshot.json).`,
      {
        reason: 'store-missing',
        store: dbFile,
      },
    );
  }
  const store = new SqliteSyncStore(dbFile);
  try {
    const { snapshot, notes, ...result } = await computeFromStore(
      { store, readSnapshot: (s) => readSnapshotFromStore(s) },
      { engines, config, asOf },
    );
    const lines: string[] = [];
    if (opts.exportSnapshot) {
      writeSnapshotFile(opts.exportSnapshot, snapshot);
      lines.push(`  snapshot written to ${opts.exportSnapshot}`);
    }
    out.result(
      {
        ok: true,
        source: { store: dbFile },
        ...result,
        notes,
        ...(opts.exportSnapshot ? { exportedSnapshot: opts.exportSnapshot } : {}),
      },
      renderResult(`Computed on the store ${dbFile} as of ${asOf}:`, result, [
        ...notes.map((n) => `  note: ${n}`),
        ...lines,
      ]),
    );
  } finally {
    await store.close();
  }
}

function renderResult(title: string, result: ComputeFromSnapshotResult, extra: string[]): string {
  const lines = [title];
  if (result.forecast) {
    const f = result.forecast;
    lines.push(
      `  forecast  ${f.rows.length} rows, ${f.waterfalls.length} waterfalls, definitions ${f.definitionVersion}`,
    );
    if (f.statistical) {
      const b = f.statistical.backtest.summary;
      lines.push(
        `  statistical forecast: ${f.statistical.trainingExamples} training examples; backtest over ${b.quarters} quarters: ` +
          `Brier ${b.brierStatistical ?? 'n/a'} vs ${b.brierNaive ?? 'n/a'} for stage probabilities`,
      );
    }
    for (const w of f.warnings) lines.push(`  warning: ${w.code}: ${w.message}`);
  }
  if (result.kpis) {
    const k = result.kpis;
    lines.push(`  kpis      ${k.rows.length} rows, definitions ${k.definitionVersion}`);
    for (const w of k.warnings) lines.push(`  warning: ${w.code}: ${w.message}`);
  }
  return [...lines, ...extra].join('\n');
}

function writeSnapshotFile(file: string, snapshot: unknown): void {
  try {
    writeFileSync(file, JSON.stringify(snapshot, null, 2) + '\n');
  } catch (err) {
    throw new AppError(
      'INPUT_INVALID',
      `${file}: cannot be written (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
}
