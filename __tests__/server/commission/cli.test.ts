import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeCommand } from '../../../server/src/cli/commands/compute';
import { AppError } from '../../../server/src/shared/errors';

/** In process (the spawned binary is exercised once above; transpiling it costs seconds a run). */
async function inProcess(args: { input: string; plans?: string; asOf?: string; json?: boolean }) {
  let printed = '';
  const out = {
    json: args.json ?? false,
    result: (data: unknown, human: string) => void (printed = args.json ? JSON.stringify(data) : human),
  };
  await computeCommand(
    'commissions',
    { input: args.input, plans: args.plans, asOf: args.asOf, json: args.json ?? false },
    out,
    () => '2026-09-15',
  );
  return printed;
}

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'salesops.js');
const run = (args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  for (const k of Object.keys(env)) if (k.startsWith('SF_')) delete env[k];
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
};

// The committed plans use the committed calendar (fiscal year from 1 February): FY2027-Q2 is
// May–July 2026, FY2027-Q3 August–October 2026.
const snapshot = {
  version: 1,
  corporateCurrency: 'USD',
  roles: [
    { id: 'R_MGR', name: 'AMER Enterprise 1 Sales Manager', forecastManagerId: 'U_MGR' },
    { id: 'R_AE', name: 'AMER Enterprise 1 Account Executive', parentRoleId: 'R_MGR' },
  ],
  users: [
    { id: 'U_MGR', name: 'Mia Manager', roleId: 'R_MGR' },
    { id: 'U_AE', name: 'Ari Executive', roleId: 'R_AE' },
  ],
  opportunities: [
    {
      id: 'O1',
      name: 'Acme platform',
      ownerId: 'U_AE',
      stageName: 'Closed Won',
      amount: '300000',
      currency: 'USD',
      closeDate: '2026-08-20',
      createdDate: '2026-05-01',
      isClosed: true,
      isWon: true,
      dates: { invoiceDate: '2026-08-25' },
    },
    {
      id: 'O2',
      name: 'Globex expansion',
      ownerId: 'U_AE',
      stageName: 'Negotiation/Review',
      amount: '100000',
      currency: 'USD',
      closeDate: '2026-10-10',
      createdDate: '2026-06-01',
      isClosed: false,
      isWon: false,
    },
  ],
  quotas: [
    {
      ownerType: 'user',
      ownerId: 'U_AE',
      periodType: 'quarter',
      periodStart: '2026-08-01',
      amount: '600000',
      currency: 'USD',
    },
  ],
};

describe('salesops compute commissions', () => {
  let tmp: string;
  let file: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-commission-cli-'));
    file = path.join(tmp, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('computes statements and lines on a snapshot file with the committed plans', () => {
    const res = run(['compute', 'commissions', '--input', file, '--as-of', '2026-09-15', '--json']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.ok).toBe(true);
    expect(out.plans.keys).toEqual(['ae-commercial', 'ae-enterprise', 'sales-manager', 'solution-engineer']);
    const ae = out.commissions.statements.find(
      (s: { externalKey: string }) => s.externalKey === 'CS|U_AE|FY2027-Q3',
    );
    // ae-enterprise v2: 300,000 of 600,000 = 50%: the whole deal in the decelerator band at 7.5% × 0.5
    expect(ae).toMatchObject({
      planKey: 'ae-enterprise',
      planVersion: 2,
      earned: '11250.00',
      payable: '11250.00',
      attainment: '0.5000',
    });
    const line = out.commissions.lines.find(
      (l: { externalKey: string }) => l.externalKey === 'CL|U_AE|FY2027-Q3|COM|O1|0',
    );
    expect(line.trace).toBe('$300,000.00 × 3.75% (Decelerator, tier 1: 0–50% attainment) = $11,250.00');
    // the open Commit deal would add 100,000 in the Base band at 7.5%
    expect(ae.projectedCommit).toBe('7500.00');
    // the manager's override: 1.5% of the team's deal
    const mgr = out.commissions.lines.find(
      (l: { externalKey: string }) => l.externalKey === 'CL|U_MGR|FY2027-Q3|COM|O1|0',
    );
    expect(mgr).toMatchObject({ creditRole: 'Manager', amount: '4500.00' });
  });

  it('--plans tries another plan folder (a what-if before rolling a plan out)', async () => {
    const dir = path.join(tmp, 'plans');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'flat.yaml'),
      [
        'key: flat-test',
        'name: Flat test',
        'assignments:',
        '  - { users: [U_AE], from: 2026-01-01 }',
        'versions:',
        '  - { version: 1, effectiveFrom: 2026-01-01, rates: { mode: flat, rate: 2 } }',
      ].join('\n'),
    );
    const text = await inProcess({ input: file, plans: dir });
    expect(text).toContain(`Commissions on ${file} as of 2026-09-15`);
    expect(text).toMatch(/Ari Executive\s+FY2027-Q3\s+USD earned\s+6000\.00/);
  });

  it('names the file, the path inside it and the reason of a bad plan (exit 2)', async () => {
    const dir = path.join(tmp, 'bad');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      [
        'key: bad',
        'name: Bad',
        'versions:',
        '  - version: 1',
        '    effectiveFrom: 2026-01-01',
        '    rates:',
        '      mode: marginal',
        '      tiers:',
        '        - { from: 0, to: 100, rate: 5 }',
        '        - { from: 120, rate: 8 }',
      ].join('\n'),
    );
    const err = await inProcess({ input: file, plans: dir, json: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).exitCode).toBe(2);
    expect((err as AppError).details.problems).toEqual([
      `${path.join(dir, 'bad.yaml')}: versions[0].rates.tiers[0].to: tiers must be contiguous: to (100) must equal the next tier's from (120)`,
    ]);
  });

  it('refuses a bad --as-of and an invalid snapshot with its JSON path', async () => {
    await expect(inProcess({ input: file, asOf: '15/09/2026' })).rejects.toMatchObject({ code: 'USAGE' });
    const broken = path.join(tmp, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        ...snapshot,
        opportunities: [{ ...snapshot.opportunities[0], closeDate: '2026-02-30' }],
      }),
    );
    await expect(inProcess({ input: broken })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining(`${broken}: $.opportunities[0].closeDate`),
    });
  });
});
