import request from 'supertest';
import { AppError } from '../../../server/src/shared/errors';
import { startServer, type RunningServer } from '../../../server/src/http/server';
import type { EnginePorts } from '../../../server/src/http/ports';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import { eventually, gatedJob, NO_SCHEDULES, silent } from '../jobs/helpers';

const TOKEN = 'test-token-0123456789-abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };

const engineCalls: unknown[] = [];
const engines: EnginePorts = {
  latestResults: async (engine) => (engine === 'forecast' ? { asOf: '2026-11-27', rows: [{ k: 1 }] } : null),
  territoryDryRun: async (input) => {
    engineCalls.push(input);
    if (input.changes[0].toTerritoryKey === 'NOPE')
      throw new AppError('INPUT_INVALID', 'unknown territory NOPE', { territory: 'NOPE' });
    return { moved: input.changes.length };
  },
  commissionSimulate: async (input) => {
    engineCalls.push(input);
    if (input.plan.boom) throw new Error('secret internal detail at /srv/x.ts:12');
    return { payable: '120.50' };
  },
};

let server: RunningServer;
const job = gatedJob();

beforeAll(async () => {
  server = await startServer({
    port: 0,
    apiToken: TOKEN,
    store: new SqliteJobStore(':memory:'),
    runJob: job.run,
    engines,
    schedules: NO_SCHEDULES,
    log: silent,
    rateLimit: { windowMs: 60_000, limit: 60 },
    runnerPollMs: 50,
    mounts: [{ path: '/extra', router: (_req, res) => void res.type('text/plain').send('mounted') }],
  });
});

afterAll(async () => {
  job.open();
  await server.close(1000);
});

