import http from 'node:http';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import type { ScheduleConfig } from '../config/schedule-config';
import { CommandListener } from '../jobs/command-listener';
import { JobRunner } from '../jobs/job-runner';
import { JobService } from '../jobs/job-service';
import { createServerMetrics, type ServerMetrics } from '../jobs/metrics';
import type { CommandSource, JobRecordPort, RunJob } from '../jobs/ports';
import { Scheduler } from '../jobs/scheduler';
import type { Logger } from '../shared/logger';
import type { JobStore } from '../store/job-store';
import { createApp, type AppDeps } from './app';
import type { EnginePorts, Readiness } from './ports';

export interface ServerDeps {
  port: number;
  host?: string;
  apiToken: string;
  /** The job table; the server closes it on close. */
  store: JobStore;
  runJob: RunJob;
  engines: EnginePorts;
  schedules: ScheduleConfig;
  /** Commands from the CRM; absent: API and schedules only. */
  commands?: { source: CommandSource; records: JobRecordPort };
  log: Logger;
  metrics?: ServerMetrics;
  /** Readiness probes besides the server's own (e.g. the org answers). */
  readinessChecks?: Record<string, () => Promise<void>>;
  /** False: schedules are not armed (tests, `--no-schedules`). */
  schedulesEnabled?: boolean;
  owner?: string;
  leaseMs?: number;
  runnerPollMs?: number;
  rateLimit?: { windowMs: number; limit: number };
  /** Routers mounted beside the API (the widget preview); see AppDeps.mounts. */
  mounts?: AppDeps['mounts'];
  now?: () => number;
}

export interface RunningServer {
  url: string;
  port: number;
  owner: string;
  jobs: JobService;
  runner: JobRunner;
  scheduler: Scheduler;
  listener: CommandListener | null;
  metrics: ServerMetrics;
  /** Stops HTTP, schedules and the listener; lets the running job finish or checkpoint (graceMs). */
  close(graceMs?: number): Promise<void>;
}

/**
 * `salesops serve` (and `npm start`, beside the embedded org): the HTTP API, the job runner, the
 * schedules and the CRM command listener around one job store. Resolves once it listens.
 */
export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const log = deps.log;
  const metrics = deps.metrics ?? createServerMetrics({ defaultMetrics: true });
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const runner = new JobRunner({
    store: deps.store,
    runJob: deps.runJob,
    owner,
    log,
    metrics,
    records: deps.commands?.records,
    leaseMs: deps.leaseMs,
    pollMs: deps.runnerPollMs,
    now: deps.now,
  });
  const jobs = new JobService({ store: deps.store, runner, records: deps.commands?.records, now: deps.now });
  const scheduler = new Scheduler({ config: deps.schedules, jobs, log, metrics });
  const listener = deps.commands
    ? new CommandListener({
        source: deps.commands.source,
        jobs,
        records: deps.commands.records,
        log,
        metrics,
        pollSeconds: deps.schedules.commandPollSeconds,
      })
    : null;

  let closing = false;
  const readiness = async (): Promise<Readiness> => {
    const checks: Readiness['checks'] = { accepting: { ok: !closing } };
    try {
      await deps.store.getState('readiness-probe');
      checks.store = { ok: true };
    } catch (err) {
      checks.store = { ok: false, detail: (err as Error).message };
    }
    for (const [name, probe] of Object.entries(deps.readinessChecks ?? {})) {
      try {
        await probe();
        checks[name] = { ok: true };
      } catch (err) {
        checks[name] = { ok: false, detail: (err as Error).message };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  const app = createApp({
    apiToken: deps.apiToken,
    jobs,
    engines: deps.engines,
    readiness,
    metrics,
    log,
    rateLimit: deps.rateLimit,
    mounts: deps.mounts,
  });
  const server = http.createServer(app);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${deps.host ?? '127.0.0.1'}:${port}`;

  runner.start();
  if (deps.schedulesEnabled !== false) scheduler.start();
  if (listener) await listener.start();
  log.info({ url, owner }, 'companion server listening');

  return {
    url,
    port,
    owner,
    jobs,
    runner,
    scheduler,
    listener,
    metrics,
    close: async (graceMs = 25_000) => {
      if (closing) return;
      closing = true;
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await scheduler.stop();
      await listener?.stop();
      // A job that ignored its stop signal is left behind (released for the next start).
      if (await runner.shutdown(graceMs)) await runner.idle();
      await httpClosed;
      await deps.store.close();
      log.info('companion server stopped');
    },
  };
}
