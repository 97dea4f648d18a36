import path from 'node:path';
import type { MetadataIndex } from '../../scripts/metadata/metadata-index';
import { validateMetadata } from '../../scripts/metadata/validate-metadata';
import { elements, isTrue, text, texts } from '../../scripts/metadata/xml';

const ROOT = path.resolve(__dirname, '..', '..');

const RESULTS = [
  'Commission_Line__c',
  'Commission_Statement__c',
  'Forecast_Snapshot__c',
  'Sales_KPI__c',
  'Sales_Territory__c',
  'Territory_Assignment__c',
];
const TCR = 'Territory_Change_Request__c';

/** Object access as a short code: C R E D, V(iew all), M(odify all). */
type Access = Record<string, string>;

interface Grants {
  objects: Access;
  /** `Object.Field` → 'read' | 'edit'. */
  fields: Record<string, 'read' | 'edit'>;
  tabs: string[];
  apps: string[];
  userPermissions: string[];
}

let index: MetadataIndex;
const grants = new Map<string, Grants>();

beforeAll(async () => {
  const report = await validateMetadata({ projectDir: ROOT, convert: false });
  index = report.index as MetadataIndex;
  for (const ps of index.byType('PermissionSet')) {
    const x = ps.doc?.body ?? {};
    const objects: Access = {};
    for (const op of elements(x, 'objectPermissions')) {
      const code = [
        ['allowCreate', 'C'],
        ['allowRead', 'R'],
        ['allowEdit', 'E'],
        ['allowDelete', 'D'],
        ['viewAllRecords', 'V'],
        ['modifyAllRecords', 'M'],
      ]
        .filter(([tag]) => isTrue(op, tag))
        .map(([, c]) => c)
        .join('');
      objects[text(op, 'object') ?? ''] = code;
    }
    const fields: Grants['fields'] = {};
    for (const fp of elements(x, 'fieldPermissions')) {
      if (isTrue(fp, 'readable')) fields[text(fp, 'field') ?? ''] = isTrue(fp, 'editable') ? 'edit' : 'read';
    }
    grants.set(ps.fullName, {
      objects,
      fields,
      tabs: elements(x, 'tabSettings').map((t) => text(t, 'tab') ?? ''),
      apps: elements(x, 'applicationVisibilities')
        .filter((a) => isTrue(a, 'visible'))
        .map((a) => text(a, 'application') ?? ''),
      userPermissions: elements(x, 'userPermissions')
        .filter((u) => isTrue(u, 'enabled'))
        .map((u) => text(u, 'name') ?? ''),
    });
  }
});

const grant = (name: string): Grants => {
  const g = grants.get(name);
  if (!g) throw new Error(`permission set ${name} is missing`);
  return g;
};

/** Non-required custom fields of an object: the ones field permissions apply to. */
const permissionable = (object: string): string[] =>
  [...(index.object(object)?.fields.values() ?? [])]
    .filter((f) => f.custom && !f.required)
    .map((f) => `${object}.${f.name}`)
    .sort();

const fieldsOf = (g: Grants, object: string, mode?: 'read' | 'edit'): string[] =>
  Object.entries(g.fields)
    .filter(([ref, m]) => ref.startsWith(`${object}.`) && (mode === undefined || m === mode))
    .map(([ref]) => ref)
    .sort();

const TCR_REP_EDITS = [
  'Account__c',
  'Effective_Date__c',
  'From_Territory_Key__c',
  'From_Territory__c',
  'Reason__c',
  'Status__c',
  'To_Territory_Key__c',
  'To_Territory__c',
].map((f) => `${TCR}.${f}`);

it('the four permission sets exist', () => {
  expect([...grants.keys()].sort()).toEqual([
    'SalesOps_Admin',
    'SalesOps_Integration',
    'SalesOps_Manager',
    'SalesOps_Rep',
  ]);
});

describe('SalesOps_Rep', () => {
  it('reads the results and drafts change requests, nothing else', () => {
    expect(grant('SalesOps_Rep').objects).toEqual({
      ...Object.fromEntries(RESULTS.map((o) => [o, 'R'])),
      [TCR]: 'CRE',
    });
  });

  it('reads every result field and edits none', () => {
    const g = grant('SalesOps_Rep');
    for (const o of RESULTS) {
      expect(fieldsOf(g, o, 'read')).toEqual(permissionable(o));
      expect(fieldsOf(g, o, 'edit')).toEqual([]);
    }
    expect(g.fields['Account.Sales_Territory__c']).toBe('read');
  });

  it('edits the requester fields of a change request, not the decision or the outcome', () => {
    const g = grant('SalesOps_Rep');
    expect(fieldsOf(g, TCR, 'edit')).toEqual(TCR_REP_EDITS);
    expect(fieldsOf(g, TCR)).toEqual(permissionable(TCR));
  });

  it('sees the SalesOps app with the console, result and change request tabs', () => {
    const g = grant('SalesOps_Rep');
    expect(g.apps).toEqual(['SalesOps']);
    expect(g.tabs.sort()).toEqual(['SalesOps_Console', ...RESULTS, TCR].sort());
  });
});

describe('SalesOps_Manager', () => {
  it('is the rep set plus the approval fields', () => {
    const rep = grant('SalesOps_Rep');
    const manager = grant('SalesOps_Manager');
    expect(manager.objects).toEqual(rep.objects);
    const changed = Object.keys(manager.fields).filter((f) => manager.fields[f] !== rep.fields[f]);
    expect(changed.sort()).toEqual([`${TCR}.Approver_Comment__c`, `${TCR}.Approver__c`]);
    expect(manager.fields[`${TCR}.Approver__c`]).toBe('edit');
    expect(manager.tabs.sort()).toEqual(rep.tabs.sort());
  });
});

