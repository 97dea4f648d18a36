import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { GraphQlError } from './errors';

export type Variables = Record<string, unknown>;

/**
 * A literal or variable of the document as a plain JS value. Enum values become their names
 * (`DESC`); a variable the request did not give reads as null, so `{ Id: { eq: $recordId } }`
 * matches nothing rather than everything while a component's record id is still unknown.
 */
export function valueOf(node: ValueNode, vars: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return vars[node.name.value] ?? null;
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, vars));
    case Kind.OBJECT: {
      const out: Record<string, unknown> = {};
      for (const f of node.fields) out[f.name.value] = valueOf(f.value, vars);
      return out;
    }
    default:
      throw new GraphQlError('unsupported value', 'ValidationError', node);
  }
}

/** The arguments of a field as plain values. */
export function argsOf(field: FieldNode, vars: Variables): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of field.arguments ?? []) out[a.name.value] = valueOf(a.value, vars);
  return out;
}

/**
 * The fields of a selection set with fragments spread in and `@skip` / `@include` applied, in
 * document order. Other directives (`@category`, `@optional`) are accepted and ignored.
 */
export function collectFields(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  vars: Variables,
  depth = 0,
): FieldNode[] {
  if (!set) return [];
  if (depth > 20) throw new GraphQlError('fragments nest too deeply (a cycle?)', 'ValidationError');
  const out: FieldNode[] = [];
  for (const sel of set.selections) {
    if (!included(sel.directives ?? [], vars)) continue;
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT)
      out.push(...collectFields(sel.selectionSet, fragments, vars, depth + 1));
    else {
      const frag = fragments.get(sel.name.value);
      if (!frag) throw new GraphQlError(`Unknown fragment "${sel.name.value}"`, 'ValidationError', sel);
      out.push(...collectFields(frag.selectionSet, fragments, vars, depth + 1));
    }
  }
  return out;
}

function included(
  directives: ReadonlyArray<{
    name: { value: string };
    arguments?: ReadonlyArray<{ name: { value: string }; value: ValueNode }>;
  }>,
  vars: Variables,
): boolean {
  for (const d of directives) {
    const ifArg = d.arguments?.find((a) => a.name.value === 'if');
    const cond = ifArg ? Boolean(valueOf(ifArg.value, vars)) : undefined;
    if (d.name.value === 'skip' && cond === true) return false;
    if (d.name.value === 'include' && cond === false) return false;
  }
  return true;
}

/** The key a field answers under: its alias, else its name. */
export function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}
