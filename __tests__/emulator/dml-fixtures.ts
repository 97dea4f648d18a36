import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapOrg } from '../../emulator/src/bootstrap';
import { FixedClock } from '../../emulator/src/clock';
import type { DmlContext } from '../../emulator/src/dml';
import { Org, type OrgSettings } from '../../emulator/src/org';
import { loadStandardObjects } from '../../emulator/src/schema/standard';

/**
 * Test metadata for the DML tests: `Dml_Test__c` (auto-number name, a unique external id, a
 * non-unique external id, bounded numbers, a restricted picklist, a date, a checkbox defaulting to
 * true, a SetNull lookup to Account) and `Dml_Child__c` (master-detail to Dml_Test__c).
 */
const field = (name: string, body: string): [string, string] => [
  name,
  `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    ${body}
</CustomField>`,
];

const object = (
  label: string,
  plural: string,
  nameField: string,
): string => `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>${label}</label>
    <nameField>${nameField}</nameField>
    <pluralLabel>${plural}</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>`;

const FIXTURE: Record<string, { object: string; fields: Array<[string, string]> }> = {
  Dml_Test__c: {
    object: object(
      'Dml Test',
      'Dml Tests',
      '<displayFormat>DT-{0000}</displayFormat><label>Test Number</label><type>AutoNumber</type>',
    ),
    fields: [
      field(
        'External_Key__c',
        '<label>External Key</label><type>Text</type><length>40</length><externalId>true</externalId><unique>true</unique><required>false</required>',
      ),
      field(
        'Loose_Key__c',
        '<label>Loose Key</label><type>Text</type><length>40</length><externalId>true</externalId><required>false</required>',
      ),
      field(
        'Amount__c',
        '<label>Amount</label><type>Currency</type><precision>5</precision><scale>2</scale><required>false</required>',
      ),
      field(
        'Count__c',
        '<label>Count</label><type>Number</type><precision>3</precision><scale>0</scale><required>false</required>',
      ),
      field(
        'Stage__c',
        `<label>Stage</label><type>Picklist</type><required>false</required><valueSet><restricted>true</restricted><valueSetDefinition><sorted>false</sorted>
          <value><fullName>Open</fullName><default>false</default><label>Open</label></value>
          <value><fullName>Closed</fullName><default>false</default><label>Closed</label></value>
        </valueSetDefinition></valueSet>`,
      ),
      field('Due__c', '<label>Due</label><type>Date</type><required>false</required>'),
      field('Starts_At__c', '<label>Starts At</label><type>DateTime</type><required>false</required>'),
      field('Flag__c', '<label>Flag</label><type>Checkbox</type><defaultValue>true</defaultValue>'),
      field('Contact_Email__c', '<label>Contact Email</label><type>Email</type><required>false</required>'),
      field(
        'Account__c',
        '<label>Account</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Dml_Tests</relationshipName><deleteConstraint>SetNull</deleteConstraint><required>false</required>',
      ),
    ],
  },
  Dml_Child__c: {
    object: object('Dml Child', 'Dml Children', '<label>Child Name</label><type>Text</type>'),
    fields: [
      field(
        'Parent__c',
        '<label>Parent</label><type>MasterDetail</type><referenceTo>Dml_Test__c</referenceTo><relationshipName>Children</relationshipName>',
      ),
      field(
        'Peer__c',
        '<label>Peer</label><type>Lookup</type><referenceTo>Dml_Test__c</referenceTo><relationshipName>Peers</relationshipName><deleteConstraint>SetNull</deleteConstraint><required>false</required>',
      ),
    ],
  },
};

/** Writes the fixture as an SFDX source folder and returns its path. */
export function dmlMetadataDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dml-meta-'));
  for (const [name, def] of Object.entries(FIXTURE)) {
    const dir = path.join(root, 'objects', name, 'fields');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(root, 'objects', name, `${name}.object-meta.xml`), def.object);
    for (const [fieldName, xml] of def.fields)
      fs.writeFileSync(path.join(dir, `${fieldName}.field-meta.xml`), xml);
  }
  return root;
}

/** 2026-03-10T09:00:00Z: a fixed "now" for stamps. */
export const T0 = Date.UTC(2026, 2, 10, 9, 0, 0);

export interface DmlTestOrg {
  org: Org;
  clock: FixedClock;
  userId: string;
  integrationUserId: string;
  json: DmlContext;
  csv: DmlContext;
  close(): void;
}

export function makeDmlOrg(settings: Partial<OrgSettings> = {}): DmlTestOrg {
  const clock = new FixedClock(T0);
  const org = new Org({
    dbFile: ':memory:',
    objects: loadStandardObjects([dmlMetadataDir()]),
    clock,
    settings,
  });
  const { adminUserId, integrationUserId } = bootstrapOrg(org, {
    adminPassword: 'pw-1',
    integrationPassword: 'pw-2',
  });
  return {
    org,
    clock,
    userId: adminUserId,
    integrationUserId,
    json: { userId: adminUserId, allOrNone: false, mode: 'json' },
    csv: { userId: adminUserId, allOrNone: false, mode: 'csv' },
    close: () => org.close(),
  };
}

/** The stored row of a record, straight from SQLite. */
export function rowOf(org: Org, objectName: string, id: string): Record<string, unknown> | undefined {
  return org.db.prepare(`SELECT * FROM "${objectName}" WHERE "Id" = ?`).get(id) as
    Record<string, unknown> | undefined;
}
