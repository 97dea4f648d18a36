import { JobRunner } from '../../../server/src/jobs/job-runner';
import { JobService } from '../../../server/src/jobs/job-service';
import { createServerMetrics } from '../../../server/src/jobs/metrics';
import type { JobRecordPort, RunJob } from '../../../server/src/jobs/ports';
import { AppError } from '../../../server/src/shared/errors';
import type { Job } from '../../../server/src/store/job-store';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import { eventually, silent } from './helpers';

function setup(runJob: RunJob, records?: JobRecordPort) {
  const store = new SqliteJobStore(':memory:');
  const metrics = createServerMetrics();
  const runner = new JobRunner({
    store,
    runJob,
    owner: 'me',
    log: silent,
    metrics,
    records,
    leaseMs: 300,
    pollMs: 30,
  });
  const jobs = new JobService({ store, runner, records });
  return { store, metrics, runner, jobs };
}

test('a job that throws ends failed with its AppError code; a foreign error becomes INTERNAL', async () => {
  let n = 0;
  const { store, runner, jobs } = setup(async () => {
    n++;
    if (n === 1) throw new AppError('SYNC_FAILED', 'the org said no');
    throw new TypeError('x is undefined');
  });
  const a = (await jobs.submit({ type: 'Sync', trigger: 'API' })).job as Job;
  await eventually(async () => (await store.get(a.id))?.status === 'failed', 'first failure');
  const b = (await jobs.submit({ type: 'Sync', trigger: 'API' })).job as Job;
  await eventually(async () => (await store.get(b.id))?.status === 'failed', 'second failure');
  expect((await store.get(a.id))?.error).toEqual({ code: 'SYNC_FAILED', message: 'the org said no' });
  expect((await store.get(b.id))?.error).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
  await runner.shutdown(100);
  await store.close();
});

test('progress and checkpoints reach the store and the CRM record port; the record follows the job', async () => {
  const seen: string[] = [];
  const records: JobRecordPort = {
    queued: async (j) => void seen.push(`queued ${j.crmRecordId}`),
    started: async (j) => void seen.push(`started ${j.status}`),
    progress: async (_j, p, phase) => void seen.push(`progress ${p} ${phase}`),
    finished: async (j, o) => void seen.push(`finished ${o.status} ${j.progress}`),
    rejected: async () => undefined,
  };
  const { store, runner, jobs } = setup(async (_t, ctx) => {
    await ctx.progress(30, 'sync');
    await ctx.checkpoint({ page: 3 });
    const mid = await store.get(ctx.job.id);
    expect(mid).toMatchObject({ progress: 30, phase: 'sync', checkpoint: { page: 3 } });
    return { status: 'succeeded' };
  }, records);
  const j = (await jobs.submit({ type: 'Cycle', trigger: 'Manual', crmRecordId: 'a065g0000000001AAA' }))
    .job as Job;
  await eventually(async () => (await store.get(j.id))?.status === 'succeeded', 'the job');
  expect(seen).toEqual([
    'queued a065g0000000001AAA',
    'started running',
    'progress 30 sync',
    'finished succeeded 100',
  ]);
  await runner.shutdown(100);
  await store.close();
});

test('a CRM record that cannot be updated does not fail the job', async () => {
  const failing: JobRecordPort = {
    queued: async () => Promise.reject(new Error('org down')),
    started: async () => Promise.reject(new Error('org down')),
    progress: async () => Promise.reject(new Error('org down')),
    finished: async () => Promise.reject(new Error('org down')),
    rejected: async () => undefined,
  };
  const { store, runner, jobs } = setup(async (_t, ctx) => {
    await ctx.progress(50);
    return { status: 'succeeded' };
  }, failing);
  const j = (await jobs.submit({ type: 'Cycle', trigger: 'Manual', crmRecordId: 'a065g0000000001AAA' }))
    .job as Job;
  await eventually(async () => (await store.get(j.id))?.status === 'succeeded', 'the job');
  await runner.shutdown(100);
  await store.close();
});

test('a job that ignores its stop signal is released at the end of the grace period', async () => {
  let release!: () => void;
  const { store, runner, jobs } = setup(
    () => new Promise((r) => (release = () => r({ status: 'succeeded' }))),
  );
  const j = (await jobs.submit({ type: 'Cycle', trigger: 'API' })).job as Job;
  await eventually(() => runner.running() !== null, 'the job to start');
  expect(await runner.shutdown(50)).toBe(false);
  expect(await store.get(j.id)).toMatchObject({ status: 'interrupted', leaseUntil: 0 });
  // When it does finish later, it no longer owns the job: the next attempt's outcome counts.
  release();
  await runner.idle();
  expect((await store.get(j.id))?.status).toBe('interrupted');
  await store.close();
});

test('a job that keeps dying is abandoned after five attempts', async () => {
  const { store, metrics, runner } = setup(async () => ({ status: 'succeeded' }));
  await store.enqueue({ id: 'j', runId: 'j', type: 'Cycle', trigger: 'API', createdAt: 0 });
  // Five attempts whose process died (each lease claimed and left to expire).
  for (let i = 1; i <= 5; i++) await store.claimNext(`dead-${i}`, i * 10_000, 1);
  runner.kick();
  await eventually(async () => (await store.get('j'))?.status === 'failed', 'the job to be abandoned');
  expect((await store.get('j'))?.error).toEqual({
    code: 'JOB_ABANDONED',
    message: 'gave up after 5 attempts',
  });
  expect(await metrics.registry.getSingleMetricAsString('salesops_jobs_total')).toContain(
    'status="failed"} 1',
  );
  await runner.shutdown(100);
  await store.close();
});
