import path from 'node:path';
import { STANDARD_OBJECTS } from '../../emulator/src/schema/standard';
import { all, elements, isTrue, readXmlDocument, text, type Xml, type XmlDocument } from './xml';

/** One resolved component (or child component) with its parsed meta file. */
export interface Component {
  type: string;
  /** SDR's full name: `Obj__c.Field__c` for fields, `Folder/Report` for reports. */
  fullName: string;
  /** The `-meta.xml` file; undefined when the component has none. */
  xmlFile?: string;
  /** The bundle folder of bundles (LWC, Aura), else undefined. */
  contentPath?: string;
  /** Undefined when there is no meta file or it is malformed (reported separately). */
  doc?: XmlDocument;
}

export interface FieldInfo {
  object: string;
  name: string;
  /** Metadata type (`Text`, `Currency`, `Lookup`…); for standard fields, the emulator's field type. */
  type: string;
  custom: boolean;
  required: boolean;
  referenceTo: string[];
  picklistValues: string[];
  length?: number;
  precision?: number;
  scale?: number;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  component?: Component;
}

export interface ObjectInfo {
  name: string;
  custom: boolean;
  /** Present for custom objects defined in the project. */
  component?: Component;
  fields: Map<string, FieldInfo>;
  listViews: Component[];
}

export interface MetadataIndex {
  components: Component[];
  /** By lower-cased API name: project objects and the standard objects the embedded org knows. */
  objects: Map<string, ObjectInfo>;
  byType(type: string): Component[];
  object(name: string): ObjectInfo | undefined;
  field(object: string, field: string): FieldInfo | undefined;
}

/** `malformed`: files already reported as malformed XML, left unparsed so each defect is reported once. */
export function parseComponent(
  type: string,
  fullName: string,
  malformed: ReadonlySet<string>,
  xmlFile?: string,
  contentPath?: string,
): Component {
  const usable = xmlFile !== undefined && !malformed.has(path.resolve(xmlFile));
  return { type, fullName, xmlFile, contentPath, doc: usable ? readXmlDocument(xmlFile) : undefined };
}

export function buildIndex(components: Component[]): MetadataIndex {
  const objects = new Map<string, ObjectInfo>();
  for (const std of STANDARD_OBJECTS) {
    const fields = new Map<string, FieldInfo>();
    for (const f of std.fields) {
      fields.set(f.name.toLowerCase(), {
        object: std.name,
        name: f.name,
        type: f.type,
        custom: false,
        required: !f.nillable && Boolean(f.createable),
        referenceTo: f.referenceTo ?? [],
        picklistValues: (f.picklistValues ?? []).map((v) => v.value),
        length: f.length,
        precision: f.precision,
        scale: f.scale,
        externalId: Boolean(f.externalId),
        unique: Boolean(f.unique),
        caseSensitive: Boolean(f.caseSensitive),
      });
    }
    objects.set(std.name.toLowerCase(), { name: std.name, custom: false, fields, listViews: [] });
  }
  const objectOf = (name: string): ObjectInfo => {
    const key = name.toLowerCase();
    const existing = objects.get(key);
    if (existing) return existing;
    const created: ObjectInfo = { name, custom: name.endsWith('__c'), fields: new Map(), listViews: [] };
    if (created.custom) for (const f of systemFields(name)) created.fields.set(f.name.toLowerCase(), f);
    objects.set(key, created);
    return created;
  };
  for (const c of components) {
    if (c.type === 'CustomObject') objectOf(c.fullName).component = c;
    if (c.type === 'CustomField') {
      const [objectName, fieldName] = splitChild(c.fullName);
      objectOf(objectName).fields.set(fieldName.toLowerCase(), fieldInfo(objectName, fieldName, c));
    }
    if (c.type === 'ListView') objectOf(splitChild(c.fullName)[0]).listViews.push(c);
  }
  return {
    components,
    objects,
    byType: (type) => components.filter((c) => c.type === type),
    object: (name) => objects.get(name.toLowerCase()),
    field: (object, field) => objects.get(object.toLowerCase())?.fields.get(field.toLowerCase()),
  };
}

/** The fields the platform gives every custom object (OwnerId stays even on detail objects: harmless here). */
function systemFields(object: string): FieldInfo[] {
  const sys = (name: string, type: string, referenceTo: string[] = []): FieldInfo => ({
    object,
    name,
    type,
    custom: false,
    required: false,
    referenceTo,
    picklistValues: [],
    externalId: false,
    unique: false,
    caseSensitive: false,
  });
  return [
    sys('Id', 'id'),
    sys('Name', 'string'),
    sys('OwnerId', 'reference', ['User']),
    sys('CurrencyIsoCode', 'picklist'),
    sys('IsDeleted', 'boolean'),
    sys('CreatedDate', 'datetime'),
    sys('CreatedById', 'reference', ['User']),
    sys('LastModifiedDate', 'datetime'),
    sys('LastModifiedById', 'reference', ['User']),
    sys('SystemModstamp', 'datetime'),
    sys('LastViewedDate', 'datetime'),
    sys('LastReferencedDate', 'datetime'),
  ];
}

export function splitChild(fullName: string): [string, string] {
  const dot = fullName.indexOf('.');
  return [fullName.slice(0, dot), fullName.slice(dot + 1)];
}

function fieldInfo(object: string, name: string, c: Component): FieldInfo {
  const x: Xml = c.doc?.body ?? {};
  const num = (tag: string): number | undefined => {
    const t = text(x, tag);
    return t === undefined ? undefined : Number(t);
  };
  const definition = elements(x, 'valueSet').flatMap((vs) => elements(vs, 'valueSetDefinition'));
  return {
    object,
    name,
    type: text(x, 'type') ?? '',
    custom: true,
    required: isTrue(x, 'required'),
    referenceTo: all(x, 'referenceTo').map(String),
    picklistValues: definition.flatMap((d) => elements(d, 'value')).map((v) => text(v, 'fullName') ?? ''),
    length: num('length'),
    precision: num('precision'),
    scale: num('scale'),
    externalId: isTrue(x, 'externalId'),
    unique: isTrue(x, 'unique'),
    caseSensitive: isTrue(x, 'caseSensitive'),
    component: c,
  };
}
