import path from 'node:path';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import type { NewJob } from '../../../server/src/store/job-store';
import { tempDir } from './helpers';

const job = (id: string, extra: Partial<NewJob> = {}): NewJob => ({
  id,
  runId: id,
  type: 'Cycle',
  trigger: 'API',
  createdAt: 1000,
  ...extra,
});

let tmp: ReturnType<typeof tempDir>;
let a: SqliteJobStore;
let b: SqliteJobStore;

beforeEach(() => {
  tmp = tempDir('jobstore-');
  const file = path.join(tmp.dir, 'store.sqlite');
  // Two connections on one file: what two server processes sharing a store see.
  a = new SqliteJobStore(file);
  b = new SqliteJobStore(file);
});

afterEach(async () => {
  await a.close();
  await b.close();
  tmp.cleanup();
});

test('a queued job is claimed by exactly one of two instances', async () => {
  await a.enqueue(job('j1'));
  const [x, y] = await Promise.all([a.claimNext('A', 2000, 60_000), b.claimNext('B', 2000, 60_000)]);
  const winners = [x, y].filter((j) => j !== null);
  expect(winners).toHaveLength(1);
  expect(winners[0]).toMatchObject({
    id: 'j1',
    status: 'running',
    attempts: 1,
    startedAt: 2000,
    leaseUntil: 62_000,
  });
});

test('claims go oldest first and a running job with a live lease is not claimed again', async () => {
  await a.enqueue(job('late', { createdAt: 2000 }));
  await a.enqueue(job('early', { createdAt: 1000 }));
  expect((await a.claimNext('A', 3000, 60_000))?.id).toBe('early');
  expect((await b.claimNext('B', 3000, 60_000))?.id).toBe('late');
  expect(await b.claimNext('B', 3001, 60_000)).toBeNull();
});

test('an expired lease (owner died) is claimed again, and the old owner can no longer write', async () => {
  await a.enqueue(job('j1'));
  await a.claimNext('A', 1000, 5000);
  expect(await b.claimNext('B', 5999, 5000)).toBeNull();
  const again = await b.claimNext('B', 6001, 5000);
  expect(again).toMatchObject({ id: 'j1', owner: 'B', attempts: 2, startedAt: 1000 });
  expect(await a.heartbeat('j1', 'A', 99_999)).toBe(false);
  expect(await a.finish('j1', 'A', { status: 'succeeded', finishedAt: 7000 })).toBe(false);
  expect(await b.finish('j1', 'B', { status: 'succeeded', finishedAt: 7000 })).toBe(true);
  expect((await a.get('j1'))?.status).toBe('succeeded');
});

test('a released (interrupted) job keeps its checkpoint and is claimable at once', async () => {
  await a.enqueue(job('j1'));
  await a.claimNext('A', 1000, 60_000);
  await a.progress('j1', 'A', { progress: 40, phase: 'sync', checkpoint: { step: 2 } });
  expect(await a.release('j1', 'A', null)).toBe(true);
  const resumed = await b.claimNext('B', 1001, 60_000);
  expect(resumed).toMatchObject({
    id: 'j1',
    status: 'running',
    progress: 40,
    phase: 'sync',
    checkpoint: { step: 2 },
  });
});

test('a dedupe key makes one job forever; an active key one unfinished job at a time', async () => {
  expect((await a.enqueue(job('r1', { dedupeKey: 'crm-job:X' }))).created).toBe(true);
  const dup = await b.enqueue(job('r2', { dedupeKey: 'crm-job:X' }));
  expect(dup).toEqual({ created: false, job: expect.objectContaining({ id: 'r1' }) });

  expect((await a.enqueue(job('s1', { activeKey: 'schedule:n' }))).created).toBe(true);
  expect((await b.enqueue(job('s2', { activeKey: 'schedule:n' }))).created).toBe(false);
  await a.claimNext('A', 1000, 60_000); // r1 (oldest id order at equal time)
  const s1 = await a.claimNext('A', 1000, 60_000);
  expect(s1?.id).toBe('s1');
  expect((await b.enqueue(job('s3', { activeKey: 'schedule:n' }))).created).toBe(false);
  await a.finish('s1', 'A', { status: 'failed', error: { code: 'X', message: 'y' }, finishedAt: 2000 });
  // Finished: the schedule may queue again.
  expect((await b.enqueue(job('s4', { activeKey: 'schedule:n' }))).created).toBe(true);
});

test('a lock has one owner until it expires; its owner can renew and release it', async () => {
  expect(await a.acquireLock('run', 'A', 1000, 5000)).toBe(true);
  expect(await b.acquireLock('run', 'B', 1000, 5000)).toBe(false);
  expect(await a.acquireLock('run', 'A', 3000, 5000)).toBe(true); // renewed to 8000
  expect(await b.acquireLock('run', 'B', 7000, 5000)).toBe(false);
  expect(await b.acquireLock('run', 'B', 8000, 5000)).toBe(true); // expired: taken over
  await a.releaseLock('run', 'A'); // not A's any more: no effect
  expect(await a.acquireLock('run', 'A', 8001, 5000)).toBe(false);
  await b.releaseLock('run', 'B');
  expect(await a.acquireLock('run', 'A', 8002, 5000)).toBe(true);
});

test('the job tables have their own migration ledger and reopen cleanly', async () => {
  const file = path.join(tmp.dir, 'store.sqlite');
  const c = new SqliteJobStore(file);
  await c.setState('k', 'v', 1);
  await c.close();
  const d = new SqliteJobStore(file);
  expect(await d.getState('k')).toBe('v');
  await d.close();
});
