import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateMetadata, type Problem } from '../../scripts/metadata/validate-metadata';

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT = path.join('force-app', 'main', 'default');

describe('validateMetadata on the project', () => {
  it('finds no problem in force-app and converts it to Metadata API format', async () => {
    const report = await validateMetadata({ projectDir: ROOT });
    expect(report.problems).toEqual([]);
    // 9 custom objects, the Account field, 4 permission sets, 9 tabs, an app, 6 report types, 5 reports,
    // a dashboard and their folders at least; fields and list views are child components.
    expect(report.components).toBeGreaterThan(200);
    expect(report.convertedFiles).toBeGreaterThan(30);
    const types = new Set(report.index?.components.map((c) => c.type));
    for (const t of [
      'CustomObject',
      'CustomField',
      'ListView',
      'PermissionSet',
      'CustomTab',
      'CustomApplication',
      'ReportType',
      'ReportFolder',
      'Report',
      'DashboardFolder',
      'Dashboard',
    ]) {
      expect(types).toContain(t);
    }
  });
});

/** A private copy of the project's metadata to break. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-meta-'));
  fs.cpSync(path.join(ROOT, 'force-app'), path.join(dir, 'force-app'), { recursive: true });
  for (const f of ['sfdx-project.json', '.forceignore']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  return dir;
}

const at = (dir: string, ...parts: string[]) => path.join(dir, DEFAULT, ...parts);

function edit(file: string, from: string | RegExp, to: string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  fs.writeFileSync(file, after);
}

const FIELD = ['objects', 'Sales_KPI__c', 'fields', 'KPI_Id__c.field-meta.xml'];
const REP = ['permissionsets', 'SalesOps_Rep.permissionset-meta.xml'];
const MANAGER = ['permissionsets', 'SalesOps_Manager.permissionset-meta.xml'];
const ADMIN = ['permissionsets', 'SalesOps_Admin.permissionset-meta.xml'];
const REPORT = ['reports', 'SalesOps_Reports', 'Territory_Coverage.report-meta.xml'];

interface Defect {
  name: string;
  /**
   * What the defect breaks or relies on. Defects sharing no area are injected into one copy together
   * (one validation run instead of one each); `*` runs alone.
   */
  areas: string[];
  inject: (dir: string) => void;
  /** The file the problem must name (relative to the copy) and what the message must say. */
  file: RegExp;
  message: RegExp;
}