describe('SalesOps_Admin', () => {
  it('views all results, maintains the inputs, deletes nothing', () => {
    expect(grant('SalesOps_Admin').objects).toEqual({
      ...Object.fromEntries(RESULTS.map((o) => [o, 'RV'])),
      SalesOps_Job__c: 'CRE',
      Sales_Quota__c: 'CRE',
      [TCR]: 'CRE',
    });
  });

  it('reads every custom field of every object it can see', () => {
    const g = grant('SalesOps_Admin');
    for (const o of Object.keys(g.objects)) expect(fieldsOf(g, o)).toEqual(permissionable(o));
    for (const o of RESULTS) expect(fieldsOf(g, o, 'edit')).toEqual([]);
  });

  it('edits quotas fully, requests jobs, and leaves what the server writes read-only', () => {
    const g = grant('SalesOps_Admin');
    expect(fieldsOf(g, 'Sales_Quota__c', 'edit')).toEqual(permissionable('Sales_Quota__c'));
    expect(fieldsOf(g, 'SalesOps_Job__c', 'edit')).toEqual([
      'SalesOps_Job__c.Requested_By__c',
      'SalesOps_Job__c.Status__c',
    ]);
    for (const f of ['Applied_At__c', 'Error__c', 'Outcome__c', 'Impact_Summary__c', 'External_Key__c']) {
      expect(g.fields[`${TCR}.${f}`]).toBe('read');
    }
  });

  it('sees every custom object tab', () => {
    expect(grant('SalesOps_Admin').tabs.sort()).toEqual(
      index
        .byType('CustomTab')
        .map((t) => t.fullName)
        .sort(),
    );
  });
});

describe('SalesOps_Integration', () => {
  it('owns the results, records jobs, proposes and applies change requests, reads the CRM', () => {
    expect(grant('SalesOps_Integration').objects).toEqual({
      ...Object.fromEntries(RESULTS.map((o) => [o, 'CREDVM'])),
      SalesOps_Job__c: 'CREDVM',
      Sales_Quota__c: 'RV',
      [TCR]: 'CREV',
      Account: 'REV',
      Opportunity: 'RV',
      Product2: 'RV',
    });
  });

  it('edits every result field and the account territory', () => {
    const g = grant('SalesOps_Integration');
    for (const o of [...RESULTS, 'SalesOps_Job__c'])
      expect(fieldsOf(g, o, 'edit')).toEqual(permissionable(o));
    expect(g.fields['Account.Sales_Territory__c']).toBe('edit');
  });

  it('never takes a manager decision and never changes quotas', () => {
    const g = grant('SalesOps_Integration');
    expect(g.fields[`${TCR}.Approver__c`]).toBe('read');
    expect(g.fields[`${TCR}.Approver_Comment__c`]).toBe('read');
    expect(fieldsOf(g, 'Sales_Quota__c', 'edit')).toEqual([]);
    expect(fieldsOf(g, 'Sales_Quota__c', 'read')).toEqual(permissionable('Sales_Quota__c'));
  });

  it('is an API user with no app or tabs', () => {
    const g = grant('SalesOps_Integration');
    expect(g.userPermissions).toEqual(['ApiEnabled']);
    expect(g.apps).toEqual([]);
    expect(g.tabs).toEqual([]);
  });
});

it('only the integration user can change or delete results, and nobody else has Modify All', () => {
  for (const [name, g] of grants) {
    if (name === 'SalesOps_Integration') continue;
    for (const [object, code] of Object.entries(g.objects)) {
      expect({ name, object, M: code.includes('M'), D: code.includes('D') }).toEqual({
        name,
        object,
        M: false,
        D: false,
      });
      if (RESULTS.includes(object))
        expect({ name, object, code }).toEqual({ name, object, code: expect.not.stringMatching(/[CE]/) });
    }
  }
});

it('the app opens on the console and uses the SalesOps pages for home, accounts and opportunities', () => {
  const app = index.byType('CustomApplication').find((a) => a.fullName === 'SalesOps');
  const overrides = elements(app?.doc?.body, 'actionOverrides').map((o) => [
    text(o, 'actionName'),
    text(o, 'pageOrSobjectType'),
    text(o, 'content'),
  ]);
  expect(overrides).toEqual([
    ['Tab', 'standard-home', 'SalesOps_Home_Page'],
    ['View', 'Account', 'SalesOps_Account_Record_Page'],
    ['View', 'Opportunity', 'SalesOps_Opportunity_Record_Page'],
  ]);
  expect(texts(app?.doc?.body, 'tabs').slice(0, 2)).toEqual(['standard-home', 'SalesOps_Console']);
});

it('the app lists a tab for every custom object', () => {
  const app = index.byType('CustomApplication').find((a) => a.fullName === 'SalesOps');
  const tabs = texts(app?.doc?.body, 'tabs');
  const customObjects = [...index.objects.values()].filter((o) => o.component).map((o) => o.name);
  expect(customObjects.length).toBe(9);
  expect(customObjects.filter((o) => !tabs.includes(o))).toEqual([]);
  expect(text(app?.doc?.body, 'uiType')).toBe('Lightning');
});

it('every custom object has a tab, an All list view and at least one more', () => {
  const tabs = new Set(index.byType('CustomTab').map((t) => t.fullName));
  for (const o of [...index.objects.values()].filter((x) => x.component)) {
    const views = o.listViews.map((v) => v.fullName.split('.')[1]);
    expect({ object: o.name, tab: tabs.has(o.name), all: views.includes('All') }).toEqual({
      object: o.name,
      tab: true,
      all: true,
    });
    if (o.name !== 'Sales_Quota__c')
      expect({ object: o.name, views: views.length > 1 }).toEqual({ object: o.name, views: true });
  }
});
