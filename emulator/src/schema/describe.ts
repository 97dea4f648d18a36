import type { Org } from '../org';
import { quoteIdent } from '../store/codec';
import type { Schema } from './registry';
import type { FieldDef, FieldType, ObjectDef } from './types';

/**
 * describeGlobal and describeSObject in the shape Salesforce's REST API returns. jsforce builds SOQL
 * from this answer (`find()` without fields selects every described field, `include()` resolves
 * child relationships here), so it is derived from the same Schema the query engine checks against.
 */

/** The id Salesforce gives every object's implicit record type. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
};

const TEXT_TYPES = new Set<FieldType>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
]);
const FRACTIONAL_TYPES = new Set<FieldType>(['double', 'currency', 'percent']);

/** The parts of an address compound field, so describe can name the compound (`BillingAddress`). */
const ADDRESS_PART =
  /^(Billing|Shipping|Mailing|Other|)(Street|City|State|PostalCode|Country|Latitude|Longitude)$/;

export interface ObjectFlags {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  activateable: boolean;
  createable: boolean;
  customSetting: boolean;
  deepCloneable: boolean;
  deletable: boolean;
  deprecatedAndHidden: boolean;
  feedEnabled: boolean;
  hasSubtypes: boolean;
  isInterface: boolean;
  isSubtype: boolean;
  layoutable: boolean;
  mergeable: boolean;
  mruEnabled: boolean;
  queryable: boolean;
  replicateable: boolean;
  retrieveable: boolean;
  searchable: boolean;
  triggerable: boolean;
  undeletable: boolean;
  updateable: boolean;
  associateEntityType: null;
  associateParentEntity: null;
}

export interface GlobalSObject extends ObjectFlags {
  urls: { sobject: string; describe: string; rowTemplate: string };
}

export interface DescribeGlobalResult {
  encoding: 'UTF-8';
  maxBatchSize: 200;
  sobjects: GlobalSObject[];
}

export function describeGlobal(org: Org, apiVersion: string): DescribeGlobalResult {
  const sobjects = org.schema
    .list()
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
    .map((obj) => globalEntry(obj, apiVersion));
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects };
}

