import { NO_FAULTS } from '../../emulator/src/faults/faults';
import { FaultInjector } from '../../emulator/src/faults/injector';
import { FaultSpecError, parseFaultSpec } from '../../emulator/src/faults/spec';
import type { RunningOrg } from '../../emulator/src/server';
import { startTestOrg } from '../helpers/org';
import { admin } from './auth-helpers';

describe('parseFaultSpec (the CLI --faults string)', () => {
  it('maps every short key to its plan field', () => {
    expect(
      parseFaultSpec(
        'seed=7,5xx=0.05,429=0.02,lock=0.1,latency=50,expire=0.01,drop=0.01,bulkfail=0.5,bulkstuck=0.1,limit=0.01',
      ),
    ).toEqual({
      seed: 7,
      serverErrorRate: 0.05,
      rateLimitRate: 0.02,
      rateLimitStatus: 429,
      lockRowRate: 0.1,
      latencyMs: 50,
      sessionExpiryRate: 0.01,
      dropAfterCommitRate: 0.01,
      bulkFailRate: 0.5,
      bulkStuckRate: 0.1,
      requestLimitRate: 0.01,
    });
  });

  it('takes 420 as the rate-limit status, spaces, case and empty entries', () => {
    expect(parseFaultSpec(' 420 = .5 , LOCK=1,, ')).toEqual({
      rateLimitRate: 0.5,
      rateLimitStatus: 420,
      lockRowRate: 1,
    });
    expect(parseFaultSpec('')).toEqual({});
  });

  it.each([
    ['5xx=0.1,bogus=1', /unknown fault "bogus"; known: seed, 5xx, 429, 420, limit/],
    ['constructor=1', /unknown fault "constructor"/],
    ['5xx', /fault "5xx" needs a value/],
    ['5xx=1.5', /fault "5xx" must be a rate from 0 to 1, got "1.5"/],
    ['lock=abc', /fault "lock" must be a rate from 0 to 1, got "abc"/],
    ['expire=-0.1', /fault "expire" must be a rate/],
    ['latency=1.5', /fault "latency" must be a whole number from 0 to 60000, got "1.5"/],
    ['latency=-1', /fault "latency" must be a whole number/],
    ['seed=x', /fault "seed" must be a whole number/],
    ['lock=0.1,lock=0.2', /fault "lock" is given twice/],
    ['429=0.1,420=0.1', /faults "429" and "420" cannot both be given/],
  ])('refuses %p naming the key', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('FaultInjector', () => {
  const sequence = (seed: number): Array<string | null> => {
    const dice = new FaultInjector({
      seed,
      serverErrorRate: 0.3,
      rateLimitRate: 0.3,
      sessionExpiryRate: 0.3,
      latencyMs: 5,
    });
    return Array.from({ length: 40 }, () => dice.beforeRequest().fault);
  };

  it('gives the same request faults for the same seed and different ones for another', () => {
    expect(sequence(42)).toEqual(sequence(42));
    expect(sequence(42)).not.toEqual(sequence(43));
    expect(new Set(sequence(42))).toEqual(new Set(['serverError', 'rateLimit', 'sessionExpiry', null]));
  });

  it('restarts the dice and the counters when configured again', () => {
    const dice = new FaultInjector({ seed: 9, lockRowRate: 0.5 });
    const first = Array.from({ length: 20 }, () => dice.lockRow());
    expect(dice.injected().lockRow).toBe(first.filter(Boolean).length);
    dice.configure({ seed: 9, lockRowRate: 0.5 });
    expect(dice.injected().lockRow).toBe(0);
    expect(Array.from({ length: 20 }, () => dice.lockRow())).toEqual(first);
  });

  it('never faults and reports the latency with the empty plan', () => {
    const dice = new FaultInjector();
    for (let i = 0; i < 100; i++) expect(dice.beforeRequest()).toEqual({ latencyMs: 0, fault: null });
    expect(dice.bulkJobOutcome()).toBe('ok');
    expect(dice.injected()).toMatchObject({ requests: 100, serverError: 0 });
  });

  it('keeps all-or-nothing rates exact', () => {
    const dice = new FaultInjector({ bulkFailRate: 1 });
    expect(dice.bulkJobOutcome()).toBe('fail');
    dice.configure({ bulkStuckRate: 1 });
    expect(dice.bulkJobOutcome()).toBe('stuck');
    expect(dice.injected()).toMatchObject({ bulkFail: 0, bulkStuck: 1 });
  });
});

describe('the /_admin endpoint', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg({ faults: { seed: 3, lockRowRate: 0.25 } });
  });
  afterAll(() => running.close());

  it('refuses a missing token with 401 and a wrong one with 403', async () => {
    const none = await fetch(`${running.instanceUrl}/_admin/faults`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${running.instanceUrl}/_admin/faults`, {
      headers: { Authorization: 'Bearer wrong' },
    });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual([{ errorCode: 'INSUFFICIENT_ACCESS', message: 'Wrong admin token' }]);
    // The API's own token is not the admin token.
    const apiToken = await fetch(`${running.instanceUrl}/_admin/health`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(apiToken.status).toBe(403);
  });

  it('reads the start-up plan and replaces it with a validated one', async () => {
    expect((await admin(running, 'GET', '/faults')).body).toEqual({
      ...NO_FAULTS,
      seed: 3,
      lockRowRate: 0.25,
    });
    const put = await admin(running, 'PUT', '/faults', {
      seed: 11,
      serverErrorRate: 0.1,
      rateLimitStatus: 420,
    });
    expect(put).toEqual({
      status: 200,
      body: { ...NO_FAULTS, seed: 11, serverErrorRate: 0.1, rateLimitStatus: 420 },
    });
    expect(running.faults.plan().serverErrorRate).toBe(0.1);
    await admin(running, 'PUT', '/faults', {});
  });

  it.each([
    [{ serverErrorRate: 2 }, 'serverErrorRate'],
    [{ rateLimitStatus: 418 }, 'rateLimitStatus'],
    [{ latencyMs: -5 }, 'latencyMs'],
    [{ lockRate: 0.1 }, 'lockRate'],
  ])('refuses the plan %p naming %s', async (plan, key) => {
    const res = await admin(running, 'PUT', '/faults', plan);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ errorCode: 'INVALID_FAULT_PLAN', message: expect.stringContaining(key) }]);
  });

  it('refuses a plan that is not JSON', async () => {
    const res = await fetch(`${running.instanceUrl}/_admin/faults`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${running.adminToken}`, 'Content-Type': 'text/plain' },
      body: 'seed=1',
    });
    expect(res.status).toBe(415);
  });

  it('reports health', async () => {
    const res = await admin(running, 'GET', '/health');
    expect(res).toEqual({
      status: 200,
      body: {
        status: 'ok',
        orgId: running.org.orgId,
        instanceUrl: running.instanceUrl,
        now: expect.any(String),
      },
    });
  });
});
