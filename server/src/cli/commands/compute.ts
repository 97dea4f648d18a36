import { readFileSync } from 'node:fs';
import { computeFromSnapshot, type SnapshotEngine } from '../../app/compute-from-snapshot';
import { loadEngineConfig } from '../../config/engine-config';
import { AppError } from '../../shared/errors';
import type { Output } from '../output';
import { notBuilt } from './not-built';

export interface ComputeOptions {
  input?: string;
  asOf?: string;
  json: boolean;
}

const ENGINES: Record<string, SnapshotEngine[] | 'later'> = {
  forecast: ['forecast'],
  kpis: ['kpis'],
  all: ['forecast', 'kpis'],
  territories: 'later',
  commissions: 'later',
};

/** `salesops compute <engine> --input snapshot.json [--as-of YYYY-MM-DD]`. */
export function computeCommand(engine: string, opts: ComputeOptions, out: Output, today: () => string): void {
  const engines = ENGINES[engine];
  if (!engines) throw new AppError('USAGE', `unknown engine '${engine}': use forecast, territories, commissions, kpis or all`);
  if (engines === 'later') notBuilt(`compute ${engine}`, 'its engine issue');
  if (!opts.input) notBuilt(`compute ${engine}` + ' without --input', 'computing on the store arrives with the full-cycle issue; pass --input snapshot.json');
  const asOf = opts.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new AppError('USAGE', `--as-of must be a date like 2026-11-27, got '${asOf}'`);

  const snapshotJson = readSnapshotFile(opts.input);
  const result = computeFromSnapshot({ engines, snapshotJson, source: opts.input, config: loadEngineConfig(), asOf });

  const lines = [`Computed on ${opts.input} as of ${asOf}:`];
  if (result.forecast) {
    const f = result.forecast;
    lines.push(`  forecast  ${f.rows.length} rows, ${f.waterfalls.length} waterfalls, definitions ${f.definitionVersion}`);
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
  out.result({ ok: true, ...result }, lines.join('\n'));
}

function readSnapshotFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('INPUT_INVALID', `${file}: cannot be read (${(err as Error).message})`, { file }, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('INPUT_INVALID', `${file}: not valid JSON (${(err as Error).message})`, { file }, { cause: err });
  }
}
