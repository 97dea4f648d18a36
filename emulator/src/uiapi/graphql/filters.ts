import type { Org } from '../../org';
import type { FieldDef, ObjectDef } from '../../schema/types';
import { invalidArgument } from './errors';
import { literalFor } from './literals';

/**
 * The `where` and `orderBy` arguments of a UI API GraphQL record query as SOQL text. Field and
 * relationship names are checked against the schema and written in their canonical form; values go
 * through literals.ts. Keys of one filter object are ANDed, as in the UI API.
 */
const OPERATORS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'LIKE',
};

const MAX_PARENT_STEPS = 4;

export function whereSoql(
  org: Org,
  object: ObjectDef,
  where: unknown,
  prefix = '',
  depth = 0,
): string | null {
  if (where === null || where === undefined) return null;
  const filter = asObject(where, 'where');
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      const items = (Array.isArray(value) ? value : [value])
        .map((v) => whereSoql(org, object, v, prefix, depth))
        .filter((s): s is string => s !== null);
      if (items.length) parts.push(`(${items.join(key === 'and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === 'not') {
      const inner = whereSoql(org, object, value, prefix, depth);
      if (inner) parts.push(`(NOT ${inner})`);
      continue;
    }
    const field = org.schema.field(object.name, key);
    if (field) {
      parts.push(...fieldConditions(field, `${prefix}${field.name}`, asObject(value, key)));
      continue;
    }
    const lookup = org.schema.parentRelationship(object.name, key);
    const parent = lookup?.referenceTo?.map((n) => org.schema.find(n)).find((o) => o !== undefined);
    if (!lookup?.relationshipName || !parent)
      throw invalidArgument(`${object.name} has no field or relationship '${key}' to filter on`);
    if (depth >= MAX_PARENT_STEPS) throw invalidArgument('filters reach too many parent relationships');
    const inner = whereSoql(org, parent, value, `${prefix}${lookup.relationshipName}.`, depth + 1);
    if (inner) parts.push(inner);
  }
  return parts.length ? parts.join(' AND ') : null;
}

function fieldConditions(field: FieldDef, path: string, ops: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [op, value] of Object.entries(ops)) {
    if (value === undefined) continue;
    if (op === 'in' || op === 'nin') {
      if (!Array.isArray(value)) throw invalidArgument(`${op} on ${field.name} takes a list`);
      if (value.length === 0) {
        // SOQL has no empty list; the empty IN matches nothing, the empty NOT IN everything.
        out.push(op === 'in' ? 'Id = null' : 'Id != null');
        continue;
      }
      out.push(
        `${path} ${op === 'in' ? 'IN' : 'NOT IN'} (${value.map((v) => literalFor(field, v)).join(', ')})`,
      );
      continue;
    }
    const sql = OPERATORS[op];
    if (!sql)
      throw invalidArgument(
        `unknown operator '${op}' on ${field.name} (eq, ne, gt, gte, lt, lte, like, in, nin)`,
      );
    if (value === null && op !== 'eq' && op !== 'ne')
      throw invalidArgument(`${op} on ${field.name} cannot compare with null`);
    if (op === 'like' && typeof value !== 'string')
      throw invalidArgument(`like on ${field.name} takes a string`);
    out.push(`${path} ${sql} ${literalFor(field, value)}`);
  }
  return out;
}

/** `{ Amount: { order: DESC, nulls: LAST }, Owner: { Name: { order: ASC } } }` → SOQL ORDER BY items. */
export function orderBySoql(org: Org, object: ObjectDef, orderBy: unknown, prefix = '', depth = 0): string[] {
  if (orderBy === null || orderBy === undefined) return [];
  const items = Array.isArray(orderBy) ? orderBy : [orderBy];
  const out: string[] = [];
  for (const item of items) {
    for (const [key, value] of Object.entries(asObject(item, 'orderBy'))) {
      const field = org.schema.field(object.name, key);
      if (field) {
        const spec = asObject(value, key);
        const order = String(spec.order ?? 'ASC').toUpperCase();
        if (order !== 'ASC' && order !== 'DESC') throw invalidArgument(`order of ${key} is ASC or DESC`);
        const nulls =
          spec.nulls === undefined || spec.nulls === null ? null : String(spec.nulls).toUpperCase();
        if (nulls !== null && nulls !== 'FIRST' && nulls !== 'LAST')
          throw invalidArgument(`nulls of ${key} is FIRST or LAST`);
        out.push(`${prefix}${field.name} ${order}${nulls ? ` NULLS ${nulls}` : ''}`);
        continue;
      }
      const lookup = org.schema.parentRelationship(object.name, key);
      const parent = lookup?.referenceTo?.map((n) => org.schema.find(n)).find((o) => o !== undefined);
      if (!lookup?.relationshipName || !parent || depth >= MAX_PARENT_STEPS)
        throw invalidArgument(`${object.name} has no field or relationship '${key}' to order by`);
      out.push(...orderBySoql(org, parent, value, `${prefix}${lookup.relationshipName}.`, depth + 1));
    }
  }
  return out;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidArgument(`${what} takes an input object`);
  return value as Record<string, unknown>;
}
