import type { Connection } from 'jsforce';
import {
  applyTerritoryChanges,
  type ApplyChangesInput,
} from '../../../server/src/app/apply-territory-changes';
import { computeModel } from '../../../server/src/domain/territory';
import {
  readAppliedTerritoryChanges,
  territoryChangePort,
} from '../../../server/src/crm/territory-change-requests';
import { connect } from '../../helpers/org';
import { loginAs, startDemoOrg, type DemoOrg } from '../../emulator/sharing/viewers';
import { account, engineConfig, snapshot, TYPES } from './helpers';

/**
 * The approval flow end to end against the embedded org: change requests written in the org,
 * approved or rejected by real users logged in with their passwords, applied by the server's use case
 * over the REST API, and read back from the org. Needs the Territory_Change_Request__c and
 * Sales_Territory__c fields of force-app (the org loads them at start).
 */

type Row = Record<string, unknown>;

describe('territory change approval flow (embedded org)', () => {
  let demo: DemoOrg;
  let admin: Connection;
  let manager: Connection;
  let ops: Connection;
  let repId: string;
  let managerId: string;
  const accounts: string[] = [];
  const territoryIds: Record<string, string> = {};
  const requests: Record<'approved' | 'rejected' | 'wrongApprover' | 'tampered' | 'unknownTarget', string> = {
    approved: '',
    rejected: '',
    wrongApprover: '',
    tampered: '',
    unknownTarget: '',
  };
  const config = engineConfig({
    types: TYPES,
    approval: { approvers: ['sourceOwnerManager', 'targetOwnerManager'], ownerChangeOnApply: true },
    models: [
      {
        key: 'FY27',
        name: 'FY27',
        state: 'Active',
        territories: [
          {
            key: 'EAST',
            name: 'East',
            type: 'Segment',
            rules: [{ items: [{ field: 'billingCountry', op: 'isNotNull' }] }],
          },
          { key: 'WEST', name: 'West', type: 'Segment' },
        ],
      },
    ],
  }).territories;
  let input: ApplyChangesInput;

  const get = async (id: string): Promise<Row> =>
    (await admin.sobject('Territory_Change_Request__c').retrieve(id)) as unknown as Row;
  const update = async (conn: Connection, record: Row): Promise<void> => {
    const r = await (
      conn.sobject('Territory_Change_Request__c') as unknown as {
        update(x: Row): Promise<{ success: boolean; errors: unknown[] }>;
      }
    ).update(record);
    if (!r.success) throw new Error(JSON.stringify(r.errors));
  };

  beforeAll(async () => {
    demo = await startDemoOrg();
    const { running, viewers } = demo;
    admin = connect(running);
    manager = await loginAs(running, viewers.manager.username, viewers.manager.password);
    ops = await loginAs(running, viewers['ops-admin'].username, viewers['ops-admin'].password);
    repId = viewers.rep.userId;
    managerId = viewers.manager.userId;
    const rows = await admin.query<Row>('SELECT Id FROM Account ORDER BY Id LIMIT 5');
    accounts.push(...rows.records.map((r) => String(r.Id)));
    // The territories as an earlier cycle wrote them.
    for (const key of ['EAST', 'WEST']) {
      const r = (await admin.sobject('Sales_Territory__c').create({
        Name: key,
        External_Key__c: `TERR|FY27|${key}`,
        Territory_Key__c: key,
        Model__c: 'FY27',
        Model_State__c: 'Active',
      } as Row)) as { id: string; success: boolean };
      territoryIds[key] = r.id;
    }
    const create = async (accountId: string, to: string): Promise<string> => {
      const r = (await admin.sobject('Territory_Change_Request__c').create({
        Account__c: accountId,
        From_Territory_Key__c: 'EAST',
        To_Territory_Key__c: to,
        Effective_Date__c: '2026-11-01',
        Reason__c: 'moves west',
        Status__c: 'Submitted',
      } as Row)) as { id: string };
      return r.id;
    };
    requests.approved = await create(accounts[0]!, 'WEST');
    requests.rejected = await create(accounts[1]!, 'WEST');
    requests.wrongApprover = await create(accounts[2]!, 'WEST');
    requests.tampered = await create(accounts[3]!, 'WEST');
    requests.unknownTarget = await create(accounts[4]!, 'NORTH');

    // The rep owns WEST; their manager approves one request and rejects another.
    await update(manager, { Id: requests.approved, Status__c: 'Approved', Approver__c: managerId });
    await update(manager, {
      Id: requests.rejected,
      Status__c: 'Rejected',
      Approver__c: managerId,
      Approver_Comment__c: 'no',
    });
    // The ops admin may edit requests but is neither owner's manager.
    await update(ops, {
      Id: requests.wrongApprover,
      Status__c: 'Approved',
      Approver__c: demo.viewers['ops-admin'].userId,
    });
    // Someone else marks a request approved in the manager's name.
    await update(admin, { Id: requests.tampered, Status__c: 'Approved', Approver__c: managerId });
    await update(manager, { Id: requests.unknownTarget, Status__c: 'Approved', Approver__c: managerId });

    input = {
      config,
      modelKey: 'FY27',
      owners: new Map([
        ['EAST', null],
        ['WEST', repId],
      ]),
      now: () => new Date('2026-11-27T06:00:00.000Z'),
    };
  }, 120_000);

  afterAll(async () => {
    await demo?.running.close();
  });

  it('applies the approved request: the account shows its new territory and owner, the request says Applied', async () => {
    const result = await applyTerritoryChanges(territoryChangePort(admin), input);
    expect(result.applied.map((a) => a.id)).toEqual([requests.approved]);
    expect(result.invalid.map((i) => i.id).sort()).toEqual(
      [requests.wrongApprover, requests.tampered, requests.unknownTarget].sort(),
    );

    const acc = (await admin.sobject('Account').retrieve(accounts[0]!)) as unknown as Row;
    expect(acc.Sales_Territory__c).toBe(territoryIds.WEST);
    expect(acc.OwnerId).toBe(repId);
    const applied = await get(requests.approved);
    expect(applied.Status__c).toBe('Applied');
    expect(applied.Applied_At__c).toMatch(/^2026-11-27T06:00:00/);
    expect(String(applied.Outcome__c)).toContain(
      `Account ${accounts[0]}: Sales_Territory__c → TERR|FY27|WEST (${territoryIds.WEST})`,
    );
    expect(String(applied.Outcome__c)).toContain(`OwnerId`);
  });

  it('leaves the rejected request and its account untouched', async () => {
    const rejected = await get(requests.rejected);
    expect(rejected).toMatchObject({ Status__c: 'Rejected', Applied_At__c: null, Error__c: null });
    const acc = (await admin.sobject('Account').retrieve(accounts[1]!)) as unknown as Row;
    expect(acc.Sales_Territory__c ?? null).toBeNull();
  });

  it('marks a request approved by someone without the right, or in someone else’s name, Invalid with the reason', async () => {
    const wrong = await get(requests.wrongApprover);
    expect(wrong.Status__c).toBe('Invalid');
    expect(String(wrong.Error__c)).toContain('has no right to approve this change');
    const tampered = await get(requests.tampered);
    expect(tampered.Status__c).toBe('Invalid');
    expect(String(tampered.Error__c)).toContain('is not the user who approved it');
    const unknown = await get(requests.unknownTarget);
    expect(String(unknown.Error__c)).toBe('target territory NORTH is not in the active model FY27');
    for (const i of [2, 3, 4]) {
      const acc = (await admin.sobject('Account').retrieve(accounts[i]!)) as unknown as Row;
      expect(acc.Sales_Territory__c ?? null).toBeNull();
    }
  });

  it('applying again changes nothing', async () => {
    const before = await get(requests.approved);
    const accBefore = (await admin.sobject('Account').retrieve(accounts[0]!)) as unknown as Row;
    const again = await applyTerritoryChanges(territoryChangePort(admin), input);
    expect(again).toMatchObject({ applied: [], invalid: [], deferred: [] });
    expect((await get(requests.approved)).LastModifiedDate).toBe(before.LastModifiedDate);
    expect(((await admin.sobject('Account').retrieve(accounts[0]!)) as unknown as Row).LastModifiedDate).toBe(
      accBefore.LastModifiedDate,
    );
  });

  it('the next territory run keeps the approved account in its new territory against the rules', async () => {
    const changes = await readAppliedTerritoryChanges(admin);
    expect(changes).toEqual([
      {
        id: requests.approved,
        accountId: accounts[0],
        fromTerritoryKey: 'EAST',
        toTerritoryKey: 'WEST',
        effectiveDate: '2026-11-01',
        status: 'Applied',
      },
    ]);
    const snap = snapshot({
      accounts: accounts.map((id) => account(id, { billingCountry: 'United States' })),
      territoryChanges: changes,
    });
    const r = computeModel(
      snap,
      { territories: config, fiscalCalendar: { type: 'standard', startMonth: 1, yearLabel: 'start' } },
      'FY27',
      '2026-11-27',
    );
    expect(r.accounts.map((d) => [d.accountId, d.territoryKey, d.decidedBy])).toEqual([
      [accounts[0], 'WEST', 'Change Request'],
      ...accounts.slice(1).map((id) => [id, 'EAST', 'Rule']),
    ]);
    expect(
      r.assignmentRows
        .filter((a) => a.accountId === accounts[0] && a.assignmentType === 'Account')
        .map((a) => [a.territoryKey, a.effectiveStart, a.effectiveEnd]),
    ).toEqual([
      ['EAST', '2026-01-01', '2026-10-31'],
      ['WEST', '2026-11-01', null],
    ]);
  });
});
