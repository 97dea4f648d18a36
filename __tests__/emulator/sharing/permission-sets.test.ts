import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapOrg } from '../../../emulator/src/bootstrap';
import { FixedClock } from '../../../emulator/src/clock';
import { Org } from '../../../emulator/src/org';
import { loadStandardObjects } from '../../../emulator/src/schema/standard';
import { PROJECT_METADATA_DIR } from '../../../emulator/src/server';
import {
  accessOf,
  assignPermissionSet,
  installPermissionSets,
  loadPermissionSets,
  recordFilter,
  type PermissionSetDef,
} from '../../../emulator/src/sharing';
import { RowWriter } from '../../../emulator/src/store/row-writer';

const xml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">${body}</PermissionSet>`;

function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'permsets-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, 'main', 'default', 'permissionsets', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

function emptyOrg(): Org {
  const org = new Org({
    dbFile: ':memory:',
    objects: loadStandardObjects([PROJECT_METADATA_DIR]),
    clock: new FixedClock(Date.UTC(2026, 10, 12)),
  });
  bootstrapOrg(org, { adminPassword: 'pw-1', integrationPassword: 'pw-2' });
  return org;
}

describe('permission set metadata', () => {
  it('reads object permissions with the implied ones, and View/Modify All Data', () => {
    const dir = tempProject({
      'Reader.permissionset-meta.xml': xml(`<label>Reader</label>
        <objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit>
          <allowRead>false</allowRead><modifyAllRecords>false</modifyAllRecords><object>Thing__c</object><viewAllRecords>false</viewAllRecords></objectPermissions>
        <objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit>
          <allowRead>false</allowRead><modifyAllRecords>true</modifyAllRecords><object>Other__c</object><viewAllRecords>false</viewAllRecords></objectPermissions>
        <userPermissions><enabled>true</enabled><name>ViewAllData</name></userPermissions>
        <userPermissions><enabled>false</enabled><name>ModifyAllData</name></userPermissions>`),
    });
    const [def] = loadPermissionSets([dir]);
    expect(def).toEqual({
      name: 'Reader',
      label: 'Reader',
      description: null,
      viewAllData: true,
      modifyAllData: false,
      apiEnabled: false,
      objects: [
        {
          object: 'Thing__c',
          read: true,
          create: false,
          edit: true,
          delete: false,
          viewAll: false,
          modifyAll: false,
        },
        {
          object: 'Other__c',
          read: true,
          create: false,
          edit: true,
          delete: true,
          viewAll: true,
          modifyAll: true,
        },
      ],
    });
  });

  it('names the file of invalid XML', () => {
    const dir = tempProject({ 'Broken.permissionset-meta.xml': '<PermissionSet><label>x</PermissionSet>' });
    expect(() => loadPermissionSets([dir])).toThrow(/Broken\.permissionset-meta\.xml: invalid XML/);
  });

  it("loads the project's four permission sets", () => {
    const names = loadPermissionSets([PROJECT_METADATA_DIR]).map((d) => d.name);
    expect(names).toEqual(['SalesOps_Admin', 'SalesOps_Integration', 'SalesOps_Manager', 'SalesOps_Rep']);
  });
});

