import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RunningOrg } from '../../../emulator/src/server';
import { SqliteSyncStore } from '../../../server/src/store';
import { connect, startTestOrg } from '../../helpers/org';
import { expectOrgHolds, kpiSet, liveCount, writebackOnce } from './writeback-helpers';

jest.setTimeout(120_000);

const RUN_TS = path.resolve(__dirname, '..', '..', '..', 'bin', 'run-ts.js');
const CHILD = path.join(__dirname, 'fixtures', 'writeback-child.ts');

describe('a write-back killed with SIGKILL', () => {
  let running: RunningOrg;
  let tmp: string;
  beforeAll(async () => {
    running = await startTestOrg();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-wb-kill-'));
  });
  afterAll(async () => {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('When the process dies after the org committed a chunk and before the checkpoint, then the rerun ends in the clean state with no duplicates', async () => {
    const storeFile = path.join(tmp, 'store.sqlite');
    const child = spawn(
      process.execPath,
      [RUN_TS, CHILD, running.instanceUrl, running.accessToken, storeFile, '400', '4'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('committed 4')) resolve();
        if (out.includes('done')) reject(new Error('the child finished before it was killed'));
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Four chunks of 50 are in the org; only three were checkpointed.
    expect(liveCount(running, 'Sales_KPI__c')).toBe(200);
    const store = new SqliteSyncStore(storeFile);
    try {
      expect((await store.writeback().confirmed('Sales_KPI__c')).size).toBe(150);
      const rerun = await writebackOnce(running, store, [kpiSet(400)], { chunkSize: 50 });
      expect(rerun.objects.Sales_KPI__c).toMatchObject({ changed: 250, written: 250, failed: 0 });
      expect(liveCount(running, 'Sales_KPI__c')).toBe(400);
      await expectOrgHolds(connect(running), 'Sales_KPI__c', kpiSet(400).records);
    } finally {
      await store.close();
    }
  });
});