const DEFECTS: Defect[] = [
  {
    name: 'an unclosed element in a field',
    areas: ['Sales_KPI__c'],
    inject: (d) => edit(at(d, ...FIELD), '<label>KPI Id</label>', '<label>KPI Id'),
    file: /KPI_Id__c\.field-meta\.xml$/,
    message: /malformed XML at line \d+/,
  },
  {
    name: 'a permission set missing its closing tag',
    areas: ['SalesOps_Rep'],
    inject: (d) => edit(at(d, ...REP), '</PermissionSet>', ''),
    file: /SalesOps_Rep\.permissionset-meta\.xml$/,
    message: /malformed XML/,
  },
  {
    name: 'a permission set granting a field that does not exist',
    areas: ['SalesOps_Manager'],
    inject: (d) =>
      edit(
        at(d, ...MANAGER),
        '<field>Sales_KPI__c.KPI_Id__c</field>',
        '<field>Sales_KPI__c.KPI_Code__c</field>',
      ),
    file: /SalesOps_Manager/,
    message: /field Sales_KPI__c\.KPI_Code__c does not exist/,
  },
  {
    name: 'a permission set on an object that does not exist',
    areas: ['SalesOps_Admin', 'Sales_Metric__c'],
    inject: (d) => edit(at(d, ...ADMIN), '<object>Sales_KPI__c</object>', '<object>Sales_Metric__c</object>'),
    file: /SalesOps_Admin/,
    message: /object Sales_Metric__c does not exist/,
  },
  {
    name: 'Modify All without Delete',
    areas: ['SalesOps_Integration'],
    inject: (d) =>
      edit(
        at(d, 'permissionsets', 'SalesOps_Integration.permissionset-meta.xml'),
        /<allowDelete>true<\/allowDelete>(\s*<allowEdit>true<\/allowEdit>\s*<allowRead>true<\/allowRead>\s*<modifyAllRecords>true<\/modifyAllRecords>\s*<object>Sales_KPI__c)/,
        '<allowDelete>false</allowDelete>$1',
      ),
    file: /SalesOps_Integration/,
    message: /Sales_KPI__c: modifyAllRecords needs allowDelete/,
  },
  {
    name: 'field permissions on a required field',
    areas: ['Sales_KPI__c', 'SalesOps_Rep'],
    inject: (d) => edit(at(d, ...FIELD), '<required>false</required>', '<required>true</required>'),
    file: /SalesOps_Rep/,
    message: /Sales_KPI__c\.KPI_Id__c is required/,
  },
  {
    name: 'a report on a report type that does not exist',
    areas: ['Territory_Coverage'],
    inject: (d) =>
      edit(
        at(d, ...REPORT),
        '<reportType>SalesOps_Territories__c</reportType>',
        '<reportType>SalesOps_Regions__c</reportType>',
      ),
    file: /Territory_Coverage\.report-meta\.xml$/,
    message: /report type SalesOps_Regions__c does not exist/,
  },
  {
    name: 'a report column its report type does not offer',
    areas: ['Territory_Coverage'],
    inject: (d) =>
      edit(
        at(d, ...REPORT),
        '<field>Sales_Territory__c.Quota__c</field>',
        '<field>Sales_Territory__c.Trace__c</field>',
      ),
    file: /Territory_Coverage/,
    message: /column Sales_Territory__c\.Trace__c is not in report type SalesOps_Territories/,
  },
  {
    name: 'a dashboard on a report that does not exist',
    areas: ['Territory_Coverage', 'SalesOps_Overview'],
    inject: (d) => fs.rmSync(at(d, ...REPORT)),
    file: /SalesOps_Overview\.dashboard-meta\.xml$/,
    message: /report SalesOps_Reports\/Territory_Coverage does not exist/,
  },
  {
    name: 'a tab for an object that does not exist',
    areas: ['Sales_Metric__c'],
    inject: (d) =>
      fs.copyFileSync(
        at(d, 'tabs', 'Sales_KPI__c.tab-meta.xml'),
        at(d, 'tabs', 'Sales_Metric__c.tab-meta.xml'),
      ),
    file: /Sales_Metric__c\.tab-meta\.xml$/,
    message: /custom object Sales_Metric__c does not exist/,
  },
  {
    name: 'an app naming a tab that does not exist',
    areas: ['SalesOps_App', 'Sales_Metric__c'],
    inject: (d) =>
      edit(
        at(d, 'applications', 'SalesOps.app-meta.xml'),
        '<tabs>Sales_KPI__c</tabs>',
        '<tabs>Sales_Metric__c</tabs>',
      ),
    file: /SalesOps\.app-meta\.xml$/,
    message: /tab Sales_Metric__c does not exist/,
  },
  {
    name: 'a flexipage using a component bundle that does not exist',
    areas: ['flexipage:SalesOps_Home'],
    inject: (d) => {
      fs.mkdirSync(at(d, 'flexipages'), { recursive: true });
      fs.writeFileSync(
        at(d, 'flexipages', 'SalesOps_Home.flexipage-meta.xml'),
        `<?xml version="1.0" encoding="UTF-8"?>
<FlexiPage xmlns="http://soap.sforce.com/2006/04/metadata">
    <flexiPageRegions>
        <itemInstances>
            <componentInstance>
                <componentName>c:forecastSummaryCard</componentName>
            </componentInstance>
        </itemInstances>
        <name>main</name>
        <type>Region</type>
    </flexiPageRegions>
    <masterLabel>SalesOps Home</masterLabel>
    <template><name>flexipage:defaultAppHomeTemplate</name></template>
    <type>AppPage</type>
</FlexiPage>
`,
      );
    },
    file: /SalesOps_Home\.flexipage-meta\.xml$/,
    message: /c:forecastSummaryCard has no bundle forecastSummaryCard/,
  },
  {
    name: 'an LWC bundle without its js-meta.xml',
    areas: ['lwc:orphanCard'],
    inject: (d) => {
      fs.mkdirSync(at(d, 'lwc', 'orphanCard'), { recursive: true });
      fs.writeFileSync(at(d, 'lwc', 'orphanCard', 'orphanCard.js'), 'export default class OrphanCard {}\n');
    },
    file: /lwc\/orphanCard$/,
    message: /LightningComponentBundle orphanCard has no meta file/,
  },
  {
    name: 'a Text field without a length',
    areas: ['Sales_Territory__c'],
    inject: (d) =>
      edit(
        at(d, 'objects', 'Sales_Territory__c', 'fields', 'Territory_Key__c.field-meta.xml'),
        /\s*<length>80<\/length>/,
        '',
      ),
    file: /Territory_Key__c\.field-meta\.xml$/,
    message: /<length> is required/,
  },
  {
    name: 'a lookup without a relationship name',
    areas: ['Forecast_Snapshot__c'],
    inject: (d) =>
      edit(
        at(d, 'objects', 'Forecast_Snapshot__c', 'fields', 'Owner_User__c.field-meta.xml'),
        /\s*<relationshipName>[^<]*<\/relationshipName>/,
        '',
      ),
    file: /Owner_User__c\.field-meta\.xml$/,
    message: /<relationshipName> is required/,
  },
  {
    name: 'a custom object without a sharing model',
    areas: ['Territory_Assignment__c'],
    inject: (d) =>
      edit(
        at(d, 'objects', 'Territory_Assignment__c', 'Territory_Assignment__c.object-meta.xml'),
        /\s*<sharingModel>Read<\/sharingModel>/,
        '',
      ),
    file: /Territory_Assignment__c\.object-meta\.xml$/,
    message: /<sharingModel> is required/,
  },
  {
    name: 'a permission set without a label',
    areas: ['SalesOps_Admin'],
    inject: (d) => edit(at(d, ...ADMIN), /\s*<label>SalesOps Admin<\/label>/, ''),
    file: /SalesOps_Admin/,
    message: /<label> is required/,
  },
  {
    name: 'a meta file whose root element is another type',
    areas: ['SalesOps_Manager'],
    inject: (d) => {
      edit(at(d, ...MANAGER), '<PermissionSet xmlns', '<Profile xmlns');
      edit(at(d, ...MANAGER), '</PermissionSet>', '</Profile>');
    },
    file: /SalesOps_Manager/,
    message: /root element <Profile> should be <PermissionSet>/,
  },
  {
    name: 'a file of no known metadata type',
    areas: ['*'],
    inject: (d) => {
      fs.mkdirSync(at(d, 'widgets'), { recursive: true });
      fs.writeFileSync(at(d, 'widgets', 'Foo.widget-meta.xml'), '<?xml version="1.0"?><Widget/>\n');
    },
    file: /force-app$/,
    message: /SDR cannot resolve the source: TypeInferenceError/,
  },
  {
    name: 'a misspelt suffix inside an object folder',
    areas: ['Sales_Quota__c'],
    inject: (d) =>
      fs.copyFileSync(
        at(d, 'objects', 'Sales_Quota__c', 'fields', 'Amount__c.field-meta.xml'),
        at(d, 'objects', 'Sales_Quota__c', 'fields', 'Amount_Two__c.feld-meta.xml'),
      ),
    file: /Sales_Quota__c/,
    message: /SDR: .*(feld|Unexpected child metadata)/,
  },
  {
    name: 'a list view filtering on a picklist value that does not exist',
    areas: ['Commission_Statement__c'],
    inject: (d) =>
      edit(
        at(d, 'objects', 'Commission_Statement__c', 'listViews', 'Open_Periods.listView-meta.xml'),
        '<value>Open</value>',
        '<value>Pending</value>',
      ),
    file: /Open_Periods\.listView-meta\.xml$/,
    message: /Period_Status__c has no value Pending/,
  },
  {
    name: 'a lookup to an object that does not exist',
    areas: ['Commission_Line__c'],
    inject: (d) =>
      edit(
        at(d, 'objects', 'Commission_Line__c', 'fields', 'Statement__c.field-meta.xml'),
        '<referenceTo>Commission_Statement__c</referenceTo>',
        '<referenceTo>Commission_Plan__c</referenceTo>',
      ),
    file: /Statement__c\.field-meta\.xml$/,
    message: /<referenceTo> Commission_Plan__c does not exist/,
  },
  {
    name: 'a layout placing a field that does not exist',
    areas: ['Commission_Line__c'],
    inject: (d) =>
      edit(
        at(d, 'layouts', 'Commission_Line__c-Commission Line Layout.layout-meta.xml'),
        '<field>Tier__c</field>',
        '<field>Tier_Name__c</field>',
      ),
    file: /Commission_Line__c-Commission Line Layout\.layout-meta\.xml$/,
    message: /field Commission_Line__c\.Tier_Name__c does not exist/,
  },
  {
    name: 'a required field missing from its layout',
    areas: ['SalesOps_Job__c'],
    inject: (d) =>
      edit(
        at(d, 'layouts', 'SalesOps_Job__c-SalesOps Job Layout.layout-meta.xml'),
        /\s*<layoutItems>\s*<behavior>Required<\/behavior>\s*<field>Type__c<\/field>\s*<\/layoutItems>/,
        '',
      ),
    file: /SalesOps_Job__c-SalesOps Job Layout/,
    message: /required field Type__c must be on the layout as Required/,
  },
  {
    name: 'a report type column on a field that does not exist',
    areas: ['Forecast_Snapshot__c'],
    inject: (d) =>
      edit(
        at(d, 'reportTypes', 'SalesOps_Forecast_Snapshots.reportType-meta.xml'),
        '<field>Owner_User__c.Manager.Name</field>',
        '<field>Owner_User__c.Boss.Name</field>',
      ),
    file: /SalesOps_Forecast_Snapshots\.reportType-meta\.xml$/,
    message: /column Owner_User__c\.Boss\.Name: User\.Boss is not a lookup/,
  },
  {
    name: 'a component importing a field that does not exist',
    areas: ['lwc:kpiProbe', 'Commission_Line__c'],
    inject: (d) => {
      const dir = at(d, 'lwc', 'kpiProbe');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'kpiProbe.js'),
        "import { LightningElement } from 'lwc';\nimport VALUE from '@salesforce/schema/Sales_KPI__c.Value__c';\n" +
          "import RATE from '@salesforce/schema/Commission_Line__c.Statement__r.Rate__c';\nexport default class KpiProbe extends LightningElement {}\n",
      );
      fs.writeFileSync(
        path.join(dir, 'kpiProbe.js-meta.xml'),
        '<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
          '    <apiVersion>62.0</apiVersion>\n    <isExposed>false</isExposed>\n</LightningComponentBundle>\n',
      );
    },
    file: /kpiProbe\.js-meta\.xml$/,
    message:
      /kpiProbe\.js: @salesforce\/schema\/Commission_Line__c\.Statement__r\.Rate__c: field Commission_Statement__c\.Rate__c does not exist/,
  },
  {
    name: 'an app assigning a Lightning page that does not exist',
    areas: ['SalesOps_App', 'flexipage:SalesOps_Account_Record_Page'],
    inject: (d) => fs.rmSync(at(d, 'flexipages', 'SalesOps_Account_Record_Page.flexipage-meta.xml')),
    file: /SalesOps\.app-meta\.xml$/,
    message: /flexipage SalesOps_Account_Record_Page does not exist/,
  },
];

