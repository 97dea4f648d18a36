import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';

/**
 * The fields wanted from one record and from its parents, as a tree: what a UI API request
 * (`fields=Account.Owner.Name`) or a GraphQL node selection (`Owner { Name { value } }`) asks for.
 * It turns into one SOQL select list (parents through relationship paths), so reading the
 * record goes through the SOQL engine and with it the user's visibility.
 */
export interface FieldTree {
  object: ObjectDef;
  /** Scalar fields by canonical name. */
  fields: Map<string, FieldDef>;
  /** Parent records by relationship name (`Owner`, `Rep__r`), with the lookup behind each. */
  parents: Map<string, { lookup: FieldDef; tree: FieldTree }>;
}

export function emptyTree(object: ObjectDef): FieldTree {
  return { object, fields: new Map(), parents: new Map() };
}

/** Adds a scalar field by API name; false when the object has no such field. */
export function addField(org: Org, tree: FieldTree, name: string): FieldDef | null {
  const field = org.schema.field(tree.object.name, name);
  if (!field) return null;
  tree.fields.set(field.name, field);
  return field;
}

/** The subtree of a parent relationship (`Owner`), created on first use; null when there is none. */
export function parentTree(org: Org, tree: FieldTree, relationship: string): FieldTree | null {
  const lookup = org.schema.parentRelationship(tree.object.name, relationship);
  if (!lookup?.relationshipName) return null;
  const existing = tree.parents.get(lookup.relationshipName);
  if (existing) return existing.tree;
  const target = lookup.referenceTo?.map((n) => org.schema.find(n)).find((o) => o !== undefined);
  if (!target) return null;
  const sub = emptyTree(target);
  tree.parents.set(lookup.relationshipName, { lookup, tree: sub });
  return sub;
}

/** Adds a dotted path (`Owner.Name`); false when a step does not resolve. */
export function addPath(org: Org, tree: FieldTree, path: string[]): boolean {
  if (path.length === 0) return false;
  if (path.length === 1) return addField(org, tree, path[0]) !== null;
  const sub = parentTree(org, tree, path[0]);
  return sub !== null && addPath(org, sub, path.slice(1));
}

/** Fields every record representation carries besides the ones asked for. */
const RECORD_META = ['Id', 'LastModifiedById', 'LastModifiedDate', 'SystemModstamp', 'CurrencyIsoCode'];

/** The SOQL select items of a tree: asked-for fields, record metadata and each parent's name field. */
export function selectList(tree: FieldTree, prefix = ''): string[] {
  const out = new Set<string>();
  for (const name of RECORD_META) if (tree.object.fields.some((f) => f.name === name)) out.add(prefix + name);
  const nameField = tree.object.fields.find((f) => f.nameField);
  if (nameField) out.add(prefix + nameField.name);
  for (const name of tree.fields.keys()) out.add(prefix + name);
  for (const [rel, { lookup, tree: sub }] of tree.parents) {
    out.add(prefix + lookup.name);
    for (const item of selectList(sub, `${prefix}${rel}.`)) out.add(item);
  }
  return [...out];
}
