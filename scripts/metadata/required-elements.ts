import path from 'node:path';
import { splitChild, type Component } from './metadata-index';
import { all, elements, text, type Xml } from './xml';

/**
 * The elements a deploy needs for each type, plus this project's conventions (every custom object
 * and field has a description, every custom field help text). Returns one message per problem.
 * The XML schema itself is not checked: only a deploy would catch e.g. an unknown element.
 */
export function requiredElementProblems(c: Component): string[] {
  if (!c.doc) return [];
  const check = CHECKS[c.type];
  return check ? check(c.doc.body, c) : [];
}

type Check = (x: Xml, c: Component) => string[];

const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*[A-Za-z0-9]$/;

const need = (x: Xml, ...tags: string[]): string[] =>
  tags
    .filter((t) => text(x, t) === undefined && elements(x, t).length === 0)
    .map((t) => `<${t}> is required`);

const oneOf = (x: Xml, tag: string, allowed: string[]): string[] => {
  const v = text(x, tag);
  return v !== undefined && !allowed.includes(v) ? [`<${tag}> ${v} is not one of ${allowed.join(', ')}`] : [];
};

const intIn = (x: Xml, tag: string, min: number, max: number): string[] => {
  const v = text(x, tag);
  if (v === undefined) return [`<${tag}> is required`];
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max
    ? []
    : [`<${tag}> ${v} must be a whole number from ${min} to ${max}`];
};

const FIELD_TYPES: Record<string, Check> = {
  Text: (x) => intIn(x, 'length', 1, 255),
  EncryptedText: (x) => [...intIn(x, 'length', 1, 175), ...need(x, 'maskChar', 'maskType')],
  TextArea: () => [],
  LongTextArea: (x) => [...intIn(x, 'length', 256, 131072), ...intIn(x, 'visibleLines', 1, 50)],
  Html: (x) => [...intIn(x, 'length', 256, 131072), ...intIn(x, 'visibleLines', 10, 50)],
  Number: numeric,
  Currency: numeric,
  Percent: numeric,
  Checkbox: (x) => oneOf(x, 'defaultValue', ['true', 'false']).concat(need(x, 'defaultValue')),
  Date: () => [],
  DateTime: () => [],
  Time: () => [],
  Email: () => [],
  Phone: () => [],
  Url: () => [],
  AutoNumber: (x) => need(x, 'displayFormat'),
  Picklist: picklist,
  MultiselectPicklist: (x) => [...picklist(x), ...intIn(x, 'visibleLines', 3, 10)],
  Lookup: (x) => {
    const problems = [...relationship(x), ...need(x, 'deleteConstraint')];
    problems.push(...oneOf(x, 'deleteConstraint', ['SetNull', 'Restrict', 'Cascade']));
    if (text(x, 'required') === 'true' && text(x, 'deleteConstraint') === 'SetNull') {
      problems.push('a required lookup cannot use <deleteConstraint> SetNull');
    }
    return problems;
  },
  MasterDetail: (x) => [...relationship(x), ...intIn(x, 'relationshipOrder', 0, 1)],
  Summary: (x) => need(x, 'summaryOperation', 'summaryForeignKey'),
};

function numeric(x: Xml): string[] {
  const problems = [...intIn(x, 'precision', 1, 18), ...intIn(x, 'scale', 0, 17)];
  const p = Number(text(x, 'precision'));
  const s = Number(text(x, 'scale'));
  if (problems.length === 0 && s > p) problems.push(`<scale> ${s} cannot exceed <precision> ${p}`);
  return problems;
}

function picklist(x: Xml): string[] {
  const valueSet = elements(x, 'valueSet')[0];
  if (!valueSet) return ['<valueSet> is required'];
  if (text(valueSet, 'valueSetName')) return [];
  const values = elements(valueSet, 'valueSetDefinition').flatMap((d) => elements(d, 'value'));
  if (values.length === 0) return ['<valueSet> needs <valueSetDefinition> values or a <valueSetName>'];
  const names = values.map((v) => text(v, 'fullName'));
  const problems = names.some((n) => n === undefined) ? ['every picklist <value> needs a <fullName>'] : [];
  const dupes = names.filter((n, i) => n !== undefined && names.indexOf(n) !== i);
  if (dupes.length) problems.push(`picklist values repeated: ${[...new Set(dupes)].join(', ')}`);
  if (values.filter((v) => text(v, 'default') === 'true').length > 1)
    problems.push('more than one default value');
  return problems;
}

