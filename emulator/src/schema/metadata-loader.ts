import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { dateTime, defineObject, system } from './field-builders';
import type { FieldDef, FieldType, ObjectDef, PicklistValue, SharingModel } from './types';

/**
 * Reads objects and fields from SFDX source folders (`objects/<Name>/<Name>.object-meta.xml` and
 * `objects/<Name>/fields/*.field-meta.xml`), the same files that deploy to a real org, so the
 * embedded org's schema cannot drift from the project's metadata.
 *
 * Custom objects become ObjectDefs with an empty key prefix (the Org assigns one). Fields found under
 * a standard object's folder are returned as extensions of that object. Invalid metadata throws an
 * Error naming the file; a folder that does not exist simply contributes nothing.
 */
export interface LoadedMetadata {
  /** Custom objects (`__c`), fields included, in name order. */
  customObjects: ObjectDef[];
  /** Custom fields declared for standard objects, by object API name. */
  standardObjectFields: Map<string, FieldDef[]>;
}

const XML = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // Elements that may repeat; everything else is read as a single value.
  isArray: (tag) => tag === 'value' || tag === 'picklistValues' || tag === 'referenceTo',
});

// Folders an SFDX project holds that never contain object metadata; skipping them keeps the walk fast.
const SKIP_DIRS = new Set([
  'node_modules',
  'lwc',
  'aura',
  'staticresources',
  'classes',
  'triggers',
  'reports',
  'dashboards',
]);

// Master-detail fields, remembered so their object can be made owner-less.
const MASTER_DETAIL = new WeakSet<FieldDef>();

const SHARING_MODELS: SharingModel[] = [
  'Private',
  'Read',
  'ReadWrite',
  'ControlledByParent',
  'FullAccess',
  'ReadSelect',
];

type Xml = Record<string, unknown>;

interface ObjectSource {
  name: string;
  /** `<Name>.object-meta.xml`, when the folder has one. */
  objectFile?: string;
  fieldFiles: string[];
}

export function loadMetadata(dirs: string[]): LoadedMetadata {
  const sources = new Map<string, ObjectSource>();
  // The same folder named twice (the project's force-app and `--metadata force-app`) is read once.
  const folders = new Set(dirs.flatMap((dir) => findObjectsFolders(dir)).map((d) => fs.realpathSync(d)));
  for (const objectsDir of folders) collectObjectSources(objectsDir, sources);
  const customObjects: ObjectDef[] = [];
  const standardObjectFields = new Map<string, FieldDef[]>();
  for (const source of [...sources.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const fields = source.fieldFiles.sort().map((file) => readField(file, source.name));
    if (isCustomName(source.name)) {
      customObjects.push(buildCustomObject(source, fields));
    } else if (fields.length > 0) {
      standardObjectFields.set(source.name, fields);
    }
  }
  return { customObjects, standardObjectFields };
}

/** Every `objects` folder below `root` (an SFDX project, a package directory, or `objects` itself). */
function findObjectsFolders(root: string): string[] {
  if (!isDirectory(root)) return [];
  if (path.basename(root) === 'objects') return [root];
  const found: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    found.push(...findObjectsFolders(path.join(root, entry.name)));
  }
  return found;
}

