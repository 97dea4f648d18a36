import type { Connection } from 'jsforce';
import { FixedClock } from '../../emulator/src/clock';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';

// The node project's testTimeout is not applied per project; starting an org can take seconds on a busy machine.
jest.setTimeout(30_000);

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('/updated and /deleted', () => {
  let running: RunningOrg;
  let conn: Connection;
  const clock = new FixedClock(T0);
  let a: string;
  let b: string;
  beforeAll(async () => {
    running = await startTestOrg({ clock });
    conn = connect(running);
    clock.set(T0 + 10 * MIN + 15_000);
    [a, b] = (
      (await conn.sobject('Account').create([{ Name: 'R1' }, { Name: 'R2' }])) as Array<{ id: string }>
    ).map((r) => r.id);
    clock.set(T0 + 20 * MIN + 30_000);
    await conn.sobject('Account').update({ Id: a, Name: 'R1 changed' });
    await conn.sobject('Account').destroy(b);
    clock.set(T0 + 60 * MIN);
  });
  afterAll(() => running.close());

  it('lists records whose SystemModstamp falls in the window, ignoring seconds', async () => {
    const early = await conn
      .sobject('Account')
      .updated(new Date(T0 + 10 * MIN + 59_000).toISOString(), new Date(T0 + 15 * MIN).toISOString());
    expect(early).toEqual({ ids: [], latestDateCovered: '2026-06-01T12:15:00.000+0000' });
    const late = await conn
      .sobject('Account')
      .updated(new Date(T0 + 20 * MIN).toISOString(), new Date(T0 + 30 * MIN).toISOString());
    // b was deleted: it is reported by /deleted, not /updated.
    expect(late).toEqual({ ids: [a], latestDateCovered: '2026-06-01T12:30:00.000+0000' });
  });

  it('lists deletions with their dates, and accepts a trailing slash', async () => {
    const deleted = await conn
      .sobject('Account')
      .deleted(new Date(T0).toISOString(), new Date(T0 + 90 * MIN).toISOString());
    expect(deleted).toEqual({
      deletedRecords: [{ id: b, deletedDate: '2026-06-01T12:20:30.000+0000' }],
      earliestDateAvailable: '2026-06-01T12:20:00.000+0000',
      // Never past "now".
      latestDateCovered: '2026-06-01T13:00:00.000+0000',
    });
    const url = `/services/data/v${API_VERSION}/sobjects/Account/deleted/?start=${encodeURIComponent('2026-06-01T12:00:00+00:00')}&end=${encodeURIComponent('2026-06-01T12:30:00+00:00')}`;
    expect(((await conn.request(url)) as { deletedRecords: unknown[] }).deletedRecords).toHaveLength(1);
  });

  it('refuses a start more than 30 days back, an end before the start, and missing bounds', async () => {
    await expect(
      conn
        .sobject('Account')
        .updated(new Date(T0 - 31 * 86_400_000).toISOString(), new Date(T0).toISOString()),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_REPLICATION_DATE',
    });
    await expect(
      conn.sobject('Account').updated(new Date(T0).toISOString(), new Date(T0 - MIN).toISOString()),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_REPLICATION_DATE',
    });
    await expect(
      conn.request(`/services/data/v${API_VERSION}/sobjects/Account/updated`),
    ).rejects.toMatchObject({ errorCode: 'MISSING_ARGUMENT' });
  });
});
