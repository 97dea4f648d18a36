import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMetadata } from '../../emulator/src/schema/metadata-loader';
import { Org } from '../../emulator/src/org';
import type { Schema } from '../../emulator/src/schema/registry';
import { loadStandardObjects } from '../../emulator/src/schema/standard';
import type { FieldDef, ObjectDef } from '../../emulator/src/schema/types';

const FORCE_APP = path.resolve(__dirname, '..', '..', 'force-app');
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

/** The org assigns custom key prefixes; build one in memory to get the merged Schema. */
const schemaOf = (dirs: string[]): Schema => {
  const org = new Org({ dbFile: ':memory:', objects: loadStandardObjects(dirs) });
  const { schema } = org;
  org.close();
  return schema;
};

const fieldOf = (obj: ObjectDef, name: string): FieldDef => {
  const f = obj.fields.find((x) => x.name === name);
  if (!f) throw new Error(`${obj.name} has no field ${name}`);
  return f;
};

describe('metadata loader on the project force-app', () => {
  const { customObjects, standardObjectFields } = loadMetadata([FORCE_APP]);
  const byName = new Map(customObjects.map((o) => [o.name, o]));

  it('finds the three input objects below force-app, unprefixed and owned', () => {
    for (const name of ['Sales_Quota__c', 'Territory_Change_Request__c', 'SalesOps_Job__c']) {
      const obj = byName.get(name);
      expect(obj).toMatchObject({ name, custom: true, keyPrefix: '', hasOwner: true });
      expect(obj?.fields.map((f) => f.name).slice(0, 4)).toEqual(['Id', 'OwnerId', 'IsDeleted', 'Name']);
    }
    // The one custom field on a standard object: the account's territory.
    expect([...standardObjectFields].map(([obj, fields]) => [obj, fields.map((f) => f.name)])).toEqual([
      ['Account', ['Sales_Territory__c']],
    ]);
  });

  it('reads a folder named twice only once', () => {
    const twice = loadMetadata([FORCE_APP, path.join(FORCE_APP, 'main', 'default', 'objects')]);
    expect(twice.customObjects.map((o) => o.name)).toEqual(customObjects.map((o) => o.name));
  });

  it('reads Sales_Quota__c fields with their Salesforce shapes', () => {
    const quota = byName.get('Sales_Quota__c') as ObjectDef;
    expect(quota).toMatchObject({
      label: 'Sales Quota',
      labelPlural: 'Sales Quotas',
      sharingModel: 'ReadWrite',
    });
    expect(fieldOf(quota, 'Name')).toMatchObject({
      type: 'string',
      autoNumber: true,
      autoNumberFormat: 'QUOTA-{000000}',
      createable: false,
      nameField: true,
    });
    expect(fieldOf(quota, 'User__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'User__r',
      childRelationshipName: 'Sales_Quotas__r',
      nillable: true,
      label: 'Rep',
    });
    expect(fieldOf(quota, 'External_Key__c')).toMatchObject({
      type: 'string',
      length: 255,
      unique: true,
      externalId: true,
      idLookup: true,
      custom: true,
    });
    expect(fieldOf(quota, 'Period_Start__c')).toMatchObject({
      type: 'date',
      required: true,
      nillable: false,
    });
    expect(fieldOf(quota, 'Amount__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    // Salesforce describes a Number field as double whatever its scale.
    expect(fieldOf(quota, 'Quantity__c')).toMatchObject({ type: 'double', precision: 18, scale: 2 });
    expect(fieldOf(quota, 'Period_Type__c')).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
      defaultValue: 'Quarter',
    });
    expect(fieldOf(quota, 'Period_Type__c').picklistValues).toEqual([
      { value: 'Month', label: 'Month', active: true, defaultValue: false },
      { value: 'Quarter', label: 'Quarter', active: true, defaultValue: true },
      { value: 'Year', label: 'Year', active: true, defaultValue: false },
    ]);
    expect(fieldOf(quota, 'Territory_Key__c').description).toMatch(/territory/i);
    expect(fieldOf(quota, 'Territory_Key__c').inlineHelpText).toMatch(/territory/i);
  });

  it('reads the change request and job objects', () => {
    const tcr = byName.get('Territory_Change_Request__c') as ObjectDef;
    expect(fieldOf(tcr, 'Status__c').picklistValues?.map((p) => p.value)).toEqual([
      'Draft',
      'Submitted',
      'Approved',
      'Rejected',
      'Applied',
      'Failed',
      'Invalid',
    ]);
    expect(fieldOf(tcr, 'Status__c').restrictedPicklist).toBe(true);
    expect(fieldOf(tcr, 'Account__c')).toMatchObject({
      referenceTo: ['Account'],
      relationshipName: 'Account__r',
      childRelationshipName: 'Territory_Change_Requests__r',
    });
    expect(fieldOf(tcr, 'Error__c')).toMatchObject({
      type: 'textarea',
      length: 32768,
      filterable: false,
      sortable: false,
    });
    expect(fieldOf(tcr, 'Applied_At__c').type).toBe('datetime');

    const job = byName.get('SalesOps_Job__c') as ObjectDef;
    expect(job.sharingModel).toBe('Read');
    expect(fieldOf(job, 'Name').autoNumberFormat).toBe('JOB-{000000}');
    expect(fieldOf(job, 'Type__c').picklistValues?.map((p) => p.value)).toEqual([
      'Sync',
      'FullSync',
      'Recompute',
      'Writeback',
      'Cycle',
    ]);
    expect(fieldOf(job, 'Status__c').picklistValues?.map((p) => p.value)).toEqual([
      'Requested',
      'Queued',
      'Running',
      'Succeeded',
      'Failed',
      'Cancelled',
    ]);
    expect(fieldOf(job, 'Progress__c')).toMatchObject({ type: 'percent', precision: 5, scale: 2 });
    expect(fieldOf(job, 'Api_Calls__c')).toMatchObject({ type: 'double', scale: 0 });
    expect(fieldOf(job, 'Summary__c')).toMatchObject({ type: 'textarea', length: 32768 });
    for (const obj of customObjects) {
      for (const f of obj.fields.filter((x) => x.custom)) {
        expect([obj.name, f.name, Boolean(f.description), Boolean(f.inlineHelpText)]).toEqual([
          obj.name,
          f.name,
          true,
          true,
        ]);
      }
    }
  });

  it('merges into the org schema: the User parent sees the custom children', () => {
    const schema = schemaOf([FORCE_APP]);
    expect(schema.childRelationship('User', 'Sales_Quotas__r')).toMatchObject({
      childSObject: 'Sales_Quota__c',
      field: 'User__c',
    });
    expect(schema.childRelationship('Account', 'Territory_Change_Requests__r')).toMatchObject({
      childSObject: 'Territory_Change_Request__c',
    });
    expect(schema.parentRelationship('Sales_Quota__c', 'User__r')?.name).toBe('User__c');
  });
});

