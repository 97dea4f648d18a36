import { parseSeedSize, runOrgStart } from '../../../../emulator/src/cli/org-start';
import { parseFaultSpec } from '../../../../emulator/src/faults/spec';
import { demoViewersOf } from '../../../../emulator/src/seed';
import type { Output } from '../output';
import { createProgressReporter } from '../progress';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';

export interface OrgStartCliOptions {
  port: string;
  db: string;
  metadata: string[];
  seed: string;
  size: string;
  token?: string;
  fiscalStartMonth?: string;
  faults?: string;
  json: boolean;
}

/**
 * `salesops org start`. The CLI is the one composition root allowed to load the embedded org
 * in-process (the server itself only ever talks to it over HTTP).
 */
export async function orgStartCommand(
  opts: OrgStartCliOptions,
  out: Output,
  log: Logger,
): Promise<never | void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usage(`--port must be a port number, got '${opts.port}'`);
  if (opts.seed !== 'demo' && opts.seed !== 'none')
    throw usage(`--seed must be demo or none, got '${opts.seed}'`);
  const size = parseSeedSize(opts.size);
  if (size === null)
    throw usage(`--size must be small, medium, large or a number of reps, got '${opts.size}'`);
  const faults = opts.faults ? parseFaults(opts.faults) : undefined;
  const fiscalStartMonth = opts.fiscalStartMonth === undefined ? undefined : Number(opts.fiscalStartMonth);
  if (
    fiscalStartMonth !== undefined &&
    !(Number.isInteger(fiscalStartMonth) && fiscalStartMonth >= 1 && fiscalStartMonth <= 12)
  ) {
    throw usage(`--fiscal-start-month must be 1 to 12, got '${opts.fiscalStartMonth}'`);
  }

  const progress = createProgressReporter(!opts.json);
  const { running, seeded } = await runOrgStart({
    port,
    dbFile: opts.db,
    metadataDirs: opts.metadata,
    seed: opts.seed,
    size,
    token: opts.token,
    fiscalStartMonth,
    faults,
    logger: log,
    onProgress: (p) => progress.update(p),
  }).finally(() => progress.stop());

  const info = {
    ok: true,
    instanceUrl: running.instanceUrl,
    loginUrl: running.instanceUrl,
    username: running.username,
    password: running.password,
    accessToken: running.accessToken,
    adminToken: running.adminToken,
    db: opts.db,
    seeded,
    // The demo users a preview can view as (rep, manager, ops admin), with their passwords.
    viewers: demoViewersOf(running.org).map(({ username, password, label, role }) => ({
      username,
      password,
      label,
      role,
    })),
  };
  const human = [
    `Embedded org listening at ${running.instanceUrl}`,
    `  login URL     ${running.instanceUrl}`,
    `  username      ${running.username}`,
    `  password      ${running.password}`,
    `  access token  ${running.accessToken}`,
    `  database      ${opts.db}`,
    seeded
      ? `  demo data     ${describeSize(seeded.size)}: ${Object.entries(seeded.counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(
            ', ',
          )}${seeded.seconds ? ` (generated in ${seeded.seconds.toFixed(1)} s)` : ' (already present)'}`
      : '  demo data     none',
    'Press Ctrl-C to stop.',
  ].join('\n');
  out.result(info, human);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
}

function usage(message: string): AppError {
  return new AppError('USAGE', message);
}

function describeSize(size: string | number): string {
  return typeof size === 'number' ? `${size} reps` : size;
}

function parseFaults(spec: string): ReturnType<typeof parseFaultSpec> {
  try {
    return parseFaultSpec(spec);
  } catch (err) {
    throw usage(`--faults: ${(err as Error).message}`);
  }
}
