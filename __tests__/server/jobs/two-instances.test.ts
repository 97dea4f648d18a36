import path from 'node:path';
import request from 'supertest';
import { startServer, type RunningServer } from '../../../server/src/http/server';
import type { EnginePorts } from '../../../server/src/http/ports';
import type { JobContext, JobOutcome } from '../../../server/src/jobs/ports';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import { eventually, NO_SCHEDULES, silent, tempDir } from './helpers';

const TOKEN = 'two-instances-token-0123456789';
const engines: EnginePorts = {
  latestResults: async () => null,
  territoryDryRun: async () => ({}),
  commissionSimulate: async () => ({}),
};

test('two servers on one store: every job runs exactly once, and never two at a time', async () => {
  const tmp = tempDir('two-');
  const file = path.join(tmp.dir, 'shared.sqlite');
  const ran: Array<{ instance: string; jobId: string }> = [];
  let active = 0;
  let maxActive = 0;
  const runJob =
    (instance: string) =>
    async (_type: string, ctx: JobContext): Promise<JobOutcome> => {
      active++;
      maxActive = Math.max(maxActive, active);
      ran.push({ instance, jobId: ctx.job.id });
      await new Promise((r) => setTimeout(r, 15));
      active--;
      return { status: 'succeeded' };
    };
  const servers: RunningServer[] = [];
  try {
    for (const name of ['A', 'B']) {
      servers.push(
        await startServer({
          port: 0,
          apiToken: TOKEN,
          store: new SqliteJobStore(file),
          runJob: runJob(name),
          engines,
          schedules: NO_SCHEDULES,
          log: silent,
          owner: name,
          runnerPollMs: 20,
        }),
      );
    }
    // Each instance queues jobs and kicks its own runner; both runners race for all of them.
    const types = ['Cycle', 'Sync', 'FullSync', 'Recompute', 'Writeback'];
    const ids: string[] = [];
    for (const [i, type] of types.entries()) {
      const s = servers[i % 2];
      const res = await request(s.url)
        .post('/api/jobs')
        .set('Authorization', `Bearer ${TOKEN}`)
        .send({ type });
      expect(res.status).toBe(202);
      ids.push(res.body.job.id);
    }
    await eventually(
      async () => (await servers[0].jobs.list({ status: 'succeeded' })).length === ids.length,
      'all jobs',
    );
    expect(ran.map((r) => r.jobId).sort()).toEqual([...ids].sort());
    expect(maxActive).toBe(1);
    for (const id of ids) expect((await servers[1].jobs.get(id))?.attempts).toBe(1);
  } finally {
    for (const s of servers) await s.close(1000);
    tmp.cleanup();
  }
});
