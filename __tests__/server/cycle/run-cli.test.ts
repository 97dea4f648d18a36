import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateDemoOrg } from '../../../emulator/src/seed';
import type { RunningOrg } from '../../../emulator/src/server';
import { connect, startTestOrg } from '../../helpers/org';

jest.setTimeout(240_000);

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'salesops.js');

describe('salesops run and salesops writeback against a configured org', () => {
  let running: RunningOrg;
  let tmp: string;

  // Asynchronous: the org answers from this process while the command runs.
  const cli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        LOG_LEVEL: 'silent',
        SALESOPS_DB: path.join(tmp, 'store.sqlite'),
        SF_LOGIN_URL: running.loginUrl,
        SF_USERNAME: running.username,
        SF_PASSWORD: running.password,
      };
      execFile(process.execPath, [BIN, ...args], { env, maxBuffer: 256 * 2 ** 20 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-run-cli-'));
    running = await startTestOrg();
    await generateDemoOrg(running.org, { size: 3, seed: 'run-cli' });
  });
  afterAll(async () => {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('When run and then written back as a dry run, then the run writes every result and the dry run plans nothing', async () => {
    const bad = await cli(['run', '--as-of', '2026-13-45']);
    expect(bad.code).toBe(2);

    const first = await cli(['run', '--json', '--as-of', '2026-11-27']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.ok).toBe(true);
    expect(report.kind).toBe('cycle');
    expect(report.sync.status).toBe('succeeded');
    expect(report.writeback.rowsWritten).toBeGreaterThan(0);
    expect(report.writeback.rowsWritten + report.writeback.rowsFailed).toBe(report.writeback.rowsChanged);
    const kpis = (await connect(running).query('SELECT COUNT() FROM Sales_KPI__c')).totalSize;
    expect(kpis).toBe(report.writeback.objects.Sales_KPI__c.written);

    // Nothing changed since: the dry run plans no writes (demo-twice.test.ts runs the full second cycle).
    const dry = await cli(['writeback', '--dry-run', '--as-of', '2026-11-27']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Write-back succeeded (dry run: nothing written)');
    expect(dry.stdout).toMatch(/Sales_KPI__c\s+[\d,]+\s+0\s+0/);
  });
});