/** Defects grouped so that no two in a group share an area. */
function batches(defects: Defect[]): Defect[][] {
  const groups: { defects: Defect[]; areas: Set<string> }[] = [];
  for (const d of defects) {
    const fits = (g: { areas: Set<string> }) =>
      !g.areas.has('*') && !d.areas.includes('*') && d.areas.every((a) => !g.areas.has(a));
    const group = groups.find(fits);
    if (group) {
      group.defects.push(d);
      for (const a of d.areas) group.areas.add(a);
    } else groups.push({ defects: [d], areas: new Set(d.areas) });
  }
  return groups.map((g) => g.defects);
}

describe('validateMetadata catches injected defects', () => {
  const copies: string[] = [];
  const problemsOf = new Map<string, Problem[]>();

  beforeAll(async () => {
    for (const group of batches(DEFECTS)) {
      const dir = copyProject();
      copies.push(dir);
      for (const d of group) d.inject(dir);
      const report = await validateMetadata({ projectDir: dir, convert: false });
      for (const d of group) problemsOf.set(d.name, report.problems);
    }
  });

  afterAll(() => {
    for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('groups the defects into a few copies', () => {
    expect(batches(DEFECTS).length).toBeLessThanOrEqual(6);
  });

  it.each(DEFECTS.map((d) => [d.name, d] as const))('%s', (_name, defect) => {
    const match = (p: Problem) => defect.file.test(p.file) && defect.message.test(p.message);
    expect((problemsOf.get(defect.name) ?? []).filter(match)).not.toEqual([]);
  });

  it('reports a malformed file once, with its line, and does not also fail on its contents', async () => {
    const dir = copyProject();
    copies.push(dir);
    edit(at(dir, ...FIELD), '<label>KPI Id</label>', '<label>KPI Id');
    const report = await validateMetadata({ projectDir: dir, convert: false });
    expect(report.problems.filter((p) => /KPI_Id__c\.field-meta\.xml$/.test(p.file))).toEqual([
      {
        file: path.join(DEFAULT, ...FIELD),
        message: expect.stringMatching(
          /^malformed XML at line 12, column 1: Expected closing tag 'label' \(opened in line 7/,
        ),
      },
    ]);
  });

  it('converts an unbroken copy and reports nothing', async () => {
    const dir = copyProject();
    copies.push(dir);
    const report = await validateMetadata({ projectDir: dir, apiVersion: '62.0' });
    expect(report.problems).toEqual([]);
    expect(report.convertedFiles).toBeGreaterThan(30);
  });
});
