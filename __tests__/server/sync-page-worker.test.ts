import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RunningOrg } from '../../emulator/src/server';
import { runSync } from '../../server/src/app/sync-run';
import { CrmApi } from '../../server/src/crm/api-client';
import { parseCsvRows } from '../../server/src/crm/csv-rows';
import { RecordNormalizer } from '../../server/src/crm/record-normalizer';
import { packPage, unpackPage, unpackRange } from '../../server/src/crm/sync-page-codec';
import { PageParser, type CsvPagePlan } from '../../server/src/crm/sync-page-parser';
import { CrmSyncSource } from '../../server/src/crm/sync-source';
import { AppError } from '../../server/src/shared/errors';
import { SqliteSyncStore, type SyncedRecord } from '../../server/src/store';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { orgRows, quietLog, testConfig } from './sync-helpers';
import { syncedRecord } from './synced-record';

jest.setTimeout(90_000);

const PLAN: CsvPagePlan = {
  object: 'Opportunity',
  fields: ['Id', 'IsDeleted', 'SystemModstamp', 'Name', 'Amount', 'CloseDate', 'IsWon', 'OwnerId'],
  types: {
    Id: 'id',
    IsDeleted: 'boolean',
    SystemModstamp: 'datetime',
    Name: 'string',
    Amount: 'currency',
    CloseDate: 'date',
    IsWon: 'boolean',
    OwnerId: 'reference',
  },
  typed: { name: 'Name', amount: 'Amount', closeDate: 'CloseDate', isWon: 'IsWon', ownerId: 'OwnerId' },
};
const normalizer = (): RecordNormalizer =>
  new RecordNormalizer(PLAN.object, PLAN.fields, PLAN.types, PLAN.typed);

