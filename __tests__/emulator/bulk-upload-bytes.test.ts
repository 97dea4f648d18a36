import type { Connection } from 'jsforce';
import { formatAutoNumber } from '../../emulator/src/dml/system-fields';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, bulkIdle, closeTestOrg, openTestOrg } from '../helpers/org';

// Bulk 2.0 uploads are kept as the bytes the client sent when they are UTF-8 (no decoding to a
// string and back); other charsets are still decoded. Also the per-call key reading of upserts
// and the auto-number formats, which the Bulk write path now prepares once.

jest.setTimeout(30_000);

const BASE = `/services/data/v${API_VERSION}`;

describe('Bulk 2.0 upload bytes', () => {
  let running: RunningOrg;
  let conn: Connection;

  beforeAll(async () => ({ running, conn } = await openTestOrg()));
  afterAll(() => closeTestOrg(running));

  /** Creates an ingest job, PUTs `body` with `contentType`, closes it and waits for the end. */
  async function runJob(
    job: Record<string, unknown>,
    body: Buffer,
    contentType: string,
  ): Promise<{ state: string; numberRecordsProcessed: number; numberRecordsFailed: number; id: string }> {
    const created = await conn.request<{ id: string }>({
      method: 'POST',
      url: `${BASE}/jobs/ingest`,
      body: JSON.stringify({ contentType: 'CSV', lineEnding: 'LF', ...job }),
      headers: { 'Content-Type': 'application/json' },
    });
    const put = await fetch(`${running.instanceUrl}${BASE}/jobs/ingest/${created.id}/batches`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${running.accessToken}`, 'Content-Type': contentType },
      body,
    });
    expect(put.status).toBe(201);
    await conn.request({
      method: 'PATCH',
      url: `${BASE}/jobs/ingest/${created.id}`,
      body: JSON.stringify({ state: 'UploadComplete' }),
      headers: { 'Content-Type': 'application/json' },
    });
    await bulkIdle(running);
    const info = await conn.request<{
      state: string;
      numberRecordsProcessed: number;
      numberRecordsFailed: number;
    }>(`${BASE}/jobs/ingest/${created.id}`);
    return { ...info, id: created.id };
  }

  const names = (prefix: string): string[] =>
    (
      running.org.db
        .prepare('SELECT Name FROM Account WHERE Name LIKE ? ORDER BY Name')
        .all(`${prefix}%`) as Array<{ Name: string }>
    ).map((r) => r.Name);

  it('keeps a UTF-8 upload byte for byte: a byte-order mark is dropped, multibyte text stays whole', async () => {
    const csv = 'Name,Description\nBytes Café,"naïve ""日本"" 🚀"\nBytes Straße,plain\n';
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]);
    const info = await runJob({ object: 'Account', operation: 'insert' }, body, 'text/csv; charset=UTF-8');
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    expect(names('Bytes ')).toEqual(['Bytes Café', 'Bytes Straße']);
    const row = running.org.db.prepare("SELECT Description FROM Account WHERE Name = 'Bytes Café'").get() as {
      Description: string;
    };
    expect(row.Description).toBe('naïve "日本" 🚀');
  });

  it('still decodes an upload in another declared charset', async () => {
    // "Latin Café" in ISO-8859-1: é is the single byte 0xE9.
    const body = Buffer.from('Name\nLatin Caf\u00e9\n', 'latin1');
    expect(body.includes(0xe9)).toBe(true);
    const info = await runJob(
      { object: 'Account', operation: 'insert' },
      body,
      'text/csv; charset=ISO-8859-1',
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    expect(names('Latin ')).toEqual(['Latin Café']);
  });

  it('fails only the row whose upsert key cannot be read, whatever the case of the key column', async () => {
    const [a, b] = await conn.sobject('Account').create([{ Name: 'Key A' }, { Name: 'Key B' }]);
    const ids = [a, b].map((r) => (r as { id: string }).id);
    const csv = `ID,Name\n${ids[0]},Key A2\nnot-an-id,Key X\n${ids[1]},Key B2\n,Key New\n`;
    const info = await runJob(
      { object: 'Account', operation: 'upsert', externalIdFieldName: 'Id' },
      Buffer.from(csv, 'utf8'),
      'text/csv',
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 4, numberRecordsFailed: 1 });
    expect(names('Key ')).toEqual(['Key A2', 'Key B2', 'Key New']);
    const failed = await conn.request<unknown>(`${BASE}/jobs/ingest/${info.id}/failedResults`);
    expect(failed).toEqual([
      {
        // The row names no record: the id column comes back as uploaded.
        sf__Id: 'not-an-id',
        sf__Error: expect.stringMatching(/^MALFORMED_ID:.*not-an-id.*:Id --$/),
        ID: 'not-an-id',
        Name: 'Key X',
      },
    ]);
  });
});

describe('auto-number formats', () => {
  // 2026-03-05T10:00:00Z
  const stamp = Date.UTC(2026, 2, 5, 10);

  it('pads the number to the width of its zeros and fills date tokens in UTC', () => {
    expect(formatAutoNumber('TA-{0000000}', 42, stamp)).toBe('TA-0000042');
    expect(formatAutoNumber('{0}', 1234, stamp)).toBe('1234');
    expect(formatAutoNumber('INV-{YYYY}{MM}{DD}-{000}', 7, stamp)).toBe('INV-20260305-007');
    expect(formatAutoNumber('{YY}/{MM}', 7, stamp)).toBe('26/03');
  });

  it('leaves text outside braces alone, and numbers wider than the zeros whole', () => {
    expect(formatAutoNumber('YYYY {00} {Y}', 123, stamp)).toBe('YYYY 123 {Y}');
    expect(formatAutoNumber('plain', 5, stamp)).toBe('plain');
    expect(formatAutoNumber('', 5, stamp)).toBe('');
  });
});