describe('health, readiness and metrics', () => {
  test('healthz and readyz answer without a token', async () => {
    await request(server.url).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(server.url).get('/readyz').expect(200);
    expect(ready.body.ready).toBe(true);
    expect(ready.body.checks.store).toEqual({ ok: true });
  });

  test('metrics need the token and are in Prometheus text format', async () => {
    await request(server.url).get('/metrics').expect(401);
    const res = await request(server.url).get('/metrics').set(auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE salesops_jobs_total counter');
  });

  test('security headers are set and Express is not announced', async () => {
    const res = await request(server.url).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

test('a mounted router (the preview) answers beside the API without a token, with the security headers', async () => {
  const res = await request(server.url).get('/extra').expect(200, 'mounted');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
});

describe('authentication', () => {
  test('no token: 401 with WWW-Authenticate, in the API error shape', async () => {
    const res = await request(server.url).get('/api/jobs').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="salesops"');
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  test('a Basic header is no bearer token: 401', async () => {
    await request(server.url).get('/api/jobs').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });

  test('a wrong token: 403 in the same shape', async () => {
    const res = await request(server.url)
      .get('/api/jobs')
      .set('Authorization', `Bearer ${TOKEN}x`)
      .expect(403);
    expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    await request(server.url).get('/api/jobs').set('Authorization', 'Bearer short').expect(403);
  });

  test('the right token: 200', async () => {
    const res = await request(server.url).get('/api/jobs').set(auth).expect(200);
    expect(Array.isArray(res.body.jobs)).toBe(true);
  });
});

describe('validation', () => {
  test('an unknown job type is a 400 naming the field', async () => {
    const res = await request(server.url).post('/api/jobs').set(auth).send({ type: 'Nope' }).expect(400);
    expect(res.body.error.code).toBe('INPUT_INVALID');
    expect(res.body.error.details.issues).toEqual([{ path: 'body.type', message: expect.any(String) }]);
  });

  test('unknown body fields are refused', async () => {
    const res = await request(server.url)
      .post('/api/jobs')
      .set(auth)
      .send({ type: 'Sync', extra: 1 })
      .expect(400);
    expect(res.body.error.details.issues[0].path).toBe('body');
  });

  test('malformed JSON is a 400, not a 500', async () => {
    const res = await request(server.url)
      .post('/api/jobs')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"type": ')
      .expect(400);
    expect(res.body.error.code).toBe('INPUT_INVALID');
  });

  test('a dry run needs at least one change with a record id and a date-shaped date', async () => {
    const res = await request(server.url)
      .post('/api/territories/dry-run')
      .set(auth)
      .send({ changes: [{ accountId: 'not an id', toTerritoryKey: 'EMEA', effectiveDate: '27/11/2026' }] })
      .expect(400);
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(['body.changes.0.accountId', 'body.changes.0.effectiveDate']);
    await request(server.url).post('/api/territories/dry-run').set(auth).send({ changes: [] }).expect(400);
  });

  test('a bad job id and an unknown engine are 400s; an unknown job is a 404', async () => {
    await request(server.url).get('/api/jobs/123').set(auth).expect(400);
    await request(server.url).get('/api/results/weather').set(auth).expect(400);
    const res = await request(server.url)
      .get('/api/jobs/00000000-0000-4000-8000-000000000000')
      .set(auth)
      .expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  test('an unknown route is a 404 in the error shape', async () => {
    const res = await request(server.url).get('/api/nothing-here').set(auth).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('engines', () => {
  test('latest results, or 404 when an engine has none yet', async () => {
    const res = await request(server.url).get('/api/results/forecast').set(auth).expect(200);
    expect(res.body).toEqual({ engine: 'forecast', results: { asOf: '2026-11-27', rows: [{ k: 1 }] } });
    await request(server.url).get('/api/results/kpis').set(auth).expect(404);
  });

  test('a dry run passes the validated body to the engine and returns its answer', async () => {
    const body = {
      changes: [{ accountId: '001000000000001AAA', toTerritoryKey: 'EMEA-DACH' }],
      asOf: '2026-11-27',
    };
    const res = await request(server.url).post('/api/territories/dry-run').set(auth).send(body).expect(200);
    expect(res.body).toEqual({ dryRun: { moved: 1 } });
    expect(engineCalls.at(-1)).toEqual(body);
  });

  test("an engine's INPUT_INVALID is a 400 with its details", async () => {
    const res = await request(server.url)
      .post('/api/territories/dry-run')
      .set(auth)
      .send({ changes: [{ accountId: '001000000000001AAA', toTerritoryKey: 'NOPE' }] })
      .expect(400);
    expect(res.body.error).toEqual({
      code: 'INPUT_INVALID',
      message: 'unknown territory NOPE',
      details: { territory: 'NOPE' },
    });
  });

  test('an unexpected failure is a 500 with no message, stack or path', async () => {
    const res = await request(server.url)
      .post('/api/commissions/simulate')
      .set(auth)
      .send({ plan: { boom: true } })
      .expect(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(res.text).not.toContain('/srv/x.ts');
  });

  test('a simulation returns the engine answer', async () => {
    const res = await request(server.url)
      .post('/api/commissions/simulate')
      .set(auth)
      .send({ plan: { key: 'AE-2026' }, repIds: ['005000000000001AAA'] })
      .expect(200);
    expect(res.body).toEqual({ simulation: { payable: '120.50' } });
  });
});

describe('the job lifecycle through the API', () => {
  test('POST queues (202), a second POST of the type conflicts (409), the job runs and ends succeeded', async () => {
    const created = await request(server.url).post('/api/jobs').set(auth).send({ type: 'Cycle' }).expect(202);
    const id = created.body.job.id as string;
    expect(created.headers.location).toBe(`/api/jobs/${id}`);
    expect(created.body.job).toMatchObject({ type: 'Cycle', trigger: 'API', status: 'queued', runId: id });

    await eventually(async () => job.calls.length === 1, 'the job to start');
    const running = await request(server.url).get(`/api/jobs/${id}`).set(auth).expect(200);
    expect(running.body.job.status).toBe('running');

    const dup = await request(server.url).post('/api/jobs').set(auth).send({ type: 'Cycle' }).expect(409);
    expect(dup.body.error).toEqual({ code: 'CONFLICT', message: expect.any(String), details: { jobId: id } });

    job.open();
    const done = await eventually(async () => {
      const r = await request(server.url).get(`/api/jobs/${id}`).set(auth);
      return r.body.job.status === 'succeeded' ? r.body.job : null;
    }, 'the job to finish');
    expect(done).toMatchObject({
      progress: 100,
      attempts: 1,
      error: null,
      result: { counts: { read: 3, written: 2 } },
    });
    expect(job.calls).toHaveLength(1);
    expect(job.calls[0].job.runId).toBe(id);

    const list = await request(server.url).get('/api/jobs?status=succeeded').set(auth).expect(200);
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toContain(id);
    const metrics = await request(server.url).get('/metrics').set(auth);
    expect(metrics.text).toContain('salesops_jobs_total{type="Cycle",trigger="API",status="succeeded"} 1');
    expect(metrics.text).toContain('salesops_job_rows_total{type="Cycle",kind="read"} 3');
  });
});

describe('rate limiting', () => {
  test('over the limit the API answers 429 in the error shape', async () => {
    let last = 200;
    let body: unknown;
    for (let i = 0; i < 70 && last !== 429; i++) {
      const res = await request(server.url).get('/api/jobs').set(auth);
      last = res.status;
      body = res.body;
    }
    expect(last).toBe(429);
    expect(body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    // Health stays reachable: the limit is on /api only.
    await request(server.url).get('/healthz').expect(200);
  });
});