function relationship(x: Xml): string[] {
  const problems = need(x, 'referenceTo', 'relationshipName');
  const rel = text(x, 'relationshipName');
  if (rel && !API_NAME.test(rel)) problems.push(`<relationshipName> ${rel} is not a valid API name`);
  if (all(x, 'referenceTo').length > 1) problems.push('<referenceTo> must name one object');
  return problems;
}

function customField(x: Xml, c: Component): string[] {
  const problems = need(x, 'fullName', 'label', 'type');
  const [, field] = splitChild(c.fullName);
  const fullName = text(x, 'fullName');
  if (fullName && fullName !== field)
    problems.push(`<fullName> ${fullName} does not match the file name ${field}`);
  if (!/__c$/.test(field) || !API_NAME.test(field.replace(/__c$/, ''))) {
    problems.push(`${field} is not a valid custom field API name`);
  }
  const label = text(x, 'label');
  if (label && label.length > 40) problems.push(`<label> is longer than 40 characters`);
  const type = text(x, 'type');
  if (type) {
    const typeCheck = FIELD_TYPES[type];
    if (!typeCheck) problems.push(`<type> ${type} is not a known field type`);
    else problems.push(...typeCheck(x, c));
    const keyable = ['Text', 'Number', 'Email', 'AutoNumber'].includes(type);
    if (!keyable && (text(x, 'externalId') === 'true' || text(x, 'unique') === 'true')) {
      problems.push(`a ${type} field cannot be an external id or unique`);
    }
  }
  if (!text(x, 'description')) problems.push('<description> is required by this project');
  if (!text(x, 'inlineHelpText')) problems.push('<inlineHelpText> is required by this project');
  return problems;
}

function customObject(x: Xml, c: Component): string[] {
  // A folder for a standard object (objects/Account) holds only fields; its object file is optional.
  if (!c.fullName.endsWith('__c')) return [];
  const problems = need(x, 'label', 'pluralLabel', 'nameField', 'sharingModel', 'deploymentStatus');
  problems.push(
    ...oneOf(x, 'sharingModel', [
      'Private',
      'Read',
      'ReadWrite',
      'ReadWriteTransfer',
      'FullAccess',
      'ControlledByParent',
    ]),
    ...oneOf(x, 'deploymentStatus', ['Deployed', 'InDevelopment']),
  );
  const nameField = elements(x, 'nameField')[0];
  if (nameField) {
    problems.push(...need(nameField, 'label', 'type').map((p) => `<nameField> ${p}`));
    problems.push(...oneOf(nameField, 'type', ['Text', 'AutoNumber']).map((p) => `<nameField> ${p}`));
    if (text(nameField, 'type') === 'AutoNumber' && !text(nameField, 'displayFormat')) {
      problems.push('<nameField> of type AutoNumber needs a <displayFormat>');
    }
  }
  if (!text(x, 'description')) problems.push('<description> is required by this project');
  return problems;
}

function listView(x: Xml, c: Component): string[] {
  const problems = need(x, 'fullName', 'label', 'filterScope');
  const name = splitChild(c.fullName)[1];
  const fullName = text(x, 'fullName');
  if (fullName && fullName !== name)
    problems.push(`<fullName> ${fullName} does not match the file name ${name}`);
  problems.push(
    ...oneOf(x, 'filterScope', [
      'Everything',
      'Mine',
      'MineAndMyGroups',
      'Queue',
      'Delegated',
      'MyTerritory',
      'MyTeamTerritory',
      'Team',
    ]),
  );
  for (const f of elements(x, 'filters'))
    problems.push(...need(f, 'field', 'operation').map((p) => `<filters> ${p}`));
  return problems;
}

function report(x: Xml): string[] {
  const problems = need(x, 'name', 'format', 'reportType');
  problems.push(...oneOf(x, 'format', ['Tabular', 'Summary', 'Matrix', 'MultiBlock']));
  const format = text(x, 'format');
  if ((format === 'Summary' || format === 'Matrix') && elements(x, 'groupingsDown').length === 0) {
    problems.push(`a ${format} report needs <groupingsDown>`);
  }
  if (format === 'Matrix' && elements(x, 'groupingsAcross').length === 0)
    problems.push('a Matrix report needs <groupingsAcross>');
  return problems;
}