describe('metadata loader on hand-made folders', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-loader-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (rel: string, body: string): string => {
    const file = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`);
    return file;
  };
  const object = (name: string, extra = '') =>
    write(
      `objects/${name}/${name}.object-meta.xml`,
      `<CustomObject ${NS}><label>Widget</label><pluralLabel>Widgets</pluralLabel><nameField><label>Widget Name</label><type>Text</type></nameField><sharingModel>ReadWrite</sharingModel>${extra}</CustomObject>`,
    );
  const field = (objectName: string, name: string, body: string) =>
    write(
      `objects/${objectName}/fields/${name}.field-meta.xml`,
      `<CustomField ${NS}><fullName>${name}</fullName>${body}</CustomField>`,
    );

  it('treats a missing folder as no metadata', () => {
    expect(loadMetadata([path.join(tmp, 'nope')])).toEqual({
      customObjects: [],
      standardObjectFields: new Map(),
    });
  });

  it('names the file when the XML is malformed', () => {
    object('Widget__c');
    const broken = field('Widget__c', 'Size__c', '<label>Size</label><type>Text<type><length>10</length>');
    expect(() => loadMetadata([tmp])).toThrow(broken);
    expect(() => loadMetadata([tmp])).toThrow(/invalid XML at line/);
  });

  it('names the file and the problem for unsupported types and missing properties', () => {
    object('Widget__c');
    const bad = field('Widget__c', 'Where__c', '<label>Where</label><type>Location</type>');
    expect(() => loadMetadata([tmp])).toThrow(
      `${bad}: field type Location is not supported by the embedded org`,
    );
    fs.rmSync(bad);
    const noLength = field('Widget__c', 'Code__c', '<label>Code</label><type>Text</type>');
    expect(() => loadMetadata([tmp])).toThrow(`${noLength}: <length> must be a positive whole number`);
    fs.rmSync(noLength);
    const checkbox = field('Widget__c', 'Flag__c', '<label>Flag</label><type>Checkbox</type>');
    expect(() => loadMetadata([tmp])).toThrow(`${checkbox}: a Checkbox needs <defaultValue> true or false`);
    fs.rmSync(checkbox);
    const wrongName = field('Widget__c', 'Other__c', '<label>Other</label><type>Date</type>');
    fs.writeFileSync(
      wrongName,
      fs.readFileSync(wrongName, 'utf8').replace('<fullName>Other__c', '<fullName>Else__c'),
    );
    expect(() => loadMetadata([tmp])).toThrow(
      `${wrongName}: <fullName> Else__c does not match the file name`,
    );
  });

  it('requires label, pluralLabel and nameField on a custom object', () => {
    const file = write(
      'objects/Thing__c/Thing__c.object-meta.xml',
      `<CustomObject ${NS}><label>Thing</label></CustomObject>`,
    );
    expect(() => loadMetadata([tmp])).toThrow(`${file}: <pluralLabel> is required`);
  });

  it('maps every supported field type', () => {
    object('Widget__c', '<description>Things we sell.</description>');
    field('Widget__c', 'Notes__c', '<label>Notes</label><type>TextArea</type>');
    field(
      'Widget__c',
      'Body__c',
      '<label>Body</label><type>Html</type><length>32768</length><visibleLines>10</visibleLines>',
    );
    field('Widget__c', 'Contact_Email__c', '<label>Email</label><type>Email</type><unique>true</unique>');
    field('Widget__c', 'Phone__c', '<label>Phone</label><type>Phone</type>');
    field('Widget__c', 'Site__c', '<label>Site</label><type>Url</type>');
    field(
      'Widget__c',
      'Active__c',
      '<label>Active</label><type>Checkbox</type><defaultValue>true</defaultValue>',
    );
    field('Widget__c', 'Starts__c', '<label>Starts</label><type>Time</type>');
    field(
      'Widget__c',
      'Seq__c',
      '<label>Seq</label><type>AutoNumber</type><displayFormat>W-{0000}</displayFormat>',
    );
    field(
      'Widget__c',
      'Double_Size__c',
      '<label>Double</label><type>Number</type><formula>Size__c * 2</formula><precision>18</precision><scale>0</scale>',
    );
    field(
      'Widget__c',
      'Colors__c',
      '<label>Colors</label><type>MultiselectPicklist</type><visibleLines>4</visibleLines><valueSet><valueSetDefinition><value><fullName>Red</fullName><default>false</default><label>Rouge</label></value><value><fullName>Blue</fullName><default>false</default><label>Blue</label><isActive>false</isActive></value></valueSetDefinition></valueSet>',
    );
    const [widget] = loadMetadata([tmp]).customObjects;
    expect(widget.description).toBe('Things we sell.');
    expect(fieldOf(widget, 'Name')).toMatchObject({
      type: 'string',
      length: 80,
      required: true,
      label: 'Widget Name',
      nameField: true,
    });
    expect(fieldOf(widget, 'Name').autoNumber).toBeFalsy();
    expect(fieldOf(widget, 'Notes__c')).toMatchObject({ type: 'textarea', length: 255 });
    expect(fieldOf(widget, 'Body__c')).toMatchObject({
      type: 'textarea',
      length: 32768,
      htmlFormatted: true,
      filterable: false,
    });
    expect(fieldOf(widget, 'Contact_Email__c')).toMatchObject({ type: 'email', length: 80, unique: true });
    expect(fieldOf(widget, 'Phone__c')).toMatchObject({ type: 'phone', length: 40 });
    expect(fieldOf(widget, 'Site__c')).toMatchObject({ type: 'url', length: 255 });
    expect(fieldOf(widget, 'Active__c')).toMatchObject({
      type: 'boolean',
      defaultValue: true,
      nillable: false,
    });
    expect(fieldOf(widget, 'Starts__c').type).toBe('time');
    expect(fieldOf(widget, 'Seq__c')).toMatchObject({
      autoNumber: true,
      autoNumberFormat: 'W-{0000}',
      createable: false,
    });
    expect(fieldOf(widget, 'Double_Size__c')).toMatchObject({
      type: 'double',
      calculated: true,
      createable: false,
      updateable: false,
    });
    expect(fieldOf(widget, 'Colors__c')).toMatchObject({ type: 'multipicklist', length: 4099 });
    expect(fieldOf(widget, 'Colors__c').picklistValues).toEqual([
      { value: 'Red', label: 'Rouge', active: true, defaultValue: false },
      { value: 'Blue', label: 'Blue', active: false, defaultValue: false },
    ]);
  });

  it('makes a master-detail child owner-less, cascade-deleted and named as Salesforce does', () => {
    object('Widget__c');
    write(
      'objects/Widget_Part__c/Widget_Part__c.object-meta.xml',
      `<CustomObject ${NS}><label>Part</label><pluralLabel>Parts</pluralLabel><nameField><type>AutoNumber</type><label>Part No</label><displayFormat>P-{0}</displayFormat></nameField><sharingModel>ControlledByParent</sharingModel></CustomObject>`,
    );
    field(
      'Widget_Part__c',
      'Widget__c',
      '<label>Widget</label><type>MasterDetail</type><referenceTo>Widget__c</referenceTo><relationshipName>Parts</relationshipName><relationshipOrder>0</relationshipOrder>',
    );
    field(
      'Widget_Part__c',
      'Replaces__c',
      '<label>Replaces</label><type>Lookup</type><referenceTo>Widget_Part__c</referenceTo><relationshipName>Replacements</relationshipName><deleteConstraint>Restrict</deleteConstraint>',
    );
    const part = loadMetadata([tmp]).customObjects.find((o) => o.name === 'Widget_Part__c') as ObjectDef;
    expect(part).toMatchObject({ hasOwner: false, sharingModel: 'ControlledByParent' });
    expect(part.fields.map((f) => f.name)).not.toContain('OwnerId');
    expect(fieldOf(part, 'Widget__c')).toMatchObject({
      referenceTo: ['Widget__c'],
      relationshipName: 'Widget__r',
      childRelationshipName: 'Parts__r',
      cascadeDelete: true,
      required: true,
      nillable: false,
      updateable: false,
    });
    expect(fieldOf(part, 'Replaces__c')).toMatchObject({
      restrictedDelete: true,
      childRelationshipName: 'Replacements__r',
    });
    const schema = schemaOf([tmp]);
    expect(schema.childRelationship('Widget__c', 'Parts__r')).toEqual({
      childSObject: 'Widget_Part__c',
      field: 'Widget__c',
      relationshipName: 'Parts__r',
      cascadeDelete: true,
      restrictedDelete: false,
    });
  });

  it('extends standard objects with their custom fields and skips objects the org does not model', () => {
    field(
      'Account',
      'Territory_Key__c',
      '<label>Territory Key</label><type>Text</type><length>80</length><externalId>true</externalId>',
    );
    field(
      'Lead',
      'Score__c',
      '<label>Score</label><type>Number</type><precision>3</precision><scale>0</scale>',
    );
    const { standardObjectFields } = loadMetadata([tmp]);
    expect([...standardObjectFields.keys()].sort()).toEqual(['Account', 'Lead']);
    const objects = loadStandardObjects([tmp]);
    const account = objects.find((o) => o.name === 'Account') as ObjectDef;
    const names = account.fields.map((f) => f.name);
    expect(names.indexOf('Territory_Key__c')).toBe(names.indexOf('CreatedDate') - 1);
    expect(fieldOf(account, 'Territory_Key__c')).toMatchObject({
      type: 'string',
      length: 80,
      externalId: true,
    });
    expect(objects.find((o) => o.name === 'Lead')).toBeUndefined();
  });

  it('reads the values of a global value set', () => {
    object('Widget__c');
    write(
      'globalValueSets/Sizes.globalValueSet-meta.xml',
      `<GlobalValueSet ${NS}><customValue><fullName>S</fullName><default>true</default><label>Small</label></customValue><customValue><fullName>L</fullName><default>false</default><label>Large</label></customValue><masterLabel>Sizes</masterLabel><sorted>false</sorted></GlobalValueSet>`,
    );
    field(
      'Widget__c',
      'Size__c',
      '<label>Size</label><type>Picklist</type><valueSet><valueSetName>Sizes</valueSetName></valueSet>',
    );
    const [widget] = loadMetadata([tmp]).customObjects;
    expect(fieldOf(widget, 'Size__c')).toMatchObject({ restrictedPicklist: true, defaultValue: 'S' });
    expect(fieldOf(widget, 'Size__c').picklistValues?.map((p) => `${p.value}=${p.label}`)).toEqual([
      'S=Small',
      'L=Large',
    ]);
  });

  it('rejects two lookups that give one parent the same child relationship name', () => {
    object('Widget__c');
    field(
      'Widget__c',
      'Maker__c',
      '<label>Maker</label><type>Lookup</type><referenceTo>User</referenceTo><relationshipName>Widgets</relationshipName><deleteConstraint>SetNull</deleteConstraint>',
    );
    field(
      'Widget__c',
      'Buyer__c',
      '<label>Buyer</label><type>Lookup</type><referenceTo>User</referenceTo><relationshipName>Widgets</relationshipName><deleteConstraint>SetNull</deleteConstraint>',
    );
    expect(() => loadStandardObjects([tmp])).toThrow(
      'child relationship User.Widgets__r is declared by both Widget__c.Buyer__c and Widget__c.Maker__c',
    );
  });
});
