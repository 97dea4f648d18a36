import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'salesops.js');
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('SF_') && !(k in extra)) delete env[k];
  return env;
};
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 2 ** 20,
  });

describe('the salesops command', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 2 on bad usage', () => {
    expect(run(['compute']).status).toBe(2);
    expect(run(['no-such-command']).status).toBe(2);
    const badSize = run(['org', 'start', '--size', 'huge', '--json']);
    expect(badSize.status).toBe(2);
    expect(JSON.parse(badSize.stdout).error.message).toMatch(
      /--size must be small, medium, large or a number/,
    );
  });

  it('exits 2 with every problem named when the environment is invalid', () => {
    const res = run(['demo', '--once'], { SF_LOGIN_URL: 'nope', PORT: 'x' });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/SF_LOGIN_URL must be a URL/);
    expect(res.stderr).toMatch(/PORT must be a port number/);
  });

  it('org start prints credentials that the real jsforce client can use, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'org', 'start', '--port', '0', '--seed', 'none', '--db', ':memory:', '--json'],
      {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const info = await new Promise<{
      instanceUrl: string;
      username: string;
      password: string;
      accessToken: string;
    }>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        try {
          resolve(JSON.parse(out));
        } catch {
          /* wait for the rest of the document */
        }
      });
      child.once('exit', (code) => reject(new Error(`org start exited early with ${code}`)));
    });
    expect(info).toMatchObject({
      instanceUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      username: 'admin@salesops.demo',
    });
    const conn = new Connection({
      instanceUrl: info.instanceUrl,
      accessToken: info.accessToken,
      version: '59.0',
    });
    const users = await conn.query<{ Username: string }>('SELECT Username FROM User ORDER BY Username');
    expect(users.records.map((u) => u.Username)).toEqual([
      'admin@salesops.demo',
      'integration@salesops.demo',
    ]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('demo --once seeds a small org, syncs it into the store, runs the engines on it, takes the census and exits 0', () => {
    const store = path.join(tmp, 'demo-store.sqlite');
    const res = run(['demo', '--once', '--json', '--size', '4', '--db', path.join(tmp, 'demo.sqlite')], {
      SALESOPS_DB: store,
    });
    expect(res.status).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary.ok).toBe(true);
    expect(summary.store).toBe(store);
    expect(summary.sync.status).toBe('succeeded');
    for (const object of [
      'User',
      'Account',
      'Opportunity',
      'OpportunityLineItem',
      'OpportunityHistory',
      'Product2',
      'Sales_Quota__c',
    ]) {
      expect(summary.census.counts[object]).toBeGreaterThan(0);
      expect(summary.sync.objects[object].read).toBe(summary.census.counts[object]);
    }
    expect(summary.census.openPipelineByStage.length).toBeGreaterThan(0);
    expect(summary.compute.forecastRows).toBeGreaterThan(0);
    expect(summary.compute.kpiRows).toBeGreaterThan(0);
  });

  describe('compute on a snapshot file', () => {
    const readmeSnapshot = (): string => {
      const md = readFileSync(
        path.resolve(__dirname, '..', '..', 'server', 'src', 'domain', 'snapshot', 'README.md'),
        'utf8',
      );
      return md.split('```json')[1].split('```')[0];
    };

    it('runs the forecast and KPI engines offline and prints their rows as JSON', () => {
      const file = path.join(tmp, 'snapshot.json');
      writeFileSync(file, readmeSnapshot());
      const res = run(['compute', 'all', '--input', file, '--as-of', '2026-05-15', '--json']);
      expect(res.status).toBe(0);
      const out = JSON.parse(res.stdout);
      const commit = out.forecast.rows.find(
        (r: Record<string, string>) =>
          r.forecastType === 'opportunity_revenue' &&
          r.ownerId === '0052' &&
          r.category === 'commit' &&
          r.periodKey === 'FY2027-Q2',
      );
      expect(commit.amountAdjusted).toBe('13333.33');
      expect(out.kpis.rows.length).toBeGreaterThan(0);
      expect(out.asOf).toBe('2026-05-15');
    });

    it('names the file and the JSON path of every problem in an invalid snapshot', () => {
      const file = path.join(tmp, 'bad-snapshot.json');
      const snapshot = JSON.parse(readmeSnapshot());
      snapshot.opportunities[0].closeDate = '2026-02-30';
      delete snapshot.corporateCurrency;
      writeFileSync(file, JSON.stringify(snapshot));
      const res = run(['compute', 'forecast', '--input', file, '--as-of', '2026-05-15']);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`${file}: $.opportunities[0].closeDate`);
      expect(res.stderr).toContain(`${file}: $.corporateCurrency`);
    });

    it('says which engines are not built yet', () => {
      expect(run(['compute', 'commissions', '--input', 'x.json']).status).toBe(1);
      expect(run(['compute', 'forecasts', '--input', 'x.json']).status).toBe(2);
    });
  });
});