/** One describeGlobal entry: the object's flags and urls, never its fields. */
export function globalEntry(obj: ObjectDef, apiVersion: string): GlobalSObject {
  const base = sobjectUrl(obj, apiVersion);
  return {
    ...objectFlags(obj),
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

function objectFlags(obj: ObjectDef): ObjectFlags {
  const writable = !obj.readOnly;
  const deletable = writable && obj.deletable !== false;
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: writable && obj.createable !== false,
    custom: obj.custom,
    customSetting: false,
    deepCloneable: false,
    deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix || null,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: obj.layoutable ?? writable,
    mergeable: obj.mergeable ?? false,
    mruEnabled: writable && (obj.layoutable ?? true),
    name: obj.name,
    queryable: obj.queryable !== false,
    replicateable: obj.replicateable ?? true,
    retrieveable: true,
    searchable: obj.searchable ?? writable,
    triggerable: obj.triggerable ?? writable,
    undeletable: deletable,
    updateable: writable && obj.updateable !== false,
  };
}

export interface PicklistEntry {
  active: boolean;
  defaultValue: boolean;
  label: string;
  validFor: null;
  value: string;
}

export interface FieldDescribe {
  aggregatable: boolean;
  aiPredictionField: boolean;
  autoNumber: boolean;
  byteLength: number;
  calculated: boolean;
  calculatedFormula: null;
  cascadeDelete: boolean;
  caseSensitive: boolean;
  compoundFieldName: string | null;
  controllerName: null;
  createable: boolean;
  custom: boolean;
  defaultValue: string | number | boolean | null;
  defaultValueFormula: null;
  defaultedOnCreate: boolean;
  dependentPicklist: boolean;
  deprecatedAndHidden: boolean;
  digits: number;
  displayLocationInDecimal: boolean;
  encrypted: boolean;
  externalId: boolean;
  extraTypeInfo: string | null;
  filterable: boolean;
  filteredLookupInfo: null;
  formulaTreatNullNumberAsZero: boolean;
  groupable: boolean;
  highScaleNumber: boolean;
  htmlFormatted: boolean;
  idLookup: boolean;
  inlineHelpText: string | null;
  label: string;
  length: number;
  mask: null;
  maskType: null;
  name: string;
  nameField: boolean;
  namePointing: boolean;
  nillable: boolean;
  permissionable: boolean;
  picklistValues: PicklistEntry[];
  polymorphicForeignKey: boolean;
  precision: number;
  queryByDistance: boolean;
  referenceTargetField: null;
  referenceTo: string[];
  relationshipName: string | null;
  relationshipOrder: number | null;
  restrictedDelete: boolean;
  restrictedPicklist: boolean;
  scale: number;
  searchPrefilterable: boolean;
  soapType: string;
  sortable: boolean;
  type: FieldType;
  unique: boolean;
  updateable: boolean;
  writeRequiresMasterRead: boolean;
}

export interface ChildRelationshipDescribe {
  cascadeDelete: boolean;
  childSObject: string;
  deprecatedAndHidden: false;
  field: string;
  junctionIdListNames: string[];
  junctionReferenceTo: string[];
  relationshipName: string | null;
  restrictedDelete: boolean;
}

export interface RecordTypeInfo {
  active: boolean;
  available: boolean;
  defaultRecordTypeMapping: boolean;
  developerName: string;
  master: boolean;
  name: string;
  recordTypeId: string;
  urls: { layout: string };
}

export interface SObjectDescribe extends ObjectFlags {
  actionOverrides: never[];
  childRelationships: ChildRelationshipDescribe[];
  compactLayoutable: boolean;
  fields: FieldDescribe[];
  listviewable: null;
  lookupLayoutable: null;
  namedLayoutInfos: never[];
  networkScopeFieldName: null;
  recordTypeInfos: RecordTypeInfo[];
  searchLayoutable: boolean;
  sobjectDescribeOption: 'FULL';
  supportedScopes: Array<{ label: string; name: string }>;
  urls: Record<string, string>;
}

/** Full describe of one object; the caller has already resolved the name (case-insensitively). */
export function describeSObject(org: Org, obj: ObjectDef, apiVersion: string): SObjectDescribe {
  const flags = objectFlags(obj);
  const base = sobjectUrl(obj, apiVersion);
  const urls: Record<string, string> = {
    rowTemplate: `${base}/{ID}`,
    describe: `${base}/describe`,
    sobject: base,
  };
  if (flags.layoutable) {
    Object.assign(urls, {
      compactLayouts: `${base}/describe/compactLayouts`,
      approvalLayouts: `${base}/describe/approvalLayouts`,
      listviews: `${base}/listviews`,
      quickActions: `${base}/quickActions`,
      layouts: `${base}/describe/layouts`,
    });
  }
  return {
    actionOverrides: [],
    ...flags,
    childRelationships: childRelationships(org.schema, obj),
    compactLayoutable: flags.layoutable,
    fields: obj.fields.map((f) => describeField(obj, f)),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: flags.layoutable ? recordTypeInfos(org, obj, apiVersion) : [],
    searchLayoutable: flags.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: obj.hasOwner
      ? [
          { label: 'All', name: 'everything' },
          { label: 'Mine', name: 'mine' },
        ]
      : [{ label: 'All', name: 'everything' }],
    urls,
  };
}

export function describeField(obj: ObjectDef, f: FieldDef): FieldDescribe {
  const text = TEXT_TYPES.has(f.type);
  const long = f.type === 'textarea' && f.filterable === false;
  const multi = f.type === 'multipicklist';
  const fractional = FRACTIONAL_TYPES.has(f.type);
  const writableObject = !obj.readOnly;
  const referenceTo = f.type === 'reference' ? (f.referenceTo ?? []) : [];
  const length = text ? (f.length ?? 255) : f.type === 'id' || f.type === 'reference' ? 18 : 0;
  const nillable = f.type === 'boolean' || f.type === 'id' ? false : (f.nillable ?? !f.required);
  const filterable = f.filterable ?? !long;
  const masterDetail = f.type === 'reference' && Boolean(f.cascadeDelete) && !nillable && Boolean(f.custom);
  return {
    aggregatable: f.filterable !== false && !long && !multi && f.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: Boolean(f.autoNumber),
    byteLength: text ? length * 3 : length,
    calculated: Boolean(f.calculated),
    calculatedFormula: null,
    cascadeDelete: Boolean(f.cascadeDelete),
    caseSensitive: Boolean(f.caseSensitive),
    compoundFieldName: compoundFieldName(obj, f),
    controllerName: null,
    createable: writableObject && f.createable !== false,
    custom: Boolean(f.custom),
    defaultValue:
      f.type === 'boolean'
        ? Boolean(f.defaultValue)
        : f.type === 'picklist' || f.type === 'multipicklist'
          ? null
          : (f.defaultValue ?? null),
    defaultValueFormula: null,
    defaultedOnCreate: f.type === 'boolean' ? true : Boolean(f.defaultedOnCreate),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: Boolean(f.externalId),
    extraTypeInfo: extraTypeInfo(f),
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable:
      f.groupable ??
      (filterable && !multi && !fractional && f.type !== 'datetime' && f.type !== 'time' && !long),
    highScaleNumber: false,
    htmlFormatted: Boolean(f.htmlFormatted),
    idLookup: Boolean(f.idLookup),
    inlineHelpText: f.inlineHelpText ?? null,
    label: f.label,
    length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: Boolean(f.nameField),
    namePointing: referenceTo.length > 1,
    nillable,
    permissionable: Boolean(f.custom) && nillable && !f.calculated,
    picklistValues: (f.picklistValues ?? []).map((p) => ({
      active: p.active !== false,
      defaultValue: Boolean(p.defaultValue),
      label: p.label,
      validFor: null,
      value: p.value,
    })),
    polymorphicForeignKey: referenceTo.length > 1,
    precision: fractional ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo,
    relationshipName: f.type === 'reference' ? (f.relationshipName ?? null) : null,
    relationshipOrder: masterDetail ? 0 : null,
    restrictedDelete: Boolean(f.restrictedDelete),
    restrictedPicklist: Boolean(f.restrictedPicklist),
    scale: fractional ? (f.scale ?? 0) : 0,
    searchPrefilterable: f.type === 'reference',
    soapType: SOAP_TYPES[f.type],
    sortable: f.sortable ?? (!long && !multi),
    type: f.type,
    unique: Boolean(f.unique),
    updateable: writableObject && f.updateable !== false,
    writeRequiresMasterRead: masterDetail,
  };
}

function extraTypeInfo(f: FieldDef): string | null {
  if (f.type === 'textarea') return f.htmlFormatted ? 'richtextarea' : 'plaintextarea';
  if (f.type === 'reference' && f.name === 'OwnerId' && (f.referenceTo ?? []).length > 1)
    return 'externallookup';
  return null;
}

function compoundFieldName(obj: ObjectDef, f: FieldDef): string | null {
  const m = ADDRESS_PART.exec(f.name);
  if (m && !f.custom) return `${m[1]}Address`;
  const personName = obj.name === 'Contact' || obj.name === 'User';
  if (personName && (f.name === 'FirstName' || f.name === 'LastName' || f.name === 'Salutation'))
    return 'Name';
  return null;
}

function childRelationships(schema: Schema, obj: ObjectDef): ChildRelationshipDescribe[] {
  return schema
    .childRelationships(obj.name)
    .map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false as const,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: r.restrictedDelete,
    }))
    .sort((a, b) => a.childSObject.localeCompare(b.childSObject) || a.field.localeCompare(b.field));
}