function collectObjectSources(objectsDir: string, sources: Map<string, ObjectSource>): void {
  for (const entry of fs.readdirSync(objectsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const name = entry.name;
    const folder = path.join(objectsDir, name);
    const key = name.toLowerCase();
    const source = sources.get(key) ?? { name, fieldFiles: [] };
    sources.set(key, source);
    const objectFile = path.join(folder, `${name}.object-meta.xml`);
    if (fs.existsSync(objectFile)) {
      if (source.objectFile)
        throw new Error(`${objectFile}: object ${name} is also defined in ${source.objectFile}`);
      source.objectFile = objectFile;
    }
    const fieldsDir = path.join(folder, 'fields');
    if (!isDirectory(fieldsDir)) continue;
    for (const file of fs.readdirSync(fieldsDir)) {
      if (file.endsWith('.field-meta.xml')) source.fieldFiles.push(path.join(fieldsDir, file));
    }
  }
}

function buildCustomObject(source: ObjectSource, fields: FieldDef[]): ObjectDef {
  if (!source.objectFile) {
    throw new Error(
      `${path.dirname(path.dirname(source.fieldFiles[0] ?? source.name))}: custom object ${source.name} has fields but no ${source.name}.object-meta.xml`,
    );
  }
  const file = source.objectFile;
  const xml = readXml(file, 'CustomObject');
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}`);
  };
  const label = str(xml.label) ?? fail('<label> is required');
  const labelPlural = str(xml.pluralLabel) ?? fail('<pluralLabel> is required');
  const nameXml = (xml.nameField as Xml | undefined) ?? fail('<nameField> is required');
  const detail = fields.some((f) => MASTER_DETAIL.has(f));
  const declaredSharing = str(xml.sharingModel);
  if (declaredSharing && !SHARING_MODELS.includes(declaredSharing as SharingModel)) {
    fail(`<sharingModel> ${declaredSharing} is not one of ${SHARING_MODELS.join(', ')}`);
  }
  // A master-detail child has no owner: access follows the parent whatever the file says.
  const sharingModel: SharingModel = detail
    ? 'ControlledByParent'
    : ((declaredSharing as SharingModel | undefined) ?? 'ReadWrite');
  const names = new Set<string>();
  for (const f of fields) {
    if (names.has(f.name.toLowerCase())) fail(`field ${f.name} is defined twice`);
    names.add(f.name.toLowerCase());
  }
  const obj = defineObject(
    {
      name: source.name,
      label,
      labelPlural,
      keyPrefix: '',
      custom: true,
      owner: !detail,
      sharingModel,
      description: str(xml.description),
      searchable: flag(xml.enableSearch, true),
    },
    [nameField(nameXml, file), ...fields],
  );
  // Every custom object tracks when the running user last saw a record (recent items, FOR VIEW).
  obj.fields.push(
    system(
      dateTime('LastViewedDate', { label: 'Last Viewed Date', nillable: true, defaultedOnCreate: false }),
    ),
    system(
      dateTime('LastReferencedDate', {
        label: 'Last Referenced Date',
        nillable: true,
        defaultedOnCreate: false,
      }),
    ),
  );
  return obj;
}

function nameField(xml: Xml, file: string): FieldDef {
  const label = str(xml.label) ?? 'Name';
  const type = str(xml.type);
  const common = { name: 'Name', label, nameField: true, custom: false, description: str(xml.description) };
  if (type === 'Text') {
    return {
      ...common,
      type: 'string',
      length: 80,
      required: true,
      nillable: false,
      createable: true,
      updateable: true,
    };
  }
  if (type === 'AutoNumber') {
    const format = str(xml.displayFormat);
    if (!format) throw new Error(`${file}: an AutoNumber <nameField> needs a <displayFormat>`);
    return {
      ...common,
      type: 'string',
      length: 30,
      autoNumber: true,
      autoNumberFormat: format,
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      nillable: false,
    };
  }
  throw new Error(`${file}: <nameField> type must be Text or AutoNumber, not ${type ?? 'missing'}`);
}

function readField(file: string, objectName: string): FieldDef {
  const xml = readXml(file, 'CustomField');
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}`);
  };
  const fileName = path.basename(file, '.field-meta.xml');
  const fullName = str(xml.fullName) ?? fileName;
  const name = fullName.includes('.') ? fullName.slice(fullName.indexOf('.') + 1) : fullName;
  if (name !== fileName) fail(`<fullName> ${fullName} does not match the file name`);
  if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(name) || name.includes('___')) {
    fail(`field name ${name} must be a custom field API name ending in __c`);
  }
  const label = str(xml.label) ?? fail('<label> is required');
  const metaType = str(xml.type) ?? fail('<type> is required');
  const required = flag(xml.required, false);
  const base: FieldDef = {
    name,
    label,
    type: 'string',
    custom: true,
    createable: true,
    updateable: true,
    required,
    nillable: !required,
    unique: flag(xml.unique, false) || undefined,
    externalId: flag(xml.externalId, false) || undefined,
    idLookup: flag(xml.externalId, false) || undefined,
    caseSensitive: flag(xml.caseSensitive, false) || undefined,
    description: str(xml.description),
    inlineHelpText: str(xml.inlineHelpText),
  };
  const formula = str(xml.formula);
  if (formula !== undefined || metaType === 'Summary') {
    // Formula and roll-up values are computed by Salesforce; the org describes them as read-only.
    const type = metaType === 'Summary' ? summaryType(xml) : typeOfFormula(metaType, fail);
    return {
      ...base,
      ...numberShape(xml, type),
      type,
      calculated: true,
      createable: false,
      updateable: false,
      required: false,
      nillable: type !== 'boolean',
    };
  }
  const positive = (tag: string): number => {
    const n = num(xml[tag]);
    if (n === undefined || !Number.isInteger(n) || n <= 0) fail(`<${tag}> must be a positive whole number`);
    return n as number;
  };
  switch (metaType) {
    case 'Text':
    case 'EncryptedText':
      return { ...base, type: 'string', length: positive('length') };
    case 'TextArea':
      return { ...base, type: 'textarea', length: 255 };
    case 'LongTextArea':
    case 'Html':
      return {
        ...base,
        type: 'textarea',
        length: positive('length'),
        filterable: false,
        sortable: false,
        groupable: false,
        htmlFormatted: metaType === 'Html' || undefined,
      };
    case 'Email':
      return { ...base, type: 'email', length: 80 };
    case 'Phone':
      return { ...base, type: 'phone', length: 40 };
    case 'Url':
      return { ...base, type: 'url', length: 255 };
    case 'Number':
    case 'Currency':
    case 'Percent': {
      const type: FieldType =
        metaType === 'Number' ? 'double' : metaType === 'Currency' ? 'currency' : 'percent';
      const shape = numberShape(xml, type);
      if (shape.precision === undefined) fail('<precision> is required');
      if ((shape.scale ?? 0) > (shape.precision ?? 0)) fail('<scale> cannot exceed <precision>');
      return { ...base, ...shape, type, defaultValue: num(xml.defaultValue) ?? null };
    }
    case 'Checkbox': {
      const dv = str(xml.defaultValue);
      if (dv !== 'true' && dv !== 'false') fail('a Checkbox needs <defaultValue> true or false');
      return {
        ...base,
        type: 'boolean',
        defaultValue: dv === 'true',
        defaultedOnCreate: true,
        nillable: false,
        required: false,
      };
    }
    case 'Date':
      return { ...base, type: 'date' };
    case 'DateTime':
      return { ...base, type: 'datetime' };
    case 'Time':
      return { ...base, type: 'time' };
    case 'Picklist':
    case 'MultiselectPicklist': {
      const { values, restricted } = picklistOf(xml, file);
      const multi = metaType === 'MultiselectPicklist';
      const defaultValue = values.find((v) => v.defaultValue)?.value ?? null;
      return {
        ...base,
        type: multi ? 'multipicklist' : 'picklist',
        length: multi ? 4099 : 255,
        picklistValues: values,
        restrictedPicklist: restricted || undefined,
        defaultValue,
        defaultedOnCreate: defaultValue !== null || undefined,
        sortable: multi ? false : undefined,
        groupable: multi ? false : undefined,
      };
    }
    case 'AutoNumber': {
      const format = str(xml.displayFormat) ?? fail('an AutoNumber needs a <displayFormat>');
      return {
        ...base,
        type: 'string',
        length: 30,
        autoNumber: true,
        autoNumberFormat: format,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
        required: false,
        nillable: false,
      };
    }
    case 'Lookup':
    case 'MasterDetail':
    case 'Hierarchy':
      return relationshipField(base, xml, metaType, objectName, fail);
    default:
      return fail(`field type ${metaType} is not supported by the embedded org`);
  }
}

