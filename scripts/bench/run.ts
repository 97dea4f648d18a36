/**
 * `npm run bench`: the figures the issues ask for, printed and written to BENCHMARKS.md with the
 * machine and the date. Flags: `--skip-large` (no 1M-opportunity org or engine run),
 * `--large-sync` (also sync the large org: about 15 minutes), `--large-cycle` (also the full cycle
 * on large), `--only=a,b` (sections: seed, api, sync, engines, cycle), `--repeat=N` (the full
 * cycle N times, each on a fresh org: the median run is reported, with every run's wall time).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchBulkIngest, benchBulkQuery, benchBulkQueryRaw, benchBulkResultUpsert } from './bulk';
import { benchCollectionUpsert } from './collections';
import { benchCycle, type CycleBenchResult, type CycleFigures } from './cycle';
import type { EngineBench } from './engines';
import { cpuCheckMs, describeMachine } from './machine';
import { startBenchOrg, type BenchOrg } from './org-process';
import { BENCH_API_VERSION, benchRestPaging, connectBench, type ThroughputResult } from './rest-query';
import { benchSync, type SyncBenchResult } from './sync';
import { benchCommissionsSection } from './commission';
import { benchTerritorySection } from './territory-section';
import { heapFlags } from '../../server/src/cli/node-flags';
import { execFileSync } from 'node:child_process';

type Group = 'org' | 'sync' | 'engines' | 'cycle' | 'commissions' | 'territories';

const GROUP_TITLES: Record<Group, string> = {
  org: 'Embedded org: generation and API throughput',
  sync: 'Sync',
  engines: 'Engines',
  cycle: 'Full cycle',
  commissions: 'Commissions',
  territories: 'Territories',
};

interface Row {
  group: Group;
  section: string;
  measure: string;
  value: string;
  target?: string;
  verdict?: string;
}

const rows: Row[] = [];
const args = process.argv.slice(2);
const skipLarge = args.includes('--skip-large');
const largeSync = args.includes('--large-sync');
const largeCycle = args.includes('--large-cycle');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const repeatArg = args.find((a) => a.startsWith('--repeat='))?.slice('--repeat='.length);
const repeat = repeatArg === undefined ? 1 : Number(repeatArg);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 9) {
  throw new Error(`--repeat takes a whole number from 1 to 9, not ${repeatArg}`);
}
const only = new Set(
  onlyArg ? onlyArg.split(',') : ['seed', 'api', 'sync', 'engines', 'cycle', 'commissions', 'territories'],
);

function record(row: Omit<Row, 'group'> & { group?: Group }): void {
  const full: Row = {
    ...row,
    group:
      row.group ??
      (row.section.startsWith('sync')
        ? 'sync'
        : row.section.startsWith('engines')
          ? 'engines'
          : row.section.startsWith('cycle')
            ? 'cycle'
            : 'org'),
  };
  rows.push(full);
  process.stdout.write(
    `${row.section.padEnd(28)} ${row.measure.padEnd(44)} ${row.value}${row.target ? `  (target ${row.target}: ${row.verdict})` : ''}\n`,
  );
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const meets = (ok: boolean) => (ok ? 'met' : 'NOT met');

function throughput(section: string, measure: string, r: ThroughputResult, target?: number): void {
  record({
    section,
    measure,
    value: `${fmt(r.rowsPerSecond)} rows/s (${fmt(r.rows)} rows in ${fmt(r.seconds, 2)} s${r.minimumApiCalls ? `, ${r.apiCalls} API calls, minimum ${r.minimumApiCalls}` : ''})`,
    target: target ? `≥ ${fmt(target)} rows/s` : undefined,
    verdict: target ? meets(r.rowsPerSecond >= target) : undefined,
  });
}

async function withOrg<T>(
  size: string,
  dir: string,
  fn: (org: BenchOrg) => Promise<T>,
  /** The org's file in `dir`: the cycle needs an org the API benchmarks have not written to. */
  file = `${size}.sqlite`,
): Promise<T> {
  const org = await startBenchOrg(['--size', size, '--db', path.join(dir, file)]);
  try {
    return await fn(org);
  } finally {
    await org.stop();
  }
}

