import fs from 'node:fs';
import path from 'node:path';
import { splitChild, type Component, type MetadataIndex } from './metadata-index';
import { dashboardReports, layoutItems } from './required-elements';
import { elements, isTrue, text, texts, type Xml } from './xml';

export interface Problem {
  /** The file at fault (absolute); the component name when it has no file. */
  file: string;
  message: string;
}

/**
 * References between components that SDR does not check and a deploy would reject: permission
 * sets → objects and fields, tabs → objects, app → tabs, report → report type and its columns,
 * dashboard → reports, flexipage → component bundles, list view → fields, lookup → object.
 */
export function referenceProblems(index: MetadataIndex): Problem[] {
  const problems: Problem[] = [];
  for (const c of index.components) {
    if (!c.doc) continue;
    const report = (message: string) => problems.push({ file: c.xmlFile ?? c.fullName, message });
    const check = CHECKS[c.type];
    if (check) check(c.doc.body, c, index, report);
  }
  return problems;
}

type Check = (x: Xml, c: Component, index: MetadataIndex, report: (message: string) => void) => void;

/** Standard relationship names that reach a parent without a field of the same name + Id. */
const STANDARD_RELATIONSHIPS: Record<string, string> = {
  Owner: 'User',
  CreatedBy: 'User',
  LastModifiedBy: 'User',
};

/** True when `Object.Field` names a field, counting compound address fields (`BillingAddress`). */
function fieldExists(index: MetadataIndex, object: string, field: string): boolean {
  if (index.field(object, field)) return true;
  const compound = /^(.*)Address$/.exec(field);
  return compound !== null && index.field(object, `${compound[1]}Street`) !== undefined;
}

/** Follows `Lookup__c.Manager.Name` from `object`; the message when a step does not exist. */
function resolvePath(index: MetadataIndex, object: string, fieldPath: string): string | undefined {
  const steps = fieldPath.split('.');
  let current = object;
  for (let i = 0; i < steps.length - 1; i++) {
    // A custom relationship is named with __r (`Statement__r`), a custom lookup field with __c.
    const step = steps[i].replace(/__r$/, '__c');
    const lookup = index.field(current, step) ?? index.field(current, `${step}Id`);
    const target = lookup?.referenceTo[0] ?? STANDARD_RELATIONSHIPS[step];
    if (!target) return `${current}.${step} is not a lookup`;
    current = target;
  }
  const last = steps[steps.length - 1];
  if (!fieldExists(index, current, last)) return `field ${current}.${last} does not exist`;
  return undefined;
}

const permissionSet: Check = (x, _c, index, report) => {
  for (const op of elements(x, 'objectPermissions')) {
    const object = text(op, 'object') ?? '';
    if (!index.object(object)) report(`objectPermissions: object ${object} does not exist`);
    const on = (tag: string) => isTrue(op, tag);
    const needs: [string, string[]][] = [
      ['modifyAllRecords', ['allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords']],
      ['viewAllRecords', ['allowRead']],
      ['allowDelete', ['allowRead', 'allowEdit']],
      ['allowEdit', ['allowRead']],
      ['allowCreate', ['allowRead']],
    ];
    for (const [perm, implied] of needs) {
      const missing = implied.filter((p) => !on(p));
      if (on(perm) && missing.length)
        report(`objectPermissions ${object}: ${perm} needs ${missing.join(', ')}`);
    }
  }
  for (const fp of elements(x, 'fieldPermissions')) {
    const ref = text(fp, 'field') ?? '';
    const [object, field] = splitChild(ref);
    if (!object || !field || !fieldExists(index, object, field)) {
      report(`fieldPermissions: field ${ref} does not exist`);
      continue;
    }
    const info = index.field(object, field);
    if (info?.custom && info.required)
      report(`fieldPermissions: ${ref} is required, so it cannot have field permissions`);
    if (info?.type === 'MasterDetail')
      report(`fieldPermissions: ${ref} is master-detail, so it cannot have field permissions`);
    if (isTrue(fp, 'editable') && !isTrue(fp, 'readable'))
      report(`fieldPermissions: ${ref} is editable but not readable`);
  }
  for (const ts of elements(x, 'tabSettings')) checkTab(text(ts, 'tab') ?? '', index, report, 'tabSettings');
  for (const av of elements(x, 'applicationVisibilities')) {
    const app = text(av, 'application') ?? '';
    if (!app.startsWith('standard__') && !index.byType('CustomApplication').some((a) => a.fullName === app)) {
      report(`applicationVisibilities: application ${app} does not exist`);
    }
  }
};

function checkTab(tab: string, index: MetadataIndex, report: (m: string) => void, where: string): void {
  if (tab.startsWith('standard-')) return;
  if (!index.byType('CustomTab').some((t) => t.fullName === tab))
    report(`${where}: tab ${tab} does not exist`);
}