/**
 * Salesforce's naming: the lookup `Account__c` is traversed from the child as `Account__r`, and the
 * parent sees its children as `<relationshipName>__r` (`Territory_Change_Requests__r`).
 */
function relationshipField(
  base: FieldDef,
  xml: Xml,
  metaType: 'Lookup' | 'MasterDetail' | 'Hierarchy',
  objectName: string,
  fail: (problem: string) => never,
): FieldDef {
  const referenceTo =
    metaType === 'Hierarchy' ? ['User'] : ((xml.referenceTo as string[] | undefined) ?? []).map(String);
  if (referenceTo.length !== 1 || !/^[A-Za-z][A-Za-z0-9_]*$/.test(referenceTo[0]))
    fail('<referenceTo> must name one object');
  const rel = str(xml.relationshipName);
  if (metaType !== 'Hierarchy' && !rel) fail('<relationshipName> is required on a lookup');
  if (rel && !/^[A-Za-z][A-Za-z0-9_]*$/.test(rel)) fail(`<relationshipName> ${rel} is not a valid API name`);
  if (metaType === 'Hierarchy' && objectName !== 'User') fail('Hierarchy fields exist only on User');
  const master = metaType === 'MasterDetail';
  const constraint = str(xml.deleteConstraint);
  if (constraint && !['SetNull', 'Restrict', 'Cascade'].includes(constraint))
    fail(`<deleteConstraint> ${constraint} is not SetNull, Restrict or Cascade`);
  if (constraint === 'SetNull' && base.required)
    fail('a required lookup cannot use deleteConstraint SetNull');
  const field: FieldDef = {
    ...base,
    type: 'reference',
    length: 18,
    referenceTo,
    relationshipName: base.name.replace(/__c$/, '__r'),
    childRelationshipName: rel ? `${rel}__r` : undefined,
    required: master || base.required,
    nillable: !(master || base.required),
    cascadeDelete: master || constraint === 'Cascade' || undefined,
    restrictedDelete: constraint === 'Restrict' || undefined,
    updateable: master ? flag(xml.reparentableMasterDetail, false) : true,
  };
  if (master) MASTER_DETAIL.add(field);
  return field;
}

