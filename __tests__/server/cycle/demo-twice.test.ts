import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';

jest.setTimeout(300_000);

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'salesops.js');

describe('npm start (salesops demo --once) twice', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-demo-twice-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const demo = () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'silent',
      SALESOPS_DB: path.join(tmp, 'store.sqlite'),
    };
    for (const k of Object.keys(env)) if (k.startsWith('SF_')) delete env[k];
    const res = spawnSync(
      process.execPath,
      [BIN, 'demo', '--once', '--json', '--size', '3', '--db', path.join(tmp, 'org.sqlite')],
      { env, encoding: 'utf8', timeout: 240_000, maxBuffer: 256 * 2 ** 20 },
    );
    if (res.status !== 0)
      throw new Error(`demo exited ${res.status}: ${res.stderr}\n${res.stdout.slice(0, 2000)}`);
    return JSON.parse(res.stdout);
  };

  it('When the data did not change, then the second start writes nothing and both runs are job records', () => {
    const first = demo();
    expect(first.cycle.kind).toBe('cycle');
    expect(first.cycle.writeback.rowsWritten).toBeGreaterThan(0);
    for (const object of [
      'Forecast_Snapshot__c',
      'Sales_KPI__c',
      'Sales_Territory__c',
      'Commission_Statement__c',
    ])
      expect(first.cycle.writeback.objects[object].written).toBeGreaterThan(0);
    expect(first.cycle.jobRecordId).toMatch(/^[a-zA-Z0-9]{18}$/);

    const second = demo();
    expect(second.cycle.writeback.rowsChanged).toBe(0);
    expect(second.cycle.writeback.rowsWritten).toBe(0);
    expect(second.cycle.writeback.rowsRetracted).toBe(0);
    expect(second.cycle.jobRecordId).toMatch(/^[a-zA-Z0-9]{18}$/);
    expect(second.cycle.jobRecordId).not.toBe(first.cycle.jobRecordId);
  });
});
