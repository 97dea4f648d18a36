import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { heapFlags } from '../../server/src/cli/node-flags';
import type { TerritoryBench } from './territory';

export interface TerritoryBenchRow {
  group: 'territories';
  section: string;
  measure: string;
  value: string;
  target?: string;
  verdict?: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const meets = (ok: boolean) => (ok ? 'met' : 'NOT met');

/**
 * The "Territories" group of `npm run bench`: the engine in a process of its own (territory-main.ts)
 * so the peak RSS is its own. CPU time is the figure judged against the targets: the machine is
 * shared, and wall time there measures the neighbours as much as the engine.
 */
export function benchTerritorySection(record: (row: TerritoryBenchRow) => void): void {
  const out = execFileSync(
    process.execPath,
    [
      ...heapFlags(),
      path.resolve(__dirname, '..', '..', 'bin', 'run-ts.js'),
      path.join(__dirname, 'territory-main.ts'),
      '200000',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  const r = JSON.parse(out) as TerritoryBench;
  const group = 'territories' as const;
  const section = `territories (${fmt(r.accounts)} accounts)`;
  record({
    group,
    section,
    measure: `assignment against ${fmt(r.rules)} rules (${fmt(r.assigned)} assigned)`,
    value: `${fmt(r.assignCpuSeconds, 2)} s CPU (${fmt(r.assignSeconds, 2)} s wall)`,
    target: '< 5 s',
    verdict: meets(r.assignCpuSeconds < 5),
  });
  record({
    group,
    section,
    measure: `whole Active model: decisions, history, figures, ${fmt(r.assignmentRows)} assignment rows`,
    value: `${fmt(r.fullModelCpuSeconds, 2)} s CPU (${fmt(r.fullModelSeconds, 2)} s wall)`,
  });
  record({
    group,
    section,
    measure: `balancing ${fmt(r.balanceTerritories)} territories by account count, ±25% of siblings (${r.balanceMethod}, ${fmt(r.balanceMoves)} moves, ${r.balanced ? 'all within bounds' : 'some out of bounds'})`,
    value: `${fmt(r.balanceCpuSeconds, 2)} s CPU (${fmt(r.balanceSeconds, 2)} s wall)`,
    target: '< 60 s',
    verdict: meets(r.balanceCpuSeconds < 60),
  });
  if (r.peakRssMb !== null) record({ group, section, measure: 'peak RSS', value: `${fmt(r.peakRssMb)} MiB` });
}
