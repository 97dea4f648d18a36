import path from 'node:path';
import { parseScheduleConfig } from '../../../server/src/config/schedule-config';
import { JobRunner } from '../../../server/src/jobs/job-runner';
import { JobService } from '../../../server/src/jobs/job-service';
import { createServerMetrics } from '../../../server/src/jobs/metrics';
import { Scheduler } from '../../../server/src/jobs/scheduler';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import { eventually, gatedJob, silent, tempDir } from './helpers';

const CONFIG = parseScheduleConfig(`
schedules:
  every-second:
    cron: '* * * * * *'
    job: Cycle
  nightly:
    cron: '30 2 * * *'
    job: FullSync
    params: { full: true }
`);

function instance(file: string, run: ReturnType<typeof gatedJob>['run'], owner: string) {
  const store = new SqliteJobStore(file);
  const metrics = createServerMetrics();
  const runner = new JobRunner({ store, runJob: run, owner, log: silent, metrics, pollMs: 50 });
  const jobs = new JobService({ store, runner });
  const scheduler = new Scheduler({ config: CONFIG, jobs, log: silent, metrics });
  return { store, metrics, runner, jobs, scheduler };
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('sched-')));
afterEach(() => tmp.cleanup());

test('a tick while the last job of the schedule is unfinished is skipped, in this and another instance', async () => {
  const file = path.join(tmp.dir, 's.sqlite');
  const gate = gatedJob();
  const a = instance(file, gate.run, 'A');
  const b = instance(file, gate.run, 'B');
  try {
    expect(await a.scheduler.fire('nightly')).toBe('queued');
    // Queued, not yet running: still the same unfinished job.
    expect(await a.scheduler.fire('nightly')).toBe('skipped');
    a.runner.kick();
    await eventually(() => gate.calls.length === 1, 'the job to start');
    expect(await a.scheduler.fire('nightly')).toBe('skipped');
    expect(await b.scheduler.fire('nightly')).toBe('skipped');
    expect(gate.calls[0].job).toMatchObject({
      type: 'FullSync',
      trigger: 'Schedule',
      params: { full: true, schedule: 'nightly' },
    });

    gate.open();
    await eventually(
      async () => (await a.store.list({ status: 'succeeded' })).length === 1,
      'the job to finish',
    );
    expect(await b.scheduler.fire('nightly')).toBe('queued');
    const metrics = await a.metrics.registry.getSingleMetricAsString('salesops_schedule_ticks_total');
    expect(metrics).toContain('salesops_schedule_ticks_total{schedule="nightly",outcome="queued"} 1');
    expect(metrics).toContain('salesops_schedule_ticks_total{schedule="nightly",outcome="skipped"} 2');
  } finally {
    gate.open();
    for (const i of [a, b]) {
      await i.runner.shutdown(1000);
      await i.runner.idle();
      await i.store.close();
    }
  }
});

test('real cron ticks every second never overlap a job that takes longer than a second', async () => {
  const file = path.join(tmp.dir, 'c.sqlite');
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const a = instance(
    file,
    async () => {
      active++;
      runs++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2300));
      active--;
      return { status: 'succeeded' };
    },
    'A',
  );
  const config = { ...CONFIG, schedules: { 'every-second': CONFIG.schedules['every-second'] } };
  const scheduler = new Scheduler({ config, jobs: a.jobs, log: silent, metrics: a.metrics });
  a.runner.start();
  scheduler.start();
  try {
    await new Promise((r) => setTimeout(r, 3500));
  } finally {
    await scheduler.stop();
  }
  await a.runner.shutdown(5000);
  await a.runner.idle();
  const text = await a.metrics.registry.getSingleMetricAsString('salesops_schedule_ticks_total');
  const skipped = Number(/outcome="skipped"} (\d+)/.exec(text)?.[1] ?? 0);
  await a.store.close();
  expect(maxActive).toBe(1);
  // ~3 ticks: the first queues, the ones during the 2.3 s run are skipped, one after it may queue.
  expect(runs).toBeGreaterThanOrEqual(1);
  expect(runs).toBeLessThanOrEqual(2);
  expect(skipped).toBeGreaterThanOrEqual(1);
});

test('the committed schedules file is valid and a bad one names file, path and reason', () => {
  expect(() => parseScheduleConfig('commandPollSeconds: 10\n', 'x.yaml')).toThrow(
    'x.yaml: commandPollSeconds: must be at least 60',
  );
  expect(() =>
    parseScheduleConfig("schedules:\n  a:\n    cron: '61 * * * *'\n    job: Cycle\n", 'x.yaml'),
  ).toThrow(/x\.yaml: schedules\.a\.cron: invalid cron expression/);
  expect(() => parseScheduleConfig('timezone: Mars/Base\n', 'x.yaml')).toThrow(
    /x\.yaml: timezone: must be an IANA/,
  );
});
