import type {
  FieldType as SoqlFieldType,
  FunctionExp,
  GroupByClause,
  Query,
} from '@jetstreamapp/soql-parser-js';
import { invalidField, malformedQuery } from '../errors';
import type { FieldDef, ObjectDef } from '../schema/types';
import { compileWhere, type ConditionContext, type Operand } from './conditions';
import type { Joins } from './joins';
import { orderTerm } from './projection';
import { Conv, convFor } from './shape';

export const MAX_AGGREGATE_ROWS = 2000;

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);

export interface AggregatePlan {
  kind: 'aggregate';
  object: ObjectDef;
  sql: string;
  params: unknown[];
  /** Output keys in SELECT order, each with its column's conversion. */
  outputs: Array<{ key: string; conv: Conv }>;
}

export function isAggregateField(f: SoqlFieldType): boolean {
  return f.type === 'FieldFunctionExpression' && AGGREGATES.has(f.functionName.toUpperCase());
}

/**
 * GROUP BY / HAVING / aggregate functions as one SQL statement. Rows are AggregateResults keyed by
 * alias, by `exprN` for unaliased aggregates (N counts only those), or by the grouped field's name.
 */
export function compileAggregate(
  object: ObjectDef,
  query: Query,
  joins: Joins,
  ctx: ConditionContext,
): AggregatePlan {
  const groupBy: GroupByClause[] =
    query.groupBy === undefined ? [] : Array.isArray(query.groupBy) ? query.groupBy : [query.groupBy];
  const grouped = new Map<string, FieldDef>();
  const groupSql: string[] = [];
  for (const g of groupBy) {
    if (!('field' in g)) {
      const name = g.fn.functionName ?? g.fn.rawValue ?? '';
      throw malformedQuery(`GROUP BY ${name.toUpperCase()}() is not supported by the embedded org`);
    }
    const ref = joins.column(g.field);
    if (ref.field.groupable === false || ref.field.type === 'multipicklist') {
      throw invalidField(`field '${ref.field.name}' can not be grouped in a query call`);
    }
    grouped.set(ref.sql, ref.field);
    groupSql.push(ref.sql);
  }

  const aggregate = (fn: FunctionExp): Operand => aggregateOperand(fn, joins);
  const selects: string[] = [];
  const outputs: AggregatePlan['outputs'] = [];
  let exprN = 0;
  for (const f of query.fields ?? []) {
    if (f.type === 'FieldFunctionExpression') {
      if (!AGGREGATES.has(f.functionName.toUpperCase())) {
        throw malformedQuery(
          `unexpected token: '${f.functionName}' (${f.rawValue ?? f.functionName} is not supported here)`,
        );
      }
      if (f.parameters.length === 0)
        throw malformedQuery('COUNT() must be the only element in the SELECT list');
      const op = aggregate(f);
      selects.push(op.sql);
      outputs.push({
        key: f.alias ?? `expr${exprN++}`,
        conv: op.field.type === 'int' || op.field.type === 'double' ? Conv.None : convFor(op.field.type),
      });
      continue;
    }
    if (f.type !== 'Field' && f.type !== 'FieldRelationship') {
      throw malformedQuery(
        'Only grouped fields and aggregate functions can be selected in an aggregate query',
      );
    }
    const ref = joins.column(f.type === 'Field' ? f.field : [...f.relationships, f.field].join('.'));
    if (!grouped.has(ref.sql)) throw malformedQuery(`Field must be grouped or aggregated: ${ref.field.name}`);
    selects.push(ref.sql);
    outputs.push({ key: ('alias' in f && f.alias) || ref.field.name, conv: convFor(ref.field.type) });
  }

  const where: string[] = [];
  if (!ctx.scanAll) where.push('t."IsDeleted" = 0');
  if (ctx.rowFilter) where.push(ctx.rowFilter);
  if (query.where) where.push(compileWhere(query.where, ctx));
  const having = query.having ? compileWhere(query.having, { ...ctx, aggregate }) : null;
  const orderItems =
    query.orderBy === undefined ? [] : Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy];
  const order = orderItems.map((o) => {
    if ('fn' in o) return orderTerm(aggregate(o.fn).sql, o.order, o.nulls);
    const ref = joins.column(o.field);
    if (!grouped.has(ref.sql))
      throw malformedQuery(`Ordered field must be grouped or aggregated: ${ref.field.name}`);
    return orderTerm(ref.sql, o.order, o.nulls);
  });

  let sql = `SELECT ${selects.map((s, i) => `${s} AS a${i}`).join(', ')} FROM ${joins.fromSql()}`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  if (groupSql.length) sql += ` GROUP BY ${groupSql.join(', ')}`;
  if (having) sql += ` HAVING ${having}`;
  if (order.length) sql += ` ORDER BY ${order.join(', ')}`;
  const params = ctx.params;
  if (query.limit !== undefined || query.offset !== undefined) {
    sql += ' LIMIT ? OFFSET ?';
    params.push(query.limit ?? -1, query.offset ?? 0);
  }
  return { kind: 'aggregate', object, sql, params, outputs };
}

function aggregateOperand(fn: FunctionExp, joins: Joins): Operand {
  const name = (fn.functionName ?? '').toUpperCase();
  if (!AGGREGATES.has(name)) throw malformedQuery(`unexpected token: '${fn.functionName}'`);
  const params = fn.parameters ?? [];
  const synthetic = (type: FieldDef['type']): FieldDef => ({ name: fn.rawValue ?? name, label: name, type });
  if (params.length === 0) {
    if (name !== 'COUNT') throw malformedQuery(`${name}() needs a field`);
    return { sql: 'count(*)', field: synthetic('int') };
  }
  const param = params[0];
  if (typeof param !== 'string' || params.length !== 1)
    throw malformedQuery(`unexpected argument to ${name}()`);
  const ref = joins.column(param);
  switch (name) {
    case 'COUNT':
      return { sql: `count(${ref.sql})`, field: synthetic('int') };
    case 'COUNT_DISTINCT':
      return { sql: `count(DISTINCT ${ref.sql})`, field: synthetic('int') };
    case 'SUM':
    case 'AVG':
      if (!NUMERIC.has(ref.field.type))
        throw invalidField(`field ${ref.field.name} does not support aggregate operator ${name}`);
      return { sql: `${name.toLowerCase()}(${ref.sql})`, field: synthetic('double') };
    default:
      if (
        ref.field.type === 'boolean' ||
        ref.field.type === 'textarea' ||
        ref.field.type === 'multipicklist'
      ) {
        throw invalidField(`field ${ref.field.name} does not support aggregate operator ${name}`);
      }
      return { sql: `${name.toLowerCase()}(${ref.sql})`, field: ref.field };
  }
}