async function seedAndApi(dir: string): Promise<void> {
  const sizes = skipLarge ? ['small', 'medium'] : ['small', 'medium', 'large'];
  for (const size of sizes) {
    await withOrg(size, dir, async (org) => {
      if (only.has('seed')) {
        record({
          section: `generation (${size})`,
          measure: 'time to a seeded, listening org',
          value: `${fmt(org.readySeconds, 1)} s`,
        });
      }
      const conn = connectBench(org);
      if (only.has('api') && size === 'medium') {
        const count = (await conn.query('SELECT COUNT() FROM Opportunity')).totalSize;
        throughput(
          'REST query paging',
          `${fmt(count)} Opportunity rows, 15 fields, 2 parent paths`,
          await benchRestPaging(conn, count),
          50_000,
        );
        throughput(
          'Bulk 2.0 query',
          `${fmt(count)} Opportunity rows, the org's CSV as downloaded`,
          await benchBulkQueryRaw(conn, BENCH_API_VERSION),
          100_000,
        );
        throughput(
          'Bulk 2.0 query',
          `${fmt(count)} Opportunity rows through jsforce bulk2.query (parsed records)`,
          await benchBulkQuery(conn),
        );
      }
      if (only.has('sync') && (size === 'medium' || (size === 'large' && largeSync))) {
        recordSync(size, await benchSync(org, { dir }));
      }
      if (only.has('api') && size === 'medium') {
        const ingest = await benchBulkIngest(conn, 200_000);
        throughput('Bulk 2.0 ingest', `200,000 Account rows (failed: ${ingest.failed})`, ingest);
        const upserted = await benchBulkResultUpsert(conn, 100_000, org.pid);
        for (const [pass, r] of [
          ['created', upserted.create],
          ['updated', upserted.update],
        ] as const) {
          record({
            section: 'Bulk 2.0 upsert',
            measure: `100,000 Territory_Assignment__c ${pass} (parent lookup, trace)`,
            value: `${fmt(r.microsPerRow)} µs/row of org CPU (${r.orgCpuSeconds === null ? 'n/a' : fmt(r.orgCpuSeconds, 1)} s CPU, ${fmt(r.seconds, 1)} s wall, ${r.failed} failed)`,
            target: '< 70 µs/row',
            verdict: meets(r.microsPerRow < 70),
          });
        }
        const me = await conn.query<{ Id: string }>(
          "SELECT Id FROM User WHERE Username = 'admin@salesops.demo'",
        );
        const upsert = await benchCollectionUpsert(conn, 10_000, me.records[0].Id);
        throughput('collection upsert', '10,000 Sales_Quota__c rows created, 200 a call', upsert.create);
        throughput('collection upsert', '10,000 Sales_Quota__c rows updated, 200 a call', upsert.update);
      }
      if (size === 'large') {
        const conn2 = connectBench(org);
        await conn2.query(
          'SELECT Id, Name, Amount, Account.Name, Owner.Name FROM Opportunity ORDER BY CloseDate DESC LIMIT 2000',
        );
      }
      // The org's figures belong to the embedded-org group: a run that only seeded an org for the
      // sync would otherwise replace that group's API figures with this one row.
      const peak = only.has('seed') || only.has('api') ? org.peakRssMb() : null;
      if (peak !== null) {
        record({
          section: `embedded org (${size})`,
          measure:
            size === 'medium' && only.has('api')
              ? 'peak RSS (generation + every API benchmark)'
              : 'peak RSS (generation + serving)',
          value: `${fmt(peak)} MiB`,
          target: size === 'large' ? '< 1,024 MiB' : undefined,
          verdict: size === 'large' ? meets(peak < 1024) : undefined,
        });
      }
    });
  }
}

/**
 * BENCHMARKS.md keeps one section per group; a run replaces the groups it measured and keeps the
 * others as they were, each with its own date and machine.
 */
