import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `salesops compute territories` on a snapshot file, with the committed config/territories.yaml. */
const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'salesops.js');
const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });

const ACCOUNTS: [string, Record<string, unknown>, string | null][] = [
  ['A1', { billingCountry: 'United States', billingState: 'CA', numberOfEmployees: 50 }, 'AMER-SMB-WEST'],
  ['A2', { billingCountry: 'United States', billingState: 'NY', numberOfEmployees: 50 }, 'AMER-SMB-EAST'],
  ['A3', { billingCountry: 'Canada', billingState: 'BC', numberOfEmployees: 100 }, 'AMER-SMB-WEST'],
  ['A4', { billingCountry: 'United States', numberOfEmployees: 5000, industry: 'Technology' }, 'AMER-ENT'],
  ['A5', { billingCountry: 'United States', numberOfEmployees: 500, industry: 'Government' }, 'AMER-PUBSEC'],
  ['A6', { billingCountry: 'Germany', billingPostalCode: '10115', numberOfEmployees: 50 }, 'EMEA-SMB-DACH'],
  ['A7', { billingCountry: 'Germany', billingPostalCode: '80331', numberOfEmployees: 50 }, 'EMEA-SMB'],
  ['A8', { billingCountry: 'Japan', numberOfEmployees: 60000 }, 'STRATEGIC'],
  ['A9', { billingCountry: 'Japan', numberOfEmployees: 300 }, 'APAC-COMMERCIAL'],
  ['A10', { billingCountry: 'Brazil', numberOfEmployees: 300 }, null],
];

describe('salesops compute territories', () => {
  let tmp: string;
  let input: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'salesops-territories-'));
    input = path.join(tmp, 'snapshot.json');
    writeFileSync(
      input,
      JSON.stringify({
        version: 1,
        corporateCurrency: 'USD',
        users: [{ id: 'U1', name: 'Una' }],
        accounts: ACCOUNTS.map(([id, fields]) => ({ id, name: `Account ${id}`, ...fields })),
        opportunities: [
          {
            id: 'O1',
            accountId: 'A2',
            ownerId: 'U1',
            stageName: 'Prospecting',
            amount: '1000',
            currency: 'USD',
            closeDate: '2026-12-20',
            createdDate: '2026-10-01',
            isClosed: false,
            isWon: false,
          },
        ],
      }),
    );
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('assigns the demo-shaped accounts with the committed model', () => {
    const res = run(['compute', 'territories', '--input', input, '--as-of', '2026-11-27', '--json']);
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.activeModel).toBe('FY27');
    const fy27 = out.models.find((m: { modelKey: string }) => m.modelKey === 'FY27');
    expect(fy27).toMatchObject({ accounts: 10, assigned: 9 });
    expect(fy27.unassigned).toEqual([{ accountId: 'A10', why: 'no territory: no rule matched' }]);
    const counts = Object.fromEntries(
      fy27.territories.map((t: { territoryKey: string; figures: { accountCount: number } }) => [
        t.territoryKey,
        t.figures.accountCount,
      ]),
    );
    const expected: Record<string, number> = {};
    for (const [, , key] of ACCOUNTS) if (key) expected[key] = (expected[key] ?? 0) + 1;
    for (const [key, n] of Object.entries(counts)) expect(n).toBe(expected[key] ?? 0);
    expect(out.records).toMatchObject({ Sales_Territory__c: 21, Account: 10 });
  });

  it('prints the diff of a proposed move without writing anything', () => {
    const proposal = path.join(tmp, 'proposed.json');
    writeFileSync(
      proposal,
      JSON.stringify({
        moves: [{ accountId: 'A2', toTerritoryKey: 'AMER-SMB-WEST', effectiveDate: '2026-12-01' }],
      }),
    );
    const res = run([
      'compute',
      'territories',
      '--input',
      input,
      '--as-of',
      '2026-11-27',
      '--model',
      proposal,
      '--diff',
      '--json',
    ]);
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.diff.moves).toEqual([
      {
        accountId: 'A2',
        accountName: 'Account A2',
        from: 'AMER-SMB-EAST',
        to: 'AMER-SMB-WEST',
        openPipeline: '1000.00',
        quotaMoved: '0.00',
      },
    ]);
  });

  it('refuses a balance without bounds (exit 2)', () => {
    const res = run(['compute', 'territories', '--input', input, '--balance', 'accountCount', '--json']);
    expect(res.status).toBe(2);
    expect(JSON.parse(res.stdout).error.message).toContain('--balance needs bounds');
  });
});