const customTab: Check = (x, c, index, report) => {
  if (isTrue(x, 'customObject')) {
    const object = index.object(c.fullName);
    if (!object?.component) report(`tab ${c.fullName}: custom object ${c.fullName} does not exist`);
  }
  const page = text(x, 'flexiPage');
  if (page && !index.byType('FlexiPage').some((p) => p.fullName === page))
    report(`flexiPage ${page} does not exist`);
  const lwc = text(x, 'lwcComponent');
  if (lwc && !bundleExists(index, lwc)) report(`lwcComponent ${lwc} does not exist`);
};

const customApplication: Check = (x, _c, index, report) => {
  for (const tab of texts(x, 'tabs')) checkTab(tab, index, report, 'tabs');
  // Page assignments of the app: a Lightning page for the home tab or for an object's record view.
  for (const o of [...elements(x, 'actionOverrides'), ...elements(x, 'profileActionOverrides')]) {
    const content = text(o, 'content');
    if (text(o, 'type') === 'Flexipage' && !index.byType('FlexiPage').some((p) => p.fullName === content)) {
      report(`actionOverrides: flexipage ${content} does not exist`);
    }
    const target = text(o, 'pageOrSobjectType') ?? '';
    if (!target.startsWith('standard-') && !index.object(target))
      report(`actionOverrides: ${target} does not exist`);
  }
};

const customField: Check = (x, c, index, report) => {
  for (const target of texts(x, 'referenceTo')) {
    if (!index.object(target)) report(`${c.fullName}: <referenceTo> ${target} does not exist`);
  }
};

const listView: Check = (x, c, index, report) => {
  const [object] = splitChild(c.fullName);
  // Upper-case tokens (NAME, OWNER.ALIAS, CREATED_DATE) are the standard list view columns.
  const isStandardToken = (f: string) => /^[A-Z][A-Z0-9_.]*$/.test(f) && !f.endsWith('__C');
  const fields = [...texts(x, 'columns'), ...elements(x, 'filters').map((f) => text(f, 'field') ?? '')];
  for (const f of fields) {
    if (!isStandardToken(f) && !fieldExists(index, object, f))
      report(`list view ${c.fullName}: field ${f} does not exist`);
  }
  for (const f of elements(x, 'filters')) {
    const info = index.field(object, text(f, 'field') ?? '');
    const values = (text(f, 'value') ?? '').split(',');
    if (info?.custom && info.picklistValues.length) {
      const unknown = values.filter((v) => v !== '' && !info.picklistValues.includes(v));
      if (unknown.length) report(`list view ${c.fullName}: ${info.name} has no value ${unknown.join(', ')}`);
    }
  }
};

const reportType: Check = (x, c, index, report) => {
  const base = text(x, 'baseObject') ?? '';
  if (!index.object(base)) {
    report(`report type ${c.fullName}: base object ${base} does not exist`);
    return;
  }
  for (const col of elements(x, 'sections').flatMap((s) => elements(s, 'columns'))) {
    const table = text(col, 'table') ?? '';
    const field = text(col, 'field') ?? '';
    // Columns of joined objects (table Account.Contacts) are not followed; ours have no joins.
    if (table !== base) {
      if (!table.startsWith(`${base}.`))
        report(`report type ${c.fullName}: table ${table} is not ${base} or a join of it`);
      continue;
    }
    const problem = resolvePath(index, base, field);
    if (problem) report(`report type ${c.fullName}: column ${field}: ${problem}`);
  }
};

/** `Base.Field` (and `Base.Lookup__c.Name`) columns a custom report type offers. */
function reportTypeColumns(rt: Component): Set<string> {
  const x = rt.doc?.body ?? {};
  const cols = elements(x, 'sections').flatMap((s) => elements(s, 'columns'));
  return new Set(cols.map((col) => `${text(col, 'table')}.${text(col, 'field')}`.toLowerCase()));
}

const reportCheck: Check = (x, c, index, report) => {
  const type = text(x, 'reportType') ?? '';
  const folder = c.fullName.split('/')[0];
  if (!index.byType('ReportFolder').some((f) => f.fullName === folder))
    report(`report folder ${folder} does not exist`);
  // Custom report types are referenced with a __c suffix; standard ones (Opportunity…) are the org's.
  if (!type.endsWith('__c')) return;
  const rt = index.byType('ReportType').find((r) => r.fullName === type.slice(0, -3));
  if (!rt) {
    report(`report type ${type} does not exist`);
    return;
  }
  const available = reportTypeColumns(rt);
  const used = [
    ...elements(x, 'columns').map((col) => text(col, 'field')),
    ...elements(x, 'filter')
      .flatMap((f) => elements(f, 'criteriaItems'))
      .map((ci) => text(ci, 'column')),
    ...elements(x, 'groupingsDown').map((g) => text(g, 'field')),
    ...elements(x, 'groupingsAcross').map((g) => text(g, 'field')),
    ...elements(x, 'timeFrameFilter').map((t) => text(t, 'dateColumn')),
    text(x, 'sortColumn'),
  ].filter((f): f is string => f !== undefined);
  for (const f of new Set(used)) {
    if (!available.has(f.toLowerCase())) report(`column ${f} is not in report type ${rt.fullName}`);
  }
};