function writeReport(): void {
  const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = new Map<string, string>();
  for (const part of previous.split(/^## /m).slice(1))
    kept.set(part.slice(0, part.indexOf('\n')).trim(), '## ' + part.trimEnd());
  const command = `npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`;
  const sections = (Object.keys(GROUP_TITLES) as Group[]).map((group) => {
    const mine = rows.filter((r) => r.group === group);
    if (mine.length === 0)
      return kept.get(GROUP_TITLES[group]) ?? `## ${GROUP_TITLES[group]}\n\nNot measured yet.`;
    return [
      `## ${GROUP_TITLES[group]}`,
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()} by \`${command}\`. ${cpuChecks()}`,
      '',
      '| section | measure | value | target |',
      '|---|---|---|---|',
      ...mine.map(
        (r) =>
          `| ${r.section} | ${r.measure} | ${r.value} | ${r.target ? `${r.target}: ${r.verdict}` : ''} |`,
      ),
    ].join('\n');
  });
  const header = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (flags: `--skip-large`, `--large-sync`, `--large-cycle`, `--only=seed,api,sync,engines,cycle,commissions,territories`, `--repeat=N`).',
    'Each figure is one run, except the cycle figures of a `--repeat` run: those are the median run, with every run listed;',
    'the embedded org runs in its own process, as under `npm start`, and the engines in a process per size.',
  ].join('\n');
  writeFileSync(file, [header, ...sections].join('\n\n') + '\n');
}

/** The CPU check (machine.ts) taken before and after this run. */
const checks: number[] = [];

function cpuChecks(): string {
  const [before, after] = checks.map((ms) => `${fmt(ms)} ms`);
  return `CPU check ${before} before, ${after} after (about 1,000 ms when this machine is quiet).`;
}

async function main(): Promise<void> {
  checks.push(cpuCheckMs());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'salesops-bench-'));
  try {
    if (only.has('seed') || only.has('api') || only.has('sync')) await seedAndApi(dir);
    if (only.has('engines')) await benchEnginesSection();
    if (only.has('cycle')) await benchCycleSection(dir);
    if (only.has('commissions')) benchCommissionsSection(record, skipLarge);
    if (only.has('territories')) benchTerritorySection(record);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  checks.push(cpuCheckMs());
  process.stdout.write(`${cpuChecks()}\n`);
  writeReport();
}

function recordSync(size: string, r: SyncBenchResult): void {
  const section = `sync (${size})`;
  const figures = (label: string, f: SyncBenchResult['initial']) =>
    record({
      section,
      measure: label,
      value: `${fmt(f.rowsPerSecond)} rows/s (${fmt(f.rows)} rows in ${fmt(f.seconds, 1)} s); ${f.apiCalls} API calls (${f.describeApiCalls} describe), reading ${fmt(f.callRatio, 2)}× the minimum of ${f.minimumApiCalls}`,
      target: 'reading ≤ 1.1× minimum',
      verdict: meets(f.callRatio <= 1.1),
    });
  figures('initial sync into an empty store', r.initial);
  figures(
    `incremental sync, ${fmt(r.incremental.changedOpportunities)} opportunities changed (1%)`,
    r.incremental,
  );
  record({
    section,
    measure: 'peak RSS of the syncing process',
    value: `${fmt(r.peakRssMb)} MiB`,
    target: '< 1,024 MiB',
    verdict: meets(r.peakRssMb < 1024),
  });
}

/** Each size in a process of its own, so the peak RSS is the engines' alone. */
async function benchEnginesSection(): Promise<void> {
  const sizes: Array<[number, number]> = skipLarge
    ? [[200_000, 1]]
    : [
        [200_000, 1],
        [1_000_000, 0.2],
      ];
  for (const [n, historyShare] of sizes) {
    const out = execFileSync(
      process.execPath,
      [
        ...heapFlags(),
        path.resolve(__dirname, '..', '..', 'bin', 'run-ts.js'),
        path.join(__dirname, 'engines-main.ts'),
        String(n),
        String(historyShare),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
      },
    );
    const r = JSON.parse(out) as EngineBench;
    const section = `engines (${fmt(n)} opportunities, ${fmt(r.historyRows)} history rows)`;
    for (const t of r.timings) {
      const linear = t.engine.startsWith('linear pass');
      record({
        section,
        measure: t.engine,
        value: `${fmt(t.seconds, 2)} s (${fmt(t.opportunitiesPerSecond)} opportunities/s)`,
        target: linear ? '≥ 1,000,000 opportunities/s' : undefined,
        verdict: linear ? meets(t.opportunitiesPerSecond >= 1_000_000) : undefined,
      });
    }
    if (r.backtest) {
      const b = r.backtest;
      record({
        section,
        measure: `statistical forecast backtest (${b.quarters} quarters, ${fmt(b.predictions)} predictions)`,
        value: `Brier ${b.brierStatistical} vs ${b.brierNaive} (stage probability); call error vs all won ${b.mapeStatisticalVsAll} vs ${b.mapeNaiveVsAll}`,
      });
    }
    if (r.peakRssMb !== null) record({ section, measure: 'peak RSS', value: `${fmt(r.peakRssMb)} MiB` });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});

