import { FixedClock } from '../../emulator/src/clock';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { admin } from './auth-helpers';

const LIMIT = 50;
const DAY_MS = 24 * 3600_000;

describe('daily API allocation: Sforce-Limit-Info, /limits and REQUEST_LIMIT_EXCEEDED', () => {
  let running: RunningOrg;
  let clock: FixedClock;
  beforeAll(async () => {
    // Mid-day UTC, so moving by hours does not cross midnight by accident.
    clock = new FixedClock(Date.UTC(2026, 10, 27, 12, 0, 0));
    running = await startTestOrg({ clock, settings: { dailyApiLimit: LIMIT } });
  });
  afterAll(() => running.close());
  beforeEach(async () => {
    expect((await admin(running, 'PUT', '/api-usage', { used: 0 })).status).toBe(200);
  });

  const limitsUrl = () => `${running.instanceUrl}/services/data/v${API_VERSION}/limits`;

  it('moves conn.limitInfo.apiUsage with every call and reports the same counter in /limits', async () => {
    const conn = connect(running);
    const first = await conn.limits();
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: LIMIT });
    expect(first.DailyApiRequests).toEqual({ Max: LIMIT, Remaining: LIMIT - 1 });
    await conn.request(`/services/data/v${API_VERSION}/`);
    const third = await conn.limits();
    expect(conn.limitInfo.apiUsage).toEqual({ used: 3, limit: LIMIT });
    expect(third.DailyApiRequests).toEqual({ Max: LIMIT, Remaining: LIMIT - 3 });
  });

  it('lists the usual limit keys with Max and Remaining', async () => {
    const limits = await connect(running).limits();
    for (const key of [
      'DataStorageMB',
      'FileStorageMB',
      'DailyBulkV2QueryJobs',
      'DailyBulkApiBatches',
      'DailyBulkV2QueryFileStorageMB',
      'SingleEmail',
    ]) {
      expect(limits[key]).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
      expect(limits[key].Remaining).toBeLessThanOrEqual(limits[key].Max);
    }
    // The bootstrap rows take some storage.
    expect(limits.DataStorageMB.Remaining).toBeLessThan(limits.DataStorageMB.Max);
  });

  it('counts error answers too and puts the header on them', async () => {
    const res = await fetch(`${running.instanceUrl}/services/data/v${API_VERSION}/no-such-resource`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('sforce-limit-info')).toBe(`api-usage=1/${LIMIT}`);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the allocation is spent, without counting past it', async () => {
    await admin(running, 'PUT', '/api-usage', { used: LIMIT - 1 });
    const conn = connect(running);
    await conn.limits();
    expect(conn.limitInfo.apiUsage).toEqual({ used: LIMIT, limit: LIMIT });
    await expect(conn.limits()).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });

    const res = await fetch(limitsUrl(), { headers: { Authorization: `Bearer ${running.accessToken}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('sforce-limit-info')).toBe(`api-usage=${LIMIT}/${LIMIT}`);
    expect(await res.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect((await admin(running, 'GET', '/api-usage')).body).toEqual({ used: LIMIT, limit: LIMIT });
  });

  it('starts a new count on the next UTC day of the org clock', async () => {
    await admin(running, 'PUT', '/api-usage', { used: LIMIT });
    await expect(connect(running).limits()).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    clock.advance(DAY_MS);
    try {
      const conn = connect(running);
      await conn.limits();
      expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: LIMIT });
    } finally {
      clock.advance(-DAY_MS);
    }
    expect((await admin(running, 'GET', '/api-usage')).body).toEqual({ used: LIMIT, limit: LIMIT });
  });

  it('validates the admin usage body', async () => {
    const bad = await admin(running, 'PUT', '/api-usage', { used: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([{ errorCode: 'INVALID_API_USAGE', message: expect.stringContaining('used') }]);
  });
});