function reportType(x: Xml): string[] {
  const problems = need(x, 'baseObject', 'category', 'deployed', 'label', 'sections');
  for (const section of elements(x, 'sections')) {
    problems.push(...need(section, 'masterLabel').map((p) => `<sections> ${p}`));
    for (const col of elements(section, 'columns')) {
      problems.push(...need(col, 'field', 'table').map((p) => `<columns> ${p}`));
    }
  }
  return problems;
}

function dashboard(x: Xml): string[] {
  const problems = need(x, 'title', 'dashboardType');
  problems.push(...oneOf(x, 'dashboardType', ['SpecifiedUser', 'LoggedInUser', 'MyTeamUser']));
  if (text(x, 'dashboardType') === 'SpecifiedUser' && !text(x, 'runningUser')) {
    problems.push('a SpecifiedUser dashboard needs a <runningUser>');
  }
  if (dashboardReports(x).length === 0)
    problems.push('a dashboard needs at least one component with a <report>');
  return problems;
}

/** The report of every component, in grid (Lightning) and section (Classic) layouts. */
export function dashboardReports(x: Xml): string[] {
  const grid = elements(x, 'dashboardGridLayout')
    .flatMap((g) => elements(g, 'dashboardGridComponents'))
    .flatMap((g) => elements(g, 'dashboardComponent'));
  const sections = ['leftSection', 'middleSection', 'rightSection']
    .flatMap((s) => elements(x, s))
    .flatMap((s) => elements(s, 'components'));
  return [...grid, ...sections].map((d) => text(d, 'report')).filter((r): r is string => r !== undefined);
}

function customTab(x: Xml): string[] {
  const kinds = ['customObject', 'flexiPage', 'lwcComponent', 'auraComponent', 'page', 'url', 'sControl'];
  const problems = kinds.some((k) => text(x, k) !== undefined && text(x, k) !== 'false')
    ? []
    : [`a tab needs one of ${kinds.map((k) => `<${k}>`).join(', ')}`];
  return [...problems, ...need(x, 'motif')];
}

function bundle(x: Xml, c: Component): string[] {
  const problems = need(x, 'apiVersion', 'isExposed');
  if (
    c.contentPath &&
    c.xmlFile &&
    path.basename(c.xmlFile) !== `${path.basename(c.contentPath)}.js-meta.xml`
  ) {
    problems.push(`the meta file must be named ${path.basename(c.contentPath)}.js-meta.xml`);
  }
  return problems;
}

const CHECKS: Record<string, Check> = {
  CustomObject: customObject,
  CustomField: customField,
  ListView: listView,
  PermissionSet: (x) => need(x, 'label'),
  CustomTab: customTab,
  CustomApplication: (x) => [
    ...need(x, 'label', 'uiType', 'navType'),
    ...oneOf(x, 'uiType', ['Lightning', 'Aloha']),
  ],
  ReportType: reportType,
  Report: report,
  ReportFolder: (x) => need(x, 'name'),
  DashboardFolder: (x) => need(x, 'name'),
  Dashboard: dashboard,
  FlexiPage: (x) => {
    const problems = need(x, 'masterLabel', 'type');
    if (text(x, 'type') === 'RecordPage' && !text(x, 'sobjectType'))
      problems.push('a RecordPage needs a <sobjectType>');
    return problems;
  },
  LightningComponentBundle: bundle,
  Layout: (x) => {
    const problems = need(x, 'layoutSections');
    for (const item of layoutItems(x)) {
      if (text(item, 'field') !== undefined) {
        problems.push(
          ...oneOf(item, 'behavior', ['Edit', 'Readonly', 'Required']).map((p) => `<layoutItems> ${p}`),
        );
      }
    }
    return problems;
  },
};

/** Every item of every column of every section of a page layout. */
export function layoutItems(x: Xml): Xml[] {
  return elements(x, 'layoutSections')
    .flatMap((s) => elements(s, 'layoutColumns'))
    .flatMap((c) => elements(c, 'layoutItems'));
}