function picklistOf(xml: Xml, file: string): { values: PicklistValue[]; restricted: boolean } {
  const valueSet = xml.valueSet as Xml | undefined;
  if (!valueSet) throw new Error(`${file}: a picklist needs a <valueSet>`);
  const globalName = str(valueSet.valueSetName);
  if (globalName) {
    // A global value set's values live elsewhere (globalValueSets/); the field is restricted by definition.
    return { values: readGlobalValueSet(file, globalName), restricted: true };
  }
  const definition = valueSet.valueSetDefinition as Xml | undefined;
  const raw = (definition?.value as Xml[] | undefined) ?? [];
  if (raw.length === 0) throw new Error(`${file}: <valueSetDefinition> has no <value>`);
  return { values: raw.map((v) => picklistValue(v, file)), restricted: flag(valueSet.restricted, false) };
}

function picklistValue(v: Xml, file: string): PicklistValue {
  const value = str(v.fullName);
  if (!value) throw new Error(`${file}: a picklist <value> needs a <fullName>`);
  return {
    value,
    label: str(v.label) ?? value,
    active: flag(v.isActive, true),
    defaultValue: flag(v.default, false),
  };
}

function readGlobalValueSet(fieldFile: string, name: string): PicklistValue[] {
  // fieldFile = <pkg>/objects/<Object>/fields/<Field>.field-meta.xml; global value sets sit in <pkg>/globalValueSets.
  const pkg = path.resolve(path.dirname(fieldFile), '..', '..', '..');
  const file = path.join(pkg, 'globalValueSets', `${name}.globalValueSet-meta.xml`);
  if (!fs.existsSync(file)) throw new Error(`${fieldFile}: global value set ${name} not found at ${file}`);
  const xml = readXml(file, 'GlobalValueSet');
  const raw = (xml.customValue as Xml | Xml[] | undefined) ?? [];
  return (Array.isArray(raw) ? raw : [raw]).map((v) => picklistValue(v, file));
}

function numberShape(xml: Xml, type: FieldType): Pick<FieldDef, 'precision' | 'scale'> {
  if (type !== 'double' && type !== 'currency' && type !== 'percent' && type !== 'int') return {};
  const precision = num(xml.precision);
  return { precision, scale: precision === undefined ? undefined : (num(xml.scale) ?? 0) };
}

function typeOfFormula(metaType: string, fail: (problem: string) => never): FieldType {
  const map: Record<string, FieldType> = {
    Text: 'string',
    Number: 'double',
    Currency: 'currency',
    Percent: 'percent',
    Checkbox: 'boolean',
    Date: 'date',
    DateTime: 'datetime',
    Time: 'time',
  };
  return map[metaType] ?? fail(`formula fields of type ${metaType} are not supported`);
}

function summaryType(xml: Xml): FieldType {
  return str(xml.summaryOperation) === 'count' ? 'double' : 'currency';
}

function readXml(file: string, root: string): Xml {
  const text = fs.readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new Error(`${file}: invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  const doc = XML.parse(text) as Xml;
  const body = doc[root];
  if (body === undefined) throw new Error(`${file}: expected a <${root}> document`);
  return (typeof body === 'object' && body !== null ? body : {}) as Xml;
}

const isDirectory = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isDirectory();
const isCustomName = (name: string): boolean => name.endsWith('__c');

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

function num(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function flag(v: unknown, fallback: boolean): boolean {
  const s = str(v);
  return s === undefined ? fallback : s === 'true';
}
