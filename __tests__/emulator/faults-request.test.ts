import { Connection } from 'jsforce';
import type { FaultCounters, FaultPlan } from '../../emulator/src/faults/faults';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { admin, seedFor } from './auth-helpers';

describe('request-level fault injection through the API guard', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
  });
  afterAll(() => running.close());

  const setPlan = async (plan: Partial<FaultPlan>): Promise<void> => {
    const res = await admin(running, 'PUT', '/faults', plan);
    expect(res.status).toBe(200);
  };
  const stats = async (): Promise<{ apiUsage: { used: number }; injected: FaultCounters }> =>
    (await admin(running, 'GET', '/stats')).body as { apiUsage: { used: number }; injected: FaultCounters };
  const rawGet = (token = running.accessToken): Promise<Response> =>
    fetch(`${running.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  const post = (conn: Connection): Promise<unknown> =>
    conn.request({
      method: 'POST',
      url: `/services/data/v${API_VERSION}/limits`,
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });

  afterEach(() => setPlan({}));

  it('answers 503 SERVER_UNAVAILABLE; jsforce retries the GET and gets the answer', async () => {
    const plan = { serverErrorRate: 0.5 };
    await setPlan({ ...plan, seed: seedFor(plan, ['serverError', null]) });
    const before = (await stats()).apiUsage.used;
    const limits = await connect(running).limits();
    expect(limits.DailyApiRequests).toBeDefined();
    const after = await stats();
    expect(after.injected).toMatchObject({ requests: 2, serverError: 1 });
    expect(after.apiUsage.used).toBe(before + 2);
  });

  it('renders the 503 in REST shape with the limit header', async () => {
    await setPlan({ serverErrorRate: 1 });
    const res = await rawGet();
    expect(res.status).toBe(503);
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);
    expect(await res.json()).toEqual([
      {
        errorCode: 'SERVER_UNAVAILABLE',
        message: 'Server temporarily unavailable. Please retry your request.',
      },
    ]);
  });

  it('answers 429 (not retried for POST) and 420 when the plan says so', async () => {
    await setPlan({ rateLimitRate: 1 });
    await expect(post(connect(running))).rejects.toMatchObject({ errorCode: 'TOO_MANY_REQUESTS' });
    expect((await stats()).injected).toMatchObject({ requests: 1, rateLimit: 1 });
    const res429 = await rawGet();
    expect(res429.status).toBe(429);
    expect(res429.headers.get('retry-after')).toBe('1');

    await setPlan({ rateLimitRate: 1, rateLimitStatus: 420 });
    expect((await rawGet()).status).toBe(420);
  });

  it('retries a rate-limited GET in jsforce until it passes', async () => {
    const plan = { rateLimitRate: 0.5 };
    await setPlan({ ...plan, seed: seedFor(plan, ['rateLimit', null]) });
    await connect(running).limits();
    expect((await stats()).injected).toMatchObject({ requests: 2, rateLimit: 1 });
  });

  it('answers an injected 403 REQUEST_LIMIT_EXCEEDED, which jsforce does not retry', async () => {
    await setPlan({ requestLimitRate: 1 });
    await expect(connect(running).limits()).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    expect((await stats()).injected).toMatchObject({ requests: 1, requestLimit: 1 });
  });

  it('expires the caller session: jsforce refreshes once and the call succeeds; the old token stays dead', async () => {
    const conn = new Connection({
      oauth2: { clientId: running.clientId, clientSecret: running.clientSecret, loginUrl: running.loginUrl },
      version: API_VERSION,
    });
    await conn.authorize({ grant_type: 'password', username: running.username, password: running.password });
    const oldToken = conn.accessToken ?? '';
    const refreshes: string[] = [];
    conn.on('refresh', (t: string) => refreshes.push(t));
    const plan = { sessionExpiryRate: 0.5 };
    await setPlan({ ...plan, seed: seedFor(plan, ['sessionExpiry', null]) });
    await conn.limits();
    expect(refreshes).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshes[0]);
    expect((await stats()).injected).toMatchObject({ requests: 2, sessionExpiry: 1 });
    await setPlan({});
    expect((await rawGet(oldToken)).status).toBe(401);
    expect((await rawGet(conn.accessToken ?? '')).status).toBe(200);
  });

  it('answers 401 INVALID_SESSION_ID on the pinned static token without ending it', async () => {
    await setPlan({ sessionExpiryRate: 1 });
    await expect(connect(running).limits()).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    await setPlan({});
    expect((await rawGet()).status).toBe(200);
  });

  it('delays every API answer by the planned latency', async () => {
    await setPlan({ latencyMs: 150 });
    const started = Date.now();
    await connect(running).limits();
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    await setPlan({});
    const quick = Date.now();
    await connect(running).limits();
    expect(Date.now() - quick).toBeLessThan(145);
  });

  it('leaves the login and version endpoints alone', async () => {
    await setPlan({ serverErrorRate: 1 });
    expect((await fetch(`${running.instanceUrl}/services/data`)).status).toBe(200);
    const conn = new Connection({
      oauth2: { clientId: running.clientId, clientSecret: running.clientSecret, loginUrl: running.loginUrl },
      version: API_VERSION,
    });
    await expect(conn.login(running.username, running.password)).resolves.toMatchObject({
      id: running.adminUserId,
    });
    expect((await stats()).injected.requests).toBe(0);
  });
});
