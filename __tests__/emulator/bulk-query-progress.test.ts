import type { RunningOrg } from '../../emulator/src/server';
import { RowWriter } from '../../emulator/src/store/row-writer';
import { closeTestOrg, orgFetch, startTestOrg } from '../helpers/org';

// A Bulk 2.0 query job shows its progress while it runs, as a real org does: the sync paces its
// status polls on numberRecordsProcessed, and on totalProcessingTime once the job is complete.

jest.setTimeout(60_000);

const ROWS = 65_000;

interface QueryJobInfo {
  state: string;
  numberRecordsProcessed: number;
  totalProcessingTime: number;
}

describe('Bulk 2.0 query job progress', () => {
  let running: RunningOrg;

  beforeAll(async () => {
    running = await startTestOrg();
    const writer = new RowWriter(running.org, 'Account');
    const created = Date.UTC(2024, 0, 15, 10, 0, 0);
    running.org.db.transaction(() => {
      for (let i = 0; i < ROWS; i++) writer.insert({ Name: `P ${i}` }, running.adminUserId, created);
    })();
  });
  afterAll(() => closeTestOrg(running));

  const raw = (path: string, init?: RequestInit): Promise<Response> => orgFetch(running, path, init);

  it('counts rows read while InProgress, and reports the total and its processing time at the end', async () => {
    const res = await raw('/jobs/query', {
      method: 'POST',
      body: JSON.stringify({
        operation: 'query',
        query: "SELECT Id, Name FROM Account WHERE Name LIKE 'P %'",
      }),
    });
    const { id } = (await res.json()) as { id: string };
    const seen: QueryJobInfo[] = [];
    // Polled back to back: the job gives the event loop a turn every few thousand rows.
    for (let i = 0; i < 10_000; i++) {
      const info = (await (await raw(`/jobs/query/${id}`)).json()) as QueryJobInfo;
      seen.push(info);
      if (info.state === 'JobComplete') break;
    }
    const running_ = seen.filter((s) => s.state === 'InProgress');
    const moving = running_.map((s) => s.numberRecordsProcessed).filter((n) => n > 0);
    expect(moving.length).toBeGreaterThan(0);
    expect(moving.every((n) => n < ROWS)).toBe(true);
    expect([...moving].sort((a, b) => a - b)).toEqual(moving);
    const last = seen[seen.length - 1];
    expect(last.state).toBe('JobComplete');
    expect(last.numberRecordsProcessed).toBe(ROWS);
    expect(last.totalProcessingTime).toBeGreaterThan(0);
  });
});