const HEADER = '"Id","IsDeleted","SystemModstamp","Name","Amount","CloseDate","IsWon","OwnerId"';
/** A Bulk CSV page of `n` rows; every row's name needs quoting, some are unicode, some cells empty. */
function csvPage(n: number): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const id = `006${String(i).padStart(15, '0')}`;
    const name = i % 3 === 0 ? `Deal "${i}", Zürich\nline two` : i % 3 === 1 ? `Сделка ${i} 🚀` : `Deal ${i}`;
    const amount = i % 5 === 0 ? '' : `${i}.25`;
    const won = i % 4 === 0 ? '' : i % 2 === 0 ? 'true' : 'false';
    lines.push(
      `"${id}","false","2024-03-0${1 + (i % 9)}T10:00:00.000Z","${name.replace(/"/g, '""')}","${amount}","2024-06-30","${won}","005000000000000AAA"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function record(over: Partial<SyncedRecord>): SyncedRecord {
  return syncedRecord({
    object: 'Opportunity',
    id: '006000000000000AAA',
    modstamp: 1_700_000_000_000,
    ...over,
  });
}

describe('packed pages between the page worker and the main thread', () => {
  it('When records hold nulls, empty strings, unicode and every flag state, then unpacking gives them back field for field', () => {
    const records = [
      record({ name: '', amount: '0', isClosed: true, isWon: false, deleted: true, raw: '{"a":1}' }),
      record({ id: '006000000000001AAA', name: 'Ünïcødé 🚀 "quoted", comma', isClosed: false, isWon: true }),
      record({
        id: '006000000000002AAA',
        modstamp: 0,
        stage: 'Closed Won',
        category: 'Closed',
        currency: 'EUR',
      }),
      record({
        id: '006000000000003AAA',
        ownerId: '005x',
        parentId: '',
        accountId: '001y',
        closeDate: '2024-02-29',
      }),
    ];
    const page = packPage('Opportunity', records);
    expect(unpackPage(page)).toEqual(records);
    // Nulls stay null and empty strings stay empty: the two are not conflated.
    expect(unpackPage(page)[0].name).toBe('');
    expect(unpackPage(page)[0].ownerId).toBeNull();
    expect(unpackPage(page)[3].parentId).toBe('');
    // Any range reads back the same records as the same slice of the input.
    for (const [from, to] of [
      [0, 1],
      [1, 3],
      [2, 4],
      [3, 9],
      [4, 4],
    ])
      expect(unpackRange(page, from, to)).toEqual(records.slice(from, to));
  });

  it('When a record of another object is packed into a page, then packing refuses', () => {
    expect(() => packPage('Opportunity', [record({ object: 'Account' })])).toThrow(/holds a Account record/);
  });
});

describe('PageParser', () => {
  it('When a page is parsed on the worker thread and on the main thread, then the records are identical and as expected', async () => {
    const text = csvPage(3000);
    const onWorker = new PageParser(quietLog, 0);
    const inThread = new PageParser(quietLog, Number.POSITIVE_INFINITY);
    onWorker.acquire();
    try {
      const a = await onWorker.parse(PLAN, normalizer(), text);
      const b = await inThread.parse(PLAN, normalizer(), text);
      expect(onWorker.workerPages).toBe(1);
      expect(inThread.workerPages).toBe(0);
      expect(a.count).toBe(3000);
      expect(a.slice(0, 3000)).toEqual(b.slice(0, 3000));
      expect(a.slice(1200, 1700)).toEqual(b.slice(1200, 1700));
      // Row 0 by hand: quoted name with comma, doubled quotes and a line break; empty amount and IsWon.
      expect(a.slice(0, 1)[0]).toEqual({
        object: 'Opportunity',
        id: '006000000000000000',
        modstamp: Date.UTC(2024, 2, 1, 10),
        deleted: false,
        ownerId: '005000000000000AAA',
        parentId: null,
        accountId: null,
        name: 'Deal "0", Zürich\nline two',
        amount: null,
        closeDate: '2024-06-30',
        stage: null,
        category: null,
        isClosed: null,
        isWon: null,
        currency: null,
        raw: JSON.stringify({
          Id: '006000000000000000',
          IsDeleted: false,
          SystemModstamp: '2024-03-01T10:00:00.000Z',
          Name: 'Deal "0", Zürich\nline two',
          Amount: null,
          CloseDate: '2024-06-30',
          IsWon: null,
          OwnerId: '005000000000000AAA',
        }),
      });
      expect(a.slice(1, 2)[0]).toMatchObject({ name: 'Сделка 1 🚀', amount: '1.25', isWon: false });
    } finally {
      onWorker.release();
      await onWorker.close();
    }
  });

  it('When a page is below the worker threshold, then it is parsed on the main thread with the same result', async () => {
    const parser = new PageParser(quietLog);
    const text = csvPage(5);
    const page = await parser.parse(PLAN, normalizer(), text);
    expect(parser.workerPages).toBe(0);
    expect(page.count).toBe(5);
    expect(page.slice(0, 5)).toEqual(normalizer().fromCsv(parseCsvRows(text)));
  });

  it('When a page is malformed or holds an invalid datetime, then the worker rejects with the main thread’s error', async () => {
    const onWorker = new PageParser(quietLog, 0);
    const inThread = new PageParser(quietLog, Number.POSITIVE_INFINITY);
    onWorker.acquire();
    try {
      const malformed = `${HEADER}\n"006000000000000AAA","false","2024-03-01T10:00:00.000Z","Deal"x,"1","2024-06-30","true",""\n`;
      const err = await onWorker.parse(PLAN, normalizer(), malformed).catch((e: unknown) => e);
      const same = await inThread.parse(PLAN, normalizer(), malformed).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^malformed CSV from the org in row 2/);
      expect((err as Error).message).toBe((same as Error).message);

      const badDate = `${HEADER}\n"006000000000000AAA","false","not a date","Deal","1","2024-06-30","true",""\n`;
      const bad = await onWorker.parse(PLAN, normalizer(), badDate).catch((e: unknown) => e);
      const badHere = await inThread.parse(PLAN, normalizer(), badDate).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(AppError);
      expect((bad as AppError).code).toBe('INPUT_INVALID');
      expect((bad as AppError).message).toBe((badHere as AppError).message);
      // The worker survives a failed page and parses the next one.
      const ok = await onWorker.parse(PLAN, normalizer(), csvPage(10));
      expect(ok.count).toBe(10);
      expect(onWorker.workerPages).toBe(1);
    } finally {
      onWorker.release();
      await onWorker.close();
    }
  });

  it('When the worker is ended with pages still pending, then those pages are parsed on the main thread, in full', async () => {
    const parser = new PageParser(quietLog, 0);
    parser.acquire();
    const text = csvPage(4000);
    const pending = [parser.parse(PLAN, normalizer(), text), parser.parse(PLAN, normalizer(), text)];
    await parser.close();
    const pages = await Promise.all(pending);
    // Ended before it could answer: both pages came from the main thread.
    expect(parser.workerPages).toBe(0);
    const expected = normalizer().fromCsv(parseCsvRows(text));
    for (const p of pages) expect(p.slice(0, p.count)).toEqual(expected);
  });
});

describe('PageParser in a process with nothing else to wait for', () => {
  it('When only a page on the worker is pending, then the process stays alive until its records arrive', async () => {
    const root = path.resolve(__dirname, '..', '..');
    const script = [
      "require('./bin/ts-hook');",
      "const { PageParser } = require('./server/src/crm/sync-page-parser.ts');",
      "const { RecordNormalizer } = require('./server/src/crm/record-normalizer.ts');",
      "const plan = { object: 'Account', fields: ['Id', 'SystemModstamp'], types: { SystemModstamp: 'datetime' }, typed: {} };",
      'const rows = Array.from({ length: 5000 }, (_, i) => `"001${i}","2024-01-01T00:00:00.000Z"`);',
      'const text = [\'"Id","SystemModstamp"\', ...rows].join(\'\\n\');',
      'const parser = new PageParser({ warn: () => undefined }, 0);',
      'parser.acquire();',
      'parser.parse(plan, new RecordNormalizer(plan.object, plan.fields, plan.types, plan.typed), text)',
      '  .then((page) => { process.stdout.write(`${page.count} ${parser.workerPages}`); parser.release(); });',
    ].join('\n');
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout }));
    });
    expect(out).toEqual({ code: 0, stdout: '5000 1' });
  });
});

describe('Bulk reads through the page worker (jsforce against the embedded org)', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
    const conn = connect(running);
    const names = (i: number): string =>
      i % 7 === 0 ? `Acme "${i}", Zürich\nBranch` : i % 7 === 1 ? `Компания ${i} 🚀` : `Account ${i}`;
    for (let i = 0; i < 3500; i += 200) {
      const batch = Array.from({ length: Math.min(200, 3500 - i) }, (_, k) => ({ Name: names(i + k) }));
      const res = await conn.sobject('Account').create(batch);
      expect(res.every((r) => r.success)).toBe(true);
    }
  });
  afterAll(async () => {
    await running.close();
  });

  const dump = (store: SqliteSyncStore): Promise<SyncedRecord[]> =>
    store.records('Account', { includeDeleted: true });

  it('When a read continues as a Bulk job, then the store is the same whether pages are parsed on the worker, on the main thread or stored in slices', async () => {
    // First REST page 2,000 rows, then a Bulk job of 1,500 in pages of 1,000 and 500.
    const config = testConfig(['Account'], { bulkThreshold: 1000, bulkPageSize: 1000 });
    const run = async (pages: PageParser, storeSlice?: number) => {
      const store = new SqliteSyncStore(':memory:');
      const source = new CrmSyncSource(new CrmApi(connect(running), API_VERSION), config, store, quietLog, {
        pages,
        storeSlice,
      });
      const report = await runSync(
        { source, store, now: () => Date.now(), log: quietLog },
        { config, full: false },
      );
      return { store, report };
    };
    const worker = new PageParser(quietLog, 0);
    const main = new PageParser(quietLog, Number.POSITIVE_INFINITY);
    const a = await run(worker);
    const b = await run(main);
    const c = await run(new PageParser(quietLog, 0), 300);
    for (const r of [a, b, c]) {
      expect(r.report.status).toBe('succeeded');
      expect(r.report.objects.Account.mode).toBe('bulk');
      expect(r.report.objects.Account.read).toBe(3500);
    }
    expect(worker.workerPages).toBe(2);
    expect(main.workerPages).toBe(0);
    const rows = await dump(a.store);
    expect(rows.map((r) => r.id)).toEqual(orgRows(running, 'Account').map((r) => r.Id));
    expect(await dump(b.store)).toEqual(rows);
    expect(await dump(c.store)).toEqual(rows);
    expect(rows.filter((r) => r.name?.includes('Zürich\nBranch')).length).toBe(500);
    for (const r of [a, b, c]) await r.store.close();
  });
});
