import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import Database from 'better-sqlite3';
import type { RunningOrg } from '../../emulator/src/server';
import { SqliteSyncStore } from '../../server/src/store';
import { connect, startTestOrg } from '../helpers/org';
import { createAccounts } from './sync-helpers';
import { expectMirror } from './sync-mirror';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'sync-bulk-child.ts');

describe('a Bulk read through the page worker, killed with SIGKILL', () => {
  let running: RunningOrg;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sync-page-kill-'));
  const dbFile = path.join(tmp, 'store.sqlite');
  beforeAll(async () => {
    running = await startTestOrg();
    await createAccounts(connect(running), 6000);
  });
  afterAll(async () => {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const child = () =>
    spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'run-ts.js'), CHILD, running.instanceUrl, running.accessToken, dbFile],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
    );

  const storedRows = (): number => {
    try {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return (
          db.prepare("SELECT COUNT(*) AS n FROM synced_record WHERE object = 'Account'").get() as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    } catch {
      return 0;
    }
  };

  it('When the process dies between Bulk page slices, then the next run resumes after the last stored key: no duplicates, no gaps', async () => {
    // The first REST page holds 2,000 rows; beyond that every stored row came from a Bulk page.
    running.faults.configure({ latencyMs: 300 });
    const first = child();
    let seen = 0;
    for (let i = 0; i < 2400 && seen <= 2000; i++) {
      await sleep(25);
      seen = storedRows();
    }
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = storedRows();
    expect(seen).toBeGreaterThan(2000);
    expect(atKill).toBeLessThan(6000);

    running.faults.configure({ latencyMs: 0 });
    const second = child();
    let out = '';
    second.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const status = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(status).toBe(0);
    const report = JSON.parse(out) as {
      status: string;
      workerPages: number;
      objects: { Account: { read: number; mode: string } };
    };
    expect(report.status).toBe('succeeded');
    // Each row read once across both runs: the resumed run started right after the checkpoint.
    expect(report.objects.Account.read).toBe(6000 - atKill);
    expect(report.workerPages).toBeGreaterThan(0);

    const store = new SqliteSyncStore(dbFile);
    try {
      await expectMirror(running, store, 'Account');
    } finally {
      await store.close();
    }
  });
});