/**
 * Full cycle on medium (and large with --large-cycle), each on a fresh org in its own process;
 * `--repeat` times per size, since this machine's speed moves by tens of percent within an hour.
 */
async function benchCycleSection(dir: string): Promise<void> {
  const sizes = largeCycle && !skipLarge ? ['medium', 'large'] : ['medium'];
  for (const size of sizes) {
    const runs: CycleBenchResult[] = [];
    for (let i = 0; i < repeat; i++) {
      if (repeat > 1) process.stdout.write(`cycle (${size}): run ${i + 1} of ${repeat}\n`);
      const file = `${size}-cycle-${i}.sqlite`;
      runs.push(await withOrg(size, dir, (org) => benchCycle(org, { dir }), file));
      // A medium org's file is most of a gigabyte: keep one at a time.
      for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(dir, file + suffix), { force: true });
    }
    recordCycle(size, runs);
  }
}

/** The run whose figure is the median (the lower middle one of an even count), and every figure. */
function medianRun<T>(runs: T[], figure: (r: T) => number): { run: T; all: number[] } {
  const sorted = [...runs].sort((a, b) => figure(a) - figure(b));
  return { run: sorted[Math.floor((sorted.length - 1) / 2)]!, all: runs.map(figure) };
}

function recordCycle(size: string, runs: CycleBenchResult[]): void {
  const section = `cycle (${size})`;
  const figures = (label: string, pick: (r: CycleBenchResult) => CycleFigures, targetSeconds: number) => {
    const { run, all } = medianRun(runs, (r) => pick(r).seconds);
    const f = pick(run);
    const spread =
      all.length > 1 ? `, median of ${all.length} runs (${all.map((s) => `${fmt(s, 1)} s`).join(', ')})` : '';
    const ok = runs.every((r) => pick(r).status === 'succeeded');
    const worstRatio = Math.max(...runs.map((r) => pick(r).callRatio));
    record({
      section,
      measure: `${label}: wall time (sync ${fmt(f.phases.sync, 1)} s, compute ${fmt(f.phases.compute, 1)} s, write-back ${fmt(f.phases.writeback, 1)} s)`,
      value: `${fmt(f.seconds, 1)} s, ${f.status}${spread}`,
      target: size === 'medium' ? `< ${targetSeconds} s` : undefined,
      verdict: size === 'medium' ? meets(f.seconds < targetSeconds && ok) : undefined,
    });
    record({
      section,
      measure: `${label}: API calls against the minimum`,
      value: `${fmt(f.apiCalls)} calls, ${fmt(f.callRatio, 2)}× the minimum of ${fmt(f.minimumApiCalls)} (describe checks excluded)${
        runs.length > 1 ? `; at most ${fmt(worstRatio, 2)}× over the runs` : ''
      }`,
      target: '≤ 1.1×',
      verdict: meets(worstRatio <= 1.1),
    });
    if (f.computeBreakdown)
      record({ section, measure: `${label}: compute phase`, value: f.computeBreakdown });
    record({
      section,
      measure: `${label}: rows`,
      value: `${fmt(f.rowsRead)} read, ${fmt(f.resultRows)} results, ${fmt(f.rowsWritten)} written, ${fmt(f.rowsFailed)} failed`,
    });
  };
  figures('full cycle into an empty store', (r) => r.full, 120);
  figures(
    `incremental cycle, ${fmt(runs[0]!.incremental.changedOpportunities)} opportunities changed (1%)`,
    (r) => r.incremental,
    10,
  );
  record({
    section,
    measure: 'peak RSS of the cycle process',
    value: `${fmt(Math.max(...runs.map((r) => r.peakRssMb)))} MiB`,
  });
}