/** The Master record type, plus the object's active RecordType rows when the org has any. */
function recordTypeInfos(org: Org, obj: ObjectDef, apiVersion: string): RecordTypeInfo[] {
  const layout = (id: string) => `${sobjectUrl(obj, apiVersion)}/describe/layouts/${id}`;
  const rows = org.schema.find('RecordType')
    ? (org.db
        .prepare(
          `SELECT ${quoteIdent('Id')} AS id, ${quoteIdent('Name')} AS name, ${quoteIdent('DeveloperName')} AS developerName, ${quoteIdent('IsActive')} AS active FROM ${quoteIdent('RecordType')} WHERE ${quoteIdent('SobjectType')} = ? AND ${quoteIdent('IsDeleted')} = 0 ORDER BY ${quoteIdent('Name')}`,
        )
        .all(obj.name) as Array<{ id: string; name: string; developerName: string; active: number }>)
    : [];
  const custom = rows.map((r) => ({
    active: r.active === 1,
    available: r.active === 1,
    defaultRecordTypeMapping: false,
    developerName: r.developerName,
    master: false,
    name: r.name,
    recordTypeId: r.id,
    urls: { layout: layout(r.id) },
  }));
  const master: RecordTypeInfo = {
    active: true,
    available: true,
    defaultRecordTypeMapping: custom.length === 0,
    developerName: 'Master',
    master: true,
    name: 'Master',
    recordTypeId: MASTER_RECORD_TYPE_ID,
    urls: { layout: layout(MASTER_RECORD_TYPE_ID) },
  };
  // With record types the first active one is the default mapping, as for a user with no preference.
  const firstActive = custom.find((r) => r.active);
  if (firstActive) firstActive.defaultRecordTypeMapping = true;
  return [...custom, master];
}

function sobjectUrl(obj: ObjectDef, apiVersion: string): string {
  return `/services/data/v${apiVersion}/sobjects/${obj.name}`;
}
