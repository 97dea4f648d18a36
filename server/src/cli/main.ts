import { Command, CommanderError, Option } from 'commander';
import { parseEnv } from '../config/env';
import { createLogger, type Logger } from '../shared/logger';
import { computeCommand } from './commands/compute';
import { demoCommand } from './commands/demo';
import { orgStartCommand } from './commands/org-start';
import { serveCommand } from './commands/serve';
import { runCommand } from './commands/run';
import { EMBEDDED_ORG_DB, syncCommand } from './commands/sync';
import { writebackCommand } from './commands/writeback';
import { createOutput, reportFailure } from './output';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Builds the `salesops` program. Actions throw AppError; `main` turns that into exit codes. */
export function buildProgram(logger: () => Logger): Command {
  const program = new Command('salesops')
    .description('SalesOps Companion: forecasting, territories, quotas, commissions and KPIs for Salesforce')
    .showHelpAfterError()
    .exitOverride();

  const org = program.command('org').description('the embedded Salesforce org');
  org
    .command('start')
    .description('start the embedded org; prints its login URL and credentials')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8383')
    .option('--db <file>', "SQLite file of the org (':memory:' keeps nothing)", EMBEDDED_ORG_DB)
    .option('--metadata <dir>', 'extra SFDX source folder with custom objects (repeatable)', collect, [])
    .addOption(new Option('--seed <kind>', 'demo data').choices(['demo', 'none']).default('demo'))
    .option('--size <size>', 'small | medium | large | N reps', 'small')
    .option('--token <token>', 'a static development access token')
    .option(
      '--fiscal-start-month <n>',
      'first month of the fiscal year, 1-12 (new org files only; default 1)',
    )
    .option('--faults <spec>', 'fault injection, e.g. seed=7,5xx=0.05,lock=0.1')
    .option('--json', 'print one JSON object', false)
    .action((opts) => orgStartCommand(opts, createOutput(opts.json), logger()));

  program
    .command('sync')
    .description('incremental (or full) sync from the org into the store')
    .option('--full', 'resync everything', false)
    .option('--objects <list>', 'only these objects, comma-separated (e.g. Account,Opportunity)')
    .option('--json', 'machine-readable result', false)
    .action((opts) => syncCommand(opts, createOutput(opts.json), logger()));

  program
    .command('compute')
    .description('run engines on the store, or on a snapshot file')
    .argument('<engine>', 'forecast | territories | commissions | kpis | all')
    .option('--input <file>', 'snapshot JSON file (offline what-if)')
    .option('--as-of <date>', 'the date the engines compute as of (YYYY-MM-DD, default today in UTC)')
    .option(
      '--export-snapshot <file>',
      'also write the snapshot built from the store as JSON (for --input what-ifs)',
    )
    .option('--plans <dir>', 'commission plans folder (compute commissions; default config/commission-plans)')
    .option(
      '--model <file>',
      'territories: proposed model (or {"moves": [...]}) to compare with the active one',
    )
    .option(
      '--diff',
      'territories: print the diff against --model or --balance (dry run, writes nothing)',
      false,
    )
    .option(
      '--balance <measure>',
      'territories: accountCount | openPipeline | potentialRevenue | potentialEmployees | workload',
    )
    .option('--min <n>', 'territories: lower bound of the balanced measure per territory')
    .option('--max <n>', 'territories: upper bound of the balanced measure per territory')
    .option('--tolerance <share>', 'territories: bounds as ± this share of the sibling mean (0.1 = ±10%)')
    .option('--group <scope>', 'territories: balance among siblings (parent) or all leaves (all)')
    .option('--effective-date <date>', 'territories: when balancing moves take effect (default --as-of)')
    .option('--json', 'machine-readable result', false)
    .action((engine: string, opts) =>
      computeCommand(engine, opts, createOutput(opts.json), () => new Date().toISOString().slice(0, 10)),
    );

  program
    .command('writeback')
    .description('write changed results to the org')
    .option('--dry-run', 'show what would be written', false)
    .option('--as-of <date>', 'the date the engines compute as of (YYYY-MM-DD, default today in UTC)')
    .option('--json', 'machine-readable result', false)
    .action((opts) => writebackCommand(opts, createOutput(opts.json), logger()));

  program
    .command('run')
    .description('one full cycle: sync, compute, write-back; prints a summary')
    .option('--as-of <date>', 'the date the engines compute as of (YYYY-MM-DD, default today in UTC)')
    .option('--json', 'machine-readable result', false)
    .action((opts) => runCommand(opts, createOutput(opts.json), logger()));

  program
    .command('serve')
    .description('HTTP API, scheduler and CRM command listener')
    .option('--port <n>', 'port to listen on (default: PORT or 8080; 0 picks a free one)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-schedules', 'do not arm the schedules of config/schedules.yaml')
    .option('--json', 'machine-readable result', false)
    .action((opts) => serveCommand(opts, createOutput(opts.json), logger()));

  program
    .command('demo')
    .description('embedded org with demo data, one cycle, then keep it running (npm start)')
    .option('--once', 'exit after the cycle', false)
    .option('--size <size>', 'small | medium | large | N reps', 'small')
    .option('--db <file>', 'SQLite file of the demo org', EMBEDDED_ORG_DB)
    .option('--org-port <n>', 'port of the embedded org', '8383')
    .option('--server-port <n>', 'port of the companion server and the preview (default: PORT or 8080)')
    .option('--json', 'machine-readable result', false)
    .action((opts) => demoCommand(opts, createOutput(opts.json), logger()));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  let log: Logger | undefined;
  const logger = (): Logger => (log ??= createLogger(parseEnv().logLevel));
  try {
    await buildProgram(logger).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
        return 0;
      return 2;
    }
    return reportFailure(err, json);
  }
}
