import type { FieldNode, FragmentDefinitionNode } from 'graphql';
import type { Org } from '../../org';
import type { FieldDef } from '../../schema/types';
import type { JsonRecord } from '../../soql/shape';
import { displayValueOf, uiValue } from '../field-values';
import { addField, parentTree, type FieldTree } from '../field-tree';
import { GraphQlError, undefinedField } from './errors';
import { collectFields, responseKey, type Variables } from './values';

/** Renders one record (REST JSON from the SOQL engine) as the node its selection asks for. */
export type NodeRenderer = (rec: JsonRecord) => Record<string, unknown>;

interface Ctx {
  org: Org;
  fragments: Map<string, FragmentDefinitionNode>;
  vars: Variables;
  timeZone: string;
}

const VALUE_TYPE: Record<string, string> = {
  id: 'IDValue',
  reference: 'IDValue',
  string: 'StringValue',
  textarea: 'TextAreaValue',
  picklist: 'PicklistValue',
  multipicklist: 'MultiPicklistValue',
  combobox: 'PicklistValue',
  boolean: 'BooleanValue',
  int: 'IntValue',
  double: 'DoubleValue',
  currency: 'CurrencyValue',
  percent: 'PercentValue',
  date: 'DateValue',
  datetime: 'DateTimeValue',
  time: 'TimeValue',
  email: 'EmailValue',
  phone: 'PhoneNumberValue',
  url: 'UrlValue',
};

/**
 * Compiles a node's selection (`Id`, `Name { value displayValue }`, `Owner { Name { value } }`) into
 * a renderer, adding every field it needs to `tree` so one SOQL query reads them all. Child
 * relationships are outside the embedded org's subset and answer a validation error.
 */
export function compileNode(ctx: Ctx, tree: FieldTree, fields: FieldNode[], path: string[]): NodeRenderer {
  const { org } = ctx;
  const object = tree.object;
  const steps: Array<(rec: JsonRecord, out: Record<string, unknown>) => void> = [];
  for (const f of fields) {
    const name = f.name.value;
    const key = responseKey(f);
    if (name === '__typename') {
      steps.push((_r, out) => (out[key] = object.name));
      continue;
    }
    if (name === 'Id') {
      steps.push((r, out) => (out[key] = r.Id ?? null));
      continue;
    }
    if (name === 'ApiName') {
      steps.push((_r, out) => (out[key] = object.name));
      continue;
    }
    if (name === 'WeakEtag') {
      addField(org, tree, 'SystemModstamp');
      steps.push((r, out) => {
        const s =
          typeof r.SystemModstamp === 'string' ? Date.parse(r.SystemModstamp.replace(/\+0000$/, 'Z')) : 0;
        out[key] = Number.isFinite(s) ? s : 0;
      });
      continue;
    }
    if (name === 'DisplayValue') {
      const nameField = object.fields.find((x) => x.nameField);
      if (nameField) addField(org, tree, nameField.name);
      steps.push((r, out) => (out[key] = nameField ? (r[nameField.name] ?? null) : null));
      continue;
    }
    const field = org.schema.field(object.name, name);
    if (field && field.name === name) {
      steps.push(scalarStep(ctx, tree, field, f, [...path, name]));
      continue;
    }
    const lookup = org.schema.parentRelationship(object.name, name);
    if (lookup?.relationshipName === name) {
      const sub = parentTree(org, tree, name);
      if (!sub) throw undefinedField(name, object.name, f, path);
      addField(org, tree, lookup.name);
      if (!f.selectionSet) throw subSelectionRequired(name, sub.object.name, f);
      const render = compileNode(ctx, sub, collectFields(f.selectionSet, ctx.fragments, ctx.vars), [
        ...path,
        name,
      ]);
      steps.push((r, out) => {
        const parent = r[name] as JsonRecord | null | undefined;
        out[key] = parent ? render(parent) : null;
      });
      continue;
    }
    if (org.schema.childRelationships(object.name).some((c) => c.relationshipName === name)) {
      throw new GraphQlError(
        `Child relationship '${name}' of ${object.name}: child relationships are not supported by the embedded org's GraphQL (query ${name.replace(/s$/, '')} records with a where on their lookup instead)`,
        'ValidationError',
        f,
      );
    }
    throw undefinedField(name, object.name, f, path);
  }
  return (rec) => {
    const out: Record<string, unknown> = {};
    for (const step of steps) step(rec, out);
    return out;
  };
}

function scalarStep(
  ctx: Ctx,
  tree: FieldTree,
  field: FieldDef,
  node: FieldNode,
  path: string[],
): (rec: JsonRecord, out: Record<string, unknown>) => void {
  const key = responseKey(node);
  const typeName = VALUE_TYPE[field.type] ?? 'StringValue';
  if (!node.selectionSet) throw subSelectionRequired(field.name, typeName, node);
  addField(ctx.org, tree, field.name);
  if (field.type === 'currency') addField(ctx.org, tree, 'CurrencyIsoCode');
  const parts = collectFields(node.selectionSet, ctx.fragments, ctx.vars).map((p) => {
    const name = p.name.value;
    if (!['value', 'displayValue', 'label', '__typename'].includes(name))
      throw undefinedField(name, typeName, p, path.slice(0, -1).concat(path.slice(-1)));
    return { name, key: responseKey(p) };
  });
  return (rec, out) => {
    const value = uiValue(field, rec[field.name]);
    const currency = typeof rec.CurrencyIsoCode === 'string' ? rec.CurrencyIsoCode : null;
    const o: Record<string, unknown> = {};
    for (const p of parts) {
      if (p.name === 'value') o[p.key] = value;
      else if (p.name === 'displayValue') o[p.key] = displayValueOf(field, value, currency, ctx.timeZone);
      else if (p.name === 'label') o[p.key] = field.label;
      else o[p.key] = typeName;
    }
    out[key] = o;
  };
}

function subSelectionRequired(name: string, type: string, node: FieldNode): GraphQlError {
  return new GraphQlError(
    `Validation error (SubSelectionRequired@[${name}]) : Sub selection required for type '${type}' of field '${name}'`,
    'ValidationError',
    node,
  );
}
