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

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'salesops.js');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.once('exit', (status) => resolve({ status, stdout }));
  });
}

describe('salesops sync killed with SIGKILL', () => {
  let running: RunningOrg;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sync-kill-'));
  const dbFile = path.join(tmp, 'store.sqlite');
  beforeAll(async () => {
    running = await startTestOrg();
    await createAccounts(connect(running), 6000);
  });
  afterAll(async () => {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SF_LOGIN_URL: running.loginUrl,
      SF_USERNAME: running.username,
      SF_PASSWORD: running.password,
      SF_CLIENT_ID: running.clientId,
      SF_CLIENT_SECRET: running.clientSecret,
      SF_API_VERSION: '59.0',
      SALESOPS_DB: dbFile,
      LOG_LEVEL: 'silent',
    };
    return e;
  };

  /** Rows and checkpoint as a separate reader sees them while the sync runs. */
  const peek = (): { rows: number; resumeId: string | null } => {
    try {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        const rows = (
          db.prepare("SELECT COUNT(*) AS n FROM synced_record WHERE object = 'Account'").get() as {
            n: number;
          }
        ).n;
        const cur = db.prepare("SELECT resume_id FROM sync_cursor WHERE object = 'Account'").get() as
          { resume_id: string | null } | undefined;
        return { rows, resumeId: cur?.resume_id ?? null };
      } finally {
        db.close();
      }
    } catch {
      return { rows: 0, resumeId: null };
    }
  };

  it('When the process dies mid-read, then the next run resumes from the checkpoint and the store equals the org record for record', async () => {
    running.faults.configure({ latencyMs: 400 });
    const child = spawn(process.execPath, [BIN, 'sync', '--objects', 'Account', '--json'], {
      env: env(),
      stdio: 'ignore',
    });
    let seen = { rows: 0, resumeId: null as string | null };
    for (let i = 0; i < 2400 && !seen.resumeId; i++) {
      await sleep(25);
      seen = peek();
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(seen.resumeId).not.toBeNull();
    const atKill = peek();
    expect(atKill.rows).toBeGreaterThan(0);
    expect(atKill.rows).toBeLessThan(6000);

    running.faults.configure({ latencyMs: 0 });
    // Asynchronously: the org serving it lives in this process.
    const resumed = await runCli(['sync', '--objects', 'Account', '--json'], env());
    expect(resumed.status).toBe(0);
    const report = JSON.parse(resumed.stdout) as { status: string; objects: { Account: { read: number } } };
    expect(report.status).toBe('succeeded');
    // It continued after the checkpoint instead of starting over.
    expect(report.objects.Account.read).toBe(6000 - atKill.rows);

    const store = new SqliteSyncStore(dbFile);
    try {
      await expectMirror(running, store, 'Account');
    } finally {
      await store.close();
    }
  });

  it('When --objects names an object the config does not have, then it is a usage error (exit 2) listing the choices', async () => {
    const res = await runCli(['sync', '--objects', 'Account,Lead', '--json'], env());
    expect(res.status).toBe(2);
    expect(JSON.parse(res.stdout)).toMatchObject({
      ok: false,
      error: {
        code: 'USAGE',
        message: expect.stringMatching(/^--objects: unknown Lead; choose from User, UserRole, Account/),
      },
    });
  });
});