describe('installing permission sets', () => {
  const def = (objects: PermissionSetDef['objects']): PermissionSetDef => ({
    name: 'Test_Set',
    label: 'Test Set',
    description: null,
    viewAllData: false,
    modifyAllData: false,
    apiEnabled: true,
    objects,
  });
  const perm = (object: string, read: boolean, edit: boolean) => ({
    object,
    read,
    create: false,
    edit,
    delete: false,
    viewAll: false,
    modifyAll: false,
  });

  it('is idempotent, keeps ids, updates changed rows and drops objects the metadata no longer has', () => {
    const org = emptyOrg();
    installPermissionSets(org, [
      def([perm('Sales_KPI__c', true, false), perm('Sales_Quota__c', true, false)]),
    ]);
    const read = () =>
      org.db
        .prepare(
          'SELECT p."Id" AS ps, o."Id" AS id, o."SobjectType" AS obj, o."PermissionsEdit" AS edit FROM "ObjectPermissions" o JOIN "PermissionSet" p ON p."Id" = o."ParentId" ORDER BY o."SobjectType"',
        )
        .all() as Array<{ ps: string; id: string; obj: string; edit: number }>;
    const first = read();
    expect(first.map((r) => [r.obj, r.edit])).toEqual([
      ['Sales_KPI__c', 0],
      ['Sales_Quota__c', 0],
    ]);
    installPermissionSets(org, [
      def([perm('Sales_KPI__c', true, false), perm('Sales_Quota__c', true, false)]),
    ]);
    expect(read()).toEqual(first);
    installPermissionSets(org, [def([perm('Sales_KPI__c', true, true)])]);
    const third = read();
    expect(third).toEqual([{ ...first[0], edit: 1 }]);
    org.close();
  });

  it('computes access from the profile, assignments and the role hierarchy', () => {
    const org = emptyOrg();
    installPermissionSets(org, [def([perm('Sales_KPI__c', true, false)])]);
    const profile = (
      org.db.prepare(`SELECT "Id" FROM "Profile" WHERE "Name" = 'Standard User'`).get() as { Id: string }
    ).Id;
    const roles = new RowWriter(org, 'UserRole');
    const top = roles.insert({ Name: 'Top' }, null);
    const mid = roles.insert({ Name: 'Mid', ParentRoleId: top }, null);
    const low = roles.insert({ Name: 'Low', ParentRoleId: mid }, null);
    const users = new RowWriter(org, 'User');
    const user = (name: string, role: string) =>
      users.insert(
        {
          Username: `${name}@t.test`,
          LastName: name,
          Name: name,
          Email: `${name}@t.test`,
          Alias: name,
          TimeZoneSidKey: 'GMT',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
          ProfileId: profile,
          UserRoleId: role,
        },
        null,
      );
    const boss = user('boss', top);
    const peerA = user('peera', low);
    const peerB = user('peerb', low);
    user('middle', mid);
    const kpi = org.schema.get('Sales_KPI__c');
    const quota = org.schema.get('Sales_Quota__c');
    const opp = org.schema.get('Opportunity');

    expect(accessOf(org, peerA).object(kpi).read).toBe(false);
    expect(assignPermissionSet(org, peerA, 'Test_Set')).toBe(true);
    expect(assignPermissionSet(org, peerA, 'No_Such_Set')).toBe(false);
    const a = accessOf(org, peerA);
    expect(a.object(kpi)).toMatchObject({ read: true, create: false, edit: false });
    expect(a.object(quota).read).toBe(false);
    expect(a.object(opp)).toMatchObject({ read: true, create: true, edit: true, delete: true });
    expect(a.object(org.schema.get('Product2'))).toMatchObject({ read: true, create: false });

    const owners = (userId: string) =>
      (
        org.db
          .prepare('SELECT owner_id FROM temp._sharing_owner WHERE slot = ? ORDER BY owner_id')
          .all(accessOf(org, userId).ownerSlot) as Array<{ owner_id: string }>
      ).map((r) => r.owner_id);
    expect(owners(peerA)).toEqual([peerA]);
    expect(owners(boss).length).toBe(4);
    expect(owners(boss)).toEqual(expect.arrayContaining([boss, peerA, peerB]));

    // Private opportunities: a predicate on the owner; Sales_KPI__c is Read: no filter to read it.
    expect(recordFilter(org, accessOf(org, peerA), opp, 't', 'read')).toContain('"OwnerId" IN');
    expect(recordFilter(org, accessOf(org, peerA), kpi, 't', 'read')).toBeNull();
    expect(recordFilter(org, accessOf(org, peerA), kpi, 't', 'edit')).toContain('"OwnerId" IN');
    const admin = (
      org.db.prepare(`SELECT "Id" FROM "User" WHERE "Username" = 'admin@salesops.demo'`).get() as {
        Id: string;
      }
    ).Id;
    expect(accessOf(org, admin).modifyAllData).toBe(true);
    expect(recordFilter(org, accessOf(org, admin), opp, 't', 'delete')).toBeNull();
    org.close();
  });
});
