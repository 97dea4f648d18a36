import fs from 'node:fs';

/**
 * docs/crm-objects.md read as data: per object its fields with the declared type, so the contract
 * test can hold the page and the metadata to each other. The page is written for people, so the
 * parser is deliberately narrow: `### \`Object\`` headings, `Name = …` lines, and tables whose first
 * column lists backticked field names and whose second column is the type.
 */
export interface DocField {
  object: string;
  name: string;
  /** Metadata type: Text, LongTextArea, Number, Currency, Percent, Lookup, Picklist… */
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
  referenceTo?: string;
  externalId?: boolean;
  unique?: boolean;
  /** Picklist values named in the notes column. */
  values?: string[];
  /** `+` in the doc: added by this issue to an existing object. */
  added: boolean;
  /** The type text as written. */
  declared: string;
}

export interface DocObject {
  name: string;
  /** `Read` for "Public Read Only", `Private`; undefined when the heading does not say. */
  sharingModel?: string;
  nameField?: { type: 'Text' | 'AutoNumber'; displayFormat?: string };
  fields: DocField[];
  /** True for objects in the "Results written back" part. */
  result: boolean;
}

export function readCrmObjectsDoc(file: string): Map<string, DocObject> {
  return parseCrmObjectsDoc(fs.readFileSync(file, 'utf8'));
}

export function parseCrmObjectsDoc(markdown: string): Map<string, DocObject> {
  const objects = new Map<string, DocObject>();
  let current: DocObject | undefined;
  let inResults = false;
  let pendingStandardField: { object: string; name: string } | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      inResults = /results written back/i.test(line);
      current = undefined;
      continue;
    }
    const heading = /^### `([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?`(.*)$/.exec(line);
    if (heading) {
      const [, object, field, rest] = heading;
      pendingStandardField = field ? { object, name: field } : undefined;
      current = field ? undefined : objectOf(objects, object, inResults);
      if (current)
        current.sharingModel = /public read only/i.test(rest)
          ? 'Read'
          : /private/i.test(rest)
            ? 'Private'
            : undefined;
      continue;
    }
    if (pendingStandardField && /^(Lookup|Text|Number|Currency)/.test(line)) {
      // `### \`Account.Sales_Territory__c\`` is followed by a sentence starting with its type.
      const declared = line.split(/,|:/)[0].trim();
      const obj = objectOf(objects, pendingStandardField.object, inResults);
      obj.fields.push({
        ...parseType(declared),
        object: obj.name,
        name: pendingStandardField.name,
        added: true,
        declared,
      });
      pendingStandardField = undefined;
      continue;
    }
    if (!current) continue;
    const name = /^Name = (AutoNumber `([^`]+)`|.*Text)/.exec(line);
    if (name) {
      current.nameField = name[2] ? { type: 'AutoNumber', displayFormat: name[2] } : { type: 'Text' };
      continue;
    }
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const names = [...(cells[0] ?? '').matchAll(/`([A-Za-z0-9_]+__c)`/g)].map((m) => m[1]);
    if (names.length === 0) continue;
    const declared = cells[1] ?? '';
    const notes = cells.slice(2).join('|');
    for (const fieldName of names) {
      const shape = /^as above$/i.test(declared) ? findEarlier(objects, fieldName) : parseType(declared);
      const field: DocField = {
        ...shape,
        object: current.name,
        name: fieldName,
        added: cells[0].startsWith('+'),
        declared,
      };
      if (field.type === 'Picklist') {
        const listed = picklistValues(notes);
        field.values = listed.length > 0 ? listed : shape.values;
      }
      current.fields.push(field);
    }
  }
  return objects;
}

function objectOf(objects: Map<string, DocObject>, name: string, result: boolean): DocObject {
  const existing = objects.get(name);
  if (existing) return existing;
  const created: DocObject = { name, fields: [], result };
  objects.set(name, created);
  return created;
}

type Shape = Pick<
  DocField,
  'type' | 'length' | 'precision' | 'scale' | 'referenceTo' | 'externalId' | 'unique' | 'values'
>;

/** `Text(255) ext id unique`, `Lookup(User) SetNull`, `Number(9,0)`, `Currency`, `Percent(8,4)`… */
export function parseType(declared: string): Shape {
  const m = /^([A-Za-z]+)(?:\(([^)]*)\))?/.exec(declared.trim());
  if (!m) return { type: declared };
  const [, type, args] = m;
  const shape: Shape = { type };
  if (type === 'Lookup') shape.referenceTo = args;
  else if (args) {
    const [a, b] = args.split(',').map((s) => Number(s.trim()));
    if (type === 'Text' || type === 'LongTextArea') shape.length = a;
    else {
      shape.precision = a;
      shape.scale = b ?? 0;
    }
  }
  if (/ext id/i.test(declared)) shape.externalId = true;
  if (/unique/i.test(declared)) shape.unique = true;
  return shape;
}

/** `Draft, Submitted, …, **+ Invalid**`, `Manual (CRM request), Schedule` → the API values. */
function picklistValues(notes: string): string[] {
  const withoutRemarks = notes.replace(/\([^)]*\)/g, '');
  return withoutRemarks
    .split(',')
    .map((v) => v.replace(/\*\*|\+|`/g, '').trim())
    .filter((v) => v.length > 0);
}

function findEarlier(objects: Map<string, DocObject>, fieldName: string): Shape {
  for (const obj of [...objects.values()].reverse()) {
    const f = obj.fields.find((x) => x.name === fieldName);
    if (f) {
      return {
        type: f.type,
        length: f.length,
        precision: f.precision,
        scale: f.scale,
        referenceTo: f.referenceTo,
        values: f.values,
      };
    }
  }
  return { type: 'unknown' };
}
