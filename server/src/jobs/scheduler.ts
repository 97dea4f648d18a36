import cron, { type ScheduledTask } from 'node-cron';
import type { ScheduleConfig } from '../config/schedule-config';
import type { Logger } from '../shared/logger';
import type { JobService } from './job-service';
import type { ServerMetrics } from './metrics';

export type TickOutcome = 'queued' | 'skipped';

/**
 * The configured schedules (node-cron). A tick queues the schedule's job with the schedule as its
 * active key: while that job is queued or running, later ticks are skipped, in this instance and in
 * any other sharing the store (the key is unique among unfinished jobs in the store).
 */
export class Scheduler {
  private tasks: ScheduledTask[] = [];

  constructor(
    private readonly deps: {
      config: ScheduleConfig;
      jobs: Pick<JobService, 'submit'>;
      log: Logger;
      metrics: ServerMetrics;
    },
  ) {}

  start(): void {
    const { config, log } = this.deps;
    for (const [name, entry] of Object.entries(config.schedules)) {
      if (!entry.enabled) continue;
      const task = cron.schedule(
        entry.cron,
        async () => {
          await this.fire(name).catch((err: unknown) =>
            log.error({ schedule: name, err: (err as Error).message }, 'schedule tick failed'),
          );
        },
        { timezone: entry.timezone ?? config.timezone, name: `salesops:${name}` },
      );
      this.tasks.push(task);
      log.info(
        { schedule: name, cron: entry.cron, job: entry.job, next: task.getNextRun() },
        'schedule armed',
      );
    }
  }

  /** One tick of a schedule (what cron calls; tests call it directly). */
  async fire(name: string): Promise<TickOutcome> {
    const entry = this.deps.config.schedules[name];
    if (!entry) throw new Error(`no schedule named ${name}`);
    const res = await this.deps.jobs.submit({
      type: entry.job,
      trigger: 'Schedule',
      params: { ...entry.params, schedule: name },
      activeKey: `schedule:${name}`,
    });
    const outcome: TickOutcome = res.created ? 'queued' : 'skipped';
    this.deps.metrics.scheduleTicks.inc({ schedule: name, outcome });
    if (!res.created)
      this.deps.log.info(
        { schedule: name, runningJob: res.job?.id },
        'schedule tick skipped: its last job has not finished',
      );
    return outcome;
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks = [];
  }
}
