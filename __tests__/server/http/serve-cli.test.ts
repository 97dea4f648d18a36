import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import type { RunningOrg } from '../../../emulator/src/server';
import { connect, startTestOrg } from '../../helpers/org';
import { eventually, tempDir } from '../jobs/helpers';

// `salesops serve` as a user runs it: a real process, configured by the environment, against an org
// reached over HTTP (here an embedded test org, logged into by username and password).

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'salesops.js');
const TOKEN = 'serve-cli-token-0123456789abc';

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    ...extra,
  };
  return env;
}

test('without SALESOPS_API_TOKEN it refuses to start: exit 2, naming the variable', () => {
  const tmp = tempDir('serve-cli-');
  try {
    const res = spawnSync(process.execPath, [BIN, 'serve', '--json'], {
      env: cleanEnv({ SALESOPS_DB: path.join(tmp.dir, 's.sqlite') }),
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(doc.error.message).toContain('SALESOPS_API_TOKEN');
  } finally {
    tmp.cleanup();
  }
});

describe('against an org', () => {
  let org: RunningOrg;
  beforeAll(async () => {
    org = await startTestOrg({ streamingTimeoutSeconds: 2 });
  });
  afterAll(async () => {
    await org.close();
  });

  test('serves the API, runs a job an admin requests in the org, and stops cleanly on SIGTERM', async () => {
    const tmp = tempDir('serve-cli-');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-schedules', '--json'], {
      env: cleanEnv({
        SF_LOGIN_URL: org.loginUrl,
        SF_USERNAME: org.username,
        SF_PASSWORD: org.password,
        SF_API_VERSION: '59.0',
        SALESOPS_DB: path.join(tmp.dir, 'store.sqlite'),
        SALESOPS_API_TOKEN: TOKEN,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          if (out.trim().endsWith('}')) resolve((JSON.parse(out) as { url: string }).url);
        });
        void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      await request(url).get('/healthz').expect(200);
      const ready = await request(url).get('/readyz').expect(200);
      expect(ready.body.checks.org).toEqual({ ok: true });
      await request(url).get('/api/jobs').expect(401);

      const conn = connect(org);
      const created = await conn
        .sobject('SalesOps_Job__c')
        .create({ Type__c: 'Sync', Status__c: 'Requested' });
      const id = created.id as string;
      const record = await eventually(
        async () => {
          const r = (await conn.sobject('SalesOps_Job__c').retrieve(id)) as unknown as Record<
            string,
            unknown
          >;
          return r.Status__c === 'Succeeded' || r.Status__c === 'Failed' ? r : null;
        },
        'the requested sync to finish',
        30_000,
      );
      expect(record).toMatchObject({ Status__c: 'Succeeded', Progress__c: 100, Trigger__c: 'Manual' });
      // The org's two bootstrap users at least were read.
      expect(Number(record?.Records_Read__c)).toBeGreaterThanOrEqual(2);

      const jobs = await request(url).get('/api/jobs').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(jobs.body.jobs).toEqual([
        expect.objectContaining({ type: 'Sync', status: 'succeeded', crmRecordId: id }),
      ]);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- serve stderr ---\n${stderr.slice(-3000)}`);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      tmp.cleanup();
    }
    // Two process starts (the first compiles the server on the fly) on a shared 2-core machine.
  }, 120_000);
});
