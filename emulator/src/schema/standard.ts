import { loadMetadata } from './metadata-loader';
import { CORE_STANDARD_OBJECTS, currencyIsoCode } from './standard-objects';
import { EXTRA_STANDARD_OBJECTS } from './standard-objects-extra';
import type { FieldDef, ObjectDef } from './types';
import { SHARING_SETUP_OBJECTS } from '../sharing/setup-objects';

/** Every standard object the embedded org has, before any metadata. */
export const STANDARD_OBJECTS: ObjectDef[] = [
  ...CORE_STANDARD_OBJECTS,
  ...EXTRA_STANDARD_OBJECTS,
  ...SHARING_SETUP_OBJECTS,
];

/**
 * Every object the org starts with: the standard objects, extended by custom fields that the SFDX
 * source folders declare for them, plus the custom objects of those folders. Fields for standard
 * objects the org does not model (Lead, Case, …) are skipped: a team's own metadata may carry them.
 */
export function loadStandardObjects(metadataDirs: string[]): ObjectDef[] {
  const { customObjects, standardObjectFields } = loadMetadata(metadataDirs);
  const standard = STANDARD_OBJECTS.map((obj) => {
    const extra = standardObjectFields.get(obj.name) ?? findCaseInsensitive(standardObjectFields, obj.name);
    return extra ? extendObject(obj, extra) : obj;
  });
  const objects = [...standard, ...customObjects.map(withCurrencyField)];
  checkChildRelationshipNames(objects);
  return objects;
}

/**
 * The embedded org is multi-currency, and in such an org Salesforce gives every custom object a
 * CurrencyIsoCode field; metadata never declares it.
 */
function withCurrencyField(obj: ObjectDef): ObjectDef {
  if (obj.fields.some((f) => f.name === 'CurrencyIsoCode')) return obj;
  return extendObject(obj, [currencyIsoCode()]);
}

function findCaseInsensitive(map: Map<string, FieldDef[]>, name: string): FieldDef[] | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of map) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Metadata fields go before the audit fields. A metadata field with the name of a field the org
 * already declares replaces it: the project's metadata is the source of truth for custom fields.
 */
function extendObject(obj: ObjectDef, extra: FieldDef[]): ObjectDef {
  const replaced = new Set(extra.map((f) => f.name.toLowerCase()));
  const fields = obj.fields.filter((f) => !replaced.has(f.name.toLowerCase()));
  const at = fields.findIndex((f) => f.name === 'CreatedDate');
  fields.splice(at < 0 ? fields.length : at, 0, ...extra);
  return { ...obj, fields };
}

/** Two lookups giving a parent the same child relationship name would make SOQL subqueries ambiguous. */
function checkChildRelationshipNames(objects: ObjectDef[]): void {
  const seen = new Map<string, string>();
  for (const child of objects) {
    for (const f of child.fields) {
      if (f.type !== 'reference' || !f.childRelationshipName) continue;
      for (const parent of f.referenceTo ?? []) {
        const key = `${parent.toLowerCase()}.${f.childRelationshipName.toLowerCase()}`;
        const where = `${child.name}.${f.name}`;
        const other = seen.get(key);
        if (other)
          throw new Error(
            `child relationship ${parent}.${f.childRelationshipName} is declared by both ${other} and ${where}`,
          );
        seen.set(key, where);
      }
    }
  }
}