const dashboard: Check = (x, c, index, report) => {
  const folder = c.fullName.split('/')[0];
  if (!index.byType('DashboardFolder').some((f) => f.fullName === folder))
    report(`dashboard folder ${folder} does not exist`);
  const reports = new Set(index.byType('Report').map((r) => r.fullName));
  for (const r of dashboardReports(x)) if (!reports.has(r)) report(`report ${r} does not exist`);
};

function bundleExists(index: MetadataIndex, name: string): boolean {
  const bundles = [...index.byType('LightningComponentBundle'), ...index.byType('AuraDefinitionBundle')];
  return bundles.some((b) => b.fullName === name);
}

const flexiPage: Check = (x, _c, index, report) => {
  const sobject = text(x, 'sobjectType');
  if (sobject && !index.object(sobject)) report(`sobjectType ${sobject} does not exist`);
  const instances = elements(x, 'flexiPageRegions')
    .flatMap((r) => elements(r, 'itemInstances'))
    .flatMap((i) => elements(i, 'componentInstance'));
  for (const ci of instances) {
    const name = text(ci, 'componentName') ?? '';
    // Only the project's own namespace (c) can be checked; lightning:, force:, flexipage: are the platform's.
    const own = /^c(?::|__)(.+)$/.exec(name);
    if (own && !bundleExists(index, own[1]))
      report(`component ${name} has no bundle ${own[1]} in the project`);
  }
};

/** `Obj__c-Obj Layout`: fields on the page exist, required ones are there as Required, related lists resolve. */
const layout: Check = (x, c, index, report) => {
  const object = c.fullName.slice(0, c.fullName.indexOf('-'));
  const info = index.object(object);
  if (!info) {
    report(`layout ${c.fullName}: object ${object} does not exist`);
    return;
  }
  const placed = new Map<string, string | undefined>();
  for (const item of layoutItems(x)) {
    const field = text(item, 'field');
    if (field === undefined) continue;
    if (!fieldExists(index, object, field))
      report(`layout ${c.fullName}: field ${object}.${field} does not exist`);
    if (placed.has(field.toLowerCase()))
      report(`layout ${c.fullName}: field ${field} is on the layout twice`);
    placed.set(field.toLowerCase(), text(item, 'behavior'));
  }
  for (const f of info.fields.values()) {
    if (!f.custom || !f.required) continue;
    const behavior = placed.get(f.name.toLowerCase());
    if (behavior !== 'Required')
      report(`layout ${c.fullName}: required field ${f.name} must be on the layout as Required`);
  }
  for (const rl of elements(x, 'relatedLists')) {
    const ref = text(rl, 'relatedList') ?? '';
    const [child, lookup] = splitChild(ref);
    const via = index.field(child, lookup);
    // Standard related lists (RelatedNoteList, …) have no dot; only lookups into this object are checked.
    if (!lookup) continue;
    if (!via || !via.referenceTo.some((t) => t.toLowerCase() === object.toLowerCase())) {
      report(`layout ${c.fullName}: related list ${ref} is not a lookup from ${child} to ${object}`);
      continue;
    }
    for (const col of texts(rl, 'fields')) {
      if (!/^[A-Z][A-Z0-9_.]*$/.test(col) && !fieldExists(index, child, col)) {
        report(`layout ${c.fullName}: related list column ${child}.${col} does not exist`);
      }
    }
  }
};

/** `import X from '@salesforce/schema/Obj__c.Field__c'` in a bundle's JavaScript must name real schema. */
const lightningBundle: Check = (_x, c, index, report) => {
  if (!c.contentPath || !fs.existsSync(c.contentPath)) return;
  const files = fs.readdirSync(c.contentPath).filter((f) => f.endsWith('.js'));
  for (const file of files) {
    const source = fs.readFileSync(path.join(c.contentPath, file), 'utf8');
    for (const m of source.matchAll(/['"]@salesforce\/schema\/([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_.]+))?['"]/g)) {
      const [, object, fieldPath] = m;
      if (!index.object(object))
        report(`${file}: @salesforce/schema/${object}: object ${object} does not exist`);
      else if (fieldPath) {
        const problem = resolvePath(index, object, fieldPath);
        if (problem) report(`${file}: @salesforce/schema/${object}.${fieldPath}: ${problem}`);
      }
    }
  }
};

const CHECKS: Record<string, Check> = {
  LightningComponentBundle: lightningBundle,
  Layout: layout,
  PermissionSet: permissionSet,
  CustomTab: customTab,
  CustomApplication: customApplication,
  CustomField: customField,
  ListView: listView,
  ReportType: reportType,
  Report: reportCheck,
  Dashboard: dashboard,
  FlexiPage: flexiPage,
};
